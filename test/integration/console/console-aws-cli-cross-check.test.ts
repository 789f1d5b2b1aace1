import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAwsCliV2, runAws } from '../../support/aws-cli.js';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { openConsoleLink } from './console-link.js';

/**
 * The console signs in as the same identity the AWS CLI sees: for each role profile, the ARN the
 * emulator's console page shows for `aws-auth-tray console <profile> --print-url` equals what
 * `aws sts get-caller-identity` answers with the credentials `aws-auth-tray export` hands out.
 */
const awsCli = findAwsCliV2();
if ('missing' in awsCli) console.warn(`SKIP console cross-check with the AWS CLI: ${awsCli.missing}`);
const alice = identity(referenceFixture(), 'alice');

describe.skipIf('missing' in awsCli)(`console sign-in and the AWS CLI agree on who you are${'missing' in awsCli ? ` (skipped: ${awsCli.missing})` : ''}`, () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(async () => {
    cli = cliSandbox(emulator().url);
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
    expect((await cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
  });
  afterEach(() => cli.cleanup());

  it.each(['dev', 'prod', 'shared-services'])('%s: the console page shows the ARN aws sts get-caller-identity reports', async (profile) => {
    if ('missing' in awsCli) return;
    const exported = await cli.run(['export', profile, '--format', 'json']);
    expect(exported.exitCode).toBe(0);
    const credentials = JSON.parse(exported.stdout) as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const identityOut = await runAws(awsCli, ['sts', 'get-caller-identity'], {
      endpointUrl: emulator().url,
      credentials: { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken },
    });
    expect(identityOut.exitCode).toBe(0);
    const callerArn = (JSON.parse(identityOut.stdout) as { Arn: string }).Arn;

    const link = await cli.run(['console', profile, '--print-url']);
    expect(link.stderr).toBe('');
    const page = await openConsoleLink(link.stdout.trim());
    expect(page.status).toBe(200);
    expect(page.arn).toBe(callerArn);
    // The same role session: the console signed in with the credentials the AWS CLI used.
    expect(emulator().federation.consoleSignIns().at(-1)?.accessKeyId).toBe(credentials.AccessKeyId);
  });
});
