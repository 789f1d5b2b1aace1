import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { findAwsCliV2, isolatedAwsEnv, runAws, type AwsRunResult } from '../support/aws-cli.js';
import { currentCode, useEmulator, wrongCode } from '../support/emulator-harness.js';
import { identity, referenceFixture, ROLES } from '../support/reference-fixture.js';
import type { KeyPair } from '../support/sts-client.js';

/**
 * The real AWS CLI v2 (a separate Python program with its own botocore, signer and parsers)
 * against the STS emulator: if the CLI accepts the emulator's answers and the emulator accepts
 * the CLI's requests, the emulator speaks STS the way AWS does, not just the way the JS SDK does.
 */

const cli = findAwsCliV2();
if ('missing' in cli) console.warn(`SKIP AWS CLI interop: ${cli.missing}`);

const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const devRole = fixture.roles.find((role) => role.arn === ROLES.dev);
if (!devRole) throw new Error(`The reference fixture has no role ${ROLES.dev}`);
const aliceLongTerm: KeyPair = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };

/** AWS CLI v2's exit status when the service answered with an error. */
const SERVICE_ERROR_EXIT_CODE = 254;
const TWELVE_HOURS_MS = 43_200_000;
const INVALID_MFA_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code';
const ROLE_CHAINING_LIMIT = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';

const callerIdentityOutput = z.object({ UserId: z.string(), Account: z.string(), Arn: z.string() });
const credentialsShape = z.object({
  AccessKeyId: z.string(),
  SecretAccessKey: z.string(),
  SessionToken: z.string(),
  Expiration: z.string(),
});
const sessionTokenOutput = z.object({ Credentials: credentialsShape });
const assumeRoleOutput = z.object({
  Credentials: credentialsShape,
  AssumedRoleUser: z.object({ AssumedRoleId: z.string(), Arn: z.string() }),
});
type CliCredentials = z.infer<typeof credentialsShape>;

function keyPair(credentials: CliCredentials): KeyPair {
  return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken };
}

/** The CLI's JSON answer, after checking that it succeeded (showing its stderr when not). */
function output<T>(result: AwsRunResult, schema: z.ZodType<T>): T {
  expect(result.exitCode, `the AWS CLI failed:\n${result.stderr}`).toBe(0);
  return schema.parse(JSON.parse(result.stdout) as unknown);
}

/** The CLI reported an AWS error: `An error occurred (<code>) when calling ...: <message>`. */
function expectAwsError(result: AwsRunResult, code: string, message: string): void {
  expect(result.exitCode, `expected the AWS CLI to fail; it printed:\n${result.stdout}`).not.toBe(0);
  expect(result.exitCode).toBe(SERVICE_ERROR_EXIT_CODE);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`An error occurred (${code})`);
  expect(result.stderr).toContain(message);
}

