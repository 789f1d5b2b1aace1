import type { ScryptOptions } from 'node:crypto';
import { UserFacingError } from '../user-facing-error.js';
import { UnsupportedKeyDerivation, type Cipher, type EnvelopePlace } from './cipher.js';
import { VAULT_KDF_COST } from './vault-kdf-cost.js';

/**
 * node:crypto, required on first use, not imported: the standalone credential_process starts
 * scrypt from the agent's fast path (early-vault-key.ts), which must not load node:crypto when
 * the agent answers, and node:crypto's ES module facade alone is a fifth of a Node.js start
 * (an ES module import of a built-in evaluates every export; process.getBuiltinModule loads only
 * the module). Looked up at each call, so a test can count the derivations.
 */
const nodeCrypto = () => process.getBuiltinModule('node:crypto');

/**
 * A cipher keyed by a passphrase: scrypt derives a 256-bit key, AES-256-GCM encrypts each value
 * with a fresh random 96-bit nonce and authenticates it with a 128-bit tag, so a changed byte is
 * detected and never decrypted to garbage.
 *
 * Cost parameters: VAULT_KDF_COST (vault-kdf-cost.ts: N = 2^17, r = 8, p = 1). They are written in every
 * envelope, but only the parameters this version writes are accepted: an edited envelope must not
 * be able to make an unlock cost seconds and gigabytes. (Raising them later means a new version
 * that re-seals the vault.)
 *
 * Envelope (version 2), base64url fields joined by `$`:
 *   `aat2$scrypt$<log2 N>,<r>,<p>$<salt 16 B>$<nonce 12 B>$<ciphertext>$<tag 16 B>`
 * authenticated with the associated data `aat2` + newline + the value's place in the vault, so
 * an envelope moved to another place fails its tag. Version 1 (`aat1`, associated data `aat1`,
 * bound to nothing) is read only while a format 1 vault is migrated.
 * One salt per vault (the key is derived once per unlock, not once per value); the salt is
 * random, generated when the vault is created.
 */
export const SCRYPT_PARAMS = VAULT_KDF_COST;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'aat2';
const LEGACY_PREFIX = 'aat1';

const b64 = (data: Buffer): string => data.toString('base64url');

function associatedData(place: EnvelopePlace): Buffer {
  return Buffer.from(place === null ? LEGACY_PREFIX : `${PREFIX}\n${place}`);
}

export interface KdfParams {
  log2N: number;
  r: number;
  p: number;
}

/**
 * A vault key whose derivation was started before any cipher existed (early-vault-key.ts), as
 * plain data: it may come from the agent's fast path, another bundle of the command line, whose
 * classes (errors included) are not this bundle's. A cipher adopts it only for the same salt and
 * cost; a failed derivation is reported by the cipher's first use.
 */
export interface StartedVaultKey {
  salt: string;
  params: KdfParams;
  key: Promise<Buffer>;
}

/** Starts deriving the key for a vault's salt (base64url); undefined for a salt that is not one. */
export function startVaultKey(passphrase: string, salt: string, params: KdfParams = SCRYPT_PARAMS): StartedVaultKey | undefined {
  const saltBytes = Buffer.from(salt, 'base64url');
  if (passphrase.length === 0 || saltBytes.length !== SALT_BYTES || b64(saltBytes) !== salt) return undefined;
  const key = scrypt(passphrase, saltBytes, params);
  key.catch(() => undefined); // reported by the first use
  return { salt, params: { ...params }, key };
}

const sameParams = (a: KdfParams, b: KdfParams): boolean => a.log2N === b.log2N && a.r === b.r && a.p === b.p;

function scrypt(passphrase: string, salt: Buffer, params: KdfParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    nodeCrypto().scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}


function tampered(detail: string): UserFacingError {
  return new UserFacingError(
    'vault-tampered',
    `A value in the vault failed its integrity check (${detail}): the file was changed outside AWS Auth Tray or is damaged. Nothing was decrypted from it.`,
  );
}

interface Envelope {
  params: KdfParams;
  salt: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Decodes base64url strictly: the text must be exactly what encoding the bytes gives back. */
function strictBase64url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return b64(bytes) === text ? bytes : undefined;
}

