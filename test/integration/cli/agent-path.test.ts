import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appChannelTokenPath } from '../../../main/core/endpoint/app-channel-location.js';
import { startAppChannel } from '../../../main/core/endpoint/app-channel-server.js';
import type { CredentialServerOptions } from '../../../main/core/endpoint/credential-routes.js';
import type { RunningServer } from '../../../main/core/endpoint/running-server.js';
import type { SessionManager } from '../../../main/core/sessions/session-manager.js';
import { CLI_BUNDLE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { closedPort } from '../../support/closed-port.js';
import { EXPECTED_ARNS, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { openConsoleLink } from '../console/console-link.js';

/**
 * The agent path: while `aws-auth-tray serve` (or the app) runs, credential-process, export,
 * exec and verify in other terminals ask it over the app channel and never unlock a vault
 * themselves; when it is gone, before or during a request, they fall back to their own vault or
 * stop with a sentence.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

describe('aws-auth-tray serve is the agent for the command line', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  const serves: ChildProcess[] = [];

  beforeEach(async () => {
    sandbox = cliSandbox(emulator().url);
    expect((await sandbox.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await sandbox.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  });
  afterEach(async () => {
    for (const child of serves.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    sandbox.cleanup();
  });

  /** Start serve (its own port), wait for its setup lines; stdout and stderr so far. */
  async function startServe(port?: number): Promise<{ child: ChildProcess; out: () => string; err: () => string }> {
    const child = spawn(process.execPath, [CLI_BUNDLE, 'serve', ...(port === undefined ? [] : ['--port', String(port)])], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    serves.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    await expect.poll(() => out.includes('PowerShell:') || child.exitCode !== null, { timeout: 15_000 }).toBe(true);
    return { child, out: () => out, err: () => err };
  }

  /** The command line in another terminal: no passphrase, so only an agent can answer. */
  const noPassphrase = { AWS_AUTH_TRAY_PASSPHRASE: undefined };

  it('credential-process, export, exec and verify answer through serve, without a passphrase and without a new STS sign-in', async () => {
    const serve = await startServe();
    expect(serve.out()).toContain(`The command line here (credential-process, export, exec, verify, console) asks this serve, through ${sandbox.env.AWS_AUTH_TRAY_APP_SOCKET}.`);
    emulator().clearRequests();

    const json = await sandbox.run(['credential-process', 'dev'], { env: noPassphrase });
    expect(json.stderr).toBe('');
    const credentials = JSON.parse(json.stdout) as { Version: number; AccessKeyId: string };
    expect(credentials).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });

    const exported = await sandbox.run(['export', 'dev', '--format', 'bash'], { env: noPassphrase });
    expect(exported).toMatchObject({ exitCode: 0, stderr: '' });
    expect(exported.stdout).toContain(`export AWS_ACCESS_KEY_ID='${credentials.AccessKeyId}'`);

    const executed = await sandbox.run(['exec', 'dev', '--', 'sh', '-c', 'printf %s "$AWS_ACCESS_KEY_ID"'], { env: noPassphrase });
    expect(executed).toMatchObject({ exitCode: 0, stdout: credentials.AccessKeyId, stderr: '' });

    const verified = await sandbox.run(['verify', '--json', 'dev', 'prod'], { env: noPassphrase });
    expect(verified.stderr).toBe('');
    expect((JSON.parse(verified.stdout) as { results: { verdict: string }[] }).results.map((r) => r.verdict)).toEqual(['ok', 'ok']);

    // serve's MFA session was used: no code asked, no GetSessionToken.
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
  });

  it("console through serve: a sign-in link made from serve's session (no passphrase, no new sign-in), and serve's sentence for the IAM user's own profile", async () => {
    await startServe();
    emulator().clearRequests();
    const link = await sandbox.run(['console', 'dev', '--print-url'], { env: noPassphrase });
    expect(link).toMatchObject({ exitCode: 0, stderr: '' });
    const page = await openConsoleLink(link.stdout.trim());
    expect(page).toMatchObject({ status: 200, arn: EXPECTED_ARNS.dev, destination: 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1' });
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
    // The destination and region travel with the request.
    const elsewhere = await sandbox.run(['console', 'dev', '--print-url', '--region', 'us-west-2', '--destination', '/ec2/home'], { env: noPassphrase });
    expect(elsewhere).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await openConsoleLink(elsewhere.stdout.trim())).destination).toBe('https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2');

    const own = await sandbox.run(['console', 'security', '--print-url'], { env: noPassphrase });
    expect(own.exitCode).toBe(1);
    expect(own.stdout).toBe('');
    expect(own.stderr).toMatch(/^aws-auth-tray: Profile security is your IAM user itself, not a role, .* Sign in with your password and MFA at https:\/\/111111111111\.signin\.aws\.amazon\.com\/console, or open the console of one of your role profiles\.\n$/);
  });

  it("credential-process through the agent loads its fast path only: one file of the bundle, no vault, schema library, AWS SDK, node:crypto or HTTP", async () => {
    await startServe();
    // What the process loaded, written as it exits: the bundle's files, and Node.js's own modules.
    const record = join(sandbox.home, 'loaded.json');
    const recorder = `data:text/javascript,${encodeURIComponent(
      `import { registerHooks } from 'node:module'; const files = []; registerHooks({ load(url, context, next) { files.push(url); return next(url, context); } }); process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ files, builtins: process.moduleLoadList })));`,
    )}`;
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', recorder, CLI_BUNDLE, 'credential-process', 'dev'], { env: { ...sandbox.env, ...noPassphrase, AWS_AUTH_TRAY_PASSPHRASE: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout }));
    });
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ Version: 1 });
    const loaded = JSON.parse(readFileSync(record, 'utf8')) as { files: string[]; builtins: string[] };
    expect(loaded.files.filter((url) => url.startsWith('file:')).map((url) => url.split('/').at(-1))).toEqual(['aws-auth-tray.js']);
    expect(loaded.builtins).not.toContain('NativeModule crypto');
    expect(loaded.builtins.filter((name) => /internal\/crypto|zlib|worker_threads/.test(name))).toEqual([]);
    // The app channel is not HTTP (app-channel-frames.ts): no HTTP client or parser is loaded.
    expect(loaded.builtins.filter((name) => /^NativeModule (_?http|internal\/http)/.test(name))).toEqual([]);
  });

  it('credential-process through the agent exits as soon as its answer is written, its credentials or its refusal whole, whatever else would keep Node.js running', async () => {
    await startServe();
    // Something that keeps the event loop alive for an hour: the answer must not wait for it.
    const keepAlive = `data:text/javascript,${encodeURIComponent('setTimeout(() => undefined, 3_600_000);')}`;
    const run = (profile: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', keepAlive, CLI_BUNDLE, 'credential-process', profile], { env: { ...sandbox.env, ...noPassphrase, AWS_AUTH_TRAY_PASSPHRASE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
        serves.push(child); // killed after the test if it is still running (it should not be)
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      });
    const answered = await run('dev');
    expect(answered).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(answered.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string, Expiration: expect.any(String) as string });
    const refused = await run('no-such-profile');
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toMatch(/^aws-auth-tray: .*no-such-profile.*\n$/);
  });

  it('credential-process without the agent starts the vault key from the fast path, before the rest of the command line loads, and derives it once', async () => {
    // No serve. What the process loaded before its first key derivation, and how many it made.
    const record = join(sandbox.home, 'derivations.json');
    const recorder = `data:text/javascript,${encodeURIComponent(
      `import { registerHooks } from 'node:module'; const files = []; const before = []; let derivations = 0;
       registerHooks({ load(url, context, next) { files.push(url); return next(url, context); } });
       const crypto = process.getBuiltinModule('node:crypto'); const scrypt = crypto.scrypt;
       crypto.scrypt = (...args) => { derivations += 1; if (derivations === 1) before.push(...files); return scrypt(...args); };
       process.on('exit', () => process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify({ before, derivations })));`,
    )}`;
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', recorder, CLI_BUNDLE, 'credential-process', 'dev'], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
    expect(out).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(out.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });
    const seen = JSON.parse(readFileSync(record, 'utf8')) as { before: string[]; derivations: number };
    expect(seen.derivations).toBe(1);
    expect(seen.before.filter((url) => url.startsWith('file:')).map((url) => url.split('/').at(-1))).toEqual(['aws-auth-tray.js']);
  });

  it('a second serve says the command line keeps asking the first, and serves its endpoint only', async () => {
    const first = await startServe();
    const second = await startServe(await closedPort());
    expect(second.err()).toContain('The command line in other terminals will not ask this serve: Another program already listens on');
    expect(second.out()).not.toContain('The command line here');
    expect(second.child.exitCode).toBeNull();
    // The first one's socket was not taken over.
    const json = await sandbox.run(['credential-process', 'dev'], { env: noPassphrase });
    expect(json).toMatchObject({ exitCode: 0, stderr: '' });
    first.child.kill('SIGINT');
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(existsSync(sandbox.env.AWS_AUTH_TRAY_APP_SOCKET ?? '')).toBe(false);
  });

  it('after serve is killed (its socket left behind), the command line uses its own vault, or says how to unlock it; the next serve takes the socket over', async () => {
    const serve = await startServe();
    serve.child.kill('SIGKILL');
    await new Promise((resolve) => serve.child.once('exit', resolve));
    expect(existsSync(sandbox.env.AWS_AUTH_TRAY_APP_SOCKET ?? '')).toBe(true);

    const standalone = await sandbox.run(['credential-process', 'dev']);
    expect(standalone).toMatchObject({ exitCode: 0, stderr: '' });
    const locked = await sandbox.run(['credential-process', 'dev'], { env: noPassphrase });
    expect(locked.exitCode).toBe(1);
    expect(locked.stderr).toBe('aws-auth-tray: The vault is locked and there is no terminal to ask for its passphrase. Set AWS_AUTH_TRAY_PASSPHRASE, or run the command in a terminal.\n');

    const next = await startServe();
    expect(next.out()).toContain('The command line here');
    expect(await sandbox.run(['credential-process', 'dev'], { env: noPassphrase })).toMatchObject({ exitCode: 0, stderr: '' });
  });
});

