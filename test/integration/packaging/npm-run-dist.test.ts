import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { homepageFromRemote } from '../../../scripts/project-homepage.js';
import { closedPort } from '../../support/closed-port.js';

/**
 * npm run dist where Electron cannot be downloaded: one sentence, exit 1, nothing packaged, no
 * stack trace. The download goes to a closed port on loopback (ELECTRON_MIRROR), so this fails
 * the same way on a machine with internet. Uses the app that the test setup built (--skip-build).
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const execFileAsync = promisify(execFile);
const temp = mkdtempSync(join(tmpdir(), 'aat-dist-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));


async function dist(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return execFileAsync(process.execPath, [tsx, 'scripts/dist.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: unknown) => {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    },
  );
}

describe('npm run dist', () => {
  it('offline: a sentence that says what electron-builder needs and what to do; nothing packaged', async () => {
    const port = await closedPort();
    const output = join(temp, 'release');
    const cache = mkdtempSync(join(temp, 'cache-'));
    const out = await dist(['linux', '--dir', '--skip-build', '--output', output], { ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, ELECTRON_CACHE: cache, electron_config_cache: cache });
    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `npm run dist: electron-builder downloads Electron 45.5.0 (and, for some targets, its packaging tools) for every platform it packages, and cannot reach the download server here (connect ECONNREFUSED 127.0.0.1:${port}). Run it on a machine with internet access, or point ELECTRON_MIRROR at a mirror this machine can reach. Nothing was packaged.\n`,
    );
    expect(`${out.stdout}${out.stderr}`).not.toMatch(/^\s+at |stackTrace/m);
    expect(existsSync(join(output, 'linux-unpacked', 'aws-auth-tray'))).toBe(false);
  });

  it('an unknown platform is a usage sentence', async () => {
    const out = await dist(['beos', '--skip-build']);
    expect(out).toMatchObject({ code: 1, stderr: 'npm run dist: "beos" is not a platform: use mac, win or linux, optionally with targets (linux:AppImage,deb).\n' });
  });
});

describe('the homepage a .deb names: the repository the checkout was cloned from', () => {
  it.each([
    ['https://github.com/example-org/aws-auth-tray.git', 'https://github.com/example-org/aws-auth-tray'],
    ['git@github.com:example-org/aws-auth-tray.git', 'https://github.com/example-org/aws-auth-tray'],
    ['ssh://git@gitlab.example.com/team/aws-auth-tray.git', 'https://gitlab.example.com/team/aws-auth-tray'],
    ['https://codeberg.org/team/aws-auth-tray/', 'https://codeberg.org/team/aws-auth-tray'],
  ])('%s → %s', (remote, homepage) => {
    expect(homepageFromRemote(remote)).toBe(homepage);
  });

  it.each(['/srv/git/aws-auth-tray', 'file:///srv/git/aws-auth-tray', '../aws-auth-tray', 'https://github.com/', ''])('%j is no homepage', (remote) => {
    expect(homepageFromRemote(remote)).toBeUndefined();
  });
});