describe.skipIf('missing' in cli)(`AWS CLI v2 against the STS emulator${'missing' in cli ? ` (skipped: ${cli.missing})` : ` (${cli.banner})`}`, () => {
  const emulator = useEmulator();
  const longTerm = aliceLongTerm;

  async function aws(args: readonly string[], credentials: KeyPair): Promise<AwsRunResult> {
    if ('missing' in cli) throw new Error(cli.missing);
    return runAws(cli, args, { endpointUrl: emulator().url, credentials });
  }

  /** alice's MFA session from `aws sts get-session-token`, with the code her device shows now. */
  async function mfaSession(extraArgs: readonly string[] = []): Promise<CliCredentials> {
    const code = currentCode(emulator(), alice.seed);
    const result = await aws(['sts', 'get-session-token', '--serial-number', alice.serialNumber, '--token-code', code, ...extraArgs], longTerm);
    return output(result, sessionTokenOutput).Credentials;
  }

  it("get-caller-identity with alice's long-term keys prints her user ARN, UserId and Account", async () => {
    const result = await aws(['sts', 'get-caller-identity'], longTerm);

    expect(output(result, callerIdentityOutput)).toEqual({
      UserId: alice.user.userId,
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:user/alice',
    });
    expect(emulator().requests()).toEqual([
      expect.objectContaining({ action: 'GetCallerIdentity', outcome: 'Success', status: 200, callerArn: alice.arn, accessKeyId: alice.accessKeyId }),
    ]);
  });

  it("get-session-token with the code alice's device shows returns MFA session credentials for 12 hours of emulator time", async () => {
    const now = emulator().clock.now().getTime();
    const credentials = await mfaSession();

    expect(credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(credentials.SecretAccessKey).toHaveLength(40);
    expect(credentials.SessionToken.length).toBeGreaterThan(400);
    const expiresInMs = Date.parse(credentials.Expiration) - now;
    // STS reports expiry to the second: 12 h after "now", less the milliseconds of "now".
    expect(expiresInMs).toBeGreaterThan(TWELVE_HOURS_MS - 1_000);
    expect(expiresInMs).toBeLessThanOrEqual(TWELVE_HOURS_MS);

    // The session works and stands for alice herself, as AWS's user sessions do.
    const who = output(await aws(['sts', 'get-caller-identity'], keyPair(credentials)), callerIdentityOutput);
    expect(who).toEqual({ UserId: alice.user.userId, Account: '111111111111', Arn: alice.arn });
  });

  it('the same MFA code used a second time is refused with AccessDenied; the next code, 30 s later, is accepted', async () => {
    const code = currentCode(emulator(), alice.seed);
    const args = ['sts', 'get-session-token', '--serial-number', alice.serialNumber, '--token-code', code];
    output(await aws(args, longTerm), sessionTokenOutput);

    const replay = await aws(args, longTerm);
    expectAwsError(replay, 'AccessDenied', INVALID_MFA_CODE);
    expect(replay.stderr).toContain('GetSessionToken operation');

    emulator().clock.advance(30_000);
    const nextCode = currentCode(emulator(), alice.seed);
    expect(nextCode).not.toBe(code);
    output(await aws(['sts', 'get-session-token', '--serial-number', alice.serialNumber, '--token-code', nextCode], longTerm), sessionTokenOutput);

    expect(emulator().requests({ action: 'GetSessionToken' }).map((e) => [e.outcome, e.status, e.callerArn])).toEqual([
      ['Success', 200, alice.arn],
      ['AccessDenied', 403, alice.arn],
      ['Success', 200, alice.arn],
    ]);
  });

  it('a wrong MFA code is refused with AccessDenied and no credentials are issued', async () => {
    const result = await aws(
      ['sts', 'get-session-token', '--serial-number', alice.serialNumber, '--token-code', wrongCode(emulator(), alice.seed)],
      longTerm,
    );

    expectAwsError(result, 'AccessDenied', INVALID_MFA_CODE);
    expect(emulator().issued.size).toBe(0);
    expect(emulator().requests()).toEqual([expect.objectContaining({ action: 'GetSessionToken', outcome: 'AccessDenied', status: 403 })]);
  });

  it("assume-role into the dev role with the MFA session's credentials; get-caller-identity with the role's credentials prints the assumed-role ARN", async () => {
    const session = await mfaSession();
    const sessionName = 'alice-cli';
    const assumed = output(
      await aws(['sts', 'assume-role', '--role-arn', ROLES.dev, '--role-session-name', sessionName], keyPair(session)),
      assumeRoleOutput,
    );

    const roleArn = `arn:aws:sts::222222222222:assumed-role/engineer/${sessionName}`;
    expect(assumed.AssumedRoleUser).toEqual({ AssumedRoleId: `${devRole.roleId}:${sessionName}`, Arn: roleArn });
    expect(assumed.Credentials.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(assumed.Credentials.AccessKeyId).not.toBe(session.AccessKeyId);
    // The default role session is one hour.
    expect(Date.parse(assumed.Credentials.Expiration) - emulator().clock.now().getTime()).toBeGreaterThan(3_600_000 - 1_000);
    expect(Date.parse(assumed.Credentials.Expiration) - emulator().clock.now().getTime()).toBeLessThanOrEqual(3_600_000);

    const who = output(await aws(['sts', 'get-caller-identity'], keyPair(assumed.Credentials)), callerIdentityOutput);
    expect(who).toEqual({ UserId: `${devRole.roleId}:${sessionName}`, Account: '222222222222', Arn: roleArn });

    expect(emulator().requests().map((e) => [e.action, e.outcome, e.callerArn])).toEqual([
      ['GetSessionToken', 'Success', alice.arn],
      ['AssumeRole', 'Success', alice.arn],
      ['GetCallerIdentity', 'Success', roleArn],
    ]);
  });

  it("assume-role with the MFA session's credentials and --duration-seconds 7200 is refused: role chaining is capped at 1 hour", async () => {
    const session = await mfaSession();
    const result = await aws(
      ['sts', 'assume-role', '--role-arn', ROLES.dev, '--role-session-name', 'alice-cli', '--duration-seconds', '7200'],
      keyPair(session),
    );

    expectAwsError(result, 'ValidationError', ROLE_CHAINING_LIMIT);
    expect(emulator().requests({ action: 'AssumeRole' })).toEqual([expect.objectContaining({ outcome: 'ValidationError', status: 400 })]);
  });

  it('assume-role with long-term keys passes --serial-number/--token-code through and may last the role\'s 12-hour maximum; without MFA it is refused', async () => {
    const refused = await aws(['sts', 'assume-role', '--role-arn', ROLES.dev, '--role-session-name', 'alice-cli'], longTerm);
    expectAwsError(refused, 'AccessDenied', `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLES.dev}`);

    const code = currentCode(emulator(), alice.seed);
    const assumed = output(
      await aws(
        ['sts', 'assume-role', '--role-arn', ROLES.dev, '--role-session-name', 'alice-cli', '--duration-seconds', '43200', '--serial-number', alice.serialNumber, '--token-code', code],
        longTerm,
      ),
      assumeRoleOutput,
    );
    expect(Date.parse(assumed.Credentials.Expiration) - emulator().clock.now().getTime()).toBeGreaterThan(TWELVE_HOURS_MS - 1_000);
    expect(assumed.AssumedRoleUser.Arn).toBe('arn:aws:sts::222222222222:assumed-role/engineer/alice-cli');
  });

  it("a wrong secret for alice's access key id is refused with SignatureDoesNotMatch", async () => {
    const wrongSecret = 'x'.repeat(40);
    expect(wrongSecret).not.toBe(alice.secretAccessKey);
    const result = await aws(['sts', 'get-caller-identity'], { accessKeyId: alice.accessKeyId, secretAccessKey: wrongSecret });

    expectAwsError(result, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    // Authentication failed, so the log names no caller.
    expect(emulator().requests()).toEqual([
      expect.objectContaining({ action: 'GetCallerIdentity', outcome: 'SignatureDoesNotMatch', status: 403, callerArn: null }),
    ]);
  });

  it('an unknown access key id is refused with InvalidClientTokenId', async () => {
    const result = await aws(['sts', 'get-caller-identity'], { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });

    expectAwsError(result, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    expect(emulator().requests()).toEqual([
      expect.objectContaining({ action: 'GetCallerIdentity', outcome: 'InvalidClientTokenId', status: 403, callerArn: null }),
    ]);
  });

  it('a 900-second MFA session works until the emulator clock passes its expiry, then ExpiredToken', async () => {
    const session = await mfaSession(['--duration-seconds', '900']);
    const now = emulator().clock.now().getTime();
    expect(Date.parse(session.Expiration) - now).toBeGreaterThan(900_000 - 1_000);
    expect(Date.parse(session.Expiration) - now).toBeLessThanOrEqual(900_000);

    output(await aws(['sts', 'get-caller-identity'], keyPair(session)), callerIdentityOutput);

    emulator().clock.advance(901_000);
    const result = await aws(['sts', 'get-caller-identity'], keyPair(session));
    expectAwsError(result, 'ExpiredToken', 'The security token included in the request is expired');
    expect(emulator().requests().map((e) => [e.action, e.outcome])).toEqual([
      ['GetSessionToken', 'Success'],
      ['GetCallerIdentity', 'Success'],
      ['GetCallerIdentity', 'ExpiredToken'],
    ]);
  });

  // AWS STS answers an expired session token with HTTP 403 (Sender / ExpiredToken); see
  // aws/aws-sdk-java-v2#1649 ("Status Code: 403") and pulumi/pulumi-aws#2560
  // ("sts:GetCallerIdentity ... StatusCode: 403 ... api error ExpiredToken").
  it('the emulator answers an expired session token with HTTP 403, as AWS STS does', async () => {
    const session = await mfaSession(['--duration-seconds', '900']);
    emulator().clock.advance(901_000);
    const result = await aws(['sts', 'get-caller-identity'], keyPair(session));

    expectAwsError(result, 'ExpiredToken', 'The security token included in the request is expired');
    expect(emulator().requests({ outcome: 'ExpiredToken' })).toEqual([expect.objectContaining({ action: 'GetCallerIdentity', status: 403 })]);
  });
});

describe('AWS CLI lookup and isolation (test/support/aws-cli.ts)', () => {
  async function fakeCli(versionLine: string): Promise<{ path: string; dispose: () => Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'fake-aws-cli-'));
    const path = join(dir, 'aws');
    await writeFile(path, `#!/bin/sh\necho '${versionLine}'\n`);
    await chmod(path, 0o755);
    return { path, dispose: () => rm(dir, { recursive: true, force: true }) };
  }

  it('refuses an AWS CLI v1 named by AWS_CLI and says which one and why', async () => {
    const fake = await fakeCli('aws-cli/1.45.11 Python/3.11.7 Linux/6.1 botocore/1.43.11');
    try {
      const found = findAwsCliV2({ PATH: process.env.PATH, AWS_CLI: fake.path });
      expect(found).toEqual({ missing: expect.stringContaining(`AWS CLI v2 not found: AWS_CLI=${fake.path} is aws-cli/1.45.11;`) as unknown });
    } finally {
      await fake.dispose();
    }
  });

  it('accepts an executable that reports aws-cli/2', async () => {
    const fake = await fakeCli('aws-cli/2.99.1 Python/3.11.2 Linux/6.1 source/x86_64.debian.12');
    try {
      expect(findAwsCliV2({ PATH: process.env.PATH, AWS_CLI: fake.path })).toEqual({
        path: fake.path,
        version: '2.99.1',
        banner: 'aws-cli/2.99.1 Python/3.11.2 Linux/6.1 source/x86_64.debian.12',
      });
    } finally {
      await fake.dispose();
    }
  });

  it('says so when AWS_CLI names a file that does not exist', () => {
    const found = findAwsCliV2({ PATH: process.env.PATH, AWS_CLI: '/nonexistent/bin/aws' });
    expect(found).toEqual({ missing: expect.stringContaining('AWS_CLI=/nonexistent/bin/aws does not exist') as unknown });
  });

  it("the CLI's environment inherits no AWS_* variable and no HOME from this process", () => {
    vi.stubEnv('AWS_PROFILE', 'leaked-profile');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIALEAKEDLEAKEDLEAK');
    vi.stubEnv('AWS_SESSION_TOKEN', 'leaked-token');
    try {
      const env = isolatedAwsEnv('/tmp/isolated-home', { credentials: aliceLongTerm });
      expect(Object.keys(env).filter((name) => name.startsWith('AWS_')).sort()).toEqual([
        'AWS_ACCESS_KEY_ID',
        'AWS_CLI_AUTO_PROMPT',
        'AWS_CONFIG_FILE',
        'AWS_DEFAULT_REGION',
        'AWS_EC2_METADATA_DISABLED',
        'AWS_MAX_ATTEMPTS',
        'AWS_PAGER',
        'AWS_REGION',
        'AWS_RETRY_MODE',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SHARED_CREDENTIALS_FILE',
      ]);
      expect(env).toMatchObject({
        HOME: '/tmp/isolated-home',
        AWS_ACCESS_KEY_ID: aliceLongTerm.accessKeyId,
        AWS_CONFIG_FILE: '/tmp/isolated-home/config',
        AWS_SHARED_CREDENTIALS_FILE: '/tmp/isolated-home/credentials',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
      });
      expect(Object.values(env)).not.toContain('leaked-profile');
      expect(isolatedAwsEnv('/tmp/h', { env: { AWS_MAX_ATTEMPTS: '3' } }).AWS_MAX_ATTEMPTS).toBe('3');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
