import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { peekVaultCipherHeader } from '../../../main/core/vault/vault-cipher-header.js';
import { readVaultStore, VAULT_FILE_NAME } from '../../../main/core/vault/vault-file-read.js';
import { VaultFile, vaultStoreOptions, type DocumentStore, type StoreFactory, type StoreOptions } from '../../../main/core/vault/vault-file.js';
import type { VaultDocument } from '../../../main/core/vault/vault-schema.js';
import { Vault } from '../../../main/core/vault/vault.js';

/**
 * The vault is read without conf (vault-file-read.ts) and written through conf, made on the first
 * write. The two must agree: whatever a file holds, the direct read answers what conf's `store`
 * getter answers for the options the vault gives conf (or fails the same way), and what conf
 * writes reads back unchanged.
 */
const FAST = { log2N: 10, r: 8, p: 1 };

/** The very options the vault gives conf. */
const confOptions = (dir: string): StoreOptions => vaultStoreOptions(dir);

type Answer = { value: unknown } | { error: string };

function answer(read: () => unknown): Answer {
  try {
    // Compared as plain data: both answer objects without a prototype.
    return { value: JSON.parse(JSON.stringify(read())) as unknown };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

describe('reading the vault file without conf', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-file-read-'));
    path = join(dir, VAULT_FILE_NAME);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const contents: Record<string, string> = {
    'a vault': JSON.stringify({ format: 2, identities: [{ id: 'i', label: 'security', createdAt: 'x' }], profiles: [], settings: { mfaSessionSeconds: 3600 } }),
    'an empty object': '{}',
    "conf's own bookkeeping key": JSON.stringify({ format: 2, __internal__: { migrations: { version: '1.0.0' } }, profiles: [] }),
    'a key named like a prototype member': JSON.stringify({ format: 2, constructor: 1, toString: 'x', __proto__: { polluted: true } }),
    'a key named toJSON': JSON.stringify({ format: 2, toJSON: 'kept' }),
    'null': 'null',
    'an array': '[]',
    'a number': '42',
    'a string': '"vault"',
    'broken JSON': '{"format": 2,',
    'an empty file': '',
    'a byte order mark': '\uFEFF{"format": 2}',
    'invalid UTF-8': '\u00ff\u00fe{}',
  };

  for (const [what, text] of Object.entries(contents)) {
    it(`answers what conf answers for ${what}`, () => {
      writeFileSync(path, text, 'utf8');
      const direct = answer(() => readVaultStore(path));
      const conf = answer(() => new Conf<VaultDocument>(confOptions(dir)).store);
      expect(direct).toEqual(conf);
    });
  }

  it('answers what conf answers for a missing file (an empty store), and a directory in its place (EISDIR)', () => {
    expect(answer(() => readVaultStore(path))).toEqual(answer(() => new Conf<VaultDocument>(confOptions(dir)).store));
    expect(readVaultStore(path)).toEqual({});
    mkdirSync(path);
    const direct = answer(() => readVaultStore(path));
    expect(direct).toEqual({ error: 'Error: EISDIR' });
    expect(direct).toEqual(answer(() => new Conf<VaultDocument>(confOptions(dir)).store));
  });

  it('reads back exactly what conf wrote, through the vault', async () => {
    const { vault } = Vault.open(dir, (header) => new PassphraseCipher('pass phrase', header?.salt, FAST));
    const identity = await vault.addIdentity({ label: 'security', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', mfaSerial: 'arn:aws:iam::111111111111:mfa/alice', region: 'eu-west-1' });
    vault.upsertProfile({ name: 'dev', identityId: identity.id, roleArn: 'arn:aws:iam::222222222222:role/dev' });
    vault.updateSettings({ keyAgeWarningDays: 30 });
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(readVaultStore(path)))).toEqual(onDisk);
    expect(JSON.parse(JSON.stringify(new Conf<VaultDocument>(confOptions(dir)).store))).toEqual(onDisk);
    // And the vault opened again reads it (from the direct read) as the writer left it.
    const { vault: again } = Vault.open(dir, (header) => new PassphraseCipher('pass phrase', header?.salt, FAST));
    expect(again.profile('dev')).toEqual(vault.profile('dev'));
    expect(again.settings().keyAgeWarningDays).toBe(30);
    expect((await again.longTermKeys(identity.id)).secretAccessKey).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  it('keeps fields a newer version wrote, and conf bookkeeping, across a write', () => {
    writeFileSync(path, JSON.stringify({ format: 2, fromTheFuture: { x: 1 }, __internal__: { migrations: { version: '9.9.9' } } }));
    const { file } = VaultFile.open(dir, new Date());
    expect(file.view()).not.toHaveProperty('__internal__');
    file.update((doc) => {
      doc.secrets.token = 'sealed';
    });
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(onDisk.fromTheFuture).toEqual({ x: 1 });
    expect(onDisk.__internal__).toEqual({ migrations: { version: '9.9.9' } }); // conf, the writer, kept its own key
    expect(onDisk.secrets).toEqual({ token: 'sealed' });
  });
});

describe('the options the vault gives conf', () => {
  it('hold no schema and no ajv options: the command line bundle leaves ajv out (scripts/build-cli.ts)', () => {
    const options = vaultStoreOptions('/nowhere');
    for (const key of ['schema', 'rootSchema', 'ajvOptions']) expect(options).not.toHaveProperty(key);
  });
});

describe('the store is made on the first write, not to read', () => {
  let dir: string;
  let made: number;
  const counting: StoreFactory = (options) => {
    made += 1;
    const store: DocumentStore = new Conf<VaultDocument>(options);
    return store;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-file-store-'));
    made = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads of an existing vault make no store; the first write makes one, and only one', async () => {
    const { vault } = Vault.open(dir, (header) => new PassphraseCipher('pass phrase', header?.salt, FAST), undefined, counting);
    await vault.verifyKey(); // the new vault's cipher header: a write
    const identity = await vault.addIdentity({ label: 'security' });
    vault.upsertProfile({ name: 'dev', identityId: identity.id });
    expect(made).toBe(1);

    made = 0;
    const { vault: reader } = Vault.open(dir, (header) => new PassphraseCipher('pass phrase', header?.salt, FAST), undefined, counting);
    await reader.verifyKey();
    expect(reader.profiles().map((p) => p.name)).toEqual(['dev']);
    expect(reader.identities()).toHaveLength(1);
    expect(made).toBe(0);
    reader.updateSettings({ deactivateOldKey: true });
    reader.updateSettings({ keyAgeWarningDays: 45 });
    expect(made).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, VAULT_FILE_NAME), 'utf8'))).toMatchObject({ settings: { deactivateOldKey: true, keyAgeWarningDays: 45 } });
  });

  it('a file damaged between the read and the first write is said in a sentence, not as a parse error', () => {
    const { file } = VaultFile.open(dir, new Date(), counting);
    file.updateSoon((doc) => {
      doc.secrets.a = 'sealed';
    });
    // The first write (at flush) makes the store, which reads the file: now damaged.
    writeFileSync(join(dir, VAULT_FILE_NAME), '{ damaged');
    return expect(file.flush()).rejects.toMatchObject({ code: 'vault-unreadable', message: expect.stringContaining('it is not valid JSON') as unknown });
  });
});

