import { describe, expect, it } from 'vitest';
import { PassphraseCipher, SCRYPT_PARAMS } from '../../../main/core/crypto/passphrase-cipher.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';

/**
 * The passphrase cipher: scrypt + AES-256-GCM in a self-describing envelope. Every alteration of
 * an envelope is `vault-tampered`, never garbage; the passphrase and the plaintext never appear in
 * an error message.
 */

/** Cheaper than production's 2^17 so the suite stays fast; the envelope records it either way. */
const FAST = { log2N: 14, r: 8, p: 1 } as const;
const PASSPHRASE = 'correct horse battery staple';
const PLAINTEXT = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** Where the value lives in the vault: every envelope is bound to it. */
const PLACE = 'identity:test-id:secretAccessKey';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENVELOPE = /^aat2\$scrypt\$14,8,1\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{16})\$([A-Za-z0-9_-]*)\$([A-Za-z0-9_-]{22})$/;

/** Envelope fields by position: `aat2$scrypt$<params>$<salt>$<nonce>$<ciphertext>$<tag>`. */
const FIELDS = { salt: 3, nonce: 4, ciphertext: 5, tag: 6 } as const;

function fast(passphrase = PASSPHRASE, salt?: string): PassphraseCipher {
  return new PassphraseCipher(passphrase, salt, FAST);
}

/** Decrypting must fail with `vault-tampered`, with a message that leaks nothing. */
async function expectTampered(cipher: PassphraseCipher, envelope: string): Promise<void> {
  const outcome = await cipher.decrypt(envelope, PLACE).then(
    (text) => ({ decrypted: text }),
    (error: unknown) => ({ error }),
  );
  if ('decrypted' in outcome) {
    // Never print what was decrypted; say only whether it was the original text or garbage.
    const what = outcome.decrypted === PLAINTEXT ? 'the ORIGINAL text' : 'GARBAGE';
    expect.fail(`the changed envelope was decrypted (to ${what}) instead of failing with vault-tampered`);
  }
  const { error } = outcome;
  expect(error).toBeInstanceOf(UserFacingError);
  expect(error).toMatchObject({ code: 'vault-tampered' });
  const message = (error as UserFacingError).message;
  expect(message).toMatch(/^A value in the vault failed its integrity check \(.+\): the file was changed outside AWS Auth Tray or is damaged\. Nothing was decrypted from it\.$/);
  expect(message).not.toContain(PASSPHRASE);
  expect(message).not.toContain(PLAINTEXT);
}

function withField(envelope: string, index: number, value: string): string {
  const parts = envelope.split('$');
  parts[index] = value;
  return parts.join('$');
}

/** The character whose 6-bit value differs in the top bit: always changes a decoded data bit. */
function flipped(ch: string): string {
  const index = B64URL.indexOf(ch);
  if (index === -1) throw new Error(`not a base64url character: ${ch}`);
  return B64URL[index ^ 0b100000] ?? ch;
}

