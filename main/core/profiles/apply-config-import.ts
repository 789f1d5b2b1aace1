import { setImmediate as nextTurn } from 'node:timers/promises';
import { UserFacingError } from '../user-facing-error.js';
import type { IdentityInput, IdentitySummary, ProfileInput, Vault } from '../vault/vault.js';
import type { StoredProfile } from '../vault/vault-schema.js';
import type { ConfigImport, ConfigProblem, ImportedProfile } from './aws-config-import.js';
import type { LongTermKeys } from './long-term-keys.js';

/**
 * Puts imported profiles into the vault: each source profile becomes (or is matched to) an
 * identity, by label, else by MFA device; each profile is added or updated by name.
 *
 * Only what changes is changed: a new or changed identity (its keys included, when the user asked
 * for them), a new or changed profile; a re-import of an unchanged file changes nothing. The whole
 * import is one write of the vault file (Vault.batch), however many profiles it brings. Between
 * changes it lets the event loop turn and stops when `signal` is aborted (SIGTERM, Ctrl-C); what
 * was changed until then is written and consistent, and importing again finishes the job.
 */
export interface ConfigImportResult {
  identitiesCreated: string[];
  identitiesMatched: string[];
  profilesAdded: string[];
  /** Profiles that existed already (rewritten only when something changed). */
  profilesUpdated: string[];
  /** Identities that still need access keys before anyone can sign in (each once). */
  identitiesWithoutKeys: string[];
  /** Identities whose access keys were copied from the files (only with `keys`). */
  keysImported: string[];
  problems: ConfigProblem[];
  /** Each source profile's identity in the vault; its label differs when matched by MFA device. */
  identityBySource: Record<string, string>;
  /** How many identities and profiles were added or changed (all written in one write). */
  changes: number;
}

export interface ApplyConfigImportOptions {
  /** The keys of a source profile, when the user asked to import them; asked only for sources that have keys. */
  keys?: ((source: string) => LongTermKeys) | undefined;
  /** Aborting stops the import before its next vault write. */
  signal?: AbortSignal | undefined;
}

/** The import was stopped (a signal) before it finished; `written` changes are in the vault. */
export class ConfigImportInterrupted extends UserFacingError {
  constructor(
    readonly written: number,
    readonly planned: number,
    readonly reason: unknown,
  ) {
    super(
      'import-interrupted',
      `The import was stopped after ${written} of up to ${planned} changes to the vault; what was written is consistent. Run import-config again to finish.`,
    );
  }
}

type ProfileFields = Pick<StoredProfile, 'identityId' | 'roleArn' | 'externalId' | 'roleSessionName' | 'durationSeconds' | 'region' | 'mfaMode' | 'origin'>;

const PROFILE_FIELDS = ['identityId', 'roleArn', 'externalId', 'roleSessionName', 'durationSeconds', 'region', 'mfaMode', 'origin'] as const satisfies readonly (keyof ProfileFields)[];

function profileInput(profile: ImportedProfile, identityId: string, before: StoredProfile | undefined): ProfileInput {
  return {
    name: profile.name,
    identityId,
    origin: 'aws-config',
    // How the profile signs in (one MFA session, or its own code) is the user's choice, not the file's.
    ...(before ? { mfaMode: before.mfaMode } : {}),
    ...(profile.roleArn !== undefined ? { roleArn: profile.roleArn } : {}),
    ...(profile.externalId !== undefined ? { externalId: profile.externalId } : {}),
    ...(profile.roleSessionName !== undefined ? { roleSessionName: profile.roleSessionName } : {}),
    ...(profile.durationSeconds !== undefined ? { durationSeconds: profile.durationSeconds } : {}),
    ...(profile.region !== undefined ? { region: profile.region } : {}),
    // A group written in the file wins; without one, the group set in the window stays (vault.ts keeps it).
    ...(profile.group !== undefined ? { group: profile.group } : {}),
  };
}

function sameProfile(before: StoredProfile, input: ProfileInput): boolean {
  const after: ProfileFields = { mfaMode: 'mfa-session', origin: 'manual', ...input };
  return PROFILE_FIELDS.every((field) => before[field] === after[field]) && (input.group === undefined || input.group === before.group);
}

async function holdsKeys(vault: Vault, identity: IdentitySummary, keys: LongTermKeys): Promise<boolean> {
  if (!identity.hasSecret || identity.accessKeyId !== keys.accessKeyId) return false;
  return (await vault.longTermKeys(identity.id)).secretAccessKey === keys.secretAccessKey;
}

