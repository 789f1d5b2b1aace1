import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { UserFacingError } from '../user-facing-error.js';
import { IniSyntaxError, parseBotocoreIni, type IniFile } from './botocore-ini.js';
import { formatCount, IMPORT_LIMITS } from './import-limits.js';

/**
 * Reads an AWS config or credentials file for the import, or says in one sentence why not: not
 * there (undefined: the caller decides whether that is an error), a directory, a device or a
 * pipe, larger than any real one, not UTF-8 (or UTF-8 with a byte-order mark), or not what the
 * AWS CLI can parse. The file is opened before it is inspected (no race between a check and the
 * read), without blocking on a pipe, and never read beyond the size cap.
 */

export type AwsFileRole = 'config' | 'credentials';

const UNPARSEABLE = `the AWS CLI cannot read it either (it answers "Unable to parse config file")`;

function notAFile(path: string, role: AwsFileRole, what: string): UserFacingError {
  return new UserFacingError(`${role}-not-a-file`, `${path} is ${what}, not an AWS ${role} file. Give the path of the file itself, e.g. ~/.aws/${role}.`);
}

async function openForReading(path: string, role: AwsFileRole): Promise<FileHandle | undefined> {
  try {
    // O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused just after).
    return await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') throw notAFile(path, role, 'a directory');
    throw new UserFacingError(`${role}-unreadable`, `The AWS ${role} file ${path} cannot be read (${code ?? 'error'}).`, { cause: error });
  }
}

async function readCapped(handle: FileHandle, path: string, role: AwsFileRole): Promise<Buffer> {
  const limit = IMPORT_LIMITS.fileBytes;
  const tooLarge = new UserFacingError(
    `${role}-too-large`,
    `The AWS ${role} file ${path} is larger than ${formatCount(limit / 1024 / 1024)} MiB, far more than any real one; AWS Auth Tray does not import it. Check that it is the right file.`,
  );
  const info = await handle.stat();
  if (info.isDirectory()) throw notAFile(path, role, 'a directory');
  if (!info.isFile()) throw notAFile(path, role, 'a device, pipe or socket');
  if (info.size > limit) throw tooLarge;
  // At most limit + 1 bytes, whatever the file grows to while it is read.
  const buffer = Buffer.alloc(Math.min(info.size, limit) + 1);
  let length = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
    if (length === buffer.length) break;
  }
  if (length > limit) throw tooLarge;
  return buffer.subarray(0, length);
}

/** The file's text, or undefined when there is no such file. */
export async function readAwsFileText(path: string, role: AwsFileRole): Promise<string | undefined> {
  const handle = await openForReading(path, role);
  if (!handle) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readCapped(handle, path, role);
  } finally {
    await handle.close();
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new UserFacingError(
      `${role}-syntax`,
      `The AWS ${role} file ${path} starts with a byte-order mark (as Windows Notepad saves "UTF-8 with BOM"), so ${UNPARSEABLE}. Save it as UTF-8 without BOM and import again.`,
    );
  }
  try {
    // ignoreBOM keeps a BOM as a character, as Python does; fatal refuses what Python's decoder refuses.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new UserFacingError(`${role}-syntax`, `The AWS ${role} file ${path} is not UTF-8 text, so ${UNPARSEABLE}. Save it as UTF-8 and import again.`, { cause: error });
  }
}

/** The file parsed as the AWS CLI parses it, or undefined when there is no such file. */
export async function readAwsFile(path: string, role: AwsFileRole): Promise<IniFile | undefined> {
  const text = await readAwsFileText(path, role);
  if (text === undefined) return undefined;
  let file: IniFile;
  try {
    file = parseBotocoreIni(text);
  } catch (error) {
    if (!(error instanceof IniSyntaxError)) throw error;
    // Line numbers and what is wrong, never the line: a broken line may hold a secret key.
    const lines = error.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.reason}`);
    const more = error.problems.length > 3 ? `, and ${formatCount(error.problems.length - 3)} more lines` : '';
    throw new UserFacingError(
      `${role}-syntax`,
      `The AWS ${role} file ${path} has syntax errors, so the AWS CLI refuses it as a whole ("Unable to parse config file") and nothing was imported: ${lines.join('; ')}${more}. Fix the file and import again.`,
      { cause: error },
    );
  }
  if (file.sections.length > IMPORT_LIMITS.sections) {
    throw new UserFacingError(
      `${role}-too-many-sections`,
      `The AWS ${role} file ${path} has ${formatCount(file.sections.length)} sections; AWS Auth Tray imports from files of up to ${formatCount(IMPORT_LIMITS.sections)}. Check that it is the right file, or import a smaller file with the profiles you use.`,
    );
  }
  return file;
}
