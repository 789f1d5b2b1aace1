import { app, clipboard, dialog, globalShortcut, Notification, shell } from 'electron';
import type { AppPorts, WindowsPort } from '../app-services/app-ports.js';
import { electronSettingsStore } from '../storage/settings-store.js';

/** The app services' ports, implemented with Electron. */
export function electronPorts(windows: WindowsPort): AppPorts {
  return {
    clipboard: {
      writeText: (text) => clipboard.writeText(text),
      readText: () => clipboard.readText(),
      clear: () => clipboard.clear(),
    },
    notifier: {
      notify: (title, body, options) => {
        if (!Notification.isSupported()) return;
        const notification = new Notification({ title, body, silent: true });
        const onClick = options?.onClick;
        if (onClick) notification.on('click', () => onClick());
        notification.show();
      },
    },
    windows,
    loginItem: {
      setLaunchAtLogin: (enabled) => app.setLoginItemSettings({ openAtLogin: enabled }),
    },
    fileDialog: {
      chooseConfigFile: async (defaultPath) => {
        const result = await dialog.showOpenDialog({
          title: 'Import AWS profiles',
          defaultPath,
          properties: ['openFile', 'showHiddenFiles', 'dontAddToRecent'],
          message: 'Choose your AWS config file (usually ~/.aws/config)',
        });
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
    settingsStore: electronSettingsStore(),
    // Console sign-in links only (the console opener checks each against its allowlist first):
    // the default browser, never a window of this app.
    // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK -- the port's only caller is ConsoleOpener (main/app-services/console-opener.ts), which passes only URLs that checkConsoleUrl() allowed: AWS sign-in links it made itself, never a URL from a page.
    externalUrl: { openExternal: (url) => shell.openExternal(url, { activate: true }) },
    globalShortcut: {
      // Electron throws on an accelerator it cannot parse, and returns false when the OS refuses it.
      register: (accelerator, callback) => {
        try {
          return globalShortcut.register(accelerator, callback);
        } catch {
          return false;
        }
      },
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
  };
}
