import { describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';

/**
 * startKeyDerivation() starts scrypt before the first use (the command line loads the rest of
 * itself meanwhile, cli-context.ts): the key is the same one, derived once, and a failure is
 * reported by the first use, never as an unhandled rejection.
 */
const FAST = { log2N: 10, r: 8, p: 1 };

describe('deriving the passphrase key early', () => {
  it('gives the key a later use would have derived: envelopes open both ways', async () => {
    const early = new PassphraseCipher('correct horse', undefined, FAST);
    early.startKeyDerivation();
    const late = new PassphraseCipher('correct horse', early.salt, FAST);
    expect(await late.decrypt(await early.encrypt('secret', 'place'), 'place')).toBe('secret');
    expect(await early.decrypt(await late.encrypt('other', 'place'), 'place')).toBe('other');
  });

  it('a wrong passphrase derived early still does not open the envelope', async () => {
    const right = new PassphraseCipher('correct horse', undefined, FAST);
    const sealed = await right.encrypt('secret', 'place');
    const wrong = new PassphraseCipher('wrong horse', right.salt, FAST);
    wrong.startKeyDerivation();
    await expect(wrong.decrypt(sealed, 'place')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('a derivation that fails is reported by the first use, not when it starts', async () => {
    // N = 2^40 is more memory than scrypt will take: it refuses.
    const impossible = new PassphraseCipher('correct horse', undefined, { log2N: 40, r: 8, p: 1 });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(() => impossible.startKeyDerivation()).not.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      await expect(impossible.encrypt('secret', 'place')).rejects.toThrow();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
