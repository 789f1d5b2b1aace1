import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { installerReason, locateElectron } from '../../../scripts/electron-binary.js';
import { closedPort } from '../../support/closed-port.js';

/**
 * `npm start` (and `npm run demo`) where the Electron binary is missing and cannot be downloaded:
 * a sentence that says what is wrong and what to do, not Electron's "Electron failed to install
 * correctly, please delete node_modules/electron…", which fails again offline. The download is
 * pointed at a closed port on loopback, so this fails the same way on any machine, with or
 * without internet, with or without a binary installed.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const execFileAsync = promisify(execFile);
const temp = mkdtempSync(join(tmpdir(), 'aat-electron-binary-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));


function fakeElectronPackage(name: string, files: Record<string, string>): string {
  const dir = join(temp, name);
  for (const [path, text] of Object.entries({ 'package.json': JSON.stringify({ name: 'electron', version: '45.5.0' }), ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('locateElectron (reads the package, never loads it)', () => {
  it('finds the binary the installer unpacked', () => {
    const dir = fakeElectronPackage('installed', { 'path.txt': 'electron', 'dist/electron': '', 'dist/version': 'v45.5.0' });
    expect(locateElectron(dir, {})).toEqual({ path: join(dir, 'dist', 'electron'), version: '45.5.0' });
  });

  it('not downloaded yet: says so', () => {
    const dir = fakeElectronPackage('fresh', {});
    expect(locateElectron(dir, {})).toEqual({ missing: 'the Electron 45.5.0 binary is not installed (it is downloaded on first start, and has not been yet)', version: '45.5.0', packageDir: dir });
  });

  it('a binary of another version left in dist/ does not count', () => {
    const dir = fakeElectronPackage('stale', { 'path.txt': 'electron', 'dist/electron': '', 'dist/version': 'v40.8.5' });
    expect(locateElectron(dir, {})).toMatchObject({ missing: expect.stringContaining('holds Electron 40.8.5') as unknown });
  });

  it('ELECTRON_OVERRIDE_DIST_PATH: an unpacked zip elsewhere, with no path.txt', () => {
    const dir = fakeElectronPackage('override-pkg', {});
    const unpacked = fakeElectronPackage('unpacked', { electron: '', version: 'v45.5.0' });
    const executable = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
    if (executable !== 'electron') writeFileSync(join(unpacked, executable), '');
    expect(locateElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: unpacked })).toEqual({ path: join(unpacked, executable), version: '45.5.0' });
  });

  it("reads the installer's failure as one line", () => {
    expect(installerReason('TypeError: fetch failed\n    at node:internal/deps/undici/undici:13510:13\n')).toBe('fetch failed');
    expect(installerReason('RequestError: getaddrinfo ENOTFOUND example.invalid\n    at ClientRequest.<anonymous>')).toBe('getaddrinfo ENOTFOUND example.invalid');
  });
});

describe('npm start without the Electron binary and no way to download it', () => {
  it('exits 1 with a sentence that names the cause and what to do, and no stack trace', async () => {
    const port = await closedPort();
    const env = {
      ...process.env,
      // An empty folder as "the binary": missing on every machine.
      ELECTRON_OVERRIDE_DIST_PATH: mkdtempSync(join(temp, 'no-binary-')),
      ELECTRON_MIRROR: `http://127.0.0.1:${port}/`,
      electron_config_cache: mkdtempSync(join(temp, 'cache-')),
    };
    const failure = await execFileAsync('npm', ['start', '--silent'], { cwd: ROOT, env }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );
    expect(failure, 'npm start must fail').toBeDefined();
    if (!failure) return;
    expect(failure.code).toBe(1);
    const lines = failure.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^npm start: the Electron 45\.5\.0 binary is not installed \(no .*\); downloading Electron 45\.5\.0 for \S+ once \(about 100 MB\)…$/);
    expect(lines[1]).toBe(
      `npm start: AWS Auth Tray cannot start: the Electron 45.5.0 binary is not installed, and downloading it failed (fetch failed: connect ECONNREFUSED 127.0.0.1:${port}).`,
    );
    expect(lines.slice(2)).toEqual([
      'Electron is downloaded once, on the first start, so run `npm start` again where this machine can reach the download server;',
      `or unpack electron-v45.5.0-${process.platform}-${process.arch}.zip (downloaded elsewhere) into a folder and run \`ELECTRON_OVERRIDE_DIST_PATH=<that folder> npm start\`.`,
      'Without Electron everything else still works: `npm test`, `npm run sts-emulator` and the command line (`npx aws-auth-tray --help`).',
    ]);
    expect(failure.stderr).not.toMatch(/failed to install correctly|delete .?node_modules|^\s+at /m);
  });
});
