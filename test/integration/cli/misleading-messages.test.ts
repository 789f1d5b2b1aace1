import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * Messages that were wrong or raw: each case the way a user meets it, and the sentence that
 * says what happened and what to do instead.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

describe('aws-auth-tray: sentences that say what happened', () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(() => {
    cli = cliSandbox(emulator().url);
  });
  afterEach(() => cli.cleanup());

  async function importReference(): Promise<void> {
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
  }
  async function signIn(): Promise<void> {
    await importReference();
    expect((await cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  }

  it('exec of a file that is not executable names it and says how to fix it, not "spawn EACCES"', async () => {
    await signIn();
    const script = join(cli.home, 'deploy.sh');
    writeFileSync(script, '#!/bin/sh\necho deployed\n');
    chmodSync(script, 0o644);
    const out = await cli.run(['exec', 'security', '--', script]);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: Cannot run "${script}": it is a directory, or a file this user may not execute. Check the path, or make the file executable with chmod +x.\n`,
    );
  });

  it('login --identity nope says there is no such identity and lists them, not "Say which identity with --identity: security."', async () => {
    await importReference();
    const out = await cli.run(['login', '--identity', 'nope', '--mfa-code', '123456']);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^aws-auth-tray login: There is no identity "nope"; the identities are: security\.\n/);
  });

  it('login without a terminal asks for --mfa-code, instead of telling the user to run login', async () => {
    await importReference();
    const out = await cli.run(['login']);
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      'aws-auth-tray: login needs the code your MFA device (arn:aws:iam::111111111111:mfa/alice) shows for security, and there is no terminal to ask on. Give the code on the command line: aws-auth-tray login --mfa-code <code>\n',
    );
  });

  it('a command that must create the vault, with no passphrase and no terminal, says there is no vault yet, not "The vault is locked"', async () => {
    const out = await cli.run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId, '--no-verify'], {
      input: alice.secretAccessKey,
      env: { AWS_AUTH_TRAY_PASSPHRASE: undefined },
    });
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: There is no vault in ${cli.vaultDir} yet. Creating one needs a passphrase, and there is no terminal to choose it on: set AWS_AUTH_TRAY_PASSPHRASE to the passphrase you want, or run the command in a terminal.\n`,
    );
  });

  it('login with no vault yet says there is no identity, not "The vault is locked"', async () => {
    const out = await cli.run(['login'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe('aws-auth-tray: There is no identity yet: add your IAM user with aws-auth-tray add-user, or import your profiles with aws-auth-tray import-config ~/.aws/config\n');
  });

  it('a wrong AWS_AUTH_TRAY_PASSPHRASE says the variable is wrong, not "Type it again"', async () => {
    await signIn();
    const out = await cli.run(['export', 'dev'], { env: { AWS_AUTH_TRAY_PASSPHRASE: 'not the passphrase' } });
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe(
      `aws-auth-tray: AWS_AUTH_TRAY_PASSPHRASE does not unlock the vault ${join(cli.vaultDir, 'vault.json')}. Set it to the vault's passphrase, or unset it to be asked on the terminal.\n`,
    );
  });

  it('list --vault-dir X after the command name works like --vault-dir X list', async () => {
    await importReference();
    const elsewhere = join(cli.home, 'elsewhere');
    mkdirSync(elsewhere);
    const env = { AWS_AUTH_TRAY_HOME: elsewhere };
    const before = await cli.run(['--vault-dir', cli.vaultDir, 'list'], { env });
    expect(before).toMatchObject({ exitCode: 0, stderr: '' });
    expect(before.stdout).toContain(alice.accessKeyId);
    for (const args of [
      ['list', '--vault-dir', cli.vaultDir],
      ['list', `--vault-dir=${cli.vaultDir}`],
    ]) {
      const after = await cli.run(args, { env });
      expect(after, args.join(' ')).toEqual(before);
    }
    expect((await cli.run(['list', '--vault-dir'])).exitCode).toBe(2);
  });

  it('exec passes --vault-dir after "--" to the command untouched', async () => {
    await signIn();
    const script = join(cli.home, 'argv.js');
    writeFileSync(script, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    const out = await cli.run(['exec', 'security', '--', process.execPath, script, '--vault-dir', '/x']);
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual(['--vault-dir', '/x']);
  });

  it('verify writes its error sentences to stderr, as the README says; the table stays on stdout', async () => {
    await signIn();
    emulator().injectFault({ kind: 'internal-failure', count: 10, action: 'AssumeRole' });
    const out = await cli.run(['verify', 'dev', 'security']);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^PROFILE\s+ACCOUNT\s+ARN\s+USERID\s+VERDICT\s+EXPIRES\n/);
    expect(out.stdout).toMatch(/^dev\s+222222222222\s+ERROR\s*$/m);
    expect(out.stdout).not.toContain('not answering');
    expect(out.stderr).toBe(`dev: AWS STS is not answering at ${emulator().url}: it failed with InternalFailure (HTTP 500) after 3 attempts. Try again in a minute.\n`);
  });

  it('verify with no profiles says so on stderr', async () => {
    const out = await cli.run(['verify'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toBe('aws-auth-tray: There are no profiles to verify: run aws-auth-tray import-config or add-user first.\n');
  });

  describe('--mfa-serial', () => {
    const addUser = (serial: string) =>
      cli.run(['add-user', '--label', 'security', '--access-key-id', alice.accessKeyId, '--mfa-serial', serial, '--no-verify'], { input: alice.secretAccessKey });

    it('arn:aws:iam::1234:mfa/alice (a 4-digit account) is refused, not accepted as a hardware serial', async () => {
      const out = await addUser('arn:aws:iam::1234:mfa/alice');
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(
        /^aws-auth-tray add-user: --mfa-serial "arn:aws:iam::1234:mfa\/alice" is not an MFA device ARN: the account must be 12 digits, and "1234" is not\. Copy the device's ARN from the IAM console \(your user → Security credentials → MFA\)\.\n/,
      );
    });

    it.each([
      ['arn:aws:sts::111111111111:mfa/alice', 'the service must be iam'],
      ['arn:aws:iam:eu-west-1:111111111111:mfa/alice', 'the service must be iam'],
      ['arn:azure:iam::111111111111:mfa/alice', 'the partition must be aws, aws-cn or aws-us-gov'],
      ['arn:aws:iam::111111111111:user/alice', 'after the account comes mfa/ and the device name'],
      ['arn:aws:iam::111111111111:mfa/', 'after the account comes mfa/ and the device name'],
      ['nope', 'is not an MFA device ARN (arn:aws:iam::123456789012:mfa/alice) or a hardware token\'s serial number'],
      ['GAHT 1234 5678', 'is not an MFA device ARN (arn:aws:iam::123456789012:mfa/alice) or a hardware token\'s serial number'],
    ])('%j is refused: %s', async (serial, reason) => {
      const out = await addUser(serial);
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toContain(reason);
    });

    it('a security key (u2f) ARN is refused: GetSessionToken cannot use one', async () => {
      const out = await addUser('arn:aws:iam::111111111111:u2f/user/alice/yubikey-ABCD');
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toContain(
        '--mfa-serial "arn:aws:iam::111111111111:u2f/user/alice/yubikey-ABCD" is a security key (FIDO U2F or passkey), and AWS accepts only authenticator apps and hardware TOTP tokens for sts get-session-token and assume-role.',
      );
    });

    it.each(['arn:aws:iam::111111111111:mfa/alice', 'arn:aws-us-gov:iam::111111111111:mfa/engineers/alice', 'arn:aws-cn:iam::111111111111:mfa/alice@example.com', 'GAHT12345678'])(
      '%j is accepted',
      async (serial) => {
        const out = await addUser(serial);
        expect(out.stderr).toBe('');
        expect(out.exitCode).toBe(0);
      },
    );
  });
});
