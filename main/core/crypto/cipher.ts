/**
 * Encrypts secrets at rest. The app plugs in Electron's safeStorage (OS keychain); the command
 * line and the Linux no-keyring case use the passphrase cipher. Ciphertexts are opaque strings
 * that carry their own version, so the vault can tell who wrote them.
 */
export interface Cipher {
  /** A short, stable name stored in the vault, e.g. `passphrase` or `safe-storage`. */
  readonly kind: string;
  /** Key-derivation salt to store with the vault (passphrase ciphers only). */
  readonly salt?: string;
  encrypt(plaintext: string): Promise<string>;
  /** Throws `UserFacingError` (`vault-tampered`) when the ciphertext was altered or is not ours. */
  decrypt(ciphertext: string): Promise<string>;
}
