import { BrowserWindow, screen, type Rectangle } from 'electron';
import { rendererUrl } from './app-origin.js';
import { popupPosition } from './popup-position.js';
import { QUICK_SWITCHER_SIZE } from './quick-switcher-size.js';
import { secureWebPreferences } from './secure-web-preferences.js';

/**
 * The quick switcher's window: frameless, on top, next to the tray like the MFA popup. Made once
 * and then hidden rather than closed, so the global shortcut shows it at once; it hides when it
 * loses the focus, as a launcher does (the page clears its field when it is shown again).
 */
export class QuickSwitcherWindow {
  private window: BrowserWindow | undefined;

  constructor(
    private readonly preloadPath: string,
    private readonly trayBounds: () => Rectangle | undefined,
    private readonly devTools: boolean,
    /** The page zoom all our windows share: the window grows with it, within the screen. */
    private readonly zoomFactor: () => number,
    /** Given each new window, to follow the zoom keys like the others. */
    private readonly created: (window: BrowserWindow) => void,
  ) {}

  private bounds(): Rectangle {
    const { workArea } = screen.getPrimaryDisplay();
    const size = {
      width: Math.min(Math.round(QUICK_SWITCHER_SIZE.width * this.zoomFactor()), workArea.width - 16),
      height: Math.min(Math.round(QUICK_SWITCHER_SIZE.height * this.zoomFactor()), workArea.height - 16),
    };
    return { ...popupPosition(this.trayBounds(), workArea, process.platform, size), ...size };
  }

  /** Keep the window's size in step with the zoom (when it changes while the window exists). */
  fitZoom(): void {
    const window = this.live();
    if (window) window.setBounds(this.bounds());
  }

  show(): void {
    const bounds = this.bounds();
    const existing = this.window;
    if (existing && !existing.isDestroyed()) {
      existing.setBounds(bounds);
      existing.show();
      existing.focus();
      return;
    }
    // electronegativity-ignore: CONTEXT_ISOLATION_JS_CHECK -- webPreferences come from secureWebPreferences() (contextIsolation: true, asserted by test/unit/app/web-preferences-and-csp.test.ts); the check cannot follow the call.
    // electronegativity-ignore: SANDBOX_JS_CHECK -- webPreferences come from secureWebPreferences() (sandbox: true, nodeIntegration: false, asserted by test/unit/app/web-preferences-and-csp.test.ts); the check cannot follow the call.
    // electronegativity-ignore: AUXCLICK_JS_CHECK -- secureWebPreferences() sets disableBlinkFeatures: 'Auxclick', and main/security/harden-app.ts denies every new window and every navigation away from app://aws-auth-tray.
    const window = new BrowserWindow({
      ...bounds,
      show: false,
      frame: false,
      resizable: true,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      title: 'AWS Auth Tray: quick switcher',
      webPreferences: secureWebPreferences(this.preloadPath, { devTools: this.devTools }),
    });
    window.setAlwaysOnTop(true, 'floating');
    window.once('ready-to-show', () => {
      window.show();
      window.focus();
    });
    window.on('blur', () => window.hide());
    window.on('closed', () => (this.window = undefined));
    this.created(window);
    void window.loadURL(rendererUrl('quick-switcher'));
    this.window = window;
  }

  hide(): void {
    if (this.window && !this.window.isDestroyed()) this.window.hide();
  }

  /** The window while it exists (hidden or not), for events from main. */
  live(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }
}
