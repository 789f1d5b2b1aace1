// A recording stand-in for the `electron` module, so the built main process (out/main/main.js)
// can boot in plain Node where no Electron binary exists. It implements only what the app uses,
// records every call to the file named by STUB_ELECTRON_LOG (one JSON line each), and after boot
// exercises the IPC handlers the app registered, as a page of ours and as a foreign page would.
import { appendFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';

const logFile = process.env.STUB_ELECTRON_LOG;
const log = (call, detail = {}) => appendFileSync(logFile, `${JSON.stringify({ call, ...detail })}\n`);

let readyResolve;
const ready = new Promise((resolve) => (readyResolve = resolve));
const handlers = new Map();

class App extends EventEmitter {
  dock = { hide: () => log('app.dock.hide') };
  // STUB_ELECTRON_PACKAGED=1 plays a packaged build.
  isPackaged = process.env.STUB_ELECTRON_PACKAGED === '1';
  getPath(name) {
    return `${process.env.STUB_ELECTRON_HOME}/${name}`;
  }
  setPath(name, value) {
    log('app.setPath', { name, value });
  }
  getName() {
    return 'AWS Auth Tray';
  }
  getVersion() {
    return '0.0.0-stub';
  }
  requestSingleInstanceLock() {
    log('app.requestSingleInstanceLock');
    return true;
  }
  whenReady() {
    log('app.whenReady');
    return ready;
  }
  quit() {
    log('app.quit');
  }
  setLoginItemSettings(settings) {
    log('app.setLoginItemSettings', settings);
  }
}
export const app = new App();

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => log('protocol.registerSchemesAsPrivileged', { schemes }),
  handle: (scheme) => log('protocol.handle', { scheme }),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => log('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => log('session.setPermissionCheckHandler'),
    setDevicePermissionHandler: () => log('session.setDevicePermissionHandler'),
    webRequest: { onBeforeRequest: () => log('session.webRequest.onBeforeRequest') },
  },
};

export const safeStorage = {
  getSelectedStorageBackend: () => 'gnome_libsecret',
  // Only the asynchronous API: the synchronous one is deprecated in Electron 45, gone in 46.
  isAsyncEncryptionAvailable: () => Promise.resolve(true),
  encryptStringAsync: (text) => Promise.resolve(Buffer.from(`stub:${text}`)),
  decryptStringAsync: (bytes) => Promise.resolve({ shouldReEncrypt: false, result: bytes.toString().replace(/^stub:/, '') }),
};

export const ipcMain = {
  handle: (channel, handler) => {
    handlers.set(channel, handler);
    log('ipcMain.handle', { channel });
  },
  // electron-store answers `electron-store-get-data` (its default folder and the app version)
  // for stores created in a renderer; our renderers cannot send IPC messages of their own.
  on: (channel) => log('ipcMain.on', { channel }),
};

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    log('BrowserWindow.new', { options });
    this.webContents = Object.assign(new EventEmitter(), {
      send: (event) => log('webContents.send', { event }),
      setZoomFactor: (factor) => log('webContents.setZoomFactor', { factor }),
    });
  }
  loadURL(url) {
    log('BrowserWindow.loadURL', { url });
    return Promise.resolve();
  }
  removeMenu() {}
  setAlwaysOnTop() {}
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  show() {}
  focus() {}
  destroy() {}
  hide() {}
  setPosition() {}
  setBounds() {}
}

export const screen = { getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }) };

export const nativeImage = { createFromPath: (path) => ({ path, setTemplateImage: () => undefined }) };

export class Tray {
  constructor(image) {
    log('Tray.new', { image: image.path });
  }
  setImage(image) {
    log('Tray.setImage', { image: image.path });
  }
  setToolTip(tooltip) {
    log('Tray.setToolTip', { tooltip });
  }
  setTitle(title) {
    log('Tray.setTitle', { title });
  }
  setContextMenu(menu) {
    log('Tray.setContextMenu', { labels: menu.items.map((item) => item.label ?? '---') });
  }
  getBounds() {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
}

export const Menu = { buildFromTemplate: (template) => ({ items: template }) };
// Asynchronous since Electron 44.
export const clipboard = { writeText: () => Promise.resolve(), readText: () => Promise.resolve(''), clear: () => undefined };
export const dialog = { showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) };
export class Notification {
  static isSupported() {
    return false;
  }
}

export const shell = { openExternal: (url) => (log('shell.openExternal', { scheme: new URL(url).protocol }), Promise.resolve()) };
export const globalShortcut = {
  register: (accelerator) => (log('globalShortcut.register', { accelerator }), true),
  unregister: (accelerator) => log('globalShortcut.unregister', { accelerator }),
};
export default { app, protocol, session, safeStorage, ipcMain, BrowserWindow, screen, nativeImage, Tray, Menu, clipboard, dialog, Notification, shell, globalShortcut };

// Boot, then act as our own page and as a foreign page.
setImmediate(async () => {
  readyResolve();
  // Let the app finish start() (it runs right after whenReady resolves).
  await new Promise((resolve) => setTimeout(resolve, 50));
  const ours = { senderFrame: { url: 'app://aws-auth-tray/main-window/index.html', parent: null } };
  const foreign = { senderFrame: { url: 'https://evil.example/', parent: null } };
  const framed = { senderFrame: { url: 'app://aws-auth-tray/main-window/index.html', parent: {} } };
  const state = await handlers.get('state:get')?.(ours, undefined);
  log('ipc.state:get', { result: state });
  log('ipc.foreign', { result: await handlers.get('state:get')?.(foreign, undefined) });
  log('ipc.subframe', { result: await handlers.get('state:get')?.(framed, undefined) });
  log('ipc.bad-input', { result: await handlers.get('export:copy')?.(ours, { profile: 'dev', format: 'tcsh' }) });
  log('booted', { testHooks: globalThis.__awsAuthTrayTest !== undefined });
});
