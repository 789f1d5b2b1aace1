import type { SafeStorage } from 'electron';
import type { Cipher } from '../core/crypto/cipher.js';
import { UserFacingError } from '../core/user-facing-error.js';

/**
 * Secrets sealed by the operating system (Electron safeStorage: macOS Keychain, Windows DPAPI,
 * GNOME Keyring / KWallet). Uses the asynchronous API where this Electron has it (it is not
 * blocking and survives a keyring that is briefly unavailable), else the synchronous one.
 * Envelope: `ss1$<base64 of safeStorage's bytes>`.
 */
type AsyncSafeStorage = {
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<string | { result: string }>;
};

const PREFIX = 'ss1$';

export class SafeStorageCipher implements Cipher {
  readonly kind = 'safe-storage';

  constructor(private readonly storage: SafeStorage) {}

  private get asyncApi(): AsyncSafeStorage | undefined {
    const candidate = this.storage as unknown as Partial<AsyncSafeStorage>;
    return typeof candidate.encryptStringAsync === 'function' && typeof candidate.decryptStringAsync === 'function' ? (candidate as AsyncSafeStorage) : undefined;
  }

  async encrypt(plaintext: string): Promise<string> {
    const api = this.asyncApi;
    const bytes = api ? await api.encryptStringAsync(plaintext) : this.storage.encryptString(plaintext);
    return `${PREFIX}${bytes.toString('base64')}`;
  }

  async decrypt(ciphertext: string): Promise<string> {
    if (!ciphertext.startsWith(PREFIX)) throw this.tampered();
    const bytes = Buffer.from(ciphertext.slice(PREFIX.length), 'base64');
    try {
      const api = this.asyncApi;
      if (!api) return this.storage.decryptString(bytes);
      const result = await api.decryptStringAsync(bytes);
      return typeof result === 'string' ? result : result.result;
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
