import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAwsCliV2, isolatedAwsEnv } from '../support/aws-cli.js';
import { cliSandbox, type CliSandbox } from '../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../support/core-harness.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * What users actually run: the AWS CLI v2 with credentials from aws-auth-tray, once through
 * `eval "$(aws-auth-tray export dev)"` in bash and once through `credential_process` in a config
 * file, reaching the STS emulator and printing dev's assumed-role ARN.
 */
const cli = findAwsCliV2();
if ('missing' in cli) console.warn(`SKIP AWS CLI with aws-auth-tray: ${cli.missing}`);
const alice = identity(referenceFixture(), 'alice');
const DEV_ARN = 'arn:aws:sts::222222222222:assumed-role/engineer/alice';

function sh(script: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script], { env, timeout: 25_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf('missing' in cli)(`AWS CLI v2 with credentials from aws-auth-tray${'missing' in cli ? ` (skipped: ${cli.missing})` : ''}`, () => {
  const emulator = useEmulator();
  let tray: CliSandbox;
  let env: Record<string, string>;

  beforeEach(async () => {
    if ('missing' in cli) return;
    tray = cliSandbox(emulator().url);
    env = { ...isolatedAwsEnv(tray.home), ...Object.fromEntries(Object.entries(tray.env).filter(([k]) => k.startsWith('AWS_AUTH_TRAY') || k === 'AWS_ENDPOINT_URL_STS' || k === 'PATH')), AWS_CLI: cli.path };
    expect((await tray.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await tray.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  });
  afterEach(() => tray?.cleanup());

  it('eval "$(aws-auth-tray export dev)" in bash, then aws sts get-caller-identity', async () => {
    const out = await sh(`eval "$(aws-auth-tray export dev --format bash)" && "$AWS_CLI" sts get-caller-identity --endpoint-url "${emulator().url}" --output json`, env);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ Account: '222222222222', Arn: DEV_ARN });
  });

  it('credential_process = aws-auth-tray credential-process dev in ~/.aws/config', async () => {
    const config = join(tray.home, 'aws-config-with-credential-process');
    writeFileSync(config, '[profile dev]\ncredential_process = aws-auth-tray credential-process dev\nregion = eu-west-1\n');
    const out = await sh(`"$AWS_CLI" sts get-caller-identity --profile dev --endpoint-url "${emulator().url}" --output json`, { ...env, AWS_CONFIG_FILE: config });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ Account: '222222222222', Arn: DEV_ARN });
  });

  it('aws-auth-tray exec dev -- aws sts get-caller-identity', async () => {
    const out = await sh(`aws-auth-tray exec dev -- "$AWS_CLI" sts get-caller-identity --endpoint-url "${emulator().url}" --output json`, env);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ Arn: DEV_ARN });
  });
});
