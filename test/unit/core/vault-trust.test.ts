import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { PLACES, Vault, type SessionCredentials, type VaultKeyring } from '../../../main/core/vault/vault.js';

/**
 * The vault keeps everything and binds every secret to its place (issue 9, part 5): envelopes
 * cannot be swapped, decrypted text never reaches an error, unknown fields survive, a newer
 * format is refused and left alone, and a directory the project did not create is never changed.
 */
const FAST = { log2N: 14, r: 8, p: 1 } as const;
const PASSPHRASE = 'vault trust test passphrase';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const root = mkdtempSync(join(tmpdir(), 'aat-vault-trust-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `vault-${(n += 1)}`);

const keyring: VaultKeyring = (header) => new PassphraseCipher(PASSPHRASE, header?.salt, FAST);

function session(tag: string): SessionCredentials {
  return { accessKeyId: `ASIA${tag.toUpperCase().padEnd(16, 'X')}`, secretAccessKey: `secret-${tag}`, sessionToken: `token-${tag}`, expiration: new Date(Date.now() + 3_600_000) };
}

type Json = Record<string, unknown> & { sessions: { roles: Record<string, { ciphertext: string }>; mfa: Record<string, { ciphertext: string }> } };
const readJson = (dir: string): Json => JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as Json;
const writeJson = (dir: string, doc: unknown): void => writeFileSync(join(dir, 'vault.json'), JSON.stringify(doc), { mode: 0o600 });

async function vaultWithTwoRoleSessions(): Promise<{ dir: string; identityId: string }> {
  const dir = freshDir();
  const { vault } = Vault.open(dir, keyring);
  const alice = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: SECRET });
  for (const name of ['dev', 'prod']) vault.upsertProfile({ name, identityId: alice.id, roleArn: `arn:aws:iam::22222222222${name === 'dev' ? 2 : 3}:role/engineer` });
  await vault.saveRoleSession('dev', alice.id, session('dev'));
  await vault.saveRoleSession('prod', alice.id, session('prod'));
  await vault.flush();
  return { dir, identityId: alice.id };
}

