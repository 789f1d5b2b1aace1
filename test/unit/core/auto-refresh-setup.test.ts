import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTO_REFRESH_CLEARED, autoRefreshSetup } from '../../../main/core/exports/auto-refresh-setup.js';
import { findShell, sourceAndPrintEnv, type ShellName } from '../../support/shells.js';

/**
 * "Copy auto-refresh setup": the lines that point a terminal at the credential endpoint. The
 * POSIX and fish output is sourced in the real shells; the rest is checked exactly.
 */
const target = { profile: 'dev', endpoint: 'http://127.0.0.1:47821', token: "tok'en$HOME;`x`", region: 'eu-west-1' };

describe('auto-refresh setup', () => {
  it('bash: container variables set, static credentials and AWS_PROFILE cleared', () => {
    expect(autoRefreshSetup('bash', { ...target, token: 'abc' })).toBe(
      [
        "export AWS_CONTAINER_CREDENTIALS_FULL_URI='http://127.0.0.1:47821/profiles/dev'",
        "export AWS_CONTAINER_AUTHORIZATION_TOKEN='abc'",
        "export AWS_REGION='eu-west-1'",
        "export AWS_DEFAULT_REGION='eu-west-1'",
        'unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_CREDENTIAL_EXPIRATION AWS_PROFILE',
        '',
      ].join('\n'),
    );
  });

  it('PowerShell, cmd, dotenv and the ~/.aws/config snippet', () => {
    const t = { ...target, token: 'abc' };
    expect(autoRefreshSetup('powershell', t)).toBe(
      [
        "$Env:AWS_CONTAINER_CREDENTIALS_FULL_URI = 'http://127.0.0.1:47821/profiles/dev'",
        "$Env:AWS_CONTAINER_AUTHORIZATION_TOKEN = 'abc'",
        "$Env:AWS_REGION = 'eu-west-1'",
        "$Env:AWS_DEFAULT_REGION = 'eu-west-1'",
        ...AUTO_REFRESH_CLEARED.map((k) => `Remove-Item Env:${k} -ErrorAction SilentlyContinue`),
        '',
      ].join('\n'),
    );
    expect(autoRefreshSetup('cmd', t)).toBe(
      ['set "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:47821/profiles/dev"', 'set "AWS_CONTAINER_AUTHORIZATION_TOKEN=abc"', 'set "AWS_REGION=eu-west-1"', 'set "AWS_DEFAULT_REGION=eu-west-1"', ...AUTO_REFRESH_CLEARED.map((k) => `set "${k}="`), ''].join('\r\n'),
    );
    expect(autoRefreshSetup('dotenv', { ...t, region: undefined })).toBe(
      // Empty static keys (ignored by every SDK), but no empty AWS_PROFILE: the AWS CLI and boto3 reject it.
      ['AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:47821/profiles/dev', 'AWS_CONTAINER_AUTHORIZATION_TOKEN=abc', ...AUTO_REFRESH_CLEARED.filter((k) => k !== 'AWS_PROFILE').map((k) => `${k}=`), ''].join('\n'),
    );
    expect(autoRefreshSetup('aws-config', t)).toBe(
      '# The aws-auth-tray command line was not found on PATH, so this names it by PATH. Install it\n# (README: npm link --ignore-scripts) and use what this prints instead, with absolute paths:\n#   aws-auth-tray setup credential-process dev\n[profile dev]\ncredential_process = aws-auth-tray credential-process dev\nregion = eu-west-1\n',
    );
    expect(autoRefreshSetup('aws-config', { ...t, commandLine: { nodePath: '/opt/node 24/bin/node', bundlePath: "/home/o'neil/aws-auth-tray.js" } })).toBe(
      "[profile dev]\ncredential_process = '/opt/node 24/bin/node' '/home/o'\\''neil/aws-auth-tray.js' credential-process dev\nregion = eu-west-1\n",
    );
  });

  describe('sourced in real shells', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'auto-refresh-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    for (const name of ['bash', 'zsh', 'fish'] as ShellName[]) {
      const found = findShell(name);
      if ('missing' in found) console.warn(`SKIP ${name}: ${found.missing}`);
      it.skipIf('missing' in found)(`${name}${'missing' in found ? ` (skipped: ${found.missing})` : ''}: every variable exactly, static credentials and AWS_PROFILE gone`, async () => {
        const file = join(dir, `setup.${name}`);
        // Static credentials that must be cleared, then the setup.
        const before = name === 'fish' ? "set -gx AWS_ACCESS_KEY_ID AKIAOLD; set -gx AWS_SESSION_TOKEN old\n" : "export AWS_ACCESS_KEY_ID=AKIAOLD AWS_SESSION_TOKEN=old\n";
        await writeFile(file, before + autoRefreshSetup(name, target));
        const env = await sourceAndPrintEnv(name, 'path' in found ? found.path : name, file, { home: dir, cwd: dir, awsProfile: 'old-profile' });
        expect(env.get('AWS_CONTAINER_CREDENTIALS_FULL_URI')).toBe('http://127.0.0.1:47821/profiles/dev');
        expect(env.get('AWS_CONTAINER_AUTHORIZATION_TOKEN')).toBe(target.token);
        expect(env.get('AWS_REGION')).toBe('eu-west-1');
        for (const cleared of AUTO_REFRESH_CLEARED) expect(env.has(cleared), cleared).toBe(false);
      });
    }
  });
});
