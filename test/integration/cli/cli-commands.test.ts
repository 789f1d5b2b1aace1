import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { CLI_BUNDLE, CLI_PASSPHRASE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/** The aws-auth-tray command line, built as users get it, against the STS emulator. */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

describe('aws-auth-tray command line', () => {
  const emulator = useEmulator();
  let cli: CliSandbox;
  const stderrs: string[] = [];
  const issuedSecrets: string[] = [];

  beforeEach(() => {
    cli = cliSandbox(emulator().url);
  });
  afterEach(() => {
    // Kept before the emulator's next reset, for the last test.
    issuedSecrets.push(...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken]));
    cli.cleanup();
  });

  async function run(args: string[], options?: Parameters<CliSandbox['run']>[1]) {
    const result = await cli.run(args, options);
    stderrs.push(result.stderr);
    return result;
  }

  /** A real shell running a script with the sandbox's environment (the CLI first on PATH). */
  function runShell(path: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(path, args, { env: cli.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function importReference(): Promise<void> {
    const out = await run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys']);
    expect(out.stderr).toBe('');
    expect(out).toMatchObject({ exitCode: 0 });
  }

  async function signIn(): Promise<void> {
    await importReference();
    const out = await run(['login', '--mfa-code', currentCode(emulator(), alice.seed)]);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
  }

  it('imports the aws-vault config and lists it without a passphrase', async () => {
    await importReference();
    const out = await run(['list'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain(alice.accessKeyId);
    for (const p of ['security', 'dev', 'stage', 'prod', 'shared-services']) expect(out.stdout).toMatch(new RegExp(`^${p} `, 'm'));
    expect(out.stdout).toContain('arn:aws:iam::222222222222:role/engineer');
    expect(out.stdout).toContain('signed out');
  });

  it('login with a code, then verify prints the table the runbook expects and exits 0', async () => {
    await signIn();
    const out = await run(['verify']);
    expect(out.exitCode).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s+ACCOUNT\s+ARN\s+USERID\s+VERDICT\s+EXPIRES$/);
    expect(out.stdout).toMatch(/^security\s+111111111111\s+arn:aws:iam::111111111111:user\/alice\s+AIDA\w+\s+ok\s+in (11 h 59|12 h 0) min$/m);
    expect(out.stdout).toMatch(/^dev\s+222222222222\s+arn:aws:sts::222222222222:assumed-role\/engineer\/alice\s+AROA\w+:alice\s+ok\s+in (59 min|1 h)$/m);
    expect(out.stdout).toMatch(/^shared-services\s+555555555555\s+arn:aws:sts::555555555555:assumed-role\/deployer\/alice\s+/m);
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(1);
  });

  it('verify --json gives the report; a failing account makes the exit code 1', async () => {
    await signIn();
    emulator().injectFault({ kind: 'internal-failure', count: 10, action: 'AssumeRole' });
    const out = await run(['verify', '--json', 'dev', 'security']);
    expect(out.exitCode).toBe(1);
    const report = JSON.parse(out.stdout) as { results: { profile: string; verdict: string; reason?: string }[] };
    expect(report.results.map((r) => [r.profile, r.verdict])).toEqual([
      ['security', 'ok'],
      ['dev', 'error'],
    ]);
    expect(report.results[1]?.reason).toContain('AWS STS is not answering at');
  });

  it('export prints credentials for each shell; bash by default', async () => {
    await signIn();
    const bash = await run(['export', 'dev']);
    expect(bash.exitCode).toBe(0);
    expect(bash.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA[A-Z2-7]{16}'$/m);
    expect(bash.stdout).toContain("export AWS_REGION='eu-west-1'");
    expect(bash.stdout).toContain('unset AWS_PROFILE');
    const fish = await run(['export', 'dev', '--format', 'fish']);
    expect(fish.stdout).toMatch(/^set -gx AWS_SESSION_TOKEN 'IQoJ/m);
    const ps = await run(['export', 'dev', '-f', 'powershell']);
    expect(ps.stdout).toMatch(/^\$Env:AWS_SECRET_ACCESS_KEY = '/m);
    expect((await run(['export', 'dev', '--format', 'tcsh'])).exitCode).toBe(2);
  });

  it('credential-process prints the Version 1 JSON, from the cache with no STS call', async () => {
    await signIn();
    await run(['export', 'prod']);
    const before = emulator().requests().length;
    const out = await run(['credential-process', 'prod']);
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(json.Version).toBe(1);
    expect(emulator().requests()).toHaveLength(before);
  });

  it('exec runs a command with the credentials and passes its exit code back', async () => {
    await signIn();
    const script = "const e=process.env; console.log(JSON.stringify({id:e.AWS_ACCESS_KEY_ID, region:e.AWS_REGION, profile:e.AWS_PROFILE ?? null, marker:e.AWS_AUTH_TRAY_PROFILE, pass:e.AWS_AUTH_TRAY_PASSPHRASE ?? null})); process.exit(7)";
    const out = await run(['exec', 'stage', '--', process.execPath, '-e', script], { env: { AWS_PROFILE: 'old' } });
    expect(out.exitCode).toBe(7);
    expect(JSON.parse(out.stdout)).toMatchObject({ region: 'eu-west-1', profile: null, marker: 'stage', pass: null });
    expect((JSON.parse(out.stdout) as { id: string }).id).toMatch(/^ASIA/);
  });

  it('exec strips AWS_CONTAINER_* and AWS_AUTH_TRAY_* from the child environment (an auto-refresh terminal must not hand its endpoint token down)', async () => {
    await signIn();
    const script = 'console.log(JSON.stringify(Object.keys(process.env).filter((k) => /^AWS_(CONTAINER|AUTH_TRAY)_/.test(k)).sort()))';
    const out = await run(['exec', 'dev', '--', process.execPath, '-e', script], {
      env: {
        AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1234/profiles/prod',
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'endpoint-token-of-the-terminal',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
        AWS_AUTH_TRAY_SOMETHING: 'ours',
        KEEP_ME: 'yes',
      },
    });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(['AWS_AUTH_TRAY_PROFILE']);
  });

  it('without a cached session and without a terminal, says how to sign in (exit 1)', async () => {
    await importReference();
    const out = await run(['credential-process', 'dev']);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe('aws-auth-tray: An MFA code is needed for security, but there is no terminal to ask on. Sign in first with: aws-auth-tray login (or start the AWS Auth Tray app).\n');
  });

  it('sign-out forgets every session', async () => {
    await signIn();
    const out = await run(['sign-out'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(out.exitCode).toBe(0);
    expect((await run(['list'])).stdout).not.toMatch(/in \d+ (h|min)/);
  });

  it('a wrong MFA code: the sentence, exit 1, nothing cached', async () => {
    await importReference();
    const out = await run(['login', '--mfa-code', wrongCode(emulator(), alice.seed)]);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe('aws-auth-tray: AWS rejected the MFA code. A code works only once and only for about 30 seconds: wait for the next code on your device and enter that one.\n');
    expect((await run(['list'])).stdout).toContain('signed out');
  });

  it('a wrong passphrase: the sentence, exit 1', async () => {
    await signIn();
    const out = await run(['export', 'dev'], { env: { AWS_AUTH_TRAY_PASSPHRASE: 'not the passphrase' } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe(
      `aws-auth-tray: AWS_AUTH_TRAY_PASSPHRASE does not unlock the vault ${join(cli.vaultDir, 'vault.json')}. Set it to the vault's passphrase, or unset it to be asked on the terminal.\n`,
    );
  });

  it('a locked vault with no passphrase and no terminal says what to do', async () => {
    await importReference();
    const out = await run(['export', 'dev'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('Set AWS_AUTH_TRAY_PASSPHRASE, or run the command in a terminal.');
  });

  it('add-user reads the secret from stdin, checks it with AWS, and saves it encrypted', async () => {
    const out = await run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId, '--mfa-serial', alice.serialNumber], { input: `${alice.secretAccessKey}\n` });
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('Verified with AWS: arn:aws:iam::111111111111:user/alice (account 111111111111)\n');
    expect(out.stdout).toContain('Saved identity "security"');
    const files = readdirSync(cli.vaultDir).map((f) => readFileSync(join(cli.vaultDir, f), 'utf8'));
    expect(files.some((text) => text.includes(alice.secretAccessKey))).toBe(false);
    const login = await run(['login', '--mfa-code', currentCode(emulator(), alice.seed)]);
    expect(login.exitCode).toBe(0);
  });

  it('add-user with a wrong secret says so and saves nothing', async () => {
    const out = await run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId], { input: 'x'.repeat(40) });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe(`aws-auth-tray: The secret access key does not match the access key ${alice.accessKeyId}. Enter the secret again, exactly as IAM showed it when the key was created.\n`);
    expect((await run(['list'])).stdout).toContain('is empty');
  });

  it('add-user with a deactivated key says so', async () => {
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive');
    const out = await run(['add-user', '--access-key-id', alice.accessKeyId], { input: alice.secretAccessKey });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain(`AWS does not know the access key ${alice.accessKeyId}`);
  });

  it.each([
    [['nonsense'], 'there is no command "nonsense"'],
    [[], 'Usage: aws-auth-tray'],
    [['export'], 'Name exactly one profile'],
    [['exec', 'dev'], 'Use: aws-auth-tray exec <profile> -- <command>'],
    [['verify', '--colour'], "Unknown option '--colour'"],
    [['login', '--mfa-code', '12345'], '--mfa-code must be the six digits'],
    [['add-user', '--mfa-serial', 'nope'], 'is not an MFA device ARN'],
  ])('usage error %j: exit 2 with the usage', async (args, message) => {
    const out = await run(args);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain(message);
  });

  it('every command has --help (exit 0)', async () => {
    for (const command of ['add-user', 'import-config', 'list', 'login', 'verify', 'export', 'credential-process', 'exec', 'serve', 'sign-out']) {
      const out = await run([command, '--help']);
      expect(out.exitCode, command).toBe(0);
      expect(out.stdout, command).toMatch(new RegExp(`^Usage: aws-auth-tray ${command}`));
    }
    expect((await run(['--help'])).exitCode).toBe(0);
  });

  it('list | head -1: a reader that closes the pipe early gets no EPIPE stack trace, and the exit is quiet', async () => {
    await importReference();
    // `true` exits without reading, long before Node has started: the write always hits a closed pipe.
    const out = await runShell('/bin/bash', ['-c', `"${process.execPath}" "${CLI_BUNDLE}" list | true; echo "status=\${PIPESTATUS[0]}"`]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('status=0\n');
  });

  it.each([
    ['bash', '/bin/bash', 'export SHELL=/usr/bin/fish; eval "$(aws-auth-tray export dev)"; printf %s "$AWS_ACCESS_KEY_ID"'],
    ['fish', '/usr/bin/fish', 'set -gx SHELL /bin/bash; aws-auth-tray export dev | source; printf %s "$AWS_ACCESS_KEY_ID"'],
  ] as const)('export in %s picks the format of the shell that runs it, not $SHELL', async (name, path, script) => {
    if (!existsSync(path)) return void console.warn(`SKIP export in ${name}: ${path} is not installed`);
    await signIn();
    const out = await runShell(path, name === 'fish' ? ['--no-config', '-c', script] : ['--noprofile', '--norc', '-c', script]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^ASIA[A-Z2-7]{16}$/);
  });

  it('an unknown profile names the way to list them', async () => {
    await signIn();
    const out = await run(['export', 'nope']);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('aws-auth-tray: There is no profile "nope". List the profiles with: aws-auth-tray list\n');
  });

  it('no error output of any test above carries a secret', () => {
    const secrets = [alice.secretAccessKey, CLI_PASSPHRASE, ...issuedSecrets];
    expect(issuedSecrets.length).toBeGreaterThan(20);
    for (const text of stderrs) for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    expect(stderrs.length).toBeGreaterThan(20);
  });
});
