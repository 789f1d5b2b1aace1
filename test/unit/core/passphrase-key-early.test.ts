import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PassphraseCipher, startVaultKey } from '../../../main/core/crypto/passphrase-cipher.js';

/**
 * startVaultKey() starts scrypt before any cipher exists (the command line loads the rest of
 * itself meanwhile, early-vault-key.ts): a cipher adopts the key only for its own salt and cost,
 * derives it once, and a failure is reported by the first use, never as an unhandled rejection.
 */
const FAST = { log2N: 10, r: 8, p: 1 };

describe('a key started before the cipher (startVaultKey: plain data, from another bundle)', () => {
  const cryptoModule = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  afterEach(() => vi.restoreAllMocks());

  it('a wrong passphrase started early still does not open the envelope', async () => {
    const right = new PassphraseCipher('correct horse', undefined, FAST);
    const sealed = await right.encrypt('secret', 'place');
    const wrong = new PassphraseCipher('wrong horse', right.salt, FAST, startVaultKey('wrong horse', right.salt, FAST));
    await expect(wrong.decrypt(sealed, 'place')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('is adopted by a cipher for the same salt and cost: one derivation, and envelopes open', async () => {
    const sealer = new PassphraseCipher('correct horse', undefined, FAST);
    const sealed = await sealer.encrypt('secret', 'place');
    const scrypt = vi.spyOn(cryptoModule, 'scrypt');
    const started = startVaultKey('correct horse', sealer.salt, FAST);
    const cipher = new PassphraseCipher('correct horse', sealer.salt, FAST, started);
    expect(await cipher.decrypt(sealed, 'place')).toBe('secret');
    expect(scrypt).toHaveBeenCalledTimes(1);
  });

  it('is not adopted for another salt or another cost: the cipher derives its own', async () => {
    const sealer = new PassphraseCipher('correct horse', undefined, FAST);
    const sealed = await sealer.encrypt('secret', 'place');
    const otherSalt = startVaultKey('correct horse', new PassphraseCipher('x', undefined, FAST).salt, FAST);
    const otherCost = startVaultKey('correct horse', sealer.salt, { ...FAST, log2N: 11 });
    const scrypt = vi.spyOn(cryptoModule, 'scrypt');
    for (const started of [otherSalt, otherCost]) {
      expect(await new PassphraseCipher('correct horse', sealer.salt, FAST, started).decrypt(sealed, 'place')).toBe('secret');
    }
    expect(scrypt).toHaveBeenCalledTimes(2);
  });

  it('is not started for a salt that is not one, nor an empty passphrase', () => {
    const scrypt = vi.spyOn(cryptoModule, 'scrypt');
    for (const salt of ['', 'c2hvcnQ', 'not base64url at all!!', `${new PassphraseCipher('x', undefined, FAST).salt}=`]) expect(startVaultKey('correct horse', salt, FAST)).toBeUndefined();
    expect(startVaultKey('', new PassphraseCipher('x', undefined, FAST).salt, FAST)).toBeUndefined();
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('a derivation that fails is reported by the first use of the cipher that adopted it, never as an unhandled rejection', async () => {
    const salt = new PassphraseCipher('x', undefined, FAST).salt;
    const impossible = { log2N: 40, r: 8, p: 1 };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const started = startVaultKey('correct horse', salt, impossible);
      await new Promise((resolve) => setImmediate(resolve));
      await expect(new PassphraseCipher('correct horse', salt, impossible, started).encrypt('secret', 'place')).rejects.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
