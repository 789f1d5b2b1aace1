/**
 * Encrypts secrets at rest. The app plugs in Electron's safeStorage (OS keychain); the command
 * line and the Linux no-keyring case use the passphrase cipher. Ciphertexts are opaque strings
 * that carry their own version, so the vault can tell who wrote them.
 *
 * Every envelope is bound to its place in the vault (`identity:<id>:secretAccessKey`,
 * `session:role:<profile>`, ...): one opened at another place fails as tampered, so envelopes
 * cannot be swapped between profiles or fields. `null` reads an envelope written before
 * envelopes were bound (vault format 1); only the migration to format 2 does that.
 */
import { UserFacingError } from '../user-facing-error.js';

export type EnvelopePlace = string | null;

/**
 * An envelope sealed with key-derivation parameters this build does not use (`vault-tampered`,
 * like any envelope that is not ours): another build or version of AWS Auth Tray wrote it, or it
 * was edited. The vault tells this apart from a wrong passphrase, which it is not.
 */
export class UnsupportedKeyDerivation extends UserFacingError {
  constructor(readonly found: string) {
    super(
      'vault-tampered',
      `A value in the vault failed its integrity check (unsupported key-derivation parameters ${found}): the file was changed outside AWS Auth Tray or is damaged. Nothing was decrypted from it.`,
    );
  }
}

export interface Cipher {
  /** A short, stable name stored in the vault, e.g. `passphrase` or `safe-storage`. */
  readonly kind: string;
  /** Key-derivation salt to store with the vault (passphrase ciphers only). */
  readonly salt?: string;
  encrypt(plaintext: string, place: string): Promise<string>;
  /** Throws `UserFacingError` (`vault-tampered`) when the ciphertext was altered, is not ours, or belongs elsewhere. */
  decrypt(ciphertext: string, place: EnvelopePlace): Promise<string>;
}