/**
 * A command line with its own vault (the reference profiles imported, not signed in) and, on its
 * socket, an agent of the test's making: `options` is given the channel once it runs.
 */
async function sandboxWithAgent(url: string, options: (channel: () => RunningServer | undefined) => CredentialServerOptions): Promise<{ sandbox: CliSandbox; channel: RunningServer }> {
  const sandbox = cliSandbox(url);
  expect((await sandbox.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
  const socket = join(sandbox.home, 'runtime', 'app.sock');
  sandbox.env.AWS_AUTH_TRAY_APP_SOCKET = socket;
  // The agent's options may close the agent itself (called only once it runs).
  const channel: RunningServer = await startAppChannel(options(() => channel), { socketPath: socket, tokenFile: appChannelTokenPath(socket, sandbox.home) });
  return { sandbox, channel };
}

describe('an agent that goes away during a request', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  let channel: RunningServer | undefined;

  beforeEach(async () => {
    // An agent that answers the probe, then quits while a command waits for credentials.
    ({ sandbox, channel } = await sandboxWithAgent(emulator().url, (self) => {
      const quit = async (): Promise<never> => {
        await self()?.close();
        throw new Error('unreachable: the connection is gone');
      };
      return { sessions: { getCredentials: quit } as unknown as SessionManager, requester: () => ({ kind: 'command-line', description: 'test' }), verify: quit };
    }));
  });
  afterEach(async () => {
    await channel?.close();
    sandbox.cleanup();
  });

  it('credential-process says the agent stopped answering and falls back to its own vault', async () => {
    const out = await sandbox.run(['credential-process', 'dev']);
    // Its own vault has dev, but no MFA session yet and no terminal for a code: the sentence says so.
    expect(out.stderr).toBe(
      `aws-auth-tray: AWS Auth Tray (the app, or aws-auth-tray serve) stopped answering on ${sandbox.env.AWS_AUTH_TRAY_APP_SOCKET} during the request. Using this command line's own vault instead.\n` +
        'aws-auth-tray: An MFA code is needed for security, but there is no terminal to ask on. Sign in first with: aws-auth-tray login (or start the AWS Auth Tray app).\n',
    );
    expect(out.exitCode).toBe(1);
  });

  it('verify says so and verifies with its own vault', async () => {
    const out = await sandbox.run(['verify', '--json', 'security']);
    expect(out.stderr).toMatch(/^aws-auth-tray: AWS Auth Tray \(the app, or aws-auth-tray serve\) stopped answering on .*app\.sock during the request\. Using this command line's own vault instead\.\n/);
    expect((JSON.parse(out.stdout) as { results: { profile: string }[] }).results.map((r) => r.profile)).toEqual(['security']);
  });
});

describe('an agent of a version without the console route', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  let channel: RunningServer | undefined;

  beforeEach(async () => {
    // An agent that serves credentials but makes no console links, as apps before it did.
    const sessions = { getCredentials: () => Promise.reject(new Error('not asked in this test')) } as unknown as SessionManager;
    ({ sandbox, channel } = await sandboxWithAgent(emulator().url, () => ({ sessions, requester: () => ({ kind: 'command-line', description: 'test' }) })));
  });
  afterEach(async () => {
    await channel?.close();
    sandbox.cleanup();
  });

  it('console says the agent is older and uses its own vault, instead of quoting the agent\'s words about paths', async () => {
    const out = await sandbox.run(['console', 'dev', '--print-url'], { env: { AWS_AUTH_TRAY_PASSPHRASE: sandbox.env.AWS_AUTH_TRAY_PASSPHRASE } });
    // Its own vault has dev, but no MFA session yet and no terminal for a code: the sentence says so.
    expect(out.stderr).toBe(
      "aws-auth-tray: AWS Auth Tray (the app, or aws-auth-tray serve) is an older version that does not open the console for the command line; update it. Using this command line's own vault instead.\n" +
        'aws-auth-tray: An MFA code is needed for security, but there is no terminal to ask on. Sign in first with: aws-auth-tray login (or start the AWS Auth Tray app).\n',
    );
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
  });
});

describe('an agent whose console link is not an AWS sign-in link', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  let channel: RunningServer | undefined;
  const links = ['https://evil.example/federation?Action=login&SigninToken=x', 'http://127.0.0.1:1/federation?Action=login&SigninToken=x', 'javascript:alert(1)'];

  beforeEach(async () => {
    // A compromised (or buggy) agent: it holds the token, so its answers are believed, but not its link.
    let next = 0;
    const sessions = { getCredentials: () => Promise.reject(new Error('not asked in this test')) } as unknown as SessionManager;
    ({ sandbox, channel } = await sandboxWithAgent(emulator().url, () => ({ sessions, requester: () => ({ kind: 'command-line', description: 'test' }), consoleLink: () => Promise.resolve(links[next++ % links.length] ?? '') })));
  });
  afterEach(async () => {
    await channel?.close();
    sandbox.cleanup();
  });

  it('console refuses it, whoever made it: nothing printed or opened, and the sentence does not quote it', async () => {
    for (const link of links) {
      const out = await sandbox.run(['console', 'dev', '--print-url'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
      expect(out).toMatchObject({ exitCode: 1, stdout: '' });
      expect(out.stderr).toMatch(/^aws-auth-tray: AWS Auth Tray opens only AWS console sign-in links .*nothing was opened/);
      expect(out.stderr).not.toContain(link);
    }
  });
});
