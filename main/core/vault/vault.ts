import { randomUUID } from 'node:crypto';
import type { Cipher } from '../crypto/cipher.js';
import { systemClock, type Clock } from '../clock.js';
import { UserFacingError } from '../user-facing-error.js';
import { VaultFile, type StoreFactory } from './vault-file.js';
import { PROFILE_NAME, type StoredIdentity, type StoredProfile, type StoredSession, type VaultDocument } from './vault-schema.js';

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

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

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
}

export interface IdentityInput {
  label: string;
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  mfaSerial?: string | undefined;
  region?: string | undefined;
}

export type ProfileInput = Omit<StoredProfile, 'mfaMode' | 'origin'> & Partial<Pick<StoredProfile, 'mfaMode' | 'origin'>>;

export interface SessionMetadata {
  mfa: Record<string, { expiration: string; issuedAt: string }>;
  roles: Record<string, { expiration: string; issuedAt: string; identityId: string }>;
}

const CHECK_TEXT = 'aws-auth-tray vault key check v1';

function summary(identity: StoredIdentity): IdentitySummary {
  return {
    id: identity.id,
    label: identity.label,
    accessKeyId: identity.accessKeyId,
    hasSecret: identity.secretAccessKey !== undefined,
    mfaSerial: identity.mfaSerial,
    region: identity.region,
    createdAt: identity.createdAt,
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
        const check = await cipher.encrypt(CHECK_TEXT);
        this.file.update((doc) => {
          doc.cipher = { kind: cipher.kind, ...(cipher.salt ? { salt: cipher.salt } : {}), check };
        });
        return cipher;
      }
      if (header.kind !== cipher.kind) {
        throw new UserFacingError(
          'vault-cipher-mismatch',
          `This vault (${this.file.path}) is encrypted with ${header.kind}, not ${cipher.kind}; open it with the tool that created it.`,
        );
      }
      let text: string | undefined;
      try {
        text = await cipher.decrypt(header.check);
      } catch {
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
      return cipher;
    })();
    // A failed unlock (wrong passphrase) may be retried with a new keyring answer.
    this.cipher.catch(() => {
      this.cipher = undefined;
    });
    return this.cipher;
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
    if (this.identity(input.label)) {
      throw new UserFacingError('identity-exists', `There is already an identity called "${input.label}"; pick another label or edit that one.`);
    }
    const secret = input.secretAccessKey === undefined ? undefined : await (await this.unlock()).encrypt(input.secretAccessKey);
    const identity: StoredIdentity = {
      id: randomUUID(),
      label: input.label,
      ...(input.accessKeyId ? { accessKeyId: input.accessKeyId } : {}),
      ...(secret ? { secretAccessKey: secret } : {}),
      ...(input.mfaSerial ? { mfaSerial: input.mfaSerial } : {}),
      ...(input.region ? { region: input.region } : {}),
      createdAt: this.clock.now().toISOString(),
    };
    this.file.update((doc) => {
      doc.identities.push(identity);
    });
    return summary(identity);
  }

  /** Changes an identity. New keys or a new MFA device forget the sessions made with the old ones. */
  async updateIdentity(id: string, patch: Partial<IdentityInput>): Promise<IdentitySummary> {
    const secret = patch.secretAccessKey === undefined ? undefined : await (await this.unlock()).encrypt(patch.secretAccessKey);
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
      if (patch.accessKeyId !== undefined) identity.accessKeyId = patch.accessKeyId;
      if (secret !== undefined) identity.secretAccessKey = secret;
      if (patch.mfaSerial !== undefined) identity.mfaSerial = patch.mfaSerial;
      if (patch.region !== undefined) identity.region = patch.region;
      if (credentialsChanged) forgetIdentitySessions(doc, id);
      return summary(identity);
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
    const identity = this.doc().identities.find((i) => i.id === identityId);
    if (!identity) throw new UserFacingError('identity-missing', `There is no identity with id ${identityId}.`);
    if (!identity.accessKeyId || !identity.secretAccessKey) {
      throw new UserFacingError(
        'identity-without-keys',
        `The identity "${identity.label}" has no access keys yet. Add them with: aws-auth-tray add-user --label ${identity.label}`,
      );
    }
    return { accessKeyId: identity.accessKeyId, secretAccessKey: await (await this.unlock()).decrypt(identity.secretAccessKey) };
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
    const profile: StoredProfile = { mfaMode: 'mfa-session', origin: 'manual', ...input };
    return this.file.update((doc) => {
      if (!doc.identities.some((i) => i.id === profile.identityId)) {
        throw new UserFacingError('identity-missing', `Profile ${profile.name} refers to an identity that does not exist.`);
      }
      const index = doc.profiles.findIndex((p) => p.name === profile.name);
      const before = doc.profiles[index];
      if (!before) doc.profiles.push(profile);
      else {
        doc.profiles[index] = profile;
        const sessionFields = ['identityId', 'roleArn', 'externalId', 'roleSessionName', 'durationSeconds', 'region', 'mfaMode'] as const;
        if (sessionFields.some((field) => before[field] !== profile[field])) delete doc.sessions.roles[profile.name];
      }
      return profile;
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

  private async sealSession(identityId: string, credentials: SessionCredentials): Promise<StoredSession> {
    const cipher = await this.unlock();
    const ciphertext = await cipher.encrypt(
      JSON.stringify({
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
        expiration: credentials.expiration.toISOString(),
      }),
    );
    return { ciphertext, expiration: credentials.expiration.toISOString(), issuedAt: this.clock.now().toISOString(), identityId };
  }

  private async openSession(stored: StoredSession | undefined): Promise<SessionCredentials | undefined> {
    if (!stored) return undefined;
    const parsed = JSON.parse(await (await this.unlock()).decrypt(stored.ciphertext)) as Record<string, string>;
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = parsed;
    if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration) return undefined;
    return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration) };
  }

  mfaSession(identityId: string): Promise<SessionCredentials | undefined> {
    return this.openSession(this.doc().sessions.mfa[identityId]);
  }

  async saveMfaSession(identityId: string, credentials: SessionCredentials): Promise<void> {
    const stored = await this.sealSession(identityId, credentials);
    this.file.updateSoon((doc) => {
      doc.sessions.mfa[identityId] = stored;
    });
  }

  roleSession(profileName: string): Promise<SessionCredentials | undefined> {
    return this.openSession(this.doc().sessions.roles[profileName]);
  }

  async saveRoleSession(profileName: string, identityId: string, credentials: SessionCredentials): Promise<void> {
    const stored = await this.sealSession(identityId, credentials);
    this.file.updateSoon((doc) => {
      doc.sessions.roles[profileName] = stored;
    });
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

  // ---- other secrets ----

  /** A named secret of the app (decrypted), or undefined. */
  async secret(name: string): Promise<string | undefined> {
    const sealed = this.doc().secrets[name];
    return sealed === undefined ? undefined : (await this.unlock()).decrypt(sealed);
  }

  async setSecret(name: string, value: string): Promise<void> {
    const sealed = await (await this.unlock()).encrypt(value);
    this.file.update((doc) => {
      doc.secrets[name] = sealed;
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
