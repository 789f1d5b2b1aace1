import { startVaultKey, type StartedVaultKey } from '../core/crypto/passphrase-cipher.js';
import { peekVaultCipherHeader } from '../core/vault/vault-cipher-header.js';

/**
 * The vault key, its derivation (scrypt, most of a standalone credential_process) started before
 * the rest of the command line loads, which then overlaps it. main.ts starts it from the agent's
 * fast path for `credential-process <profile>` once the agent did not answer; cli-context.ts for
 * any command that unlocks right after opening the vault.
 *
 * The salt is peeked from the vault file. The key is used only by a cipher for the salt that the
 * vault, opened and checked against the schema, names (cli-context.ts, passphrase-cipher.ts): a
 * file changed in between costs a second derivation, never a wrong key. Undefined when the file
 * names no passphrase salt (no vault yet, another cipher, unreadable: the vault's own opening
 * then says what is wrong). Plain data, not a cipher: see StartedVaultKey.
 */
export function startEarlyVaultKey(vaultDir: string, passphrase: string): StartedVaultKey | undefined {
  const header = peekVaultCipherHeader(vaultDir);
  if (header?.kind !== 'passphrase' || header.salt === undefined) return undefined;
  return startVaultKey(passphrase, header.salt);
}
