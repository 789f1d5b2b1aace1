import { join } from 'node:path';
import type { CipherHeader } from './vault.js';
import { readVaultStore, VAULT_FILE_NAME } from './vault-file-read.js';

/**
 * The vault's cipher header (kind and salt), read from the file before the vault itself is
 * opened, so that the command line can start deriving the passphrase key at once and load the rest
 * of itself while scrypt runs in the thread pool (cli-context.ts). A hint, not a reading of the
 * vault: it is never trusted for anything else; the vault, once opened and checked against its
 * schema, asks for its cipher with the header it read itself, and a key derived from another salt
 * is not used. Undefined for anything but a readable file with a passphrase header.
 */
export function peekVaultCipherHeader(dir: string): CipherHeader | undefined {
  try {
    const cipher = readVaultStore(join(dir, VAULT_FILE_NAME)).cipher;
    if (cipher === null || typeof cipher !== 'object') return undefined;
    const { kind, salt } = cipher as { kind?: unknown; salt?: unknown };
    return typeof kind === 'string' && typeof salt === 'string' ? { kind, salt } : undefined;
  } catch {
    return undefined;
  }
}
