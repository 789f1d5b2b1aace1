import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { AppState } from '../ipc/ipc-contract.js';
import { trayMenuModel, type TrayAction, type TrayGlance, type TrayIconState, type TrayMenuItem } from './tray-menu-model.js';

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

/** How often the time left is redrawn (the tooltip and the macOS title count down in minutes). */
const REFRESH_MS = 30_000;

export class TrayController {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayIconState, NativeImage>();
  private last: { state: AppState; glance: () => Omit<TrayGlance, 'now'> } | undefined;

  constructor(
    private readonly iconDir: string,
    private readonly run: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(this.icon('signed-out'));
    const timer = setInterval(() => {
      if (this.last) this.update(this.last.state, this.last.glance);
    }, REFRESH_MS);
    timer.unref();
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

  /** Redraw from the state; `glance` says what else the menu shows (a waiting prompt, the switcher's shortcut). */
  update(state: AppState, glance: () => Omit<TrayGlance, 'now'> = () => ({})): void {
    this.last = { state, glance };
    const model = trayMenuModel(state, formatClockTime, { ...glance(), now: Date.now() });
    this.tray.setImage(this.icon(model.icon));
    this.tray.setToolTip(model.tooltip);
    // Shown beside the icon in the macOS menu bar; other systems ignore it.
    this.tray.setTitle(model.title);
    this.tray.setContextMenu(Menu.buildFromTemplate(toTemplate(model.items, this.run)));
  }

  bounds() {
    return this.tray.getBounds();
  }
}
