import { BrowserWindow, screen, type Rectangle } from 'electron';
import type { WindowsPort } from '../app-services/app-ports.js';
import { rendererUrl } from './app-origin.js';
import { popupPosition } from './popup-position.js';
import { popupWindowSize } from './popup-size.js';
import { QuickSwitcherWindow } from './quick-switcher-window.js';
import { secureWebPreferences } from './secure-web-preferences.js';
import { onZoomKeys } from './window-zoom.js';
import { nextZoomFactor, type ZoomCommand } from './zoom-keys.js';

/**
 * The two windows: the main window (accounts, identity, import, settings) and the MFA popup,
 * a small frameless always-on-top window next to the tray (or in a screen corner where the tray
 * cannot say where it is, as on Linux). Both are created hidden and shown once ready.
 */
export class WindowManager implements WindowsPort {
  private main: BrowserWindow | undefined;
  private popup: BrowserWindow | undefined;
  /** The page zoom of our windows (Ctrl/Cmd + =, -, 0), one for all of them, as Chromium keeps one per site. */
  private zoomFactor = 1;
  private readonly switcher: QuickSwitcherWindow;

  constructor(
    private readonly preloadPath: string,
    private readonly trayBounds: () => Rectangle | undefined,
    /** Only ever true in an unpackaged build (main/app/developer-switches.ts). */
    private readonly devTools = false,
  ) {
    this.switcher = new QuickSwitcherWindow(
      preloadPath,
      trayBounds,
      devTools,
      () => this.zoomFactor,
      (window) => {
        onZoomKeys(window.webContents, (command) => this.zoom(command));
        window.webContents.on('did-finish-load', () => window.webContents.setZoomFactor(this.zoomFactor));
      },
    );
  }

  showQuickSwitcher(): void {
    this.switcher.show();
  }

  hideQuickSwitcher(): void {
    this.switcher.hide();
  }

  /**
   * Show the main window; a new one opened with `search` starts on the accounts with the focus in
   * their search box (#search). Returns whether it was already open (main/app/main.ts then sends
   * the window:focus-search event instead).
   */
  showMainWindow(focus?: 'search'): boolean {
    if (this.main && !this.main.isDestroyed()) {
      if (this.main.isMinimized()) this.main.restore();
      this.main.show();
      this.main.focus();
      return true;
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
    // No menu, so no menu accelerators: the zoom keys are read here (window-zoom.ts).
    onZoomKeys(window.webContents, (command) => this.zoom(command));
    window.webContents.on('did-finish-load', () => window.webContents.setZoomFactor(this.zoomFactor));
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => (this.main = undefined));
    void window.loadURL(`${rendererUrl('main-window')}${focus === 'search' ? '#search' : ''}`);
    this.main = window;
    return false;
  }

  showMfaPopup(): void {
    const display = screen.getPrimaryDisplay();
    const size = popupWindowSize(this.zoomFactor, display.workArea);
    const { x, y } = popupPosition(this.trayBounds(), display.workArea, process.platform, size);
    if (this.popup && !this.popup.isDestroyed()) {
      // Also "Show the MFA prompt" in the main window: back in front of whatever covered it.
      this.popup.setBounds({ x, y, ...size });
      this.popup.show();
      this.popup.moveTop();
      this.popup.focus();
      return;
    }
    const window = new BrowserWindow({
      ...size,
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
    onZoomKeys(window.webContents, (command) => this.zoom(command));
    window.webContents.on('did-finish-load', () => window.webContents.setZoomFactor(this.zoomFactor));
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

  /** A zoom key in any of our windows: every window follows, and the popup grows or shrinks with it. */
  private zoom(command: ZoomCommand): void {
    this.zoomFactor = nextZoomFactor(this.zoomFactor, command);
    for (const window of [this.main, this.popup, this.switcher.live()]) {
      if (window && !window.isDestroyed()) window.webContents.setZoomFactor(this.zoomFactor);
    }
    this.switcher.fitZoom();
    if (this.popup && !this.popup.isDestroyed()) {
      const display = screen.getPrimaryDisplay();
      const size = popupWindowSize(this.zoomFactor, display.workArea);
      this.popup.setBounds({ ...popupPosition(this.trayBounds(), display.workArea, process.platform, size), ...size });
    }
  }

  /** Every live window, for events from main. */
  all(): BrowserWindow[] {
    return [this.main, this.popup, this.switcher.live()].filter((w): w is BrowserWindow => w !== undefined && !w.isDestroyed());
  }
}
