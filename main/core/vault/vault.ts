import { randomUUID } from 'node:crypto';
import { UnsupportedKeyDerivation, type Cipher } from '../crypto/cipher.js';
import { systemClock, type Clock } from '../clock.js';
import { durationProblem, externalIdProblem, groupProblem, identityLabelProblem, mfaSerialProblem, printable, regionProblem, roleArnProblem, roleSessionNameProblem } from '../profiles/profile-values.js';
import { UserFacingError } from '../user-facing-error.js';
import { VaultFile, type StoreFactory } from './vault-file.js';
import { ACCOUNT_ID, isAccountAlias } from '../iam/account-alias.js';
import { accountAliasSchema, CURRENT_VAULT_FORMAT, keepUnknownFields, PROFILE_NAME, profileSchema, type StoredIdentity, type StoredProfile, type StoredSession, type VaultDocument } from './vault-schema.js';
import type { StoredKeyRotation } from './vault-schema.js';
import { accessKeyIdProblem } from './access-key-id.js';
import { mfaProcessProblem } from '../mfa-codes/mfa-process-command.js';
import { oathAccountProblem } from '../mfa-codes/oath-accounts.js';
import { bindFormatOneEnvelopes } from './format-one-migration.js';
import { sessionFromText, type SessionCredentials } from './stored-session-text.js';
import { CHECK_TEXT, PLACES } from './vault-places.js';

export { PLACES } from './vault-places.js';
export type { SessionCredentials } from './stored-session-text.js';

/**
 * The vault: source identities, profiles, MFA sessions and role sessions. Metadata can be read
 * without a key; anything secret is encrypted with the cipher the caller supplies (passphrase
 * for the command line, Electron safeStorage in the app), which is asked for lazily, once.
 */

export interface CipherHeader {
  kind: string;
  salt?: string | undefined;
}

/** Makes the cipher for this vault; `header` is undefined when the vault is new. */
export type VaultKeyring = (header: CipherHeader | undefined) => Cipher | Promise<Cipher>;

export interface LongTermKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

/** An identity as anyone may see it: never the secret. */
export interface IdentitySummary {
  id: string;
  label: string;
  accessKeyId: string | undefined;
  hasSecret: boolean;
  mfaSerial: string | undefined;
  region: string | undefined;
  createdAt: string;
  /** When IAM says the current access key was created (ISO 8601), once known. */
  accessKeyCreatedAt: string | undefined;
  /** A command that prints the MFA code (aws-vault's mfa_process), run instead of asking. */
  mfaProcess?: string | undefined;
  /** The YubiKey OATH account chosen for the MFA device, when several match. */
  oathAccount?: string | undefined;
}

export interface IdentityInput {
  label: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  mfaSerial?: string | undefined;
  region?: string | undefined;
  /** mfa_process; '' removes it (on update). */
  mfaProcess?: string | undefined;
  /** The YubiKey OATH account; '' removes it (on update). */
  oathAccount?: string | undefined;
}

export type ProfileInput = Omit<StoredProfile, 'mfaMode' | 'origin'> & Partial<Pick<StoredProfile, 'mfaMode' | 'origin'>>;

export interface SessionMetadata {
  mfa: Record<string, { expiration: string; issuedAt: string }>;
  roles: Record<string, { expiration: string; issuedAt: string; identityId: string }>;
}

/** How long what IAM said of an account's alias (an alias, none, or a refusal) is trusted before asking again. */
export const ACCOUNT_ALIAS_MEMORY_MS = 24 * 3600_000;

/** An access key rotation on record, as anyone may see it: never the new key's secret. */
export interface KeyRotationRecord {
  identityId: string;
  startedAt: string;
  /** `creating`, `created` or `proven` (see vault-schema.ts); anything else was written by a newer version. */
  step: string;
  oldAccessKeyId: string;
  keysBefore: string[];
  deactivateOldKey: boolean;
  newAccessKeyId: string | undefined;
  newKeyCreatedAt: string | undefined;
}

