import type { Clock } from '../core/clock.js';
import type { Cipher } from '../core/crypto/cipher.js';
import { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
import { UserFacingError } from '../core/user-facing-error.js';
import type { StoreFactory } from '../core/vault/vault-file.js';
import { Vault } from '../core/vault/vault.js';
import type { NoticesStore } from './notices-store.js';
import type { ChangeSignal } from './state-feed.js';

/**
 * The vault and the key to it: opening the vault, choosing the cipher that seals its secrets
 * (the OS keychain, or the user's passphrase where there is no keyring), whether it is unlocked,
 * and unlocking it.
 */

export type StorageMode =
  /** Secrets sealed by the OS keychain (Electron safeStorage). */
  | { protection: 'keychain'; cipher: () => Cipher }
  /** No keyring (Linux basic_text): the user's passphrase seals them. */
  | { protection: 'passphrase'; explanation: string };

export interface VaultAccessOptions {
  vaultDir: string;
  storage: StorageMode;
  clock: Clock;
  /** The store the vault is kept in (electron-store in the app); default conf. */
  createStore?: StoreFactory | undefined;
  /** Passphrase cost parameters; only tests lower them. */
  passphraseParams?: ConstructorParameters<typeof PassphraseCipher>[2];
}

function lockedError(): UserFacingError {
  return new UserFacingError('vault-locked', 'The vault is locked: enter its passphrase to unlock it.');
}

export class VaultAccess {
  readonly vault: Vault;
  readonly storage: StorageMode;
  private passphrase: string | undefined;
  private isUnlocked: boolean;

  constructor(
    private readonly options: VaultAccessOptions,
    private readonly notices: NoticesStore,
    private readonly changes: ChangeSignal,
  ) {
    this.storage = options.storage;
    this.isUnlocked = options.storage.protection === 'keychain';
    const { vault, notice } = Vault.open(options.vaultDir, (header) => this.cipherFor(header?.kind, header?.salt), options.clock, options.createStore);
    this.vault = vault;
    if (notice) notices.add('warning', notice);
    if (options.storage.protection === 'passphrase' && options.storage.explanation) notices.add('info', options.storage.explanation);
  }

  /** A keychain vault always is; a passphrase vault once its passphrase was accepted. */
  get unlocked(): boolean {
    return this.isUnlocked;
  }

  requireUnlocked(): void {
    if (!this.isUnlocked) throw lockedError();
  }

  /**
   * Checks the passphrase against the vault and, if right, unlocks it (the keyring explanation
   * goes). Resolves to false for a keychain vault, which has no passphrase and is never locked.
   */
  async unlock(passphrase: string): Promise<boolean> {
    if (this.storage.protection !== 'passphrase') return false;
    const explanation = this.storage.explanation;
    this.passphrase = passphrase;
    try {
      await this.vault.verifyKey();
    } catch (error) {
      this.passphrase = undefined;
      throw error;
    }
    this.isUnlocked = true;
    this.notices.withdraw(explanation);
    this.changes.changed();
    return true;
  }

  private cipherFor(kind: string | undefined, salt: string | undefined): Cipher {
    const storage = this.storage;
    if (storage.protection === 'keychain' && (kind === undefined || kind !== 'passphrase')) return storage.cipher();
    if (this.passphrase === undefined) throw lockedError();
    return new PassphraseCipher(this.passphrase, salt, this.options.passphraseParams);
  }
}
