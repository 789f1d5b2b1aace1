import { readFileSync } from 'node:fs';
import type { VaultDocument } from './vault-schema.js';

/**
 * Reading the vault file as `conf` reads it, without constructing conf (or loading it: conf
 * imports ajv, a third of the command line's start-up): the command line reads its vault on every
 * credential_process call and writes it only when a session changes, so vault-file.ts reads with
 * this and makes the conf store on its first write. conf stays the only writer.
 *
 * What conf's `store` getter does with the options the vault gives it (no schema, no defaults,
 * no encryption, no dot notation, our `deserialize`): read the file as UTF-8, deserialize it, copy
 * its top-level keys into an object without a prototype, and hide its own bookkeeping key
 * (`__internal__`). Read errors are thrown as they are, except a missing file, which is an empty
 * store. (conf also creates a missing directory there; this read creates nothing: the vault's
 * writes create it private, vault-file.ts.) test/unit/core/vault-file-read.test.ts holds the two
 * to the same answers.
 */
export const VAULT_FILE_NAME = 'vault.json';

/** conf's bookkeeping key, which its reads never hand out. */
const CONF_INTERNAL_KEY = '__internal__';

/** Only a JSON object can be a vault; `null`, `[]` or `42` are damage, not an empty vault. */
export function deserializeVault(text: string): VaultDocument {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SyntaxError('not a JSON object');
  return value as VaultDocument;
}

/** The vault file's document as conf's `store` getter returns it, not yet checked against the schema. */
export function readVaultStore(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Object.create(null) as Record<string, unknown>;
    throw error;
  }
  const store = Object.assign(Object.create(null) as Record<string, unknown>, deserializeVault(text));
  if (typeof store.toJSON === 'function') delete store.toJSON;
  delete store[CONF_INTERNAL_KEY];
  return store;
}
