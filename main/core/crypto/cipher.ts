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
export type EnvelopePlace = string | null;

export interface Cipher {
  /** A short, stable name stored in the vault, e.g. `passphrase` or `safe-storage`. */
  readonly kind: string;
  /** Key-derivation salt to store with the vault (passphrase ciphers only). */
  readonly salt?: string;
  encrypt(plaintext: string, place: string): Promise<string>;
  /** Throws `UserFacingError` (`vault-tampered`) when the ciphertext was altered, is not ours, or belongs elsewhere. */
  decrypt(ciphertext: string, place: EnvelopePlace): Promise<string>;
}
