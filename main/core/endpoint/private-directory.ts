import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UserFacingError } from '../user-facing-error.js';
import { randomBytesOfTheSystem } from './system-random.js';

/**
 * The directory where our own processes meet (the app channel's socket and token) must belong
 * to the user: another local user who could create it first (it may live in a shared /tmp)
 * would otherwise listen on our socket, hand out their own credentials, or make us write through
 * a planted symlink. Both ends check it with lstat (never following a symlink): owned by this
 * uid, a real directory, mode 0700. Files in it are created exclusively without following
 * symlinks and renamed into place; files are read without following symlinks, and only if they
 * are ours and private.
 *
 * On Windows there are no uids or modes to check (the profile's ACLs guard it); symlinks are
 * still refused.
 */
const POSIX = process.platform !== 'win32';

function uid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function describeMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8)}`;
}

/** Why `stats` (from lstat) is not a private directory of ours; undefined when it is. */
function directoryProblem(path: string, stats: Stats): string | undefined {
  if (stats.isSymbolicLink()) return `${path} is a symbolic link, not a directory`;
  if (!stats.isDirectory()) return `${path} is not a directory`;
  if (!POSIX) return undefined;
  const me = uid();
  if (me !== undefined && stats.uid !== me) return `${path} belongs to another user (uid ${stats.uid}, you are ${me})`;
  if ((stats.mode & 0o077) !== 0) return `${path} can be used by other users (mode ${describeMode(stats.mode)}, not 0700)`;
  return undefined;
}

function untrusted(problem: string): UserFacingError {
  return new UserFacingError(
    'untrusted-directory',
    `Not using ${problem}: another user could read or replace what AWS Auth Tray keeps there. Remove it (or, if it is yours, make it private with chmod 700), then try again.`,
  );
}

/**
 * Check a directory without creating it: `missing` when it does not exist, `ok`, or the sentence
 * that says why it cannot be trusted.
 */
export function checkPrivateDirectory(path: string): { state: 'missing' } | { state: 'ok' } | { state: 'untrusted'; error: UserFacingError } {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    throw error;
  }
  const problem = directoryProblem(path, stats);
  return problem ? { state: 'untrusted', error: untrusted(problem) } : { state: 'ok' };
}

/**
 * Create the directory (mode 0700) if it is missing, then prove it is ours and private. An
 * existing directory is never changed: if it is not private, this refuses with a sentence.
 */
export function ensurePrivateDirectory(path: string): void {
  const before = checkPrivateDirectory(path);
  if (before.state === 'untrusted') throw before.error;
  if (before.state === 'missing') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      // Someone made it between our look and our mkdir: the check below decides.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const after = checkPrivateDirectory(path);
  if (after.state === 'untrusted') throw after.error;
  if (after.state === 'missing') throw untrusted(`${path}, which vanished while it was being created`);
}

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Write `content` as `dir/name` (mode 0600): created under a fresh random name with O_EXCL and
 * O_NOFOLLOW inside the verified directory, then renamed over the final name, so a symlink
 * planted there is replaced, never written through.
 */
export function writePrivateFile(path: string, content: string): void {
  const dir = dirname(path);
  ensurePrivateDirectory(dir);
  const temporary = join(dir, `.${basename(path)}.${Buffer.from(randomBytesOfTheSystem(6)).toString('hex')}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Read `path` if it exists and is a regular file of ours that only we can read, without following
 * a symlink. Undefined when it does not exist; a sentence when it cannot be trusted.
 */
export function readPrivateFile(path: string): string | undefined {
  const dir = checkPrivateDirectory(dirname(path));
  if (dir.state === 'missing') return undefined;
  if (dir.state === 'untrusted') throw dir.error;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw untrusted(`${path}, a symbolic link`);
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw untrusted(`${path}, which is not a regular file`);
    const me = uid();
    if (POSIX && me !== undefined && stats.uid !== me) throw untrusted(`${path}, which belongs to another user (uid ${stats.uid})`);
    if (POSIX && (stats.mode & 0o077) !== 0) throw untrusted(`${path}, which other users can read (mode ${describeMode(stats.mode)})`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Remove a socket left by an earlier run at `path`, inside a verified directory: only a socket
 * of ours; anything else there is refused with a sentence.
 */
export function removeStaleSocket(path: string): void {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const me = uid();
  if (!stats.isSocket() || (me !== undefined && stats.uid !== me)) throw untrusted(`${path}, which is not a socket of yours`);
  rmSync(path, { force: true });
}
