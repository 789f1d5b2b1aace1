import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cipher, EnvelopePlace } from '../../../main/core/crypto/cipher.js';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { emptyVaultDocument } from '../../../main/core/vault/vault-schema.js';
import { Vault, type CipherHeader, type SessionCredentials, type VaultKeyring } from '../../../main/core/vault/vault.js';

/**
 * The vault on disk: a 0600 file in a 0700 directory, metadata readable without the key, secrets
 * only as cipher envelopes, sessions forgotten when what made them changes, and a damaged file
 * moved aside (never deleted) with a sentence for the user.
 */

const FAST = { log2N: 14, r: 8, p: 1 } as const;
const PASSPHRASE = 'correct horse battery staple';
const NOW = new Date('2026-01-02T03:04:05.678Z');
const clock = { now: () => NOW };
const POSIX = process.platform !== 'win32';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';

function session(tag: string, hoursFromNow = 12): SessionCredentials {
  return {
    accessKeyId: `ASIA${tag.toUpperCase().padEnd(16, 'X')}`,
    secretAccessKey: `session-secret-${tag}`,
    sessionToken: `session-token-${tag}`,
    expiration: new Date(NOW.getTime() + hoursFromNow * 3600_000),
  };
}

/** A keyring that answers with passphrases in turn (the last one from then on) and records every call. */
function passphraseKeyring(...answers: string[]): { keyring: VaultKeyring; calls: (CipherHeader | undefined)[] } {
  const calls: (CipherHeader | undefined)[] = [];
  const keyring: VaultKeyring = (header) => {
    const passphrase = answers[Math.min(calls.length, answers.length - 1)] ?? PASSPHRASE;
    calls.push(header);
    return new PassphraseCipher(passphrase, header?.salt, FAST);
  };
  return { keyring, calls };
}

/** A keyring that must never be asked: metadata needs no key. */
function forbiddenKeyring(): { keyring: VaultKeyring; calls: number } {
  const state = {
    calls: 0,
    keyring: (() => {
      state.calls += 1;
      throw new Error('the keyring was asked for a key');
    }) as VaultKeyring,
  };
  return state;
}

