import type { Vault } from '../vault/vault.js';
import type { ConfigImport, ConfigProblem } from './aws-config-import.js';

/**
 * Puts imported profiles into the vault: each source profile becomes (or is matched to) an
 * identity, by label or MFA device; each profile is added or updated by name. Keys are never
 * taken from the credentials file here; see readCredentialsProfile for that explicit step.
 */
export interface ConfigImportResult {
  identitiesCreated: string[];
  identitiesMatched: string[];
  profilesAdded: string[];
  profilesUpdated: string[];
  /** Identities that still need access keys before anyone can sign in. */
  identitiesWithoutKeys: string[];
  problems: ConfigProblem[];
}

export async function applyConfigImport(vault: Vault, imported: ConfigImport): Promise<ConfigImportResult> {
  const result: ConfigImportResult = {
    identitiesCreated: [],
    identitiesMatched: [],
    profilesAdded: [],
    profilesUpdated: [],
    identitiesWithoutKeys: [],
    problems: [...imported.problems],
  };
  const identityBySource = new Map<string, string>();
  for (const source of imported.sources) {
    const existing =
      vault.identity(source.name) ?? (source.mfaSerial ? vault.identities().find((i) => i.mfaSerial === source.mfaSerial) : undefined);
    if (existing) {
      result.identitiesMatched.push(existing.label);
      const patch = {
        ...(!existing.mfaSerial && source.mfaSerial ? { mfaSerial: source.mfaSerial } : {}),
        ...(!existing.region && source.region ? { region: source.region } : {}),
      };
      if (Object.keys(patch).length > 0) await vault.updateIdentity(existing.id, patch);
      identityBySource.set(source.name, existing.id);
      if (!existing.hasSecret) result.identitiesWithoutKeys.push(existing.label);
    } else {
      const created = await vault.addIdentity({ label: source.name, mfaSerial: source.mfaSerial, region: source.region });
      result.identitiesCreated.push(created.label);
      result.identitiesWithoutKeys.push(created.label);
      identityBySource.set(source.name, created.id);
    }
  }
  for (const profile of imported.profiles) {
    const identityId = identityBySource.get(profile.source);
    if (!identityId) continue;
    const existed = vault.profile(profile.name) !== undefined;
    vault.upsertProfile({
      name: profile.name,
      identityId,
      origin: 'aws-config',
      ...(profile.roleArn ? { roleArn: profile.roleArn } : {}),
      ...(profile.externalId ? { externalId: profile.externalId } : {}),
      ...(profile.roleSessionName ? { roleSessionName: profile.roleSessionName } : {}),
      ...(profile.durationSeconds !== undefined ? { durationSeconds: profile.durationSeconds } : {}),
      ...(profile.region ? { region: profile.region } : {}),
    });
    (existed ? result.profilesUpdated : result.profilesAdded).push(profile.name);
  }
  return result;
}
