import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { WindowsPort } from '../app-services/app-ports.js';
import { rendererUrl } from './renderer-protocol.js';
import { secureWebPreferences } from './secure-web-preferences.js';

/**
 * The two windows: the main window (accounts, identity, import, settings) and the MFA popup,
 * a small frameless always-on-top window next to the tray (or in a screen corner where the tray
 * cannot say where it is, as on Linux). Both are created hidden and shown once ready.
 */
const POPUP = { width: 380, height: 330 };

export function popupPosition(trayBounds: Rectangle | undefined, workArea: Rectangle, platform: NodeJS.Platform): { x: number; y: number } {
  const margin = 8;
  if (trayBounds && trayBounds.width > 0 && trayBounds.height > 0) {
    const x = Math.round(Math.min(Math.max(trayBounds.x + trayBounds.width / 2 - POPUP.width / 2, workArea.x + margin), workArea.x + workArea.width - POPUP.width - margin));
    // Tray at the top (macOS, some Linux panels): below it; at the bottom (Windows): above it.
    const below = trayBounds.y < workArea.y + workArea.height / 2;
    const y = below ? trayBounds.y + trayBounds.height + margin : trayBounds.y - POPUP.height - margin;
    return { x, y: Math.max(workArea.y + margin, y) };
  }
  // Unknown tray position: the corner where trays usually are.
  const right = workArea.x + workArea.width - POPUP.width - margin;
  return platform === 'darwin' ? { x: right, y: workArea.y + margin } : { x: right, y: workArea.y + workArea.height - POPUP.height - margin };
}

export class WindowManager implements WindowsPort {
  private main: BrowserWindow | undefined;
  private popup: BrowserWindow | undefined;

  constructor(
    private readonly preloadPath: string,
    private readonly trayBounds: () => Rectangle | undefined,
  ) {}

  showMainWindow(): void {
    if (this.main && !this.main.isDestroyed()) {
      if (this.main.isMinimized()) this.main.restore();
      this.main.show();
      this.main.focus();
      return;
    }
    const window = new BrowserWindow({
      width: 1040,
      height: 680,
      minWidth: 760,
      minHeight: 480,
      show: false,
      title: 'AWS Auth Tray',
      autoHideMenuBar: true,
      webPreferences: secureWebPreferences(this.preloadPath),
    });
    window.removeMenu();
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => (this.main = undefined));
    void window.loadURL(rendererUrl('main-window'));
    this.main = window;
  }

  showMfaPopup(): void {
    const display = screen.getPrimaryDisplay();
    const { x, y } = popupPosition(this.trayBounds(), display.workArea, process.platform);
    if (this.popup && !this.popup.isDestroyed()) {
      this.popup.setPosition(x, y);
      this.popup.show();
      this.popup.focus();
      return;
    }
    const window = new BrowserWindow({
      ...POPUP,
      x,
      y,
      show: false,
      frame: false,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      title: 'AWS Auth Tray: MFA code',
      webPreferences: secureWebPreferences(this.preloadPath),
    });
    window.setAlwaysOnTop(true, 'floating');
    window.once('ready-to-show', () => {
      window.show();
      window.focus();
    });
    window.on('closed', () => (this.popup = undefined));
    void window.loadURL(rendererUrl('mfa-popup'));
    this.popup = window;
  }

  hideMfaPopup(): void {
    if (this.popup && !this.popup.isDestroyed()) this.popup.destroy();
    this.popup = undefined;
  }

  /** Every live window, for events from main. */
  all(): BrowserWindow[] {
    return [this.main, this.popup].filter((w): w is BrowserWindow => w !== undefined && !w.isDestroyed());
  }
}
