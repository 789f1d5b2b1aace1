import { readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { EXPECTED_ARNS, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { openConsoleLink } from '../console/console-link.js';

/**
 * `aws-auth-tray console <profile>`, built as users get it, against the STS emulator and its
 * federation endpoint (found at /federation on the AWS_ENDPOINT_URL_STS address).
 */
const alice = identity(referenceFixture(), 'alice');

describe('aws-auth-tray console', () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(async () => {
    cli = cliSandbox(emulator().url);
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
    emulator().clearRequests();
  });
  afterEach(() => cli.cleanup());

  /** Every secret the emulator issued and every sign-in token. */
  function secrets(): string[] {
    return [...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken]), ...emulator().federation.issuedTokens()];
  }

  it("console dev --print-url prints one sign-in link that the emulator's console accepts as dev's role session", async () => {
    const out = await cli.run(['console', 'dev', '--print-url']);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    const url = lines[0] ?? '';
    expect(url.startsWith(`${emulator().url}/federation?Action=login&Issuer=aws-auth-tray&Destination=`)).toBe(true);
    const page = await openConsoleLink(url);
    expect(page).toMatchObject({ status: 200, arn: EXPECTED_ARNS.dev, account: '222222222222', destination: 'https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1' });
    // The cached MFA session was used: no new code, one AssumeRole.
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
    expect(emulator().requests({ action: 'AssumeRole' })).toHaveLength(1);
  });

  it('--destination and --region choose where the console opens', async () => {
    const out = await cli.run(['console', 'prod', '--print-url', '--destination', 'cloudwatch/home', '--region', 'us-west-2']);
    expect(out.stderr).toBe('');
    const page = await openConsoleLink(out.stdout.trim());
    expect(page).toMatchObject({ arn: EXPECTED_ARNS.prod, destination: 'https://us-west-2.console.aws.amazon.com/cloudwatch/home?region=us-west-2' });
  });

  // xdg-open is the opener on Linux (macOS uses open, Windows rundll32): the fake one stands in for it there.
  it.runIf(process.platform === 'linux')('without --print-url hands the link to xdg-open as one argument, and prints nothing', async () => {
    const record = join(cli.home, 'xdg-open-args.json');
    const opener = join(cli.binDir, 'xdg-open');
    writeFileSync(opener, `#!/usr/bin/env node\nrequire('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(opener, 0o755);
    const out = await cli.run(['console', 'stage']);
    expect(out).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    await expect.poll(() => existsSync(record), { timeout: 10_000 }).toBe(true);
    const args = JSON.parse(readFileSync(record, 'utf8')) as string[];
    expect(args).toHaveLength(1);
    expect((await openConsoleLink(args[0] ?? '')).arn).toBe(EXPECTED_ARNS.stage);
  });

  it.runIf(process.platform === 'linux')('says so when there is no browser opener, without quoting the link', async () => {
    const out = await cli.run(['console', 'stage'], { env: { PATH: cli.binDir } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('aws-auth-tray: Could not start xdg-open to open your default browser; run the command again with --print-url and open the link yourself.\n');
    for (const secret of secrets()) expect(out.stderr).not.toContain(secret);
  });

  it.each([
    ['javascript:alert(1)', 'is not an https address (it starts with javascript:)'],
    ['http://evil.example/', 'is not an https address (it starts with http:)'],
    ['https://console.amazonaws.cn/', "is AWS China's console, not AWS's"],
    ['https://user:pw@console.aws.amazon.com/', 'has a user name or password in it'],
  ])('refuses --destination %s with a sentence and no STS call', async (destination, why) => {
    const out = await cli.run(['console', 'dev', '--print-url', '--destination', destination]);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `aws-auth-tray: The console destination ${why}. Give a path in the console (like /ec2/home) or an https address on console.aws.amazon.com (AWS's console).\n`,
    );
    expect(emulator().requests()).toHaveLength(0);
  });

  it("refuses the IAM user's own profile, pointing at the account's sign-in page", async () => {
    const out = await cli.run(['console', 'security', '--print-url']);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('Profile security is your IAM user itself, not a role');
    expect(out.stderr).toContain('https://111111111111.signin.aws.amazon.com/console');
  });

  it('refuses a bad AWS_AUTH_TRAY_FEDERATION_URL before any STS call', async () => {
    const out = await cli.run(['console', 'dev', '--print-url'], { env: { AWS_AUTH_TRAY_FEDERATION_URL: 'https://evil.example/federation' } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^aws-auth-tray: AWS_AUTH_TRAY_FEDERATION_URL must be https:\/\/signin\.aws\.amazon\.com\/federation, /);
    expect(out.stderr).not.toContain('evil');
    expect(emulator().requests()).toHaveLength(0);
  });

  it('usage errors exit 2', async () => {
    expect((await cli.run(['console'])).exitCode).toBe(2);
    expect((await cli.run(['console', 'dev', 'stage'])).exitCode).toBe(2);
    expect((await cli.run(['console', 'dev', '--nope'])).exitCode).toBe(2);
  });

  it('an unknown profile is a sentence', async () => {
    const out = await cli.run(['console', 'nope', '--print-url']);
    expect(out).toMatchObject({ exitCode: 1, stderr: 'aws-auth-tray: There is no profile "nope". List the profiles with: aws-auth-tray list\n' });
  });
});
