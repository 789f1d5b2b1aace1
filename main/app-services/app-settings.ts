import { DEFAULT_SETTINGS, type Settings } from '../ipc/ipc-contract.js';
import type { SettingsStorePort } from './app-ports.js';

/**
 * The settings as they are now: read once from the settings store (defaults for what it lacks),
 * written back whole on every change.
 */
export class AppSettings {
  private settings: Settings;

  constructor(private readonly store: SettingsStorePort) {
    this.settings = { ...DEFAULT_SETTINGS, ...store.read() };
  }

  get current(): Readonly<Settings> {
    return this.settings;
  }

  save(next: Settings): void {
    this.settings = next;
    this.store.write(next);
  }
}
