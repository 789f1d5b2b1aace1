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

// Required, not imported: node:fs's ES module facade reads its stream getters (fs.promises and the streams).
const { readFileSync } = process.getBuiltinModule('node:fs');

/** conf's bookkeeping key, which its reads never hand out. */
const CONF_INTERNAL_KEY = '__internal__';

/**
 * How deep conf writes: it refuses to write a document with a value more than this many levels
 * below a top-level key (conf's `maximumWalkedDepth`; test/unit/core/vault-file-read.test.ts asks
 * conf itself where the line is).
 */
const CONF_WRITABLE_DEPTH = 1000;

/** Whether some value lies deeper below its top-level key than conf would write (no recursion: the file may be hostile). */
function deeperThanWritable(store: object): boolean {
  const pending: [unknown, number][] = Object.values(store).map((value) => [value, 0]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (depth > CONF_WRITABLE_DEPTH) return true;
    if (value !== null && typeof value === 'object') for (const item of Object.values(value)) pending.push([item, depth + 1]);
  }
  return false;
}

/** Valid JSON that cannot be a vault (a SyntaxError still, as conf expects of a failed deserialize). */
export class NotAVaultDocument extends SyntaxError {
  override name = 'NotAVaultDocument';
}

/**
 * Only a JSON object can be a vault; `null`, `[]` or `42` are damage, not an empty vault. So is
 * a document nested deeper than conf writes: it would open, then fail at the first write.
 */
export function deserializeVault(text: string): VaultDocument {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NotAVaultDocument('not a JSON object');
  if (deeperThanWritable(value)) throw new NotAVaultDocument(`nested more than ${CONF_WRITABLE_DEPTH} levels deep`);
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
