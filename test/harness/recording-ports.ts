import { randomBytes } from 'node:crypto';
import type { ClipboardPort, ExternalUrlPort, FileDialogPort, LoginItemPort, NotifierPort, SettingsStorePort } from '../../main/app-services/app-ports.js';
import type { Cipher, EnvelopePlace } from '../../main/core/crypto/cipher.js';
import { PassphraseCipher } from '../../main/core/crypto/passphrase-cipher.js';
import type { Settings } from '../../main/ipc/ipc-contract.js';
import { TEST_SCRYPT } from '../support/core-harness.js';

/**
 * The desktop ports of the app services, as recorders: what the app would have done to the
 * clipboard, the notification centre, the login items and the file dialog.
 */

export class ClipboardRecorder implements ClipboardPort {
  text = '';
  readonly log: ({ op: 'write'; text: string } | { op: 'read' } | { op: 'clear' })[] = [];

  writeText(text: string): Promise<void> {
    this.text = text;
    this.log.push({ op: 'write', text });
    return Promise.resolve();
  }

  readText(): Promise<string> {
    this.log.push({ op: 'read' });
    return Promise.resolve(this.text);
  }

  clear(): void {
    this.text = '';
    this.log.push({ op: 'clear' });
  }
}

export class NotifierRecorder implements NotifierPort {
  readonly notifications: { title: string; body: string; click?: (() => void) | undefined }[] = [];

  notify(title: string, body: string, options?: { onClick?: () => void }): void {
    this.notifications.push({ title, body, click: options?.onClick });
  }
}

/** The default browser: records every URL the app asked it to open (console sign-in links). */
export class ExternalUrlRecorder implements ExternalUrlPort {
  readonly opened: string[] = [];

  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  }
}

export class LoginItemRecorder implements LoginItemPort {
  readonly calls: boolean[] = [];

  setLaunchAtLogin(enabled: boolean): void {
    this.calls.push(enabled);
  }
}

export class FixedFileDialog implements FileDialogPort {
  readonly asked: string[] = [];

  constructor(private readonly answer: string | null) {}

  chooseConfigFile(defaultPath: string): Promise<string | null> {
    this.asked.push(defaultPath);
    return Promise.resolve(this.answer);
  }
}

export class MemorySettingsStore implements SettingsStorePort {
  stored: Partial<Settings> = {};
  readonly writes: Settings[] = [];

  read(): Partial<Settings> {
    return { ...this.stored };
  }

  write(settings: Settings): void {
    this.stored = { ...settings };
    this.writes.push({ ...settings });
  }
}

/**
 * Stands in for the OS keychain (Electron safeStorage): a passphrase cipher under a random key
 * nobody types, reporting its own kind so the vault never mistakes it for a passphrase vault.
 */
export class TestKeychainCipher implements Cipher {
  readonly kind = 'test-keychain';
  private readonly inner = new PassphraseCipher(randomBytes(24).toString('base64url'), undefined, TEST_SCRYPT);

  encrypt(plaintext: string, place: string): Promise<string> {
    return this.inner.encrypt(plaintext, place);
  }

  decrypt(ciphertext: string, place: EnvelopePlace): Promise<string> {
    return this.inner.decrypt(ciphertext, place);
  }
}