/** Stands in for Electron safeStorage: another kind of cipher. */
class FakeSafeStorage implements Cipher {
  readonly kind = 'safe-storage';
  constructor(private readonly machineKey: string) {}
  encrypt(plaintext: string, place: string): Promise<string> {
    return Promise.resolve(`v10:${this.machineKey}:${Buffer.from(JSON.stringify([place, plaintext])).toString('base64')}`);
  }
  decrypt(ciphertext: string, place: EnvelopePlace): Promise<string> {
    const prefix = `v10:${this.machineKey}:`;
    if (!ciphertext.startsWith(prefix)) return Promise.reject(new UserFacingError('vault-tampered', 'not ours'));
    const [sealedAt, text] = JSON.parse(Buffer.from(ciphertext.slice(prefix.length), 'base64').toString()) as [string, string];
    if (place !== null && sealedAt !== place) return Promise.reject(new UserFacingError('vault-tampered', 'moved'));
    return Promise.resolve(text);
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return expect.fail('expected an error');
}

const mode = (path: string): number => statSync(path).mode & 0o777;

describe('Vault', () => {
  let base: string;
  let dir: string;
  let file: string;
  /** Every vault a test opens: their pending session writes finish before the directory goes. */
  let opened: Vault[];

  beforeEach(() => {
    opened = [];
    base = mkdtempSync(join(tmpdir(), 'aws-auth-tray-vault-'));
    dir = join(base, 'config', 'aws-auth-tray');
    file = join(dir, 'vault.json');
  });
  afterEach(async () => {
    // A session write still pending after the test would recreate the directory it removes.
    await Promise.all(opened.map((vault) => vault.flush().catch(() => undefined)));
    rmSync(base, { recursive: true, force: true });
  });

  const openIn = (where: string, keyring: VaultKeyring): { vault: Vault; notice?: string } => {
    const result = Vault.open(where, keyring, clock);
    opened.push(result.vault);
    return result;
  };
  const open = (keyring: VaultKeyring = passphraseKeyring().keyring) => openIn(dir, keyring);
  const raw = (): string => readFileSync(file, 'utf8');

  describe('on disk', () => {
    it.skipIf(!POSIX)('creates its directory 0700 and writes vault.json 0600', async () => {
      const { vault, notice } = open();
      expect(notice).toBeUndefined();
      expect(vault.path).toBe(file);
      expect(mode(dir)).toBe(0o700);
      await vault.verifyKey(); // the first write
      expect(existsSync(file)).toBe(true);
      expect(mode(file)).toBe(0o600);
      await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      expect(mode(file)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
    });

    it.skipIf(!POSIX)('tightens an existing vault.json with mode 0644 to 0600 on open', async () => {
      const { vault } = open();
      await vault.addIdentity({ label: 'security' });
      chmodSync(file, 0o644);
      expect(mode(file)).toBe(0o644);
      const reopened = open().vault;
      expect(mode(file)).toBe(0o600);
      expect(reopened.identities().map((i) => i.label)).toEqual(['security']);
    });

    it('writes atomically: after many updates no temporary file is left beside vault.json', async () => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      for (let i = 0; i < 40; i += 1) {
        vault.upsertProfile({ name: `account-${i % 7}`, identityId: identity.id, roleArn: `arn:aws:iam::${String(200000000000 + i)}:role/engineer` });
        await vault.saveRoleSession(`account-${i % 7}`, identity.id, session(`r${i}`, 1));
        vault.updateSettings({ mfaSessionSeconds: 3600 + i });
      }
      await vault.flush();
      expect(readdirSync(dir)).toEqual(['vault.json']);
      expect(JSON.parse(raw())).toMatchObject({ format: 2, settings: { mfaSessionSeconds: 3639 } });
      expect(open().vault.profiles()).toHaveLength(7);
    });
  });

  describe('unlocking', () => {
    it('reopens with the right passphrase and decrypts what it stored', async () => {
      const first = passphraseKeyring();
      const { vault } = open(first.keyring);
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, mfaSerial: ALICE_DEVICE });
      await vault.saveMfaSession(identity.id, session('mfa'));
      await vault.flush();
      expect(first.calls).toEqual([undefined]); // a new vault: no header yet

      const second = passphraseKeyring();
      const reopened = open(second.keyring).vault;
      expect(await reopened.longTermKeys(identity.id)).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      expect(await reopened.mfaSession(identity.id)).toEqual(session('mfa'));
      const salt = (JSON.parse(raw()) as { cipher: { salt: string } }).cipher.salt;
      expect(second.calls).toEqual([{ kind: 'passphrase', salt }]);
    });

    it('a wrong passphrase is `wrong-passphrase` with a sentence; retrying on the same Vault asks the keyring again', async () => {
      const { vault } = open();
      await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });

      const retry = passphraseKeyring('Tr0ub4dor&3', PASSPHRASE);
      const reopened = open(retry.keyring).vault;
      const error = await caught(reopened.verifyKey());
      expect(error).toBeInstanceOf(UserFacingError);
      expect(error).toMatchObject({
        code: 'wrong-passphrase',
        message: 'That passphrase does not unlock the vault. Type it again (if AWS_AUTH_TRAY_PASSPHRASE is set, it is used instead of asking).',
      });
      expect((error as Error).message).not.toContain('Tr0ub4dor&3');

      await reopened.verifyKey();
      const id = reopened.identity('security')?.id ?? '';
      expect((await reopened.longTermKeys(id)).secretAccessKey).toBe(SECRET);
      expect(retry.calls).toHaveLength(2);
      // Once unlocked, the key is not asked for again.
      await reopened.saveMfaSession(id, session('mfa'));
      expect(retry.calls).toHaveLength(2);
    });

