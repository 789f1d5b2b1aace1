import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findAwsCliV2, runAws, type AwsRunResult } from '../support/aws-cli.js';
import { currentCode, travelTo, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';
import type { KeyPair } from '../support/sts-client.js';

/**
 * The real AWS CLI v2 (botocore: its own signer, IAM endpoint rules and XML parser) against the
 * IAM actions of the STS emulator, on the same URL as STS: the CLI signs them for `iam` in
 * us-east-1, and the emulator answers in IAM's shapes and namespace. Rotating a key end to end:
 * create, use, list, last used, delete, and the deleted key refused by STS.
 */

const cli = findAwsCliV2();
if ('missing' in cli) console.warn(`SKIP AWS CLI IAM interop: ${cli.missing}`);

const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const bob = identity(fixture, 'bob');
const aliceLongTerm: KeyPair = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };
const bobLongTerm: KeyPair = { accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey };

/** AWS CLI v2's exit status when the service answered with an error. */
const SERVICE_ERROR_EXIT_CODE = 254;
const INVALID_TOKEN = 'The security token included in the request is invalid.';

const sessionTokenOutput = z.object({
  Credentials: z.object({ AccessKeyId: z.string(), SecretAccessKey: z.string(), SessionToken: z.string(), Expiration: z.string() }),
});
const callerIdentityOutput = z.object({ UserId: z.string(), Account: z.string(), Arn: z.string() });
const accessKeyMetadata = z.object({ UserName: z.string(), AccessKeyId: z.string(), Status: z.enum(['Active', 'Inactive']), CreateDate: z.string() });
const listAccessKeysOutput = z.object({ AccessKeyMetadata: z.array(accessKeyMetadata) }).strict();
const createAccessKeyOutput = z.object({
  AccessKey: z.object({ UserName: z.string(), AccessKeyId: z.string(), Status: z.string(), SecretAccessKey: z.string(), CreateDate: z.string() }).strict(),
});
const lastUsedOutput = z.object({
  UserName: z.string(),
  AccessKeyLastUsed: z.object({ LastUsedDate: z.string().optional(), ServiceName: z.string(), Region: z.string() }).strict(),
});
const mfaDevicesOutput = z.object({ MFADevices: z.array(z.object({ UserName: z.string(), SerialNumber: z.string(), EnableDate: z.string() }).strict()) }).strict();
const aliasesOutput = z.object({ AccountAliases: z.array(z.string()) }).strict();

/** The CLI's JSON answer, after checking that it succeeded (showing its stderr when not). */
function output<T>(result: AwsRunResult, schema: z.ZodType<T>): T {
  expect(result.exitCode, `the AWS CLI failed:\n${result.stderr}`).toBe(0);
  return schema.parse(JSON.parse(result.stdout) as unknown);
}

/** The CLI reported an AWS error: `An error occurred (<code>) when calling the <Op> operation: <message>`. */
function expectAwsError(result: AwsRunResult, code: string, operation: string, message: string): void {
  expect(result.exitCode, `expected the AWS CLI to fail; it printed:\n${result.stdout}`).toBe(SERVICE_ERROR_EXIT_CODE);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`An error occurred (${code}) when calling the ${operation} operation`);
  expect(result.stderr).toContain(message);
}

