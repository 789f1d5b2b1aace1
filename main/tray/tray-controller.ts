import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AppState } from '../ipc/ipc-contract.js';
import { trayMenuModel, type TrayAction, type TrayIconState, type TrayMenuItem } from './tray-menu-model.js';

/**
 * The tray icon and its menu, rebuilt from the pure model on every state change. macOS gets
 * template images (drawn in the menu bar's colour); other systems coloured PNGs.
 */
function toTemplate(items: TrayMenuItem[], run: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.type) {
      case 'label':
        return { label: item.label, enabled: false };
      case 'separator':
        return { type: 'separator' };
      case 'action':
        return { label: item.label, enabled: item.enabled, click: () => run(item.action) };
      case 'submenu':
        return { label: item.label, submenu: toTemplate(item.items, run) };
    }
  });
}

export function formatClockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export class TrayController {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayIconState, NativeImage>();

  constructor(
    private readonly iconDir: string,
    private readonly run: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(this.icon('signed-out'));
  }

  private icon(state: TrayIconState): NativeImage {
    let image = this.icons.get(state);
    if (!image) {
      if (process.platform === 'darwin') {
        image = nativeImage.createFromPath(join(this.iconDir, `tray-${state}Template.png`));
        image.setTemplateImage(true);
      } else {
        image = nativeImage.createFromPath(join(this.iconDir, `tray-${state}.png`));
      }
      this.icons.set(state, image);
    }
    return image;
  }

  update(state: AppState): void {
    const model = trayMenuModel(state, formatClockTime);
    this.tray.setImage(this.icon(model.icon));
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(toTemplate(model.items, this.run)));
  }

  bounds() {
    return this.tray.getBounds();
  }
}
