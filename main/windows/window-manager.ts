import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { WindowsPort } from '../app-services/app-ports.js';
import { rendererUrl } from './app-origin.js';
import { POPUP_SIZE, popupPosition } from './popup-position.js';
import { secureWebPreferences } from './secure-web-preferences.js';

/**
 * The two windows: the main window (accounts, identity, import, settings) and the MFA popup,
 * a small frameless always-on-top window next to the tray (or in a screen corner where the tray
 * cannot say where it is, as on Linux). Both are created hidden and shown once ready.
 */
export class WindowManager implements WindowsPort {
  private main: BrowserWindow | undefined;
  private popup: BrowserWindow | undefined;

  constructor(
    private readonly preloadPath: string,
    private readonly trayBounds: () => Rectangle | undefined,
    /** Only ever true in an unpackaged build (main/app/developer-switches.ts). */
    private readonly devTools = false,
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
      webPreferences: secureWebPreferences(this.preloadPath, { devTools: this.devTools }),
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
      ...POPUP_SIZE,
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
      webPreferences: secureWebPreferences(this.preloadPath, { devTools: this.devTools }),
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
