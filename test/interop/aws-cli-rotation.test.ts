import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findAwsCliV2, runAws, type AwsRunResult } from '../support/aws-cli.js';
import { cliSandbox, type CliResult, type CliSandbox } from '../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../support/core-harness.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';
import type { KeyPair } from '../support/sts-client.js';

/**
 * The acceptance test of `aws-auth-tray rotate`, judged by the real AWS CLI v2 against the STS
 * emulator: after the rotation the old key gets InvalidClientTokenId, the new key (the one the
 * vault now holds) is alice, and `aws-auth-tray verify` passes with it.
 */
const cli = findAwsCliV2();
if ('missing' in cli) console.warn(`SKIP AWS CLI rotation interop: ${cli.missing}`);

const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const aliceUser = fixture.users.find((u) => u.name === 'alice') ?? expect.fail('no alice');
/** AWS CLI v2's exit status when the service answered with an error. */
const SERVICE_ERROR_EXIT_CODE = 254;

describe.skipIf('missing' in cli)(`aws-auth-tray rotate, judged by the AWS CLI v2${'missing' in cli ? ` (skipped: ${cli.missing})` : ` (${cli.banner})`}`, () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;

  beforeEach(() => {
    sandbox = cliSandbox(emulator().url);
  });
  afterEach(() => sandbox.cleanup());

  function tray(args: string[]): Promise<CliResult> {
    return sandbox.run(args, { env: { AWS_ENDPOINT_URL_IAM: emulator().url } });
  }
  function aws(args: readonly string[], credentials: KeyPair): Promise<AwsRunResult> {
    if ('missing' in cli) throw new Error(cli.missing);
    return runAws(cli, args, { endpointUrl: emulator().url, credentials });
  }

  it('after rotate the old key is refused (InvalidClientTokenId), the new key is alice, and verify passes', { timeout: 90_000 }, async () => {
    expect(await tray(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).toMatchObject({ exitCode: 0 });
    expect(await tray(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).toMatchObject({ exitCode: 0 });
    const before = await aws(['sts', 'get-caller-identity'], alice);
    expect(before.exitCode, before.stderr).toBe(0);

    const rotated = await tray(['rotate', '--yes']);
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    const newKeyId = /new access key (AKIA[A-Z2-7]{16})/.exec(rotated.stdout)?.[1] ?? expect.fail(`rotate printed no key id:\n${rotated.stdout}`);
    const listed = await tray(['list']);
    expect(listed.stdout).toContain(newKeyId);
    expect(listed.stdout).not.toContain(alice.accessKeyId);

    const old = await aws(['sts', 'get-caller-identity'], alice);
    expect(old.exitCode).toBe(SERVICE_ERROR_EXIT_CODE);
    expect(old.stderr).toContain('An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation');
    expect(old.stderr).toContain('The security token included in the request is invalid.');

    // The new key's secret, as IAM made it (the vault keeps it encrypted and never prints it).
    const secret = emulator().directory.accessKeysOf(aliceUser).find((k) => k.accessKeyId === newKeyId)?.secretAccessKey ?? expect.fail('IAM does not have the new key');
    const now = await aws(['sts', 'get-caller-identity'], { accessKeyId: newKeyId, secretAccessKey: secret });
    expect(now.exitCode, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({ Arn: alice.arn, Account: '111111111111' });

    const verified = await tray(['verify']);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^security\s+111111111111\s+arn:aws:iam::111111111111:user\/alice\s+AIDA\w+\s+ok\s/m);
    for (const text of [rotated.stdout, rotated.stderr, verified.stdout, verified.stderr]) expect(text).not.toContain(secret);
  });
});