function rotationView(identityId: string, r: StoredKeyRotation): KeyRotationRecord {
  return {
    identityId,
    startedAt: r.startedAt,
    step: r.step,
    oldAccessKeyId: r.oldAccessKeyId,
    keysBefore: [...r.keysBefore],
    deactivateOldKey: r.deactivateOldKey,
    newAccessKeyId: r.newAccessKeyId,
    newKeyCreatedAt: r.newKeyCreatedAt,
  };
}

function rotationMissing(identityId: string): UserFacingError {
  return new UserFacingError('rotation-missing', `The access key rotation of identity ${identityId} is no longer on record in the vault (another process finished it, or the vault was replaced); nothing more was changed.`);
}

/**
 * A record's own entry, never one inherited from Object.prototype: profile names such as
 * `constructor` or `toString` are valid, and must read as "nothing stored" when nothing is.
 */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Values checked on the way in, by the same rules as the config import (profile-values.ts):
 * whatever writes the vault (add-user, the window's identity form, an import) cannot store a
 * region, ARN or name that a shell, a URL or a terminal would later have to survive. (Reading stays
 * lenient: a vault written before these rules is never moved aside for a value.)
 */
function refuseInvalid(what: string, problems: readonly (string | undefined)[]): void {
  const problem = problems.find((p) => p !== undefined);
  if (problem !== undefined) throw new UserFacingError('invalid-value', `${what}: ${problem}`);
}

function checkIdentityValues(label: string, input: Partial<IdentityInput>): void {
  refuseInvalid(`Identity ${printable(label)}`, [
    input.label === undefined ? undefined : identityLabelProblem(input.label),
    input.region === undefined ? undefined : regionProblem(input.region),
    input.mfaSerial === undefined ? undefined : mfaSerialProblem(input.mfaSerial),
    input.accessKeyId === undefined ? undefined : accessKeyIdProblem(input.accessKeyId),
    input.mfaProcess === undefined || input.mfaProcess === '' ? undefined : mfaProcessProblem(input.mfaProcess),
    input.oathAccount === undefined || input.oathAccount === '' ? undefined : oathAccountProblem(input.oathAccount),
  ]);
}

function checkProfileValues(profile: ProfileInput): void {
  refuseInvalid(`Profile ${printable(profile.name)}`, [
    profile.region === undefined ? undefined : regionProblem(profile.region),
    profile.roleArn === undefined ? undefined : roleArnProblem(profile.roleArn),
    profile.externalId === undefined ? undefined : externalIdProblem(profile.externalId),
    profile.roleSessionName === undefined ? undefined : roleSessionNameProblem(profile.roleSessionName),
    profile.durationSeconds === undefined ? undefined : durationProblem(String(profile.durationSeconds)),
    profile.group === undefined ? undefined : groupProblem(profile.group),
  ]);
}

/** What the user chose for a profile (favourite, group); kept when an import rewrites the profile. */
const PREFERENCE_FIELDS = ['favourite', 'group'] as const;

export interface ProfilePreferencesPatch {
  favourite?: boolean | undefined;
  /** A group's name, or null to take the profile out of its group. */
  group?: string | null | undefined;
}

function summary(identity: StoredIdentity): IdentitySummary {
  return {
    id: identity.id,
    label: identity.label,
    accessKeyId: identity.accessKeyId,
    hasSecret: identity.secretAccessKey !== undefined,
    mfaSerial: identity.mfaSerial,
    region: identity.region,
    createdAt: identity.createdAt,
    accessKeyCreatedAt: identity.accessKeyCreatedAt,
    ...(identity.mfaProcess !== undefined ? { mfaProcess: identity.mfaProcess } : {}),
    ...(identity.oathAccount !== undefined ? { oathAccount: identity.oathAccount } : {}),
  };
}

export class Vault {
  private cipher: Promise<Cipher> | undefined;

  private constructor(
    private readonly file: VaultFile,
    private readonly keyring: VaultKeyring,
    private readonly clock: Clock,
  ) {}

  /** Opens (or creates) the vault in `dir`. `notice` is set when a damaged file was moved aside. */
  static open(dir: string, keyring: VaultKeyring, clock: Clock = systemClock, createStore?: StoreFactory): { vault: Vault; notice?: string } {
    const { file, notice } = VaultFile.open(dir, clock.now(), createStore);
    return { vault: new Vault(file, keyring, clock), ...(notice ? { notice } : {}) };
  }

  get path(): string {
    return this.file.path;
  }

  /** Read-only view; whatever leaves this class is copied first. */
  private doc(): Readonly<VaultDocument> {
    return this.file.view();
  }

  // ---- unlocking ----

  /** The cipher, after proving it is the one this vault was written with. */
  private unlock(): Promise<Cipher> {
    this.cipher ??= (async () => {
      const header = this.doc().cipher;
      const cipher = await this.keyring(header ? { kind: header.kind, salt: header.salt } : undefined);
      if (!header) {
        const check = await cipher.encrypt(CHECK_TEXT, PLACES.check);
        this.file.update((doc) => {
          doc.cipher = { kind: cipher.kind, ...(cipher.salt ? { salt: cipher.salt } : {}), check };
          doc.format = CURRENT_VAULT_FORMAT;
        });
        return cipher;
      }
      if (header.kind !== cipher.kind) {
        throw new UserFacingError(
          'vault-cipher-mismatch',
          `This vault (${this.file.path}) is encrypted with ${header.kind}, not ${cipher.kind}; open it with the tool that created it.`,
        );
      }
      // Format 1 vaults sealed every value alike; they are re-sealed to their places below.
      const legacy = this.doc().format === 1;
      let text: string | undefined;
      try {
        text = await cipher.decrypt(header.check, legacy ? null : PLACES.check);
      } catch (error) {
        // Not a wrong passphrase: asking again could never help.
        if (error instanceof UnsupportedKeyDerivation) {
          throw new UserFacingError(
            'vault-kdf-unsupported',
            `The vault ${this.file.path} was sealed with key-derivation parameters this version of AWS Auth Tray does not use (${error.found}): another build or version wrote it, or it was edited. Open it with the aws-auth-tray that created it, or move it aside and add your keys again.`,
          );
        }
        text = undefined;
      }
      if (text !== CHECK_TEXT) {
        throw new UserFacingError(
          'wrong-passphrase',
          cipher.kind === 'passphrase'
            ? 'That passphrase does not unlock the vault. Type it again (if AWS_AUTH_TRAY_PASSPHRASE is set, it is used instead of asking).'
            : `The ${cipher.kind} key cannot unlock the vault; it was probably created under another user account or machine.`,
        );
      }
      if (legacy) await this.migrateToBoundEnvelopes(cipher);
      return cipher;
    })();
    // A failed unlock (wrong passphrase) may be retried with a new keyring answer.
    this.cipher.catch(() => {
      this.cipher = undefined;
    });
    return this.cipher;
  }

  /** Format 1 to 2, once, on the first unlock, in one write (format-one-migration.ts says what is refused). */
  private async migrateToBoundEnvelopes(cipher: Cipher): Promise<void> {
    const bound = await bindFormatOneEnvelopes(this.doc(), cipher);
    this.file.update((next) => {
      next.identities = bound.identities;
      next.sessions = { ...next.sessions, mfa: bound.mfa, roles: bound.roles };
      next.secrets = bound.secrets;
      if (next.cipher) next.cipher = { ...next.cipher, check: bound.check };
      next.format = CURRENT_VAULT_FORMAT;
    });
  }

  /** Whether the vault has been given a key yet (false: a new vault, its passphrase not chosen). */
  hasCipher(): boolean {
    return this.doc().cipher !== undefined;
  }

  /** Proves the key now (e.g. to check a passphrase before doing anything else). */
  async verifyKey(): Promise<void> {
    await this.unlock();
  }

  // ---- identities ----

  identities(): IdentitySummary[] {
    return this.doc().identities.map(summary);
  }

  identity(idOrLabel: string): IdentitySummary | undefined {
    const found = this.doc().identities.find((i) => i.id === idOrLabel || i.label === idOrLabel);
    return found ? summary(found) : undefined;
  }

  async addIdentity(input: IdentityInput): Promise<IdentitySummary> {
    checkIdentityValues(input.label, input);
    if (this.identity(input.label)) {
      throw new UserFacingError('identity-exists', `There is already an identity called "${input.label}"; pick another label or edit that one.`);
    }
    const id = randomUUID();
    const secret = input.secretAccessKey === undefined ? undefined : await (await this.unlock()).encrypt(input.secretAccessKey, PLACES.identitySecret(id));
    const identity: StoredIdentity = {
      id,
      label: input.label,
      ...(input.accessKeyId ? { accessKeyId: input.accessKeyId } : {}),
      ...(secret ? { secretAccessKey: secret } : {}),
      ...(input.mfaSerial ? { mfaSerial: input.mfaSerial } : {}),
      ...(input.region ? { region: input.region } : {}),
      ...(input.mfaProcess ? { mfaProcess: input.mfaProcess } : {}),
      ...(input.oathAccount ? { oathAccount: input.oathAccount } : {}),
      createdAt: this.clock.now().toISOString(),
    };
    this.file.update((doc) => {
      doc.identities.push(identity);
    });
    return summary(identity);
  }

  /** Changes an identity. New keys or a new MFA device forget the sessions made with the old ones. */
  async updateIdentity(id: string, patch: Partial<IdentityInput>): Promise<IdentitySummary> {
    checkIdentityValues(patch.label ?? this.doc().identities.find((i) => i.id === id)?.label ?? id, patch);
    const secret = patch.secretAccessKey === undefined ? undefined : await (await this.unlock()).encrypt(patch.secretAccessKey, PLACES.identitySecret(id));
    return this.file.update((doc) => {
      const identity = doc.identities.find((i) => i.id === id);
      if (!identity) throw new UserFacingError('identity-missing', `There is no identity with id ${id}.`);
      if (patch.label !== undefined && patch.label !== identity.label && doc.identities.some((i) => i.label === patch.label)) {
        throw new UserFacingError('identity-exists', `There is already an identity called "${patch.label}".`);
      }
      const credentialsChanged =
        (patch.accessKeyId !== undefined && patch.accessKeyId !== identity.accessKeyId) ||
        secret !== undefined ||
        (patch.mfaSerial !== undefined && patch.mfaSerial !== identity.mfaSerial);
      if (patch.label !== undefined) identity.label = patch.label;
      if (patch.accessKeyId !== undefined && patch.accessKeyId !== identity.accessKeyId) delete identity.accessKeyCreatedAt;
      if (patch.accessKeyId !== undefined) identity.accessKeyId = patch.accessKeyId;
      if (secret !== undefined) identity.secretAccessKey = secret;
      if (patch.mfaSerial !== undefined) identity.mfaSerial = patch.mfaSerial;
      if (patch.region !== undefined) identity.region = patch.region;
      if (patch.mfaProcess === '') delete identity.mfaProcess;
      else if (patch.mfaProcess !== undefined) identity.mfaProcess = patch.mfaProcess;
      if (patch.oathAccount === '') delete identity.oathAccount;
      else if (patch.oathAccount !== undefined) identity.oathAccount = patch.oathAccount;
      if (credentialsChanged) forgetIdentitySessions(doc, id);
      return summary(identity);
    });
  }

  /**
   * Remembers when IAM says the identity's current access key was created (ListAccessKeys), for
   * its age; ignored when the identity's key has changed since it was asked.
   */
  rememberAccessKeyCreated(id: string, accessKeyId: string, createdAt: Date): void {
    if (Number.isNaN(createdAt.getTime())) return;
    this.file.update((doc) => {
      const identity = doc.identities.find((i) => i.id === id);
      if (identity?.accessKeyId === accessKeyId) identity.accessKeyCreatedAt = createdAt.toISOString();
    });
  }

  removeIdentity(id: string): void {
    this.file.update((doc) => {
      const users = doc.profiles.filter((p) => p.identityId === id).map((p) => p.name);
      if (users.length > 0) {
        throw new UserFacingError('identity-in-use', `Profiles ${users.join(', ')} use this identity; remove them or move them to another identity first.`);
      }
      doc.identities = doc.identities.filter((i) => i.id !== id);
      forgetIdentitySessions(doc, id);
    });
  }

  async longTermKeys(identityId: string): Promise<LongTermKeys> {
    // Unlock first: the first unlock of a format 1 vault re-seals the envelopes read below.
    const cipher = await this.unlock();
    const identity = this.doc().identities.find((i) => i.id === identityId);
    if (!identity) throw new UserFacingError('identity-missing', `There is no identity with id ${identityId}.`);
    if (!identity.accessKeyId || !identity.secretAccessKey) {
      throw new UserFacingError(
        'identity-without-keys',
        `The identity "${identity.label}" has no access keys yet. Add them with: aws-auth-tray add-user --label ${identity.label}`,
      );
    }
    return { accessKeyId: identity.accessKeyId, secretAccessKey: await cipher.decrypt(identity.secretAccessKey, PLACES.identitySecret(identity.id)) };
  }

  // ---- profiles ----

  profiles(): StoredProfile[] {
    return this.doc().profiles.map((p) => ({ ...p }));
  }

  profile(name: string): StoredProfile | undefined {
    const found = this.doc().profiles.find((p) => p.name === name);
    return found ? { ...found } : undefined;
  }

  /** Adds or replaces a profile by name. A profile whose role changed forgets its role session. */
  upsertProfile(input: ProfileInput): StoredProfile {
    if (!PROFILE_NAME.test(input.name)) {
      throw new UserFacingError('profile-name', `"${input.name}" is not a usable profile name: use letters, digits and . _ + @ - (up to 64).`);
    }
    checkProfileValues(input);
    const profile: StoredProfile = { mfaMode: 'mfa-session', origin: 'manual', ...input };
    return this.file.update((doc) => {
      if (!doc.identities.some((i) => i.id === profile.identityId)) {
        throw new UserFacingError('identity-missing', `Profile ${profile.name} refers to an identity that does not exist.`);
      }
      const index = doc.profiles.findIndex((p) => p.name === profile.name);
      const before = doc.profiles[index];
      if (!before) doc.profiles.push(profile);
      else {
        // Fields a newer version wrote stay; the known ones are replaced, except the user's
        // preferences, which stay unless the input sets them.
        const kept = Object.fromEntries(PREFERENCE_FIELDS.filter((field) => before[field] !== undefined && profile[field] === undefined).map((field) => [field, before[field]]));
        doc.profiles[index] = { ...keepUnknownFields(before, profileSchema), ...kept, ...profile };
        const sessionFields = ['identityId', 'roleArn', 'externalId', 'roleSessionName', 'durationSeconds', 'region', 'mfaMode'] as const;
        if (sessionFields.some((field) => before[field] !== profile[field])) delete doc.sessions.roles[profile.name];
      }
      return profile;
    });
  }

  /** Sets a profile's favourite flag and group (null: no group); its sessions are untouched. */
  setProfilePreferences(name: string, preferences: ProfilePreferencesPatch): StoredProfile {
    if (typeof preferences.group === 'string') refuseInvalid(`Profile ${printable(name)}`, [groupProblem(preferences.group)]);
    return this.file.update((doc) => {
      const index = doc.profiles.findIndex((p) => p.name === name);
      const before = doc.profiles[index];
      if (!before) throw new UserFacingError('profile-missing', `There is no profile called ${printable(name)}; it may have been removed. Import your config again or add it.`);
      const after = { ...before };
      if (preferences.favourite === true) after.favourite = true;
      else if (preferences.favourite === false) delete after.favourite;
      if (typeof preferences.group === 'string') after.group = preferences.group;
      else if (preferences.group === null) delete after.group;
      doc.profiles[index] = after;
      return { ...after };
    });
  }

  removeProfile(name: string): boolean {
    return this.file.update((doc) => {
      const before = doc.profiles.length;
      doc.profiles = doc.profiles.filter((p) => p.name !== name);
      delete doc.sessions.roles[name];
      return doc.profiles.length !== before;
    });
  }

  // ---- sessions ----

  private async sealSession(identityId: string, credentials: SessionCredentials, place: string): Promise<StoredSession> {
    const cipher = await this.unlock();
    const ciphertext = await cipher.encrypt(
      JSON.stringify({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration.toISOString(),
      }),
      place,
    );
    return { ciphertext, expiration: credentials.expiration.toISOString(), issuedAt: this.clock.now().toISOString(), identityId };
  }

  /** Unlock first (a first unlock may re-seal the vault), then read and open the session. */
  private async openSession(read: (doc: Readonly<VaultDocument>) => StoredSession | undefined, place: string): Promise<SessionCredentials | undefined> {
    if (!read(this.doc())) return undefined;
    const cipher = await this.unlock();
    const stored = read(this.doc());
    if (!stored) return undefined;
    return sessionFromText(await cipher.decrypt(stored.ciphertext, place));
  }

  mfaSession(identityId: string): Promise<SessionCredentials | undefined> {
    return this.openSession((doc) => own(doc.sessions.mfa, identityId), PLACES.mfaSession(identityId));
  }

  async saveMfaSession(identityId: string, credentials: SessionCredentials): Promise<void> {
    const stored = await this.sealSession(identityId, credentials, PLACES.mfaSession(identityId));
    this.file.updateSoon((doc) => {
      doc.sessions.mfa[identityId] = stored;
    });
  }

  roleSession(profileName: string): Promise<SessionCredentials | undefined> {
    return this.openSession((doc) => own(doc.sessions.roles, profileName), PLACES.roleSession(profileName));
  }

  async saveRoleSession(profileName: string, identityId: string, credentials: SessionCredentials): Promise<void> {
    const stored = await this.sealSession(identityId, credentials, PLACES.roleSession(profileName));
    this.file.updateSoon((doc) => {
      doc.sessions.roles[profileName] = stored;
    });
  }

  /** Run `work` and write every change it made to the vault once, at its end (an import). */
  batch<T>(work: () => Promise<T>): Promise<T> {
    return this.file.batch(work);
  }

  /** Wait until every change (sessions are written just after they are saved) is on disk. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Forget one identity's MFA session (AWS stopped honouring it); its role sessions stay until they expire. */
  clearMfaSession(identityId: string): void {
    this.file.update((doc) => {
      delete doc.sessions.mfa[identityId];
    });
  }

  /** Forget one profile's role session (AWS stopped honouring it): the next request derives a new one. */
  clearRoleSession(profileName: string): void {
    this.file.update((doc) => {
      delete doc.sessions.roles[profileName];
    });
  }

  /** Expiry times of every cached session, without decrypting anything. */
  sessionMetadata(): SessionMetadata {
    const { mfa, roles } = this.doc().sessions;
    return {
      mfa: Object.fromEntries(Object.entries(mfa).map(([id, s]) => [id, { expiration: s.expiration, issuedAt: s.issuedAt }])),
      roles: Object.fromEntries(Object.entries(roles).map(([name, s]) => [name, { expiration: s.expiration, issuedAt: s.issuedAt, identityId: s.identityId }])),
    };
  }

  /** Sign out: forget every MFA and role session (identities and profiles stay). */
  clearSessions(): void {
    this.file.update((doc) => {
      doc.sessions = { mfa: {}, roles: {} };
    });
  }

  // ---- account aliases (IAM ListAccountAliases; metadata) ----

  /**
   * The known account aliases by account id. Only well-formed ones: the file may have been
   * edited, and an alias is shown in the window and may reach a terminal.
   */
  accountAliases(): Record<string, string> {
    const known: Record<string, string> = {};
    for (const [accountId, entry] of Object.entries(this.doc().accountAliases)) {
      if (ACCOUNT_ID.test(accountId) && isAccountAlias(entry.alias)) known[accountId] = entry.alias;
    }
    return known;
  }

  /**
   * Whether IAM should be asked for this account's alias: never asked, or last asked 24 hours
   * ago or more on the vault's clock (or at a time still to come: the clock was set back).
   */
  accountAliasDue(accountId: string): boolean {
    if (!ACCOUNT_ID.test(accountId)) return false;
    const entry = own(this.doc().accountAliases, accountId);
    if (!entry) return true;
    const age = this.clock.now().getTime() - Date.parse(entry.checkedAt);
    return !(age >= 0 && age < ACCOUNT_ALIAS_MEMORY_MS);
  }

  /**
   * Remember what IAM said of an account's alias, as of now: the alias, or undefined for none
   * (the account has none, or the caller may not list it). A value that is not an alias is
   * remembered as none. Written with the next batch of cache writes, like sessions.
   */
  rememberAccountAlias(accountId: string, alias: string | undefined): void {
    if (!ACCOUNT_ID.test(accountId)) return;
    const entry = { ...(isAccountAlias(alias) ? { alias } : {}), checkedAt: this.clock.now().toISOString() };
    this.file.updateSoon((doc) => {
      const before = own(doc.accountAliases, accountId);
      doc.accountAliases[accountId] = { ...(before ? keepUnknownFields(before, accountAliasSchema) : {}), ...entry };
    });
  }

  // ---- other secrets ----

  /** A named secret of the app (decrypted), or undefined. */
  async secret(name: string): Promise<string | undefined> {
    if (own(this.doc().secrets, name) === undefined) return undefined;
    const cipher = await this.unlock();
    const sealed = own(this.doc().secrets, name);
    return sealed === undefined ? undefined : cipher.decrypt(sealed, PLACES.secret(name));
  }

  async setSecret(name: string, value: string): Promise<void> {
    const sealed = await (await this.unlock()).encrypt(value, PLACES.secret(name));
    this.file.update((doc) => {
      doc.secrets[name] = sealed;
    });
  }

  // ---- access key rotation (main/core/rotation/key-rotation.ts) ----
  // Every change is written to disk before the method returns (update(), never updateSoon()):
  // the record must be on disk before the IAM call it prepares for.

  /** Identity ids with a rotation on record (metadata: no key needed). */
  interruptedRotations(): string[] {
    return Object.keys(this.doc().rotations);
  }

  /** The rotation on record for an identity, without its secret. */
  rotationRecord(identityId: string): KeyRotationRecord | undefined {
    const record = own(this.doc().rotations, identityId);
    return record ? rotationView(identityId, record) : undefined;
  }

  /** Records a rotation about to call CreateAccessKey (step `creating`). */
  beginRotation(identityId: string, start: { oldAccessKeyId: string; keysBefore: readonly string[]; deactivateOldKey: boolean }): KeyRotationRecord {
    refuseInvalid('Access key rotation', [accessKeyIdProblem(start.oldAccessKeyId), ...start.keysBefore.map(accessKeyIdProblem)]);
    const record: StoredKeyRotation = {
      startedAt: this.clock.now().toISOString(),
      step: 'creating',
      oldAccessKeyId: start.oldAccessKeyId,
      keysBefore: [...start.keysBefore],
      deactivateOldKey: start.deactivateOldKey,
    };
    this.file.update((doc) => {
      if (!doc.identities.some((i) => i.id === identityId)) throw new UserFacingError('identity-missing', `There is no identity with id ${identityId}.`);
      doc.rotations[identityId] = record;
    });
    return rotationView(identityId, record);
  }

  /** Seals the key CreateAccessKey made into the record (step `created`). */
  async recordRotatedKey(identityId: string, key: { accessKeyId: string; secretAccessKey: string; createdAt: Date | undefined }): Promise<void> {
    refuseInvalid('Access key rotation', [accessKeyIdProblem(key.accessKeyId)]);
    const sealed = await (await this.unlock()).encrypt(key.secretAccessKey, PLACES.rotationSecret(identityId));
    this.file.update((doc) => {
      const record = own(doc.rotations, identityId);
      if (!record) throw rotationMissing(identityId);
      record.step = 'created';
      record.newAccessKeyId = key.accessKeyId;
      record.newSecretAccessKey = sealed;
      if (key.createdAt && !Number.isNaN(key.createdAt.getTime())) record.newKeyCreatedAt = key.createdAt.toISOString();
      else delete record.newKeyCreatedAt;
    });
  }

  /** The new key the record holds, its secret decrypted (to prove it); undefined when it holds none. */
  async rotatedKey(identityId: string): Promise<LongTermKeys | undefined> {
    const cipher = await this.unlock();
    const record = own(this.doc().rotations, identityId);
    if (!record?.newAccessKeyId || record.newSecretAccessKey === undefined) return undefined;
    return { accessKeyId: record.newAccessKeyId, secretAccessKey: await cipher.decrypt(record.newSecretAccessKey, PLACES.rotationSecret(identityId)) };
  }

  /**
   * The identity takes the record's new key, which AWS has accepted (step `proven`), in one
   * write: key id, secret (sealed to the identity's place) and the key's CreateDate. Unlike
   * updateIdentity, the identity's MFA and role sessions are kept: AWS honours temporary
   * credentials until they expire, whatever becomes of the access key that obtained them (see
   * key-rotation.ts), so the person is not asked for another MFA code.
   */
  async adoptRotatedKey(identityId: string): Promise<IdentitySummary> {
    const keys = await this.rotatedKey(identityId);
    if (!keys) throw rotationMissing(identityId);
    const sealed = await (await this.unlock()).encrypt(keys.secretAccessKey, PLACES.identitySecret(identityId));
    return this.file.update((doc) => {
      const identity = doc.identities.find((i) => i.id === identityId);
      const record = own(doc.rotations, identityId);
      if (!identity) throw new UserFacingError('identity-missing', `There is no identity with id ${identityId}.`);
      if (record?.newAccessKeyId !== keys.accessKeyId) throw rotationMissing(identityId);
      identity.accessKeyId = keys.accessKeyId;
      identity.secretAccessKey = sealed;
      if (record.newKeyCreatedAt !== undefined) identity.accessKeyCreatedAt = record.newKeyCreatedAt;
      else delete identity.accessKeyCreatedAt;
      record.step = 'proven';
      // The identity holds the secret now: one envelope of it is enough.
      delete record.newSecretAccessKey;
      return summary(identity);
    });
  }

  /** Forgets the identity's rotation (finished, or rolled back). */
  endRotation(identityId: string): void {
    this.file.update((doc) => {
      delete doc.rotations[identityId];
    });
  }

  // ---- settings ----

  settings(): VaultDocument['settings'] {
    return { ...this.doc().settings };
  }

  updateSettings(patch: Partial<VaultDocument['settings']>): void {
    this.file.update((doc) => {
      doc.settings = { ...doc.settings, ...patch };
    });
  }
}

function forgetIdentitySessions(doc: VaultDocument, identityId: string): void {
  delete doc.sessions.mfa[identityId];
  for (const [name, session] of Object.entries(doc.sessions.roles)) {
    if (session.identityId === identityId) delete doc.sessions.roles[name];
  }
}
