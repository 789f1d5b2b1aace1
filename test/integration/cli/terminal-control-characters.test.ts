import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appChannelTokenPath } from '../../../main/core/endpoint/app-channel-location.js';
import { startAppChannel } from '../../../main/core/endpoint/app-channel-server.js';
import type { RunningServer } from '../../../main/core/endpoint/running-server.js';
import type { SessionManager } from '../../../main/core/sessions/session-manager.js';
import type { VerificationReport } from '../../../main/core/verification/verify-accounts.js';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { createCore, importReferenceProfiles, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * Nothing the command line prints can drive the terminal: C0 and C1 control characters (escape
 * sequences that clear the screen, retitle the window or rewrite a line; line breaks that forge
 * a table row) are taken out of every value before it is shown: table cells, `aws-auth-tray:`
 * error lines, and what the running app sends over its channel.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

/** Screen clear, window title (OSC … BEL), the 8-bit CSI, DEL, a carriage return and a forged row. */
const HOSTILE = '\u001b[2J\u001b]0;owned\u0007\u009b31m\u007f\rforged\nsecurity  111111111111  ok';
const SHOWN = '[2J]0;owned31m forged security  111111111111  ok';
/** Any control character but the line feeds the command line writes itself. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('aws-auth-tray: control characters never reach the terminal', () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(() => {
    cli = cliSandbox(emulator().url);
  });
  afterEach(() => cli.cleanup());

  it('an `aws-auth-tray:` error line that quotes what was typed', async () => {
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    const out = await cli.run(['export', `nope${HOSTILE}`]);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(CONTROL);
    expect(out.stderr).toBe(`aws-auth-tray: There is no profile "nope${SHOWN}". List the profiles with: aws-auth-tray list\n`);
  });

  it('a usage error that quotes an option value, and an unknown command', async () => {
    const usage = await cli.run(['login', '--mfa-code', HOSTILE]);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).not.toMatch(CONTROL);
    expect(usage.stderr).toContain(`got "${SHOWN}"`);
    const unknown = await cli.run([HOSTILE]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).not.toMatch(CONTROL);
  });

  it('add-user refuses a region with control characters, with a sentence that does not print them', async () => {
    const added = await cli.run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId, '--region', `eu-west-1${HOSTILE}`, '--no-verify'], { input: alice.secretAccessKey });
    expect(added.exitCode).toBe(1);
    expect(added.stderr).toMatch(/^aws-auth-tray: Identity security: region = "eu-west-1\\u001b.*" .*is not an AWS region name like eu-west-1\.\n$/);
    expect(added.stderr).not.toMatch(CONTROL);
  });

  it('a region in the list table (a vault edited by hand: reading stays lenient, printing does not)', async () => {
    const added = await cli.run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId, '--region', 'eu-west-1', '--no-verify'], { input: alice.secretAccessKey });
    expect(added.exitCode).toBe(0);
    const file = join(cli.vaultDir, 'vault.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { identities: { region: string }[] };
    for (const identity of doc.identities) identity.region = `eu-west-1${HOSTILE}`;
    writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
    const out = await cli.run(['list']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).not.toMatch(CONTROL);
    expect(out.stdout).toContain(`eu-west-1${SHOWN}`);
    const json = await cli.run(['list', '--json']);
    expect(json.stdout).not.toMatch(CONTROL);
    expect((JSON.parse(json.stdout) as { identities: { region: string }[] }).identities[0]?.region).toBe(`eu-west-1${HOSTILE}`);
  });
});

describe('aws-auth-tray: control characters from the running app never reach the terminal', () => {
  const emulator = useEmulator();
  let app: CoreUnderTest;
  let channel: RunningServer;
  let cli: CliSandbox;
  let socket: string;

  const report: VerificationReport = {
    results: [
      { profile: 'security', identity: 'security', expected: { account: '111111111111', kind: 'user' }, account: `111111111111${HOSTILE}`, arn: `arn:aws:iam::111111111111:user/alice${HOSTILE}`, userId: `AIDA${HOSTILE}`, verdict: 'ok' },
      { profile: `dev${HOSTILE}`, identity: 'security', expected: { account: '222222222222', kind: 'assumed-role' }, verdict: 'error', reason: `It failed.${HOSTILE}`, errorCode: 'x' },
    ],
    warnings: [`Mind the clock.${HOSTILE}`],
  };

  beforeEach(async () => {
    app = createCore(emulator(), fixture);
    await importReferenceProfiles(app.vault);
    cli = cliSandbox(emulator().url);
    socket = join(cli.home, 'runtime', 'aws-auth-tray', 'app.sock');
    // The app's region for every profile is hostile (as a tampered app vault could make it).
    const sessions = new Proxy(app.sessions, {
      get(target, property, receiver): unknown {
        if (property === 'getCredentials') {
          return async (...args: Parameters<SessionManager['getCredentials']>) => ({ ...(await target.getCredentials(...args)), region: `eu-west-1${HOSTILE}` });
        }
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    channel = await startAppChannel(
      { sessions, requester: () => ({ kind: 'command-line', description: 'test' }), verify: () => Promise.resolve(report) },
      { socketPath: socket, tokenFile: appChannelTokenPath(socket, cli.home) },
    );
  });
  afterEach(async () => {
    await channel.close();
    await app.cleanup();
    cli.cleanup();
  });

  const env = (): Record<string, string | undefined> => ({ AWS_AUTH_TRAY_APP_SOCKET: socket, AWS_AUTH_TRAY_PASSPHRASE: undefined });

  it('verify results that came from the app: the table, the sentences and the warnings', async () => {
    const out = await cli.run(['verify'], { env: env() });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).not.toMatch(CONTROL);
    expect(out.stderr).not.toMatch(CONTROL);
    expect(out.stdout.trim().split('\n')).toHaveLength(4);
    expect(out.stdout).toContain(`arn:aws:iam::111111111111:user/alice${SHOWN}`);
    expect(out.stderr).toContain(`dev${SHOWN}: It failed.${SHOWN}\n`);
    expect(out.stderr).toContain(`Warning: Mind the clock.${SHOWN}\n`);
  });

  it('verify --json escapes them, so the JSON is the app\'s report exactly', async () => {
    const out = await cli.run(['verify', '--json'], { env: env() });
    expect(out.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(out.stdout)).toEqual(report);
  });

  it('a region that came from the app, in export', async () => {
    const out = await cli.run(['export', 'dev', '--format', 'bash'], { env: env() });
    expect(out.stderr).toBe('');
    expect(out.stdout).not.toMatch(CONTROL);
    expect(out.stdout).toContain(`export AWS_REGION='eu-west-1${SHOWN}'`);
  });
});
