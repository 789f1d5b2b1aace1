import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The README's install of the command line: `npm link --ignore-scripts` once puts
 * aws-auth-tray on PATH. npm 11 warns about a linked package's `prepare` script not covered by
 * allowScripts (the project's allowScripts does not apply to the global prefix); npm install has
 * already built the command line, so the script is skipped and the install is clean.
 */
const root = new URL('../../../', import.meta.url).pathname;
const prefix = mkdtempSync(join(tmpdir(), 'aws-auth-tray-link-'));
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('npm link --ignore-scripts, as the README says', () => {
  it('links without a warning, and the linked aws-auth-tray runs', { timeout: 90_000 }, async () => {
    const env = { ...process.env, npm_config_prefix: prefix, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const linked = await run('npm', ['link', '--ignore-scripts'], env);
    expect(linked.code).toBe(0);
    expect(linked.stderr).not.toMatch(/warn/i);
    const help = await run(join(prefix, 'bin', 'aws-auth-tray'), ['--help'], { PATH: process.env.PATH ?? '', HOME: prefix });
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: aws-auth-tray/);
  });
});
