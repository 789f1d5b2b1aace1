import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appChannelTokenPath } from '../../../main/core/endpoint/app-channel-location.js';
import { startAppChannel } from '../../../main/core/endpoint/app-channel-server.js';
import type { RunningServer } from '../../../main/core/endpoint/running-server.js';
import { MfaPromptCancelled } from '../../../main/core/sessions/mfa-prompter.js';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { findAwsCliV2 } from '../../support/aws-cli.js';
import { CLI_BUNDLE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { createCore, importReferenceProfiles, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, type CoreUnderTest } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * The command line routed through a running app: here the app's core runs in the test, with its
 * app channel on a socket, and the built aws-auth-tray talks to it. The app's prompter (its
 * popup) asks once for every concurrent command; the command line needs no passphrase of its own.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const cli = findAwsCliV2();

describe('aws-auth-tray through the running app', () => {
  const emulator = useEmulator();
  let app: CoreUnderTest;
  let channel: RunningServer;
  let sandbox: CliSandbox;
  let socket: string;

  beforeEach(async () => {
    app = createCore(emulator(), fixture);
    await importReferenceProfiles(app.vault);
    sandbox = cliSandbox(emulator().url);
    socket = join(sandbox.home, 'runtime', 'aws-auth-tray', 'app.sock');
    channel = await startAppChannel(
      {
        sessions: app.sessions,
        requester: (profile) => ({ kind: 'command-line', description: `aws-auth-tray in a terminal (${profile})` }),
        verify: (profiles, requester) => verifyAccounts(app, { requester, ...(profiles ? { profiles } : {}) }),
      },
      { socketPath: socket, tokenFile: appChannelTokenPath(socket, sandbox.home) },
    );
  });
  afterEach(async () => {
    await channel.close();
    await app.cleanup();
    sandbox.cleanup();
  });

  /** The command line with the app's socket, and no passphrase of its own. */
  const env = (): Record<string, string | undefined> => ({ AWS_AUTH_TRAY_APP_SOCKET: socket, AWS_AUTH_TRAY_PASSPHRASE: undefined });

  it('the socket is private: mode 0600 in a 0700 directory', () => {
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    expect(statSync(join(sandbox.home, 'runtime', 'aws-auth-tray')).mode & 0o777).toBe(0o700);
  });

  it('several concurrent credential-process calls: one prompt in the app, one GetSessionToken, every call answered', async () => {
    let release!: () => void;
    const typed = new Promise<void>((resolve) => (release = resolve));
    app.prompter.answer = async () => {
      await typed;
      return currentCode(emulator(), alice.seed);
    };
    const profiles = ['dev', 'stage', 'prod', 'dev', 'shared-services', 'security'];
    const runs = Promise.all(profiles.map((p) => sandbox.run(['credential-process', p], { env: env() })));
    await expect.poll(() => app.prompter.prompts.length, { timeout: 15_000 }).toBe(1);
    release();
    const results = await runs;
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });
    }
    expect(app.prompter.prompts).toHaveLength(1);
    expect(app.prompter.prompts[0]?.requester.description).toMatch(/^aws-auth-tray in a terminal \(/);
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(1);
  });

  it('verify and export go through the app too', async () => {
    const verify = await sandbox.run(['verify', '--json'], { env: env() });
    expect(verify.exitCode).toBe(0);
    expect((JSON.parse(verify.stdout) as { results: { verdict: string }[] }).results.map((r) => r.verdict)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const exported = await sandbox.run(['export', 'prod', '--format', 'powershell'], { env: env() });
    expect(exported.stdout).toMatch(/^\$Env:AWS_ACCESS_KEY_ID = 'ASIA/m);
    expect(app.prompter.prompts).toHaveLength(1);
  });

  it('a cancelled popup reaches the command line as the sentence (exit 1)', async () => {
    app.prompter.answer = () => Promise.reject(new MfaPromptCancelled());
    const out = await sandbox.run(['credential-process', 'dev'], { env: env() });
    expect(out).toMatchObject({ exitCode: 1, stdout: '', stderr: 'aws-auth-tray: Sign-in cancelled: no MFA code was entered.\n' });
    // The app's refusal is the answer: the command line does not ask again (a second popup).
    expect(app.prompter.prompts).toHaveLength(1);
  });

  it('AWS_AUTH_TRAY_STANDALONE=1 ignores the app; with no profiles of its own it says how to start', async () => {
    const out = await sandbox.run(['export', 'dev'], { env: { ...env(), AWS_AUTH_TRAY_STANDALONE: '1' } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe(
      'aws-auth-tray: The AWS Auth Tray app is not running, and the command line has no profiles of its own. Start the app, or set up the command line with: aws-auth-tray import-config ~/.aws/config\n',
    );
  });

  it('once the app has quit, the command line falls back to its own vault', async () => {
    await channel.close();
    const out = await sandbox.run(['export', 'dev'], { env: env() });
    expect(out.stderr).toContain('The AWS Auth Tray app is not running');
  });
});

describe('aws-auth-tray serve', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;

  beforeEach(async () => {
    sandbox = cliSandbox(emulator().url);
    expect((await sandbox.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await sandbox.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  it.skipIf('missing' in cli)(`prints the lines that point another terminal at it; the AWS CLI then gets dev's identity; SIGINT stops it${'missing' in cli ? ` (skipped: ${cli.missing})` : ''}`, async () => {
    const child = spawn(process.execPath, [CLI_BUNDLE, 'serve', '--profile', 'dev'], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await expect.poll(() => out.includes('PowerShell:'), { timeout: 15_000 }).toBe(true);
      expect(out).toMatch(/^AWS Auth Tray credential endpoint on http:\/\/127\.0\.0\.1:\d+ \(Ctrl-C stops it\)\. Profiles: security, dev, stage, prod, shared-services\.$/m);
      const bash = out.slice(out.indexOf('export AWS_CONTAINER'), out.indexOf('\nfish:'));
      expect(bash).toContain('/profiles/dev');
      const awsPath = 'path' in cli ? cli.path : 'aws';
      const script = `${bash}\n"${awsPath}" sts get-caller-identity --endpoint-url "${emulator().url}" --output json`;
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const sh = spawn('bash', ['-c', script], { env: { PATH: process.env.PATH ?? '', HOME: sandbox.home, AWS_CONFIG_FILE: join(sandbox.home, 'empty'), AWS_SHARED_CREDENTIALS_FILE: join(sandbox.home, 'empty'), AWS_EC2_METADATA_DISABLED: 'true' } });
        let stdout = '';
        let stderr = '';
        sh.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        sh.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        sh.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject({ Arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' });
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });

  /** Start serve, wait for its setup lines, and return them with a way to stop it. */
  async function startServe(args: string[] = []): Promise<{ out: string; address: string; token: string; stop: () => Promise<number | null> }> {
    const child = spawn(process.execPath, [CLI_BUNDLE, 'serve', ...args], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out.includes('PowerShell:'), { timeout: 15_000 }).toBe(true);
    const address = /endpoint on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
    const token = /AWS_CONTAINER_AUTHORIZATION_TOKEN='([^']+)'/.exec(out)?.[1] ?? '';
    return {
      out,
      address,
      token,
      stop: () => {
        child.kill('SIGINT');
        return new Promise((resolve) => child.on('exit', resolve));
      },
    };
  }

  it('terminals do not go stale across restarts: the port and every profile token are remembered', async () => {
    const first = await startServe(['--profile', 'dev']);
    expect(await first.stop()).toBe(0);
    const second = await startServe(['--profile', 'dev']);
    try {
      expect(second.address).toBe(first.address);
      expect(second.token).toBe(first.token);
      const answer = await fetch(`${second.address}/profiles/dev`, { headers: { authorization: first.token } });
      expect(answer.status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("one token per profile: dev's token does not open prod; --print gives prod's own; --rotate-token invalidates them all", async () => {
    const running = await startServe(['--profile', 'dev']);
    try {
      const prodWithDevToken = await fetch(`${running.address}/profiles/prod`, { headers: { authorization: running.token } });
      expect(prodWithDevToken.status).toBe(403);
      expect(((await prodWithDevToken.json()) as { message: string }).message).toMatch(/^Wrong Authorization token for profile "prod": each profile has its own token/);
      const printed = await sandbox.run(['serve', '--print', 'prod', '--format', 'fish']);
      expect(printed.exitCode).toBe(0);
      expect(printed.stdout).toContain(`set -gx AWS_CONTAINER_CREDENTIALS_FULL_URI '${running.address}/profiles/prod'`);
      const prodToken = /AWS_CONTAINER_AUTHORIZATION_TOKEN '([^']+)'/.exec(printed.stdout)?.[1] ?? '';
      expect(prodToken).not.toBe(running.token);
      expect((await fetch(`${running.address}/profiles/prod`, { headers: { authorization: prodToken } })).status).toBe(200);
    } finally {
      await running.stop();
    }
    const rotated = await startServe(['--profile', 'dev', '--rotate-token']);
    try {
      expect(rotated.out).toContain('New tokens: terminals set up before must copy their setup again.');
      expect(rotated.token).not.toBe(running.token);
      expect((await fetch(`${rotated.address}/profiles/dev`, { headers: { authorization: running.token } })).status).toBe(403);
      expect((await fetch(`${rotated.address}/profiles/dev`, { headers: { authorization: rotated.token } })).status).toBe(200);
    } finally {
      await rotated.stop();
    }
  });

  it('--help says how to rotate the tokens', async () => {
    const out = await sandbox.run(['serve', '--help']);
    expect(out.stdout).toContain('--rotate-token');
    expect(out.stdout).toContain('Each profile has its own token');
  });
});