describe('PassphraseCipher: round trip and envelope', () => {
  it('uses scrypt N=2^17, r=8, p=1 by default, and records them in the envelope', async () => {
    expect(SCRYPT_PARAMS).toEqual({ log2N: 17, r: 8, p: 1 });
    // The one production-cost derivation of the suite (about 0.3 s); decrypt reuses the key.
    const cipher = new PassphraseCipher(PASSPHRASE);
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    expect(envelope.split('$').slice(0, 3)).toEqual(['aat2', 'scrypt', '17,8,1']);
    expect(await cipher.decrypt(envelope, PLACE)).toBe(PLAINTEXT);
  });

  it.each([
    ['an access key secret', PLAINTEXT],
    ['the empty string', ''],
    ['unicode (accents, CJK, emoji, combining marks)', 'Crème brûlée — 東京 🔐👩‍💻 e\u0301 \u0000 end'],
    ['session JSON', JSON.stringify({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's/e+c=r', sessionToken: 'IQoJ'.repeat(200), expiration: '2026-01-01T00:00:00Z' })],
  ])('round-trips %s', async (_label, text) => {
    const cipher = fast();
    const envelope = await cipher.encrypt(text, PLACE);
    expect(envelope).not.toContain(text === '' ? '\u0001never' : text);
    expect(await cipher.decrypt(envelope, PLACE)).toBe(text);
  });

  it('writes `aat2$scrypt$<log2N>,<r>,<p>$salt$nonce$ct$tag` with 16-byte salt, 12-byte nonce, 16-byte tag', async () => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    const m = ENVELOPE.exec(envelope);
    expect(m, envelope).not.toBeNull();
    const [, salt = '', nonce = '', ciphertext = '', tag = ''] = m ?? [];
    expect(salt).toBe(cipher.salt);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
    // GCM is a stream mode: the ciphertext is exactly as long as the UTF-8 plaintext.
    expect(Buffer.from(ciphertext, 'base64url')).toHaveLength(Buffer.byteLength(PLAINTEXT, 'utf8'));
  });

  it('uses a fresh random nonce for every encryption: the same text never encrypts the same way twice', async () => {
    const cipher = fast();
    const envelopes = await Promise.all(Array.from({ length: 20 }, () => cipher.encrypt(PLAINTEXT, PLACE)));
    expect(new Set(envelopes).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.split('$')[FIELDS.nonce])).size).toBe(20);
    expect(new Set(envelopes.map((e) => e.split('$')[FIELDS.ciphertext])).size).toBe(20);
    // ... but one salt per vault: the key is derived once per unlock.
    expect(new Set(envelopes.map((e) => e.split('$')[FIELDS.salt]))).toEqual(new Set([cipher.salt]));
    for (const envelope of envelopes) expect(await cipher.decrypt(envelope, PLACE)).toBe(PLAINTEXT);
  });

  it('makes a new random salt for a new vault, and keeps the salt it is given', async () => {
    const a = fast();
    const b = fast();
    expect(a.salt).not.toBe(b.salt);
    const reopened = fast(PASSPHRASE, a.salt);
    expect(reopened.salt).toBe(a.salt);
    expect(await reopened.decrypt(await a.encrypt(PLAINTEXT, PLACE), PLACE)).toBe(PLAINTEXT);
  });

  it('refuses a damaged salt (wrong length) with `vault-tampered`', () => {
    expect(() => fast(PASSPHRASE, 'c2hvcnQ')).toThrow(expect.objectContaining({ code: 'vault-tampered' }) as Error);
    expect(() => fast(PASSPHRASE, '')).toThrow(expect.objectContaining({ code: 'vault-tampered' }) as Error);
  });

  it('refuses an empty passphrase with `passphrase-empty`', () => {
    const error = (() => {
      try {
        new PassphraseCipher('', undefined, FAST);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'passphrase-empty', message: 'The vault passphrase cannot be empty.' });
  });

  it('NFC and NFD forms of a passphrase are the same passphrase', async () => {
    const nfc = 'Crème brûlée à Zürich'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    const writer = fast(nfc);
    const reader = fast(nfd, writer.salt);
    expect(await reader.decrypt(await writer.encrypt(PLAINTEXT, PLACE), PLACE)).toBe(PLAINTEXT);
    expect(await writer.decrypt(await reader.encrypt('and back', PLACE), PLACE)).toBe('and back');
  });
});

