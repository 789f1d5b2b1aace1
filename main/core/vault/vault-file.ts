import { chmodSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Conf from 'conf';
import { UserFacingError } from '../user-facing-error.js';
import { deserializeVault, NotAVaultDocument, readVaultStore, VAULT_FILE_NAME } from './vault-file-read.js';
import { CURRENT_VAULT_FORMAT, emptyVaultDocument, vaultDocumentSchema, vaultFormatOf, type VaultDocument } from './vault-schema.js';

/**
 * The vault on disk: one JSON file written through `conf` (electron-store's plain-Node base),
 * mode 0600 in a 0700 directory, each write atomic (temp file + rename). It is read as conf
 * reads it (vault-file-read.ts), and the conf store is made on the first write: a command that
 * only reads (a cached credential_process) never constructs it. A file that cannot be
 * read or parsed is moved aside with a timestamp, never deleted, and reported; the vault then
 * starts empty instead of crashing.
 *
 * A vault written by a newer version (a higher format) is refused with a sentence and left
 * exactly where it is; fields this version does not know are kept (vault-schema.ts). The
 * directory is created private (0700) when it is new; an existing one is never changed, and one
 * that other users can write is refused.
 *
 * Reads come from memory while the file is unchanged on disk (size, mtime and inode), so a
 * burst of lookups does not re-parse it. Caches (sessions) may be written with
 * `updateSoon`: changes made within a short window go to disk in one write, off the caller's
 * path; `flush()` writes them at once (the command line does before it exits, the app on quit).
 */
export { VAULT_FILE_NAME };

/** How long cache changes (sessions) gather before one write: a burst of answers is one write. */
export const CACHE_WRITE_WINDOW_MS = 100;

/** What the vault needs of its store: conf's whole-document getter and setter. */
export interface DocumentStore {
  store: VaultDocument;
}

/** The options the vault gives its store; conf and electron-store (a conf) both accept them. */
export interface StoreOptions {
  cwd: string;
  configName: string;
  fileExtension: string;
  configFileMode: number;
  clearInvalidConfig: false;
  accessPropertiesByDotNotation: false;
  watch: false;
  deserialize: (text: string) => VaultDocument;
}

/** Makes the store: conf by default; the app passes electron-store. */
export type StoreFactory = (options: StoreOptions) => DocumentStore;

const confStore: StoreFactory = (options) => new Conf<VaultDocument>(options);

/** What the vault gives conf (or electron-store) for the vault file in `dir`. */
export function vaultStoreOptions(dir: string): StoreOptions {
  return {
    cwd: dir,
    configName: 'vault',
    fileExtension: 'json',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch: false,
    deserialize: deserializeVault,
  };
}

export interface OpenedVaultFile {
  file: VaultFile;
  /** Set when a damaged file was moved aside: a sentence for the user. */
  notice?: string;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `vault.json.corrupt-<time>`, never the name of a file already there. */
function asideName(path: string, now: Date): string {
  const base = `${path}.corrupt-${timestamp(now)}`;
  let candidate = base;
  for (let n = 2; existsSync(candidate); n += 1) candidate = `${base}-${n}`;
  return candidate;
}

function describe(error: unknown): string {
  if (error instanceof NotAVaultDocument) return 'its contents are not a vault';
  if (error instanceof SyntaxError) return 'it is not valid JSON';
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  // zod's error (ZodError; $ZodError from zod/mini, vault-schema.ts).
  if (error instanceof Error && (error.name === 'ZodError' || error.name === '$ZodError')) return 'its contents are not a vault';
  return error instanceof Error ? error.message : String(error);
}

/**
 * The vault's directory: created private when it does not exist; an existing one (chosen with
 * --vault-dir or AWS_AUTH_TRAY_HOME) is used as it is, never chmodded, unless other users can
 * write into it, which is refused: they could replace the vault or plant files beside it.
 */
function prepareDirectory(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return;
  }
  const stats = statSync(dir);
  if (!stats.isDirectory()) throw new UserFacingError('vault-dir', `The vault directory ${dir} is not a directory; choose another with --vault-dir or AWS_AUTH_TRAY_HOME.`);
  if (process.platform !== 'win32' && (stats.mode & 0o022) !== 0) {
    throw new UserFacingError(
      'vault-dir-unsafe',
      `Other users can write into ${dir} (mode 0${(stats.mode & 0o7777).toString(8)}), so they could replace the vault there. Choose a private directory with --vault-dir or AWS_AUTH_TRAY_HOME (or, if the directory is yours, run chmod go-w on it).`,
    );
  }
}

export class VaultFile {
  private cache: { doc: VaultDocument; stamp: string } | undefined;
  private dirty = false;
  /** While above 0, update() changes the document in memory and the batch writes it once at its end. */
  private batching = 0;
  private pendingWrite: Promise<void> | undefined;
  /** Writes the pending cache changes at once (flush), instead of at the end of the window. */
  private writeSoonNow: (() => void) | undefined;

  /** conf (or the app's electron-store), made on the first write. */
  private store: DocumentStore | undefined;

  private constructor(
    private readonly makeStore: () => DocumentStore,
    readonly path: string,
  ) {}

  static open(dir: string, now: Date = new Date(), createStore: StoreFactory = confStore): OpenedVaultFile {
    prepareDirectory(dir);
    const path = join(dir, VAULT_FILE_NAME);
    const make = (): DocumentStore => createStore(vaultStoreOptions(dir));
    try {
      const file = new VaultFile(make, path);
      file.read();
      file.tightenMode();
      return { file };
    } catch (error) {
      // A newer vault is not damage: leave it for the version that wrote it.
      if (!existsSync(path) || (error instanceof UserFacingError && error.code === 'vault-newer')) throw error;
      const aside = asideName(path, now);
      try {
        renameSync(path, aside);
      } catch (moveError) {
        throw new UserFacingError(
          'vault-unreadable',
          `The vault file ${path} cannot be read (${describe(error)}) and could not be moved aside (${describe(moveError)}). Fix its permissions or move it away, then try again.`,
          { cause: moveError },
        );
      }
      const file = new VaultFile(make, path);
      return {
        file,
        notice: `The vault file could not be read (${describe(error)}), so it was moved to ${aside} and AWS Auth Tray started with an empty vault. Nothing was deleted: the old file is still there if you want to inspect it.`,
      };
    }
  }

  /** An existing file with looser permissions (copied in, restored from backup) is tightened. */
  private tightenMode(): void {
    if (existsSync(this.path) && process.platform !== 'win32') chmodSync(this.path, 0o600);
  }

  read(): VaultDocument {
    const raw: unknown = readVaultStore(this.path);
    if (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 0) return emptyVaultDocument();
    const format = vaultFormatOf(raw);
    if (format !== undefined && format > CURRENT_VAULT_FORMAT) {
      throw new UserFacingError(
        'vault-newer',
        `The vault ${this.path} was written by a newer version of AWS Auth Tray (vault format ${format}; this version reads up to ${CURRENT_VAULT_FORMAT}). Update AWS Auth Tray to use it; the file was left as it is.`,
      );
    }
    return vaultDocumentSchema.parse(raw);
  }

  /** read() for use after opening: a file damaged while we run becomes a sentence, not a stack trace. */
  private readChecked(): VaultDocument {
    try {
      return this.read();
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      throw new UserFacingError(
        'vault-unreadable',
        `The vault file ${this.path} changed under AWS Auth Tray and cannot be read (${describe(error)}). Restart the command; the damaged file will be moved aside.`,
        { cause: error },
      );
    }
  }

  private stamp(): string {
    try {
      const stat = statSync(this.path);
      return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    } catch {
      return 'absent';
    }
  }

  /** The document as it is now: our unwritten changes, else the file (re-read only if it changed). */
  private current(): VaultDocument {
    if (this.dirty && this.cache) return this.cache.doc;
    const stamp = this.stamp();
    if (!this.cache || this.cache.stamp !== stamp) this.cache = { doc: this.readChecked(), stamp };
    return this.cache.doc;
  }

  private write(): void {
    if (!this.cache) return;
    // Recreate a removed directory as private, not with conf's default mode.
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.writer().store = this.cache.doc;
    this.dirty = false;
    this.cache.stamp = this.stamp();
  }

  /**
   * The store, made now if this is the first write. conf reads the file when it is made: a file
   * damaged since it was read here is said as such, not as conf's parse error.
   */
  private writer(): DocumentStore {
    if (!this.store) {
      try {
        this.store = this.makeStore();
      } catch (error) {
        throw new UserFacingError(
          'vault-unreadable',
          `The vault file ${this.path} changed under AWS Auth Tray and cannot be read (${describe(error)}). Restart the command; the damaged file will be moved aside.`,
          { cause: error },
        );
      }
    }
    return this.store;
  }

  /** The document, read-only: no copy, so lookups in a burst stay cheap. Change it with update(). */
  view(): Readonly<VaultDocument> {
    return this.current();
  }


  /** Change the document and write it now, atomically. Synchronous: no other update interleaves. */
  update<T>(change: (doc: VaultDocument) => T): T {
    const result = change(this.current());
    if (this.batching > 0) this.dirty = true;
    else this.write();
    return result;
  }

  /**
   * Run `work` with every update() in it kept in memory, then write the document once (also when
   * `work` fails part-way: what it changed is kept, as it would have been without the batch). An
   * import of thousands of profiles is one write, not one fsync per profile.
   */
  async batch<T>(work: () => Promise<T>): Promise<T> {
    // Unwritten changes from before belong to the state the batch starts from.
    if (this.dirty && this.batching === 0) this.write();
    this.batching += 1;
    try {
      return await work();
    } finally {
      this.batching -= 1;
      if (this.batching === 0 && this.dirty) this.write();
    }
  }

  /**
   * Change the document now; write it, with every other such change, once the burst is over:
   * within CACHE_WRITE_WINDOW_MS. Verifying many accounts saves a role session as each answer
   * arrives; writing (and fsyncing) each at once blocked the event loop while other answers
   * waited (`npm run bench`: 16 ms of every sign-in to 20 accounts). A change is in memory at
   * once, and flush() writes at once; a crash inside the window loses only cached sessions,
   * which are derived again.
   */
  updateSoon<T>(change: (doc: VaultDocument) => T): T {
    const result = change(this.current());
    this.dirty = true;
    this.pendingWrite ??= new Promise<void>((resolve, reject) => {
      const writeNow = (): void => {
        clearTimeout(timer);
        this.pendingWrite = undefined;
        this.writeSoonNow = undefined;
        try {
          // Inside a batch, the batch writes at its end.
          if (this.dirty && this.batching === 0) this.write();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const timer = setTimeout(writeNow, CACHE_WRITE_WINDOW_MS);
      this.writeSoonNow = writeNow;
    });
    // A failed write of a cache must not crash the process; flush() reports it.
    this.pendingWrite.catch(() => undefined);
    return result;
  }

  /** Write every change now (a pending cache write too), and wait until it is on disk. */
  async flush(): Promise<void> {
    const pending = this.pendingWrite;
    this.writeSoonNow?.();
    await pending;
    if (this.dirty) this.write();
  }
}
