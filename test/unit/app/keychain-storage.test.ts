import type { SafeStorage } from 'electron';
import { describe, expect, it } from 'vitest';
import { SafeStorageCipher } from '../../../main/storage/safe-storage-cipher.js';
import { chooseStorage } from '../../../main/storage/storage-mode.js';

/**
 * The keychain side of the vault against a stand-in for Electron 45's safeStorage that has only
 * the asynchronous API: the synchronous methods are deprecated in 45 and removed in 46, so any
 * call to them fails here.
 */
type Backend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

function fakeSafeStorage(backend: Backend, available: boolean): SafeStorage {
  const api = {
    getSelectedStorageBackend: () => backend,
    isAsyncEncryptionAvailable: () => Promise.resolve(available),
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`sealed:${Buffer.from(text).toString('hex')}`)),
    decryptStringAsync: (bytes: Buffer) => {
      const text = bytes.toString();
      if (!text.startsWith('sealed:')) return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'));
      return Promise.resolve({ shouldReEncrypt: false, result: Buffer.from(text.slice('sealed:'.length), 'hex').toString() });
    },
  };
  return new Proxy(api, {
    get(target, name) {
      if (name in target) return target[name as keyof typeof target];
      throw new Error(`safeStorage.${String(name)} called: only the asynchronous API may be used`);
    },
  }) as unknown as SafeStorage;
}

describe('chooseStorage', () => {
  it('Linux basic_text: a passphrase, even though the asynchronous API says it is available', async () => {
    const mode = await chooseStorage(fakeSafeStorage('basic_text', true), 'linux');
    expect(mode.protection).toBe('passphrase');
    expect(mode.protection === 'passphrase' && mode.explanation).toMatch(/No system keyring/);
  });

  it('Linux with no backend chosen: a passphrase', async () => {
    expect((await chooseStorage(fakeSafeStorage('unknown', true), 'linux')).protection).toBe('passphrase');
  });

  it.each([['linux', 'gnome_libsecret'], ['darwin', 'unknown'], ['win32', 'unknown']] as const)('%s: the keychain when encryption is available', async (platform, backend) => {
    expect((await chooseStorage(fakeSafeStorage(backend, true), platform)).protection).toBe('keychain');
  });

  it('keychain unavailable: a passphrase, with a sentence that says so', async () => {
    const mode = await chooseStorage(fakeSafeStorage('kwallet6', false), 'linux');
    expect(mode.protection === 'passphrase' && mode.explanation).toMatch(/keychain is not available/);
  });
});

describe('SafeStorageCipher', () => {
  const cipher = new SafeStorageCipher(fakeSafeStorage('gnome_libsecret', true));
  const PLACE = 'identity:abc:secretAccessKey';

  it('seals and opens through the asynchronous API, in its own envelope', async () => {
    const sealed = await cipher.encrypt('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', PLACE);
    expect(sealed).toMatch(/^ss2\$[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('wJalrXUtnFEMI');
    await expect(cipher.decrypt(sealed, PLACE)).resolves.toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  });

  it('a value opened at another place in the vault is "tampered" (no swapping envelopes)', async () => {
    const dev = await cipher.encrypt('dev session', 'session:role:dev');
    await expect(cipher.decrypt(dev, 'session:role:prod')).rejects.toMatchObject({ code: 'vault-tampered' });
    // the unbound version 1 envelope is read only by the migration (place null); a bound one never is
    await expect(cipher.decrypt(dev, null)).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('an unbound version 1 value (ss1$) opens for the migration', async () => {
    const legacy = `ss1$${Buffer.from(`sealed:${Buffer.from('old secret').toString('hex')}`).toString('base64')}`;
    await expect(cipher.decrypt(legacy, null)).resolves.toBe('old secret');
    await expect(cipher.decrypt(legacy, PLACE)).rejects.toMatchObject({ code: 'vault-tampered' });
  });

  it('a value from another envelope or one the keychain refuses is "tampered", with a sentence', async () => {
    await expect(cipher.decrypt('pp1$abc', PLACE)).rejects.toMatchObject({ code: 'vault-tampered' });
    await expect(cipher.decrypt(`ss2$${Buffer.from('garbage').toString('base64')}`, PLACE)).rejects.toMatchObject({
      code: 'vault-tampered',
      message: expect.stringMatching(/cannot be decrypted with this computer's keychain/) as unknown,
    });
  });
});