describe('every envelope is bound to its place', () => {
  it('swapping the stored dev and prod role sessions makes dev fail as tampered, never answer as prod', async () => {
    const { dir } = await vaultWithTwoRoleSessions();
    const doc = readJson(dir);
    const { dev, prod } = doc.sessions.roles;
    if (!dev || !prod) throw new Error('sessions missing');
    [dev.ciphertext, prod.ciphertext] = [prod.ciphertext, dev.ciphertext];
    writeJson(dir, doc);
    const { vault } = Vault.open(dir, keyring);
    await expect(vault.roleSession('dev')).rejects.toMatchObject({ code: 'vault-tampered' });
    await expect(vault.roleSession('prod')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it("an identity's secret moved into a session (or back) does not open", async () => {
    const { dir, identityId } = await vaultWithTwoRoleSessions();
    const doc = readJson(dir) as Json & { identities: { secretAccessKey: string }[] };
    const identity = doc.identities[0];
    const dev = doc.sessions.roles.dev;
    if (!identity || !dev) throw new Error('missing');
    [identity.secretAccessKey, dev.ciphertext] = [dev.ciphertext, identity.secretAccessKey];
    writeJson(dir, doc);
    const { vault } = Vault.open(dir, keyring);
    await expect(vault.longTermKeys(identityId)).rejects.toMatchObject({ code: 'vault-tampered' });
    await expect(vault.roleSession('dev')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('decrypted text that is not a session never appears in the error (no JSON parse error echoed)', async () => {
    const { dir } = await vaultWithTwoRoleSessions();
    const doc = readJson(dir) as Json & { cipher: { salt: string } };
    // A value sealed at dev's place that is not session JSON (a bug, or a hand-edited vault).
    const cipher = new PassphraseCipher(PASSPHRASE, doc.cipher.salt, FAST);
    const dev = doc.sessions.roles.dev;
    if (!dev) throw new Error('missing');
    dev.ciphertext = await cipher.encrypt(SECRET, PLACES.roleSession('dev'));
    writeJson(dir, doc);
    const { vault } = Vault.open(dir, keyring);
    const error = await vault.roleSession('dev').then(
      () => expect.fail('expected a rejection'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'vault-tampered', message: 'A stored session in the vault cannot be read (it was changed or damaged); sign in again to replace it.' });
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain('wJalr');
  });
});

/** A version 1 envelope as the previous version wrote it: AES-256-GCM with associated data `aat1`. */
function legacyEnvelope(salt: Buffer, plaintext: string): string {
  const key = scryptSync(PASSPHRASE, salt, 32, { N: 2 ** FAST.log2N, r: FAST.r, p: FAST.p });
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
  cipher.setAAD(Buffer.from('aat1'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['aat1', 'scrypt', `${FAST.log2N},${FAST.r},${FAST.p}`, salt.toString('base64url'), nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('$');
}

describe('a format 1 vault (envelopes bound to nothing)', () => {
  const salt = randomBytes(16);
  const sessionJson = (tag: string): string => JSON.stringify({ ...session(tag), expiration: session(tag).expiration.toISOString() });
  function formatOneVault(): string {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const at = new Date().toISOString();
    writeJson(dir, {
      format: 1,
      cipher: { kind: 'passphrase', salt: salt.toString('base64url'), check: legacyEnvelope(salt, 'aws-auth-tray vault key check v1') },
      identities: [{ id: 'id-1', label: 'security', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: legacyEnvelope(salt, SECRET), createdAt: at }],
      profiles: [{ name: 'dev', identityId: 'id-1', roleArn: 'arn:aws:iam::222222222222:role/engineer', mfaMode: 'mfa-session', origin: 'manual' }],
      sessions: {
        mfa: { 'id-1': { ciphertext: legacyEnvelope(salt, sessionJson('mfa')), expiration: at, issuedAt: at, identityId: 'id-1' } },
        roles: { dev: { ciphertext: legacyEnvelope(salt, sessionJson('dev')), expiration: at, issuedAt: at, identityId: 'id-1' } },
      },
      secrets: { 'endpoint-token': legacyEnvelope(salt, 'the-token-master') },
      settings: { mfaSessionSeconds: 43_200 },
    });
    return dir;
  }

  it('is migrated on first unlock: every value re-sealed to its place, format 2, nothing lost', async () => {
    const dir = formatOneVault();
    const before = readJson(dir);
    const { vault } = Vault.open(dir, keyring);
    expect((await vault.longTermKeys('id-1')).secretAccessKey).toBe(SECRET);
    const after = readJson(dir) as Json & { format: number; cipher: { check: string }; identities: { secretAccessKey: string }[]; secrets: Record<string, string> };
    expect(after.format).toBe(2);
    const envelopes = [after.cipher.check, after.identities[0]?.secretAccessKey, after.sessions.mfa['id-1']?.ciphertext, after.sessions.roles.dev?.ciphertext, after.secrets['endpoint-token']];
    for (const envelope of envelopes) expect(envelope).toMatch(/^aat2\$/);
    expect((await vault.roleSession('dev'))?.accessKeyId).toBe(session('dev').accessKeyId);
    expect((await vault.mfaSession('id-1'))?.sessionToken).toBe('token-mfa');
    expect(await vault.secret('endpoint-token')).toBe('the-token-master');
    expect(after.profiles).toEqual(before.profiles);
  });

  it('after the migration, an old unbound envelope put back is refused (no downgrade)', async () => {
    const dir = formatOneVault();
    const old = readJson(dir);
    const { vault } = Vault.open(dir, keyring);
    await vault.verifyKey();
    const migrated = readJson(dir);
    const oldDev = old.sessions.roles.dev;
    const dev = migrated.sessions.roles.dev;
    if (!oldDev || !dev) throw new Error('missing');
    dev.ciphertext = oldDev.ciphertext;
    writeJson(dir, migrated);
    const reopened = Vault.open(dir, keyring).vault;
    await expect(reopened.roleSession('dev')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  /** Rewrites the format 1 file in `dir`, then opens it: the fuzzer's finding, and its relatives. */
  function editedFormatOne(edit: (doc: Json & { cipher: { check: string }; identities: { secretAccessKey: string }[]; secrets: Record<string, string> }) => void): { dir: string; vault: Vault } {
    const dir = formatOneVault();
    const doc = readJson(dir) as Json & { cipher: { check: string }; identities: { secretAccessKey: string }[]; secrets: Record<string, string> };
    edit(doc);
    writeJson(dir, doc);
    return { dir, vault: Vault.open(dir, keyring).vault };
  }

  it('a format 1 vault whose access key holds the key-check envelope is refused, not opened as the secret', async () => {
    const { dir, vault } = editedFormatOne((doc) => {
      const identity = doc.identities[0];
      if (identity) identity.secretAccessKey = doc.cipher.check;
    });
    const before = readFileSync(join(dir, 'vault.json'), 'utf8');
    const refused = await vault.longTermKeys('id-1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UserFacingError);
    expect(refused).toMatchObject({ code: 'vault-tampered' });
    expect((refused as Error).message).toMatch(/security/);
    expect((refused as Error).message).not.toContain('key check');
    // Nothing was migrated: the file is as it was, for a backup to be compared or restored.
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).toBe(before);
  });

  it('a format 1 app secret that holds a stored session, or the key check, is refused', async () => {
    for (const take of [(doc: Json) => doc.sessions.roles.dev?.ciphertext ?? '', (doc: Json & { cipher: { check: string } }) => doc.cipher.check]) {
      const { vault } = editedFormatOne((doc) => {
        doc.secrets['endpoint-token'] = take(doc);
      });
      await expect(vault.secret('endpoint-token')).rejects.toMatchObject({ code: 'vault-tampered' });
    }
  });

  it('a format 1 access key copied into a second identity is refused: one envelope in two places was copied', async () => {
    const { vault } = editedFormatOne((doc) => {
      const first = doc.identities[0];
      if (first) doc.identities.push({ ...first, id: 'id-2', label: 'copy', accessKeyId: 'AKIAEXAMPLEEXAMPLE02' } as (typeof doc.identities)[number]);
    });
    await expect(vault.longTermKeys('id-2')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('a format 1 stored session that holds the access key, the key check or a copy of another session is dropped, not opened', async () => {
    const { vault } = editedFormatOne((doc) => {
      const mfa = doc.sessions.mfa['id-1'];
      const dev = doc.sessions.roles.dev;
      // A second envelope of the access key (not the identity's own: that would be a copy, refused below).
      if (mfa) mfa.ciphertext = legacyEnvelope(salt, SECRET);
      if (dev) dev.ciphertext = doc.cipher.check;
    });
    expect(await vault.mfaSession('id-1')).toBeUndefined();
    expect(await vault.roleSession('dev')).toBeUndefined();
    // The access key itself was where it belongs, so it still opens.
    expect((await vault.longTermKeys('id-1')).secretAccessKey).toBe(SECRET);
    const copied = editedFormatOne((doc) => {
      const mfa = doc.sessions.mfa['id-1'];
      const dev = doc.sessions.roles.dev;
      if (mfa && dev) dev.ciphertext = mfa.ciphertext;
    }).vault;
    expect(await copied.roleSession('dev')).toBeUndefined();
    expect(await copied.mfaSession('id-1')).toBeUndefined();
    // The access key copied into a session: which of the two is the original cannot be told, so both go.
    const keyCopied = editedFormatOne((doc) => {
      const mfa = doc.sessions.mfa['id-1'];
      if (mfa) mfa.ciphertext = doc.identities[0]?.secretAccessKey ?? '';
    }).vault;
    await expect(keyCopied.longTermKeys('id-1')).rejects.toMatchObject({ code: 'vault-tampered' });
  });
});

describe('the vault file keeps what it does not understand', () => {
  it('fields this version does not know survive the next writes, at every level', async () => {
    const { dir } = await vaultWithTwoRoleSessions();
    const doc = readJson(dir) as Json & { identities: Record<string, unknown>[]; profiles: Record<string, unknown>[]; settings: Record<string, unknown> };
    doc.fromTheFuture = { keep: true };
    const identity = doc.identities[0];
    const profile = doc.profiles[0];
    const dev = doc.sessions.roles.dev as Record<string, unknown> | undefined;
    if (!identity || !profile || !dev) throw new Error('missing');
    identity.hardwareKey = 'yubikey-5';
    profile.colour = 'red';
    dev.note = 'future';
    doc.settings.theme = 'dark';
    writeJson(dir, doc);
    const { vault } = Vault.open(dir, keyring);
    vault.updateSettings({ mfaSessionSeconds: 3600 });
    const current = vault.profile('dev');
    if (!current) throw new Error('missing');
    vault.upsertProfile({ ...current, region: 'eu-west-1' });
    await vault.flush();
    const after = readJson(dir) as Json & { identities: Record<string, unknown>[]; profiles: Record<string, unknown>[]; settings: Record<string, unknown> };
    expect(after.fromTheFuture).toEqual({ keep: true });
    expect(after.identities[0]?.hardwareKey).toBe('yubikey-5');
    expect(after.profiles.find((p) => p.name === 'dev')).toMatchObject({ colour: 'red', region: 'eu-west-1' });
    expect(after.settings).toMatchObject({ theme: 'dark', mfaSessionSeconds: 3600 });
  });

  it('a vault of a newer format is refused with a sentence and left where it is, byte for byte', () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const text = JSON.stringify({ format: 3, identities: [], somethingNew: { a: 1 } });
    writeFileSync(join(dir, 'vault.json'), text, { mode: 0o600 });
    let error: unknown;
    try {
      Vault.open(dir, keyring);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'vault-newer',
      message: `The vault ${join(dir, 'vault.json')} was written by a newer version of AWS Auth Tray (vault format 3; this version reads up to 2). Update AWS Auth Tray to use it; the file was left as it is.`,
    });
    expect(readFileSync(join(dir, 'vault.json'), 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['vault.json']);
  });
});

describe.skipIf(process.platform === 'win32')('the vault directory', () => {
  it('--vault-dir on an existing directory others can write (1777) is refused, and left as it was', () => {
    const dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    expect(() => Vault.open(dir, keyring)).toThrow(/Other users can write into .* \(mode 01777\), so they could replace the vault there/);
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an existing directory of the user (0755) is used as it is: never chmodded', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const { vault } = Vault.open(dir, keyring);
    await vault.addIdentity({ label: 'x', accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretAccessKey: SECRET });
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'vault.json')).mode & 0o777).toBe(0o600);
  });

  it('a directory it creates is private (0700)', () => {
    const dir = join(freshDir(), 'nested');
    Vault.open(dir, keyring);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });
});

describe('values are validated on the way into the vault (the import\'s rules, for every writer)', () => {
  it('a region, role ARN, MFA device or session name the import would refuse is refused here too, with a sentence', async () => {
    const { vault } = Vault.open(freshDir(), keyring);
    await expect(vault.addIdentity({ label: 'security', region: 'eu-west-1\u001b[2J' })).rejects.toMatchObject({ code: 'invalid-value', message: expect.stringMatching(/^Identity security: region = "eu-west-1\\u001b\[2J" is not an AWS region name/) as unknown });
    await expect(vault.addIdentity({ label: 'security', mfaSerial: 'arn:aws:iam::1234:mfa/alice' })).rejects.toMatchObject({ code: 'invalid-value' });
    const ok = await vault.addIdentity({ label: 'security', region: 'eu-west-1', mfaSerial: 'arn:aws:iam::111111111111:mfa/alice' });
    for (const bad of [{ region: 'eu-west-1\r[default]' }, { roleArn: 'arn:aws:iam::1:user/x' }, { roleSessionName: 'a b' }, { externalId: 'x' }, { durationSeconds: 60 }]) {
      expect(() => vault.upsertProfile({ name: 'dev', identityId: ok.id, ...bad })).toThrow(expect.objectContaining({ code: 'invalid-value' }) as Error);
    }
    expect(vault.profiles()).toEqual([]);
    expect(vault.upsertProfile({ name: 'dev', identityId: ok.id, roleArn: 'arn:aws:iam::222222222222:role/engineer', region: 'eu-west-1' }).name).toBe('dev');
  });
});