function parseEnvelope(text: string, place: EnvelopePlace, accepted: KdfParams): Envelope {
  const parts = text.split('$');
  const prefix = place === null ? LEGACY_PREFIX : PREFIX;
  if (parts.length !== 7 || parts[0] !== prefix || parts[1] !== 'scrypt') throw tampered(place === null ? 'not a version 1 passphrase envelope' : 'not a passphrase envelope of this vault format');
  const numbers = (parts[2] ?? '').split(',');
  if (numbers.length !== 3 || numbers.some((n) => !/^[1-9]\d{0,2}$/.test(n))) throw tampered('malformed key-derivation parameters');
  const [log2N, r, p] = numbers.map(Number) as [number, number, number];
  // Only what this version writes: no envelope chooses its own (possibly ruinous) cost.
  if (log2N !== accepted.log2N || r !== accepted.r || p !== accepted.p) throw new UnsupportedKeyDerivation(`${log2N},${r},${p}`);
  const fields = parts.slice(3).map(strictBase64url);
  const [salt, nonce, ciphertext, tag] = fields;
  if (!salt || !nonce || !ciphertext || !tag || salt.length !== SALT_BYTES || nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    throw tampered('malformed envelope');
  }
  return { params: { log2N, r, p }, salt, nonce, ciphertext, tag };
}

export class PassphraseCipher implements Cipher {
  readonly kind = 'passphrase';
  private readonly keys = new Map<string, Promise<Buffer>>();
  private readonly saltBytes: Buffer;
  private readonly params: KdfParams;

  /**
   * @param salt the vault's salt (base64url); omit to create a new vault's.
   * @param params cost parameters; only tests lower them, to keep suites fast.
   * @param started the key, its derivation started earlier from this passphrase (startVaultKey):
   *   used if it is for this salt and cost, else ignored.
   */
  constructor(
    private readonly passphrase: string,
    salt?: string,
    params: KdfParams = SCRYPT_PARAMS,
    started?: StartedVaultKey,
  ) {
    if (passphrase.length === 0) throw new UserFacingError('passphrase-empty', 'The vault passphrase cannot be empty.');
    this.saltBytes = salt === undefined ? nodeCrypto().randomBytes(SALT_BYTES) : Buffer.from(salt, 'base64url');
    if (this.saltBytes.length !== SALT_BYTES) throw new UserFacingError('vault-tampered', 'The vault salt is damaged: the vault file was changed outside AWS Auth Tray.');
    this.params = params;
    if (started && started.salt === this.salt && sameParams(started.params, params)) this.keys.set(this.keyId(this.saltBytes, params), started.key);
  }

  /** The vault's salt, to store beside the vault so the key can be derived again. */
  get salt(): string {
    return b64(this.saltBytes);
  }

  private keyId(salt: Buffer, params: KdfParams): string {
    return `${b64(salt)}:${params.log2N},${params.r},${params.p}`;
  }

  private key(salt: Buffer, params: KdfParams): Promise<Buffer> {
    const id = this.keyId(salt, params);
    let key = this.keys.get(id);
    if (!key) {
      key = scrypt(this.passphrase, salt, params);
      // A vault has one salt; keep a few keys at most, whatever an edited file contains.
      if (this.keys.size >= 4) this.keys.delete(this.keys.keys().next().value ?? '');
      this.keys.set(id, key);
    }
    return key;
  }

  async encrypt(plaintext: string, place: string): Promise<string> {
    const key = await this.key(this.saltBytes, this.params);
    const nonce = nodeCrypto().randomBytes(NONCE_BYTES);
    const cipher = nodeCrypto().createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(place));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const { log2N, r, p } = this.params;
    return [PREFIX, 'scrypt', `${log2N},${r},${p}`, b64(this.saltBytes), b64(nonce), b64(ciphertext), b64(cipher.getAuthTag())].join('$');
  }

  async decrypt(text: string, place: EnvelopePlace): Promise<string> {
    const envelope = parseEnvelope(text, place, this.params);
    const key = await this.key(envelope.salt, envelope.params);
    const decipher = nodeCrypto().createDecipheriv('aes-256-gcm', key, envelope.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(place));
    decipher.setAuthTag(envelope.tag);
    try {
      return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw tampered(place === null ? 'authentication tag mismatch' : 'authentication tag mismatch, or a value moved from another place in the vault');
    }
  }
}

