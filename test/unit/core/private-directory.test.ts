import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPrivateDirectory, ensurePrivateDirectory, readPrivateFile, writePrivateFile } from '../../../main/core/endpoint/private-directory.js';

/**
 * The directory where the app and the command line meet: only a directory of the user's own,
 * private, and never through a symlink; files created exclusively and renamed into place.
 */
const root = mkdtempSync(join(tmpdir(), 'aat-private-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `case-${(n += 1)}`);

describe('private directory', () => {
  it('a missing directory is created with mode 0700', () => {
    const dir = join(fresh(), 'aws-auth-tray');
    ensurePrivateDirectory(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(checkPrivateDirectory(dir)).toEqual({ state: 'ok' });
  });

  it('a directory others can enter is refused with a sentence, and left as it was', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o777);
    expect(() => ensurePrivateDirectory(dir)).toThrow(/Not using .* can be used by other users \(mode 0777, not 0700\).*Remove it/);
    expect(statSync(dir).mode & 0o777).toBe(0o777);
  });

  it('a symlink to a private directory is refused (lstat, never followed)', () => {
    const real = fresh();
    ensurePrivateDirectory(real);
    const link = fresh();
    symlinkSync(real, link);
    expect(checkPrivateDirectory(link)).toMatchObject({ state: 'untrusted', error: { code: 'untrusted-directory', message: expect.stringContaining('is a symbolic link') as unknown } });
  });

  it('a planted symlink at the token path is replaced, never written through', () => {
    const dir = fresh();
    ensurePrivateDirectory(dir);
    const victim = join(root, `bashrc-${n}`);
    writeFileSync(victim, 'echo hello\n');
    symlinkSync(victim, join(dir, 'app.token'));
    writePrivateFile(join(dir, 'app.token'), 'token-value');
    expect(readFileSync(victim, 'utf8')).toBe('echo hello\n');
    expect(lstatSync(join(dir, 'app.token')).isSymbolicLink()).toBe(false);
    expect(statSync(join(dir, 'app.token')).mode & 0o777).toBe(0o600);
    expect(readPrivateFile(join(dir, 'app.token'))).toBe('token-value');
  });

  it('reading refuses a symlinked token file and one others can read; a missing one is undefined', () => {
    const dir = fresh();
    ensurePrivateDirectory(dir);
    writeFileSync(join(root, `elsewhere-${n}`), 'attacker token');
    symlinkSync(join(root, `elsewhere-${n}`), join(dir, 'linked.token'));
    expect(() => readPrivateFile(join(dir, 'linked.token'))).toThrow(/a symbolic link/);
    writeFileSync(join(dir, 'open.token'), 'x', { mode: 0o644 });
    chmodSync(join(dir, 'open.token'), 0o644);
    expect(() => readPrivateFile(join(dir, 'open.token'))).toThrow(/other users can read \(mode 0644\)/);
    expect(readPrivateFile(join(dir, 'none.token'))).toBeUndefined();
    expect(readPrivateFile(join(fresh(), 'none.token'))).toBeUndefined();
  });

  it('reading from a directory others can write is refused', () => {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    writeFileSync(join(dir, 'app.token'), 'x', { mode: 0o600 });
    expect(() => readPrivateFile(join(dir, 'app.token'))).toThrow(/can be used by other users \(mode 01777/);
  });
});
