import ElectronStore from 'electron-store';
import type { SettingsStorePort } from '../app-services/app-ports.js';
import { settingsSchema, type Settings } from '../ipc/ipc-contract.js';

/** The app's settings (nothing secret) in electron-store's settings.json, mode 0600. */
export function electronSettingsStore(): SettingsStorePort {
  const store = new ElectronStore<Partial<Settings>>({ name: 'settings', configFileMode: 0o600, clearInvalidConfig: true });
  return {
    read: () => {
      const parsed = settingsSchema.partial().safeParse(store.store);
      return parsed.success ? parsed.data : {};
    },
    write: (settings) => {
      store.store = settings;
    },
  };
}
