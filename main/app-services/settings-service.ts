import type { Settings } from '../ipc/ipc-contract.js';
import type { LoginItemPort } from './app-ports.js';
import type { AppSettings } from './app-settings.js';
import type { LocalServers } from './local-servers.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * Changing the settings, each change applied where it takes effect: launch at login (the OS),
 * the MFA session length and the key hygiene settings (the vault), and the credential endpoint's port (the local servers).
 */

export interface SettingsServiceDeps {
  settings: AppSettings;
  loginItem: LoginItemPort;
  vaultAccess: VaultAccess;
  servers: LocalServers;
  changes: ChangeSignal;
}

export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async update(patch: Partial<Settings>): Promise<Settings> {
    const { settings, loginItem, vaultAccess, servers, changes } = this.deps;
    const current = settings.current;
    const next: Settings = { ...current, ...patch };
    if (patch.launchAtLogin !== undefined && patch.launchAtLogin !== current.launchAtLogin) {
      loginItem.setLaunchAtLogin(patch.launchAtLogin);
    }
    if (patch.mfaSessionMinutes !== undefined && vaultAccess.unlocked) {
      vaultAccess.vault.updateSettings({ mfaSessionSeconds: patch.mfaSessionMinutes * 60 });
    }
    // Key hygiene settings live in the vault too: the command line's rotate and the key age read them there.
    if (vaultAccess.unlocked && (patch.keyAgeWarningDays !== undefined || patch.deactivateOldKey !== undefined)) {
      vaultAccess.vault.updateSettings({
        ...(patch.keyAgeWarningDays !== undefined ? { keyAgeWarningDays: patch.keyAgeWarningDays } : {}),
        ...(patch.deactivateOldKey !== undefined ? { deactivateOldKey: patch.deactivateOldKey } : {}),
      });
    }
    const portChanged = patch.endpointPort !== undefined && patch.endpointPort !== current.endpointPort;
    settings.save(next);
    if (portChanged) await servers.restartEndpoint();
    changes.changed();
    return { ...settings.current };
  }
}
