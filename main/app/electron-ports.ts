import { app, clipboard, dialog, Notification } from 'electron';
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
      notify: (title, body) => {
        if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
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
  };
}
