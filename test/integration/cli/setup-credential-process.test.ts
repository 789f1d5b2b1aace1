import { execFile } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAwsCliV2, runAws, type AwsRunResult } from '../../support/aws-cli.js';
import { CLI_BUNDLE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * `aws-auth-tray setup credential-process <profile>`: the ~/.aws/config section with absolute
 * paths, judged by the AWS CLI v2, which runs it (botocore splits the command with shlex) with a
 * PATH that has no aws-auth-tray on it.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const cli = findAwsCliV2();
const skip = 'missing' in cli ? ` (skipped: ${cli.missing})` : '';

describe('aws-auth-tray setup credential-process', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  beforeEach(async () => {
    sandbox = cliSandbox(emulator().url);
    expect((await sandbox.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await sandbox.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  });
  afterEach(() => sandbox.cleanup());

  /** The AWS CLI with this config file, the vault's passphrase in its environment, aws-auth-tray not on PATH. */
  function awsWith(configFile: string, profile: string): Promise<AwsRunResult> {
    if ('missing' in cli) throw new Error(cli.missing);
    return runAws(cli, ['sts', 'get-caller-identity', '--profile', profile], {
      endpointUrl: emulator().url,
      env: {
        AWS_CONFIG_FILE: configFile,
        AWS_AUTH_TRAY_HOME: sandbox.vaultDir,
        AWS_AUTH_TRAY_PASSPHRASE: sandbox.env.AWS_AUTH_TRAY_PASSPHRASE ?? '',
        AWS_AUTH_TRAY_APP_SOCKET: sandbox.env.AWS_AUTH_TRAY_APP_SOCKET ?? '',
        AWS_ENDPOINT_URL_STS: emulator().url,
      },
    });
  }

  it('prints a section naming this Node.js and this bundle by absolute path, with the profile\'s region', async () => {
    const out = await sandbox.run(['setup', 'credential-process', 'dev']);
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(out.stdout).toBe(`[profile dev]\ncredential_process = '${process.execPath}' '${CLI_BUNDLE}' credential-process dev\nregion = eu-west-1\n`);
  });

  it.skipIf('missing' in cli)(`--write appends it and the AWS CLI gets dev's role session through it, with no aws-auth-tray on PATH${skip}`, async () => {
    const configFile = join(sandbox.home, 'aws', 'config');
    const written = await sandbox.run(['setup', 'credential-process', 'dev', '--write', '--config-file', configFile]);
    expect(written).toMatchObject({ exitCode: 0, stderr: '' });
    expect(written.stdout).toContain(`Added [profile dev] to ${configFile}:`);
    const result = await awsWith(configFile, 'dev');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ Arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' });
  });

  it('--write refuses a file that already has the profile, and changes nothing; --as writes it beside, keeping every byte before', async () => {
    const configFile = join(sandbox.home, 'imported-config');
    writeFileSync(configFile, readFileSync(REFERENCE_AWS_CONFIG));
    const before = readFileSync(configFile, 'utf8');
    const refused = await sandbox.run(['setup', 'credential-process', 'dev', '--write', '--config-file', configFile]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `aws-auth-tray: ${configFile} already has a profile "dev", so nothing was written: its settings (role_arn, source_profile) would win over credential_process. Write it under another name with --as dev-tray, or replace that section yourself with the lines aws-auth-tray setup credential-process dev prints.\n`,
    );
    expect(readFileSync(configFile, 'utf8')).toBe(before);

    const beside = await sandbox.run(['setup', 'credential-process', 'dev', '--as', 'dev-tray', '--write', '--config-file', configFile]);
    expect(beside).toMatchObject({ exitCode: 0, stderr: '' });
    const after = readFileSync(configFile, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toMatch(/^\n?# Added by aws-auth-tray setup credential-process\.\n\[profile dev-tray\]\ncredential_process = .* credential-process dev\nregion = eu-west-1\n$/);
  });

  it('--write through a symlinked config file writes where it points; the link stays a link', async () => {
    const target = join(sandbox.home, 'dotfiles', 'aws-config');
    mkdirSync(join(sandbox.home, 'dotfiles'));
    writeFileSync(target, '[default]\nregion = eu-west-1\n');
    const link = join(sandbox.home, 'linked-config');
    symlinkSync(target, link);
    const written = await sandbox.run(['setup', 'credential-process', 'dev', '--write', '--config-file', link]);
    expect(written).toMatchObject({ exitCode: 0, stderr: '' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^\[default\]\nregion = eu-west-1\n\n# Added by aws-auth-tray setup credential-process\.\n\[profile dev\]\n/);
  });

  it.skipIf('missing' in cli)(`an install path with spaces and a quote still works: botocore's shlex reads back exactly the paths${skip}`, async () => {
    const odd = join(sandbox.home, "my tools", "it's here", 'cli');
    cpSync(join(CLI_BUNDLE, '..'), odd, { recursive: true });
    const configFile = join(sandbox.home, 'odd-config');
    const written = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(odd, 'aws-auth-tray.js'), 'setup', 'credential-process', 'prod', '--write', '--config-file', configFile], { env: sandbox.env, encoding: 'utf8' }, (error, _stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stderr }),
      );
    });
    expect(written).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(configFile, 'utf8')).toContain(`'${join(sandbox.home, 'my tools', "it'\\''s here", 'cli', 'aws-auth-tray.js')}'`);
    const result = await awsWith(configFile, 'prod');
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ Arn: 'arn:aws:sts::444444444444:assumed-role/read-only/alice' });
  });

  it('usage errors name the form', async () => {
    expect(await sandbox.run(['setup'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('Say what to set up: aws-auth-tray setup credential-process <profile>.') as string });
    expect(await sandbox.run(['setup', 'credential-process', 'dev', '--config-file', 'x'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--config-file goes with --write.') as string });
    const bad = await sandbox.run(['setup', 'credential-process', 'dev', '--as', 'my profile']);
    expect(bad).toMatchObject({ exitCode: 1, stderr: 'aws-auth-tray: "my profile" cannot be a profile name in the AWS config file (letters, digits, and . _ + @ -).\n' });
  });
});