describe('PassphraseCipher: a changed envelope is `vault-tampered`, never garbage', () => {
  it('a wrong passphrase is `vault-tampered` (the vault maps it to wrong-passphrase)', async () => {
    const writer = fast();
    const envelope = await writer.encrypt(PLAINTEXT, PLACE);
    await expectTampered(fast('Correct horse battery staple', writer.salt), envelope);
    await expectTampered(fast(`${PASSPHRASE} `, writer.salt), envelope);
  });

  it.each(Object.entries(FIELDS))('flipping any single character of the %s is detected', async (_name, index) => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    const field = envelope.split('$')[index] ?? '';
    expect(field.length).toBeGreaterThan(0);
    for (let i = 0; i < field.length; i += 1) {
      const changed = field.slice(0, i) + flipped(field[i] ?? '') + field.slice(i + 1);
      await expectTampered(cipher, withField(envelope, index, changed));
    }
  });

  it('an envelope moved between values still decrypts only to its own text (nonce and tag travel together)', async () => {
    const cipher = fast();
    const a = (await cipher.encrypt('value A', PLACE)).split('$');
    const b = (await cipher.encrypt('value B', PLACE)).split('$');
    // A's ciphertext with B's nonce and tag, and so on: every splice fails.
    await expectTampered(cipher, withField(a.join('$'), FIELDS.nonce, b[FIELDS.nonce] ?? ''));
    await expectTampered(cipher, withField(a.join('$'), FIELDS.tag, b[FIELDS.tag] ?? ''));
    await expectTampered(cipher, withField(a.join('$'), FIELDS.ciphertext, b[FIELDS.ciphertext] ?? ''));
  });

  it('recorded cost parameters are authenticated by the key: changing them is detected', async () => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    await expectTampered(cipher, withField(envelope, 2, '15,8,1'));
    await expectTampered(cipher, withField(envelope, 2, '14,9,1'));
  });

  it('truncating the ciphertext, or the tag, is detected', async () => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    const parts = envelope.split('$');
    await expectTampered(cipher, withField(envelope, FIELDS.ciphertext, (parts[FIELDS.ciphertext] ?? '').slice(0, -4)));
    await expectTampered(cipher, withField(envelope, FIELDS.ciphertext, ''));
    await expectTampered(cipher, withField(envelope, FIELDS.tag, (parts[FIELDS.tag] ?? '').slice(0, -3)));
    await expectTampered(cipher, withField(envelope, FIELDS.nonce, (parts[FIELDS.nonce] ?? '').slice(0, -4)));
    await expectTampered(cipher, withField(envelope, FIELDS.salt, (parts[FIELDS.salt] ?? '').slice(0, -4)));
  });

  it.each<[string, (envelope: string) => string]>([
    ['the empty string', () => ''],
    ['plain text', () => PLAINTEXT],
    ['a missing field', (e) => e.split('$').slice(0, 6).join('$')],
    ['only the header', (e) => e.split('$').slice(0, 3).join('$')],
    ['an extra field', (e) => `${e}$AAAA`],
    ['the unbound version 1 prefix (a downgrade)', (e) => e.replace(/^aat2/, 'aat1')],
    ['an upper-case prefix', (e) => e.replace(/^aat2/, 'AAT2')],
    ['another key-derivation function', (e) => e.replace('$scrypt$', '$pbkdf2$')],
    ['absurd params: log2N 40', (e) => withField(e, 2, '40,8,1')],
    ['too-weak params: log2N 10', (e) => withField(e, 2, '10,8,1')],
    ['absurd params: r 0', (e) => withField(e, 2, '14,0,1')],
    ['absurd params: r 1000', (e) => withField(e, 2, '14,1000,1')],
    ['absurd params: p 0', (e) => withField(e, 2, '14,8,0')],
    ['absurd params: p 64', (e) => withField(e, 2, '14,8,64')],
    ['non-numeric params', (e) => withField(e, 2, 'x,8,1')],
    ['fractional params', (e) => withField(e, 2, '14.5,8,1')],
    ['missing params', (e) => withField(e, 2, '14,8')],
    ['empty params', (e) => withField(e, 2, '')],
  ])('%s is `vault-tampered`', async (_label, change) => {
    const cipher = fast();
    await expectTampered(cipher, change(await cipher.encrypt(PLAINTEXT, PLACE)));
  });

  /*
   * Regression: base64url decoding ignores unused low bits and stray characters, and a fourth
   * parameter was once ignored, so these edits decrypted to the original text undetected.
   * Every field must now be exactly the canonical encoding.
   */
  it.each<[string, (envelope: string) => string]>([
    ['the last character of the salt, changing only its unused low bits', (e) => withField(e, FIELDS.salt, lowBitsChanged(e.split('$')[FIELDS.salt] ?? ''))],
    ['the last character of the tag, changing only its unused low bits', (e) => withField(e, FIELDS.tag, lowBitsChanged(e.split('$')[FIELDS.tag] ?? ''))],
    ['a non-base64url character appended to the tag', (e) => `${e}!`],
    ['base64 padding appended to the tag', (e) => `${e}==`],
    ['a fourth cost parameter', (e) => withField(e, 2, '14,8,1,7')],
  ])('only the canonical encoding is accepted: %s is `vault-tampered`', async (_label, change) => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    const changed = change(envelope);
    expect(changed).not.toBe(envelope);
    await expectTampered(cipher, changed);
  });
});

/** Changes the last character of a 22-character base64url field only in its 4 unused bits. */
function lowBitsChanged(field: string): string {
  const last = field.at(-1) ?? 'A';
  const index = B64URL.indexOf(last);
  return field.slice(0, -1) + (B64URL[index ^ 0b0001] ?? last);
}

describe('PassphraseCipher: every envelope is bound to its place in the vault', () => {
  it('an envelope opened at another place is `vault-tampered` (dev and prod role sessions cannot be swapped)', async () => {
    const cipher = fast();
    const devSession = await cipher.encrypt(PLAINTEXT, 'session:role:dev');
    expect(await cipher.decrypt(devSession, 'session:role:dev')).toBe(PLAINTEXT);
    await expect(cipher.decrypt(devSession, 'session:role:prod')).rejects.toMatchObject({ code: 'vault-tampered' });
    await expect(cipher.decrypt(devSession, 'identity:x:secretAccessKey')).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('an unbound version 1 envelope opens only for the migration (place null), and a bound one never does', async () => {
    const cipher = fast();
    const bound = await cipher.encrypt(PLAINTEXT, PLACE);
    await expect(cipher.decrypt(bound, null)).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('only the key-derivation parameters this version writes are accepted: an edited envelope cannot make an unlock cost seconds and gigabytes', async () => {
    const cipher = fast();
    const envelope = await cipher.encrypt(PLAINTEXT, PLACE);
    // Refused by parsing, before any key is derived (the message says which check refused it).
    for (const params of ['20,16,4', '18,8,1', '14,16,1', '14,8,2']) {
      await expect(cipher.decrypt(withField(envelope, 2, params), PLACE)).rejects.toMatchObject({ code: 'vault-tampered', message: expect.stringContaining('unsupported key-derivation parameters') as unknown });
    }
  });
});