    it('a vault sealed with other key-derivation parameters (another build or version) is `vault-kdf-unsupported`, not "wrong passphrase"', async () => {
      const { vault } = open();
      await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      await vault.flush();
      const otherCost: VaultKeyring = (header) => new PassphraseCipher(PASSPHRASE, header?.salt, { log2N: 15, r: 8, p: 1 });
      const error = await caught(open(otherCost).vault.verifyKey());
      expect(error).toMatchObject({ code: 'vault-kdf-unsupported' });
      expect((error as Error).message).toContain('sealed with key-derivation parameters this version of AWS Auth Tray does not use (14,8,1)');
      expect((error as Error).message).not.toContain(PASSPHRASE);
    });

    it('a wrong passphrase fails every secret operation with `wrong-passphrase`, and writes nothing', async () => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      const before = raw();
      const wrong = open(passphraseKeyring('wrong passphrase').keyring).vault;
      await expect(wrong.longTermKeys(identity.id)).rejects.toMatchObject({ code: 'wrong-passphrase' });
      await expect(wrong.saveMfaSession(identity.id, session('mfa'))).rejects.toMatchObject({ code: 'wrong-passphrase' });
      await expect(wrong.updateIdentity(identity.id, { secretAccessKey: OTHER_SECRET })).rejects.toMatchObject({ code: 'wrong-passphrase' });
      expect(raw()).toBe(before);
    });

    it('NFC and NFD forms of the passphrase unlock the same vault', async () => {
      const nfc = 'Crème brûlée à Zürich'.normalize('NFC');
      const { vault } = open(passphraseKeyring(nfc).keyring);
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      const reopened = open(passphraseKeyring(nfc.normalize('NFD')).keyring).vault;
      expect((await reopened.longTermKeys(identity.id)).secretAccessKey).toBe(SECRET);
    });

    it('a passphrase vault opened with another kind of cipher is `vault-cipher-mismatch`', async () => {
      await open().vault.verifyKey();
      const reopened = open(() => new FakeSafeStorage('machine-1')).vault;
      const error = await caught(reopened.verifyKey());
      expect(error).toBeInstanceOf(UserFacingError);
      expect(error).toMatchObject({
        code: 'vault-cipher-mismatch',
        message: `This vault (${file}) is encrypted with passphrase, not safe-storage; open it with the tool that created it.`,
      });
    });

    it('a safe-storage vault opened on another machine says so (not "passphrase")', async () => {
      await open(() => new FakeSafeStorage('machine-1')).vault.verifyKey();
      expect((JSON.parse(raw()) as { cipher: unknown }).cipher).toEqual({ kind: 'safe-storage', check: expect.stringMatching(/^v10:machine-1:/) as string });
      const error = await caught(open(() => new FakeSafeStorage('machine-2')).vault.verifyKey());
      expect(error).toMatchObject({
        code: 'wrong-passphrase',
        message: 'The safe-storage key cannot unlock the vault; it was probably created under another user account or machine.',
      });
    });

    it('concurrent first uses of a new vault ask the keyring once and agree on one key', async () => {
      const keyring = passphraseKeyring();
      const { vault } = open(keyring.keyring);
      const [a, b] = await Promise.all([
        vault.addIdentity({ label: 'a', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: SECRET }),
        vault.addIdentity({ label: 'b', accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: OTHER_SECRET }),
      ]);
      expect(keyring.calls).toHaveLength(1);
      const reopened = open().vault;
      expect((await reopened.longTermKeys(a.id)).secretAccessKey).toBe(SECRET);
      expect((await reopened.longTermKeys(b.id)).secretAccessKey).toBe(OTHER_SECRET);
    });
  });

  describe('metadata and secrets', () => {
    async function populated(): Promise<{ identityId: string }> {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, mfaSerial: ALICE_DEVICE, region: 'us-east-1' });
      vault.upsertProfile({ name: 'security', identityId: identity.id });
      vault.upsertProfile({ name: 'dev', identityId: identity.id, roleArn: 'arn:aws:iam::222222222222:role/engineer', region: 'eu-west-1' });
      await vault.saveMfaSession(identity.id, session('mfa'));
      await vault.saveRoleSession('dev', identity.id, session('dev', 1));
      await vault.flush();
      return { identityId: identity.id };
    }

    it('identities(), profiles(), sessionMetadata() and settings() never ask the keyring', async () => {
      const { identityId } = await populated();
      const forbidden = forbiddenKeyring();
      const vault = open(forbidden.keyring).vault;
      expect(vault.identities()).toEqual([
        { id: identityId, label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', hasSecret: true, mfaSerial: ALICE_DEVICE, region: 'us-east-1', createdAt: NOW.toISOString() },
      ]);
      expect(vault.identity('security')?.id).toBe(identityId);
      expect(vault.identity(identityId)?.label).toBe('security');
      expect(vault.identity('nobody')).toBeUndefined();
      expect(vault.profiles()).toEqual([
        { name: 'security', identityId, mfaMode: 'mfa-session', origin: 'manual' },
        { name: 'dev', identityId, roleArn: 'arn:aws:iam::222222222222:role/engineer', region: 'eu-west-1', mfaMode: 'mfa-session', origin: 'manual' },
      ]);
      expect(vault.profile('dev')?.roleArn).toBe('arn:aws:iam::222222222222:role/engineer');
      expect(vault.sessionMetadata()).toEqual({
        mfa: { [identityId]: { expiration: session('mfa').expiration.toISOString(), issuedAt: NOW.toISOString() } },
        roles: { dev: { expiration: session('dev', 1).expiration.toISOString(), issuedAt: NOW.toISOString(), identityId } },
      });
      expect(vault.settings()).toEqual({ mfaSessionSeconds: 43_200, keyAgeWarningDays: 90, deactivateOldKey: false });
      // Changes that touch no secret need no key either.
      await vault.updateIdentity(identityId, { label: 'alice', region: 'eu-central-1' });
      vault.upsertProfile({ name: 'stage', identityId, roleArn: 'arn:aws:iam::333333333333:role/engineer' });
      vault.clearMfaSession(identityId);
      vault.clearSessions();
      expect(vault.removeProfile('stage')).toBe(true);
      expect(forbidden.calls).toBe(0);
    });

    it('the summary of an identity never carries the secret', async () => {
      await populated();
      const summary = open(forbiddenKeyring().keyring).vault.identities()[0];
      expect(Object.keys(summary ?? {}).sort()).toEqual(['accessKeyCreatedAt', 'accessKeyId', 'createdAt', 'hasSecret', 'id', 'label', 'mfaSerial', 'region']);
      expect(JSON.stringify(summary)).not.toContain(SECRET);
    });

    it('stores secrets only as envelopes: the raw file holds no secret text', async () => {
      await populated();
      const text = raw();
      for (const secret of [SECRET, 'session-secret-mfa', 'session-token-mfa', 'session-secret-dev', 'session-token-dev', 'ASIAMFAXXXXXXXXXXXXX']) {
        expect(text).not.toContain(secret);
      }
      const doc = JSON.parse(text) as { identities: { secretAccessKey: string }[]; sessions: { mfa: Record<string, { ciphertext: string }>; roles: Record<string, { ciphertext: string }> } };
      const envelope = /^aat2\$scrypt\$14,8,1\$[\w-]{22}\$[\w-]{16}\$[\w-]+\$[\w-]{22}$/;
      expect(doc.identities[0]?.secretAccessKey).toMatch(envelope);
      for (const stored of [...Object.values(doc.sessions.mfa), ...Object.values(doc.sessions.roles)]) expect(stored.ciphertext).toMatch(envelope);
      // The access key id and the device are metadata, shown in the UI.
      expect(text).toContain('AKIAIOSFODNN7EXAMPLE');
      expect(text).toContain(ALICE_DEVICE);
    });

    it('an identity without keys says so when its keys are asked for', async () => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', mfaSerial: ALICE_DEVICE });
      expect(identity.hasSecret).toBe(false);
      await expect(vault.longTermKeys(identity.id)).rejects.toMatchObject({
        code: 'identity-without-keys',
        message: 'The identity "security" has no access keys yet. Add them with: aws-auth-tray add-user --label security',
      });
      await expect(vault.longTermKeys('no-such-id')).rejects.toMatchObject({ code: 'identity-missing' });
    });

    it('refuses a second identity with the same label', async () => {
      const { vault } = open();
      await vault.addIdentity({ label: 'security' });
      await expect(vault.addIdentity({ label: 'security' })).rejects.toMatchObject({ code: 'identity-exists' });
      const other = await vault.addIdentity({ label: 'other' });
      await expect(vault.updateIdentity(other.id, { label: 'security' })).rejects.toMatchObject({ code: 'identity-exists' });
    });
  });

  describe('forgetting sessions', () => {
    /** Two identities, each with a profile, an MFA session and a role session. */
    async function twoIdentities(vault: Vault): Promise<{ a: string; b: string }> {
      const a = await vault.addIdentity({ label: 'alice', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: SECRET, mfaSerial: ALICE_DEVICE });
      const b = await vault.addIdentity({ label: 'bob', accessKeyId: 'AKIABBBBBBBBBBBBBBBB', secretAccessKey: OTHER_SECRET, mfaSerial: 'arn:aws:iam::111111111111:mfa/bob' });
      vault.upsertProfile({ name: 'alice-dev', identityId: a.id, roleArn: 'arn:aws:iam::222222222222:role/engineer' });
      vault.upsertProfile({ name: 'alice-prod', identityId: a.id, roleArn: 'arn:aws:iam::444444444444:role/read-only' });
      vault.upsertProfile({ name: 'bob-dev', identityId: b.id, roleArn: 'arn:aws:iam::222222222222:role/engineer' });
      await vault.saveMfaSession(a.id, session('mfa-a'));
      await vault.saveMfaSession(b.id, session('mfa-b'));
      for (const [name, id] of [['alice-dev', a.id], ['alice-prod', a.id], ['bob-dev', b.id]] as const) await vault.saveRoleSession(name, id, session(name, 1));
      return { a: a.id, b: b.id };
    }

    const sessionsOf = (vault: Vault) => {
      const meta = vault.sessionMetadata();
      return { mfa: Object.keys(meta.mfa).sort(), roles: Object.keys(meta.roles).sort() };
    };

    it.each<[string, (ids: { a: string; b: string }) => Parameters<Vault['updateIdentity']>[1]]>([
      ['a new secret', () => ({ secretAccessKey: OTHER_SECRET })],
      ['a new access key id', () => ({ accessKeyId: 'AKIACCCCCCCCCCCCCCCC' })],
      ['new keys', () => ({ accessKeyId: 'AKIACCCCCCCCCCCCCCCC', secretAccessKey: OTHER_SECRET })],
      ['a new MFA device', () => ({ mfaSerial: 'arn:aws:iam::111111111111:mfa/alice-new-phone' })],
    ])("updateIdentity with %s forgets that identity's MFA and role sessions, not the other identity's", async (_label, patch) => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      await vault.updateIdentity(ids.a, patch(ids));
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.b], roles: ['bob-dev'] });
      expect(await vault.mfaSession(ids.a)).toBeUndefined();
      expect(await vault.roleSession('alice-dev')).toBeUndefined();
      expect(await vault.mfaSession(ids.b)).toEqual(session('mfa-b'));
      expect(await vault.roleSession('bob-dev')).toEqual(session('bob-dev', 1));
    });

    it('updateIdentity keeps the sessions when only the label or region changes, or keys are unchanged', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      const updated = await vault.updateIdentity(ids.a, { label: 'alice-renamed', region: 'eu-west-1', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', mfaSerial: ALICE_DEVICE });
      expect(updated).toMatchObject({ label: 'alice-renamed', region: 'eu-west-1', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' });
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.a, ids.b].sort(), roles: ['alice-dev', 'alice-prod', 'bob-dev'] });
      await expect(vault.updateIdentity('no-such-id', { label: 'x' })).rejects.toMatchObject({ code: 'identity-missing' });
    });

    it('upsertProfile of an existing name forgets that profile\'s role session only', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      vault.upsertProfile({ name: 'alice-dev', identityId: ids.a, roleArn: 'arn:aws:iam::222222222222:role/admin' });
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.a, ids.b].sort(), roles: ['alice-prod', 'bob-dev'] });
      expect(vault.profile('alice-dev')).toEqual({ name: 'alice-dev', identityId: ids.a, roleArn: 'arn:aws:iam::222222222222:role/admin', mfaMode: 'mfa-session', origin: 'manual' });
      // A new profile leaves every session alone.
      vault.upsertProfile({ name: 'alice-stage', identityId: ids.a, roleArn: 'arn:aws:iam::333333333333:role/engineer', mfaMode: 'direct', origin: 'aws-config' });
      expect(sessionsOf(vault).roles).toEqual(['alice-prod', 'bob-dev']);
      expect(vault.profile('alice-stage')).toMatchObject({ mfaMode: 'direct', origin: 'aws-config' });
    });

    it('upsertProfile refuses a profile whose identity does not exist', () => {
      const { vault } = open(forbiddenKeyring().keyring);
      expect(thrown(() => vault.upsertProfile({ name: 'dev', identityId: 'ghost' }))).toMatchObject({ code: 'identity-missing' });
    });

    it('removeIdentity refuses while profiles use it (`identity-in-use`, naming them); afterwards it forgets its sessions', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      const error = thrown(() => vault.removeIdentity(ids.a));
      expect(error).toBeInstanceOf(UserFacingError);
      expect(error).toMatchObject({
        code: 'identity-in-use',
        message: 'Profiles alice-dev, alice-prod use this identity; remove them or move them to another identity first.',
      });
      expect(vault.identities()).toHaveLength(2);

      expect(vault.removeProfile('alice-dev')).toBe(true);
      expect(vault.removeProfile('alice-dev')).toBe(false);
      expect(vault.removeProfile('alice-prod')).toBe(true);
      vault.removeIdentity(ids.a);
      expect(vault.identities().map((i) => i.label)).toEqual(['bob']);
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.b], roles: ['bob-dev'] });
    });

    it('removeProfile forgets its role session', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      vault.removeProfile('alice-prod');
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.a, ids.b].sort(), roles: ['alice-dev', 'bob-dev'] });
    });

    it('clearMfaSession forgets one MFA session; its role sessions stay until they expire', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      vault.clearMfaSession(ids.a);
      expect(sessionsOf(vault)).toEqual({ mfa: [ids.b], roles: ['alice-dev', 'alice-prod', 'bob-dev'] });
    });

    it('clearSessions forgets every session and keeps identities and profiles', async () => {
      const { vault } = open();
      const ids = await twoIdentities(vault);
      vault.clearSessions();
      expect(vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
      expect(await vault.mfaSession(ids.a)).toBeUndefined();
      expect(await vault.roleSession('bob-dev')).toBeUndefined();
      expect(vault.identities()).toHaveLength(2);
      expect(vault.profiles().map((p) => p.name)).toEqual(['alice-dev', 'alice-prod', 'bob-dev']);
      expect(open().vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
    });
  });

  describe('independent vaults in one process', () => {
    /* Regression: zod copies default values shallowly; two empty vault documents once shared one sessions map. */
    it('every empty vault document is its own (no shared session maps)', () => {
      const first = emptyVaultDocument();
      const second = emptyVaultDocument();
      first.sessions.mfa['some-identity'] = { ciphertext: 'aat1$x', expiration: NOW.toISOString(), issuedAt: NOW.toISOString(), identityId: 'some-identity' };
      first.sessions.roles.dev = { ciphertext: 'aat1$y', expiration: NOW.toISOString(), issuedAt: NOW.toISOString(), identityId: 'some-identity' };
      expect(second.sessions).toEqual({ mfa: {}, roles: {} });
      expect(emptyVaultDocument().sessions).toEqual({ mfa: {}, roles: {} });
    });

    it("sessions saved in one new vault never appear in a vault created after it", async () => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      vault.upsertProfile({ name: 'dev', identityId: identity.id, roleArn: 'arn:aws:iam::222222222222:role/engineer' });
      await vault.saveMfaSession(identity.id, session('mfa'));
      await vault.saveRoleSession('dev', identity.id, session('dev', 1));
      await vault.flush();
      const other = openIn(join(base, 'another-vault'), forbiddenKeyring().keyring).vault;
      expect(other.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
    });
  });

  describe('profile names', () => {
    it.each(['', ' dev', 'has space', '-leading-dash', '.leading-dot', 'a/b', 'a:b', 'dev\n', 'x'.repeat(65), 'é'])('refuses %j with `profile-name`', async (name) => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security' });
      const error = thrown(() => vault.upsertProfile({ name, identityId: identity.id }));
      expect(error).toBeInstanceOf(UserFacingError);
      expect(error).toMatchObject({ code: 'profile-name', message: `"${name}" is not a usable profile name: use letters, digits and . _ + @ - (up to 64).` });
      expect(vault.profiles()).toEqual([]);
    });

    it.each(['dev', 'shared-services', 'Prod_2', 'a.b+c@d-e', '9lives', 'x'.repeat(64)])('accepts %j', async (name) => {
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security' });
      expect(vault.upsertProfile({ name, identityId: identity.id }).name).toBe(name);
      expect(open().vault.profile(name)?.name).toBe(name);
    });
  });

  describe('a damaged vault file', () => {
    const movedAside = (): string => join(dir, 'vault.json.corrupt-20260102T030405Z');

    it.each([
      ['not JSON', '{not json', 'it is not valid JSON'],
      ['JSON that is not a vault', '{"format": "x"}', 'its contents are not a vault'],
      ['a vault with a broken identity', '{"format": 1, "identities": [{"id": 1}]}', 'its contents are not a vault'],
      ['an empty file', '', 'it is not valid JSON'],
      ['JSON that is not an object', '[1, 2]', 'its contents are not a vault'],
    ])('%s is moved aside (kept byte for byte), reported in a sentence, and an empty vault starts', (_label, content, why) => {
      open(); // makes the directory
      writeFileSync(file, content, { mode: 0o600 });
      const { vault, notice } = open(forbiddenKeyring().keyring);
      expect(notice).toBe(
        `The vault file could not be read (${why}), so it was moved to ${movedAside()} and AWS Auth Tray started with an empty vault. Nothing was deleted: the old file is still there if you want to inspect it.`,
      );
      expect(readFileSync(movedAside(), 'utf8')).toBe(content);
      expect(vault.identities()).toEqual([]);
      expect(vault.profiles()).toEqual([]);
      expect(vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
    });

    it('the new vault is usable and the next open is clean', async () => {
      open();
      writeFileSync(file, '{not json');
      const { vault } = open();
      const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
      const again = open();
      expect(again.notice).toBeUndefined();
      expect((await again.vault.longTermKeys(identity.id)).secretAccessKey).toBe(SECRET);
      expect(readdirSync(dir).sort()).toEqual(['vault.json', 'vault.json.corrupt-20260102T030405Z']);
    });

    it('a file damaged while the vault is open becomes a `vault-unreadable` sentence, not a crash', async () => {
      const { vault } = open();
      await vault.addIdentity({ label: 'security' });
      writeFileSync(file, '{"format": 1, "identities": "oops"}');
      const error = thrown(() => vault.identities());
      expect(error).toBeInstanceOf(UserFacingError);
      expect(error).toMatchObject({
        code: 'vault-unreadable',
        message: `The vault file ${file} changed under AWS Auth Tray and cannot be read (its contents are not a vault). Restart the command; the damaged file will be moved aside.`,
      });
    });

    /* Regression: a second damaged file moved aside in the same second once replaced the first. */
    it('two damaged files moved aside in the same second are both kept', () => {
      open();
      writeFileSync(file, '{first damaged file');
      const first = open(forbiddenKeyring().keyring);
      writeFileSync(file, '{second damaged file');
      const second = open(forbiddenKeyring().keyring);
      expect(first.notice).toBeDefined();
      expect(second.notice).toBeDefined();
      const kept = readdirSync(dir)
        .filter((name) => name.startsWith('vault.json.corrupt-'))
        .map((name) => readFileSync(join(dir, name), 'utf8'))
        .sort();
      expect(kept).toEqual(['{first damaged file', '{second damaged file']);
    });
  });
});
