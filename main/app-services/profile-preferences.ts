import type { ProfilePreferencesInput } from '../ipc/ipc-contract.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * What the user chooses for a profile in the window: a favourite (pinned on top of the accounts
 * table and the tray menu) and a group (the table can group by it). Stored with the profile in
 * the vault; setting them never touches the profile's sessions.
 */
export interface ProfilePreferencesDeps {
  vaultAccess: VaultAccess;
  changes: ChangeSignal;
}

export class ProfilePreferences {
  constructor(private readonly deps: ProfilePreferencesDeps) {}

  /** Sets what the input names (favourite, group; a null group removes it); the rest stays. */
  set(input: ProfilePreferencesInput): void {
    this.deps.vaultAccess.requireUnlocked();
    const group = typeof input.group === 'string' ? input.group.trim() : input.group;
    this.deps.vaultAccess.vault.setProfilePreferences(input.profile, {
      ...(input.favourite !== undefined ? { favourite: input.favourite } : {}),
      ...(group !== undefined ? { group } : {}),
    });
    this.deps.changes.changed();
  }
}
