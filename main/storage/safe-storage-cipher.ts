import type { SafeStorage } from 'electron';
import type { Cipher } from '../core/crypto/cipher.js';
import { UserFacingError } from '../core/user-facing-error.js';

/**
 * Secrets sealed by the operating system (Electron safeStorage: macOS Keychain, Windows DPAPI,
 * GNOME Keyring / KWallet), through its asynchronous API: it does not block the main process and
 * survives a keyring that is briefly unavailable. (The synchronous API is deprecated in Electron
 * 45 and removed in 46; values it wrote decrypt with the asynchronous one.)
 * Envelope: `ss1$<base64 of safeStorage's bytes>`.
 */
const PREFIX = 'ss1$';

export class SafeStorageCipher implements Cipher {
  readonly kind = 'safe-storage';

  constructor(private readonly storage: Pick<SafeStorage, 'encryptStringAsync' | 'decryptStringAsync'>) {}

  async encrypt(plaintext: string): Promise<string> {
    const bytes = await this.storage.encryptStringAsync(plaintext);
    return `${PREFIX}${bytes.toString('base64')}`;
  }

  async decrypt(ciphertext: string): Promise<string> {
    if (!ciphertext.startsWith(PREFIX)) throw this.tampered();
    const bytes = Buffer.from(ciphertext.slice(PREFIX.length), 'base64');
    try {
      // `shouldReEncrypt` (the OS rotated its key) is not acted on: the value still decrypts,
      // and every session value is re-sealed at its next refresh anyway.
      const { result } = await this.storage.decryptStringAsync(bytes);
      return result;
    } catch (error) {
      throw this.tampered(error);
    }
  }

  private tampered(cause?: unknown): UserFacingError {
    return new UserFacingError(
      'vault-tampered',
      'A value in the vault cannot be decrypted with this computer\'s keychain: it was changed, or made under another user account or on another computer.',
      { cause },
    );
  }
}
