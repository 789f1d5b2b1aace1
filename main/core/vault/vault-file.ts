import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Conf from 'conf';
import { UserFacingError } from '../user-facing-error.js';
import { emptyVaultDocument, vaultDocumentSchema, type VaultDocument } from './vault-schema.js';

/**
 * The vault on disk: one JSON file written through `conf` (electron-store's plain-Node base),
 * mode 0600 in a 0700 directory, each write atomic (temp file + rename). A file that cannot be
 * read or parsed is moved aside with a timestamp, never deleted, and reported; the vault then
 * starts empty instead of crashing.
 */
export const VAULT_FILE_NAME = 'vault.json';

export interface OpenedVaultFile {
  file: VaultFile;
  /** Set when a damaged file was moved aside: a sentence for the user. */
  notice?: string;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function describe(error: unknown): string {
  if (error instanceof SyntaxError) return 'it is not valid JSON';
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (error instanceof Error && error.name === 'ZodError') return 'its contents are not a vault';
  return error instanceof Error ? error.message : String(error);
}

export class VaultFile {
  private constructor(
    private readonly conf: Conf<VaultDocument>,
    readonly path: string,
  ) {}

  static open(dir: string, now: Date = new Date()): OpenedVaultFile {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, VAULT_FILE_NAME);
    const make = (): Conf<VaultDocument> =>
      new Conf<VaultDocument>({
        cwd: dir,
        configName: 'vault',
        fileExtension: 'json',
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
        watch: false,
      });
    try {
      const file = new VaultFile(make(), path);
      file.read();
      file.tightenMode();
      return { file };
    } catch (error) {
      if (!existsSync(path)) throw error;
      const aside = `${path}.corrupt-${timestamp(now)}`;
      try {
        renameSync(path, aside);
      } catch (moveError) {
        throw new UserFacingError(
          'vault-unreadable',
          `The vault file ${path} cannot be read (${describe(error)}) and could not be moved aside (${describe(moveError)}). Fix its permissions or move it away, then try again.`,
          { cause: moveError },
        );
      }
      const file = new VaultFile(make(), path);
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
    const raw: unknown = this.conf.store;
    if (raw !== null && typeof raw === 'object' && Object.keys(raw).length === 0) return emptyVaultDocument();
    return vaultDocumentSchema.parse(raw);
  }

  /** read() for use after opening: a file damaged while we run becomes a sentence, not a stack trace. */
  private readChecked(): VaultDocument {
    try {
      return this.read();
    } catch (error) {
      throw new UserFacingError(
        'vault-unreadable',
        `The vault file ${this.path} changed under AWS Auth Tray and cannot be read (${describe(error)}). Restart the command; the damaged file will be moved aside.`,
        { cause: error },
      );
    }
  }

  snapshot(): VaultDocument {
    return this.readChecked();
  }

  /** Read, change, write back atomically. Synchronous, so no other update interleaves. */
  update<T>(change: (doc: VaultDocument) => T): T {
    const doc = this.readChecked();
    const result = change(doc);
    this.conf.store = doc;
    return result;
  }
}
