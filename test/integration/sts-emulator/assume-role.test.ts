import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { Fixture } from '../../sts-emulator/fixture.js';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { DEPLOYER_EXTERNAL_ID, identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';
import { keyPairOf, stsClient, stsFailure, type KeyPair } from '../../support/sts-client.js';

const CHAINING = 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.';
const ROLE_MAX = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';

/** The reference fixture plus roles that exercise trust rules the reference roles do not. */
function fixtureWithExtraRoles(): Fixture {
  const fixture = referenceFixture();
  fixture.roles.push(
    {
      arn: 'arn:aws:iam::555555555555:role/audit',
      roleId: 'AROAAUDITAUDITAUDIT2',
      maxSessionDuration: 3600,
      trust: { principals: ['arn:aws:iam::111111111111:root'], requireMfa: false, externalId: null },
    },
    {
      // Trusts the dev engineer role: reachable only by chaining from a dev role session.
      arn: 'arn:aws:iam::222222222222:role/ci-deploy',
      roleId: 'AROACIDEPLOYCIDEPLOY',
      maxSessionDuration: 43200,
      trust: { principals: [ROLES.dev], requireMfa: false, externalId: null },
    },
  );
  return fixture;
}

describe('STS emulator AssumeRole (AWS SDK v3)', () => {
  const emulator = useEmulator(fixtureWithExtraRoles);
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');
  const ci = identity(fixture, 'ci-readonly');

  async function mfaSession(who = alice): Promise<KeyPair> {
    const out = await stsClient(emulator(), who).send(
      new GetSessionTokenCommand({ SerialNumber: who.serialNumber, TokenCode: currentCode(emulator(), who.seed) }),
    );
    return keyPairOf(out.Credentials);
  }

  function assume(credentials: KeyPair, input: Partial<AssumeRoleCommandInput> & { RoleArn: string }) {
    return stsClient(emulator(), credentials).send(new AssumeRoleCommand({ RoleSessionName: 'alice', ...input }));
  }

  it('from an MFA session, into every account of the reference architecture, with the assumed-role ARN and id', async () => {
    const session = await mfaSession();
    for (const [arn, expected] of [
      [ROLES.dev, 'arn:aws:sts::222222222222:assumed-role/engineer/alice'],
      [ROLES.stage, 'arn:aws:sts::333333333333:assumed-role/engineer/alice'],
      [ROLES.prod, 'arn:aws:sts::444444444444:assumed-role/read-only/alice'],
    ] as const) {
      const out = await assume(session, { RoleArn: arn });
      const role = fixture.roles.find((r) => r.arn === arn);
      expect(out.AssumedRoleUser).toEqual({ Arn: expected, AssumedRoleId: `${role?.roleId}:alice` });
      const who = await stsClient(emulator(), keyPairOf(out.Credentials)).send(new GetCallerIdentityCommand({}));
      expect(who).toMatchObject({ Arn: expected, Account: arn.split(':')[4], UserId: `${role?.roleId}:alice` });
    }
  });

  it('uses only the role name, not its path, in the assumed-role ARN', async () => {
    const out = await assume(await mfaSession(), { RoleArn: ROLES.deployer, ExternalId: DEPLOYER_EXTERNAL_ID });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::555555555555:assumed-role/deployer/alice');
  });

  it('gives a 1-hour role session by default', async () => {
    const now = Math.floor(emulator().clock.now().getTime() / 1000) * 1000;
    const out = await assume(await mfaSession(), { RoleArn: ROLES.dev });
    expect(out.Credentials?.Expiration?.getTime()).toBe(now + 3_600_000);
  });

  it('caps role chaining at 1 hour: 3600 s works, 3601 s is refused with AWS\'s message', async () => {
    const session = await mfaSession();
    await expect(assume(session, { RoleArn: ROLES.dev, DurationSeconds: 3600 })).resolves.toBeDefined();
    const failure = await stsFailure(assume(session, { RoleArn: ROLES.dev, DurationSeconds: 3601 }));
    expect(failure).toMatchObject({ name: 'ValidationError', status: 400, message: CHAINING });
  });

  it('with MFA on the call from long-term keys, allows up to the role maximum and no further', async () => {
    const now = Math.floor(emulator().clock.now().getTime() / 1000) * 1000;
    const out = await assume(alice, { RoleArn: ROLES.dev, DurationSeconds: 43_200, SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) });
    expect(out.Credentials?.Expiration?.getTime()).toBe(now + 43_200_000);

    emulator().clock.advance(30_000);
    const failure = await stsFailure(
      assume(alice, { RoleArn: ROLES.stage, DurationSeconds: 14_401, SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) }),
    );
    expect(failure).toMatchObject({ name: 'ValidationError', message: ROLE_MAX });
  });

  it('rejects DurationSeconds outside the model range 900..43200 with a model validation message', async () => {
    const failure = await stsFailure(assume(await mfaSession(), { RoleArn: ROLES.dev, DurationSeconds: 43_201 }));
    expect(failure.message).toBe(
      "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
    );
  });

  it('requires MFA where the trust policy does: long-term keys without a code are refused', async () => {
    const failure = await stsFailure(assume(alice, { RoleArn: ROLES.dev }));
    expect(failure).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLES.dev}`,
    });
  });

  it('rejects a wrong code on AssumeRole as on GetSessionToken', async () => {
    const failure = await stsFailure(assume(alice, { RoleArn: ROLES.dev, SerialNumber: alice.serialNumber, TokenCode: wrongCode(emulator(), alice.seed) }));
    expect(failure).toMatchObject({ name: 'AccessDenied', message: 'MultiFactorAuthentication failed with invalid MFA one time pass code.' });
  });

  it('refuses an unknown role with the not-authorized message naming the caller', async () => {
    const roleArn = 'arn:aws:iam::222222222222:role/does-not-exist';
    const failure = await stsFailure(assume(await mfaSession(), { RoleArn: roleArn }));
    expect(failure.message).toBe(`User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  });

  it('honours a trust policy naming one user: alice may assume break-glass, bob may not', async () => {
    await expect(assume(await mfaSession(alice), { RoleArn: ROLES.breakGlass })).resolves.toBeDefined();
    const failure = await stsFailure(assume(await mfaSession(bob), { RoleArn: ROLES.breakGlass, RoleSessionName: 'bob' }));
    expect(failure.message).toBe(`User: ${bob.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLES.breakGlass}`);
  });

  it('requires the external id where the trust policy sets one', async () => {
    const session = await mfaSession();
    expect((await stsFailure(assume(session, { RoleArn: ROLES.deployer }))).name).toBe('AccessDenied');
    expect((await stsFailure(assume(session, { RoleArn: ROLES.deployer, ExternalId: 'wrong-id' }))).name).toBe('AccessDenied');
    await expect(assume(session, { RoleArn: ROLES.deployer, ExternalId: DEPLOYER_EXTERNAL_ID })).resolves.toBeDefined();
  });

  it('lets long-term keys assume a role that does not require MFA, for up to its maximum', async () => {
    const out = await assume(ci, { RoleArn: 'arn:aws:iam::555555555555:role/audit', RoleSessionName: 'nightly' });
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::555555555555:assumed-role/audit/nightly');
  });

  it('chains from a role session into a role that trusts that role, at most 1 hour, carrying the MFA flag', async () => {
    const dev = keyPairOf((await assume(await mfaSession(), { RoleArn: ROLES.dev })).Credentials);
    const chained = await assume(dev, { RoleArn: 'arn:aws:iam::222222222222:role/ci-deploy', RoleSessionName: 'pipeline' });
    expect(chained.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/ci-deploy/pipeline');
    const failure = await stsFailure(assume(dev, { RoleArn: 'arn:aws:iam::222222222222:role/ci-deploy', DurationSeconds: 7200 }));
    expect(failure.message).toBe(CHAINING);

    // A role session is not trusted where the trust policy names the security account.
    const notTrusted = await stsFailure(assume(dev, { RoleArn: ROLES.stage }));
    expect(notTrusted.message).toBe(
      `User: arn:aws:sts::222222222222:assumed-role/engineer/alice is not authorized to perform: sts:AssumeRole on resource: ${ROLES.stage}`,
    );
  });

  it('returns SourceIdentity when one is set', async () => {
    const out = await assume(await mfaSession(), { RoleArn: ROLES.dev, SourceIdentity: 'alice@example.com' });
    expect(out.SourceIdentity).toBe('alice@example.com');
  });

  it('rejects an inline session policy that is not JSON with MalformedPolicyDocument', async () => {
    const failure = await stsFailure(assume(await mfaSession(), { RoleArn: ROLES.dev, Policy: '{not json' }));
    // The wire code is the model's `MalformedPolicyDocument`; the SDK names its modeled exception class after it.
    expect(failure).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400, message: 'The policy is not in the valid JSON format.' });
  });

  it.each([
    ['a', "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"],
    ['x'.repeat(65), `Value '${'x'.repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`],
    ['has space', "Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"],
  ])('validates RoleSessionName %j by the model', async (name, detail) => {
    const failure = await stsFailure(assume(await mfaSession(), { RoleArn: ROLES.dev, RoleSessionName: name }));
    expect(failure).toMatchObject({ name: 'ValidationError', status: 400, message: `1 validation error detected: ${detail}` });
  });

  it('validates TokenCode as exactly six digits', async () => {
    const failure = await stsFailure(assume(alice, { RoleArn: ROLES.dev, SerialNumber: alice.serialNumber, TokenCode: '12345x' }));
    expect(failure.message).toBe(
      "1 validation error detected: Value '12345x' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\d]*",
    );
  });
});
