import type { SafeStorage } from 'electron';
import type { Cipher, EnvelopePlace } from '../core/crypto/cipher.js';
import { UserFacingError } from '../core/user-facing-error.js';

/**
 * Secrets sealed by the operating system (Electron safeStorage: macOS Keychain, Windows DPAPI,
 * GNOME Keyring / KWallet), through its asynchronous API: it does not block the main process and
 * survives a keyring that is briefly unavailable. (The synchronous API is deprecated in Electron
 * 45 and removed in 46; values it wrote decrypt with the asynchronous one.)
 *
 * safeStorage takes no associated data, so the value's place in the vault is sealed with it:
 * `ss2$<base64 of safeStorage's bytes of "<place>\0<value>">`, and opening it at another place
 * fails as tampered. `ss1$` (the value alone, bound to nothing) is read only while a format 1
 * vault is migrated.
 */
const PREFIX = 'ss2$';
const LEGACY_PREFIX = 'ss1$';
const SEPARATOR = '\u0000';

export class SafeStorageCipher implements Cipher {
  readonly kind = 'safe-storage';

  constructor(private readonly storage: Pick<SafeStorage, 'encryptStringAsync' | 'decryptStringAsync'>) {}

  async encrypt(plaintext: string, place: string): Promise<string> {
    const bytes = await this.storage.encryptStringAsync(`${place}${SEPARATOR}${plaintext}`);
    return `${PREFIX}${bytes.toString('base64')}`;
  }

  async decrypt(ciphertext: string, place: EnvelopePlace): Promise<string> {
    const prefix = place === null ? LEGACY_PREFIX : PREFIX;
    if (!ciphertext.startsWith(prefix)) throw this.tampered();
    const bytes = Buffer.from(ciphertext.slice(prefix.length), 'base64');
    let result: string;
    try {
      // `shouldReEncrypt` (the OS rotated its key) is not acted on: the value still decrypts,
      // and every session value is re-sealed at its next refresh anyway.
      ({ result } = await this.storage.decryptStringAsync(bytes));
    } catch (error) {
      throw this.tampered(error);
    }
    if (place === null) return result;
    const separator = result.indexOf(SEPARATOR);
    // Compared, never echoed: the text is decrypted data.
    if (separator === -1 || result.slice(0, separator) !== place) throw this.tampered();
    return result.slice(separator + 1);
  }

  private tampered(cause?: unknown): UserFacingError {
    return new UserFacingError(
      'vault-tampered',
      'A value in the vault cannot be decrypted with this computer\'s keychain: it was changed, moved from another place in the vault, or made under another user account or on another computer.',
      { cause },
    );
  }
}