export function applyConfigImport(vault: Vault, imported: ConfigImport, options: ApplyConfigImportOptions = {}): Promise<ConfigImportResult> {
  // One write of the vault file for the whole import (also when it is interrupted part-way).
  return vault.batch(() => applyChanges(vault, imported, options));
}

async function applyChanges(vault: Vault, imported: ConfigImport, options: ApplyConfigImportOptions): Promise<ConfigImportResult> {
  const result: ConfigImportResult = {
    identitiesCreated: [],
    identitiesMatched: [],
    profilesAdded: [],
    profilesUpdated: [],
    identitiesWithoutKeys: [],
    keysImported: [],
    problems: [...imported.problems],
    identityBySource: {},
    changes: 0,
  };
  const before = vault.identities();
  const planned = imported.sources.length + imported.profiles.length;
  /** Every vault write goes through here: stop first if asked, and let signals be handled. */
  const write = async <T>(change: () => T | Promise<T>): Promise<T> => {
    await nextTurn();
    if (options.signal?.aborted) throw new ConfigImportInterrupted(result.changes, planned, options.signal.reason);
    const value = await change();
    result.changes += 1;
    return value;
  };

  // Sources match identities by label first, then by MFA device among the identities that were
  // in the vault before and that no other source of this import matched: a device names one IAM
  // user, but two sources of one file must never fold into one identity by accident.
  const identities = new Map<string, string>();
  const claimed = new Set<string>();
  const matches = new Map<string, IdentitySummary>();
  for (const source of imported.sources) {
    const byLabel = before.find((i) => i.label === source.name);
    if (byLabel) {
      matches.set(source.name, byLabel);
      claimed.add(byLabel.id);
    }
  }
  for (const source of imported.sources) {
    if (matches.has(source.name) || source.mfaSerial === undefined) continue;
    const byDevice = before.find((i) => i.mfaSerial === source.mfaSerial && !claimed.has(i.id));
    if (byDevice) {
      matches.set(source.name, byDevice);
      claimed.add(byDevice.id);
    }
  }

  // Every key is read before anything is written: a source with broken keys stops the import whole.
  const keysBySource = new Map<string, LongTermKeys>();
  for (const source of imported.sources) if (options.keys && source.hasKeys) keysBySource.set(source.name, options.keys(source.name));

  for (const source of imported.sources) {
    const keys = keysBySource.get(source.name);
    const existing = matches.get(source.name);
    let identityId: string;
    if (existing) {
      if (!result.identitiesMatched.includes(existing.label)) result.identitiesMatched.push(existing.label);
      // The same keys again change nothing (and must not forget the MFA session made with them).
      const newKeys = keys && !(await holdsKeys(vault, existing, keys)) ? keys : undefined;
      const patch: Partial<IdentityInput> = {
        ...(existing.mfaSerial === undefined && source.mfaSerial !== undefined ? { mfaSerial: source.mfaSerial } : {}),
        ...(existing.region === undefined && source.region !== undefined ? { region: source.region } : {}),
        // The file's mfa_process is the person's current one; without one, a command set in the app stays.
        ...(source.mfaProcess !== undefined && source.mfaProcess !== existing.mfaProcess ? { mfaProcess: source.mfaProcess } : {}),
        ...(newKeys ?? {}),
      };
      if (Object.keys(patch).length > 0) await write(() => vault.updateIdentity(existing.id, patch));
      identityId = existing.id;
    } else {
      const created = await write(() =>
        vault.addIdentity({ label: source.name, mfaSerial: source.mfaSerial, region: source.region, mfaProcess: source.mfaProcess, ...(keys ?? {}) }),
      );
      result.identitiesCreated.push(created.label);
      identityId = created.id;
    }
    if (keys) result.keysImported.push(source.name);
    identities.set(source.name, identityId);
  }
  result.identityBySource = Object.fromEntries(identities);

  for (const profile of imported.profiles) {
    // A Map, not the record: a profile may be called `constructor` or `toString`.
    const identityId = identities.get(profile.source);
    if (identityId === undefined) continue;
    const stored = vault.profile(profile.name);
    const input = profileInput(profile, identityId, stored);
    if (!stored || !sameProfile(stored, input)) await write(() => vault.upsertProfile(input));
    (stored ? result.profilesUpdated : result.profilesAdded).push(profile.name);
  }

  for (const id of new Set(identities.values())) {
    const identity = vault.identity(id);
    if (identity && !identity.hasSecret) result.identitiesWithoutKeys.push(identity.label);
  }
  return result;
}