describe('peeking at the cipher header before the vault opens', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-peek-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names the passphrase vault's kind and salt, the ones the vault asks its keyring for", async () => {
    let asked: unknown;
    const { vault } = Vault.open(dir, (header) => new PassphraseCipher('pass phrase', header?.salt, FAST));
    await vault.verifyKey();
    const { vault: again } = Vault.open(dir, (header) => {
      asked = header;
      return new PassphraseCipher('pass phrase', header?.salt, FAST);
    });
    await again.verifyKey();
    expect(peekVaultCipherHeader(dir)).toEqual(asked);
    expect(peekVaultCipherHeader(dir)).toMatchObject({ kind: 'passphrase', salt: expect.stringMatching(/^[\w-]{22}$/) as unknown });
  });

  it('is undefined, never an error, for anything else', () => {
    const file = join(dir, VAULT_FILE_NAME);
    expect(peekVaultCipherHeader(dir)).toBeUndefined(); // no file
    for (const text of ['{ damaged', 'null', '{"format":2}', '{"cipher":null}', '{"cipher":{"kind":"passphrase"}}', '{"cipher":{"kind":"passphrase","salt":7}}', '{"cipher":"x"}']) {
      writeFileSync(file, text);
      expect(peekVaultCipherHeader(dir)).toBeUndefined();
    }
    rmSync(file);
    mkdirSync(file);
    expect(peekVaultCipherHeader(dir)).toBeUndefined();
    expect(peekVaultCipherHeader(join(dir, 'nowhere'))).toBeUndefined();
  });
});

describe('a vault file nested deeper than the store can write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-file-deep-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A vault whose sessions hold an unknown field with `levels` objects inside it. */
  function nested(levels: number): string {
    let value = '"leaf"';
    for (let i = 0; i < levels; i += 1) value = `{"k":${value}}`;
    return `{"format":2,"identities":[],"profiles":[],"sessions":{"mfa":{},"roles":{},"fromTheFuture":${value}},"secrets":{}}`;
  }

  /** What conf itself does when asked to write back the document it read. */
  function confWritesBack(text: string): boolean {
    writeFileSync(join(dir, VAULT_FILE_NAME), text);
    const conf = new Conf<VaultDocument>({ ...confOptions(dir), deserialize: (t: string) => JSON.parse(t) as VaultDocument });
    try {
      const read = conf.store;
      conf.store = read;
      return true;
    } catch {
      return false;
    } finally {
      rmSync(join(dir, VAULT_FILE_NAME), { force: true });
    }
  }

  it('a vault file nested deeper than the store can write is moved aside on open, not a TypeError at the first write', async () => {
    // conf is the judge of the depth: the deepest document it writes back is kept, one level more is not.
    let deepest = 990;
    while (confWritesBack(nested(deepest + 1))) deepest += 1;
    expect(deepest).toBeLessThan(2_000);
    const keyring = (header: { salt?: string | undefined } | undefined): PassphraseCipher => new PassphraseCipher('pass phrase', header?.salt, FAST);

    writeFileSync(join(dir, VAULT_FILE_NAME), nested(deepest));
    const kept = Vault.open(dir, keyring);
    expect(kept.notice).toBeUndefined();
    await kept.vault.verifyKey(); // a write: the cipher header
    kept.vault.updateSettings({ keyAgeWarningDays: 45 });
    rmSync(join(dir, VAULT_FILE_NAME));

    writeFileSync(join(dir, VAULT_FILE_NAME), nested(deepest + 1));
    const opened = Vault.open(dir, keyring);
    expect(opened.notice).toMatch(/could not be read \(its contents are not a vault\), so it was moved to .*AWS Auth Tray started with an empty vault/s);
    await opened.vault.verifyKey();
    opened.vault.updateSettings({ keyAgeWarningDays: 45 });
    expect(opened.vault.settings().keyAgeWarningDays).toBe(45);
  });
});