describe.skipIf('missing' in cli)(`AWS CLI v2 against the IAM actions of the STS emulator${'missing' in cli ? ` (skipped: ${cli.missing})` : ` (${cli.banner})`}`, () => {
  const emulator = useEmulator();

  async function aws(args: readonly string[], credentials: KeyPair, env?: Record<string, string>): Promise<AwsRunResult> {
    if ('missing' in cli) throw new Error(cli.missing);
    return runAws(cli, args, { endpointUrl: emulator().url, credentials, ...(env ? { env } : {}) });
  }

  /** alice's MFA session from `aws sts get-session-token`. */
  async function mfaSession(): Promise<KeyPair> {
    const code = currentCode(emulator(), alice.seed);
    const result = await aws(['sts', 'get-session-token', '--serial-number', alice.serialNumber, '--token-code', code], aliceLongTerm);
    const { Credentials } = output(result, sessionTokenOutput);
    return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
  }

  // Eight CLI runs (a Python start each): more time than vitest's default on a busy machine.
  it('rotates a key: create-access-key, the new key works, list-access-keys, get-access-key-last-used, delete-access-key of the old one; the old key then gets InvalidClientTokenId', { timeout: 90_000 }, async () => {
    travelTo(emulator(), '2099-06-01T12:00:30Z');
    const session = await mfaSession();

    const created = output(await aws(['iam', 'create-access-key'], session), createAccessKeyOutput).AccessKey;
    expect(created).toMatchObject({ UserName: 'alice', Status: 'Active' });
    expect(created.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.SecretAccessKey).toHaveLength(40);
    expect(Date.parse(created.CreateDate)).toBe(Date.parse('2099-06-01T12:00:30Z'));
    const newKey: KeyPair = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };

    emulator().clock.advance(60_000);
    expect(output(await aws(['sts', 'get-caller-identity'], newKey), callerIdentityOutput).Arn).toBe(alice.arn);

    const listed = output(await aws(['iam', 'list-access-keys'], session), listAccessKeysOutput).AccessKeyMetadata;
    expect(listed.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [alice.accessKeyId, 'Active'],
      [created.AccessKeyId, 'Active'],
    ]);
    // The fixture key has no createDate: 30 days before the emulator started.
    expect(Date.parse(listed[0]?.CreateDate ?? '')).toBe(emulator().directory.defaultDate.getTime());

    const lastUsed = output(await aws(['iam', 'get-access-key-last-used', '--access-key-id', created.AccessKeyId], session), lastUsedOutput);
    expect(lastUsed).toEqual({ UserName: 'alice', AccessKeyLastUsed: { LastUsedDate: expect.stringMatching(/^2099-06-01T12:01:00(Z|\+00:00)$/) as unknown, ServiceName: 'sts', Region: 'us-east-1' } });

    const deleted = await aws(['iam', 'delete-access-key', '--access-key-id', alice.accessKeyId], session);
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    expect(deleted.stdout).toBe('');

    expectAwsError(await aws(['sts', 'get-caller-identity'], aliceLongTerm), 'InvalidClientTokenId', 'GetCallerIdentity', INVALID_TOKEN);
    expect(output(await aws(['iam', 'list-access-keys'], session), listAccessKeysOutput).AccessKeyMetadata.map((k) => k.AccessKeyId)).toEqual([created.AccessKeyId]);
    expect(emulator().requests({ service: 'iam' }).map((e) => [e.action, e.outcome])).toEqual([
      ['CreateAccessKey', 'Success'],
      ['ListAccessKeys', 'Success'],
      ['GetAccessKeyLastUsed', 'Success'],
      ['DeleteAccessKey', 'Success'],
      ['ListAccessKeys', 'Success'],
    ]);
  });

  it('get-access-key-last-used says N/A for a key never used', async () => {
    const session = await mfaSession();
    const created = output(await aws(['iam', 'create-access-key'], session), createAccessKeyOutput).AccessKey;
    const lastUsed = output(await aws(['iam', 'get-access-key-last-used', '--access-key-id', created.AccessKeyId], session), lastUsedOutput);
    expect(lastUsed).toEqual({ UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
  });

  it('a new key is refused by STS with InvalidClientTokenId until the propagation delay has passed', async () => {
    emulator().setKeyPropagationDelay(8_000);
    const session = await mfaSession();
    const created = output(await aws(['iam', 'create-access-key'], session), createAccessKeyOutput).AccessKey;
    const newKey: KeyPair = { accessKeyId: created.AccessKeyId, secretAccessKey: created.SecretAccessKey };

    expectAwsError(await aws(['sts', 'get-caller-identity'], newKey), 'InvalidClientTokenId', 'GetCallerIdentity', INVALID_TOKEN);
    emulator().clock.advance(8_000);
    expect(output(await aws(['sts', 'get-caller-identity'], newKey), callerIdentityOutput).Arn).toBe(alice.arn);
  });

  it('without an MFA session, list-access-keys is an explicit deny; list-mfa-devices is allowed and lists every device', async () => {
    expectAwsError(
      await aws(['iam', 'list-access-keys'], aliceLongTerm),
      'AccessDenied',
      'ListAccessKeys',
      `User: ${alice.arn} is not authorized to perform: iam:ListAccessKeys on resource: user alice with an explicit deny in an identity-based policy`,
    );
    const devices = output(await aws(['iam', 'list-mfa-devices'], bobLongTerm), mfaDevicesOutput).MFADevices;
    expect(devices.map((d) => [d.SerialNumber, Date.parse(d.EnableDate)])).toEqual([
      ['arn:aws:iam::111111111111:mfa/bob', Date.parse('2025-03-02T10:05:00Z')],
      ['arn:aws:iam::111111111111:mfa/bob-backup-phone', Date.parse('2025-09-15T08:35:00Z')],
    ]);
  });

  it("create-access-key for another user is refused with AWS's message; list-account-aliases answers the account's alias", async () => {
    const session = await mfaSession();
    expectAwsError(
      await aws(['iam', 'create-access-key', '--user-name', 'bob'], session),
      'AccessDenied',
      'CreateAccessKey',
      `User: ${alice.arn} is not authorized to perform: iam:CreateAccessKey on resource: user bob because no identity-based policy allows the iam:CreateAccessKey action`,
    );
    expect(output(await aws(['iam', 'list-account-aliases'], session), aliasesOutput)).toEqual({ AccountAliases: ['security'] });
  });

  it("a CLI whose region is not us-east-1 signs IAM for that region and is refused with AWS's words", async () => {
    const result = await aws(['iam', 'get-user'], aliceLongTerm, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    expectAwsError(result, 'SignatureDoesNotMatch', 'GetUser', "Credential should be scoped to a valid region, not 'eu-west-1'.");
  });
});
