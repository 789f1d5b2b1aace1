import type { SafeStorage } from 'electron';
import type { StorageMode } from '../app-services/vault-access.js';
import { SafeStorageCipher } from './safe-storage-cipher.js';

/**
 * Keychain when the OS has one; otherwise a passphrase, and the user is told why. On Linux
 * without a keyring Electron falls back to `basic_text`, which "encrypts" with a hard-coded
 * password: we do not pretend that protects anything. Call after the app is ready. Uses only
 * safeStorage's asynchronous API: the synchronous one is deprecated in Electron 45, gone in 46.
 */
export async function chooseStorage(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): Promise<StorageMode> {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  if (backend === 'basic_text' || backend === 'unknown') {
    return {
      protection: 'passphrase',
      explanation:
        'No system keyring (GNOME Keyring or KWallet) is running, so the keychain would only hide your keys behind a password built into Electron. AWS Auth Tray encrypts them with a passphrase of your own instead; you type it once each time the app starts.',
    };
  }
  // The backend check above comes first: on Linux the asynchronous API reports itself available
  // even on basic_text (it falls back to a key of its own), so availability alone proves no keyring.
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    return {
      protection: 'passphrase',
      explanation: "This computer's keychain is not available to AWS Auth Tray, so your keys are encrypted with a passphrase of your own instead; you type it once each time the app starts.",
    };
  }
  return { protection: 'keychain', cipher: () => new SafeStorageCipher(safeStorage) };
}
