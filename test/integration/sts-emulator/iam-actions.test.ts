import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
  type IAMClientConfig,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { FixtureError, parseFixture, type Fixture } from '../../sts-emulator/fixture.js';
import type { StsEmulator } from '../../sts-emulator/sts-emulator.js';
import { currentCode, travelTo, useEmulator } from '../../support/emulator-harness.js';
import { DEPLOYER_EXTERNAL_ID, identity, referenceFixture, ROLES, type FixtureIdentity } from '../../support/reference-fixture.js';
import { keyPairOf, stsClient, stsFailure, type KeyPair } from '../../support/sts-client.js';

/**
 * The IAM actions the app needs (GetUser, ListAccessKeys, CreateAccessKey, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed, ListMFADevices, ListAccountAliases), served by the STS
 * emulator on the same port, through the real AWS SDK v3 IAM client: who may do what, the MFA
 * condition, the two-key quota, key propagation and deletion as STS sees them, key ages, last
 * use, MFA devices, account aliases and reset(). Time only moves on the emulator's clock.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/**
 * The real IAM client, pointed at the emulator. IAM is global and signs for us-east-1. One
 * attempt: the SDK retries IAM's LimitExceeded as if it were throttling (with real back-off).
 */
function iamClient(emulator: StsEmulator, credentials: KeyPair, config: Partial<IAMClientConfig> = {}): IAMClient {
  return new IAMClient({
    region: 'us-east-1',
    endpoint: emulator.url,
    maxAttempts: 1,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    ...config,
  });
}

function longTerm(who: FixtureIdentity): KeyPair {
  return { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey };
}

function explicitDeny(arn: string, action: string, resource: string): string {
  return `User: ${arn} is not authorized to perform: iam:${action} on resource: ${resource} with an explicit deny in an identity-based policy`;
}

function implicitDeny(arn: string, action: string, resource: string): string {
  return `User: ${arn} is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`;
}

/** The reference organisation plus what these tests need: an IAM-admin role in the security account, an account without alias, a user free of the MFA condition. */
function iamFixture(): Fixture {
  const fixture = referenceFixture();
  fixture.accounts.push({ id: '666666666666', alias: '' });
  fixture.roles.push(
    {
      arn: 'arn:aws:iam::111111111111:role/iam-admin',
      roleId: 'AROAIAMADMINIAMADMIN1',
      maxSessionDuration: 3600,
      trust: { principals: ['arn:aws:iam::111111111111:root'], requireMfa: false, externalId: null },
    },
    {
      arn: 'arn:aws:iam::666666666666:role/sandbox',
      roleId: 'AROASANDBOXSANDBOXSA1',
      maxSessionDuration: 3600,
      trust: { principals: ['arn:aws:iam::111111111111:root'], requireMfa: false, externalId: null },
    },
  );
  const ci = fixture.users.find((u) => u.name === 'ci-readonly');
  if (!ci) throw new Error('The reference fixture has no ci-readonly user');
  ci.requireMfaForSelfManagement = false;
  ci.accessKeys = ci.accessKeys.map((key) => ({ ...key, createDate: '2099-01-01T00:00:00Z' }));
  return fixture;
}

describe('IAM actions of the STS emulator (AWS SDK v3 @aws-sdk/client-iam)', () => {
  const emulator = useEmulator(iamFixture);
  const fixture = iamFixture();
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');
  const ci = identity(fixture, 'ci-readonly');

  /** Device code steps used in this test: a code works once per device, as on AWS. */
  const usedSteps = new Set<string>();
  beforeEach(() => usedSteps.clear());

  /** The code the device shows; first moving the (frozen) clock to the next step if this one's code was used. */
  function freshCode(serialNumber: string, seed: string): string {
    const stepKey = (): string => `${serialNumber}@${Math.floor(emulator().clock.now().getTime() / 30_000)}`;
    if (usedSteps.has(stepKey())) emulator().clock.advance(30_000 - (emulator().clock.now().getTime() % 30_000));
    usedSteps.add(stepKey());
    return currentCode(emulator(), seed);
  }

  /** An MFA session (GetSessionToken with the code the device shows now). */
  async function mfaSession(who: FixtureIdentity): Promise<KeyPair> {
    const out = await stsClient(emulator(), longTerm(who)).send(new GetSessionTokenCommand({ SerialNumber: who.serialNumber, TokenCode: freshCode(who.serialNumber, who.seed) }));
    return keyPairOf(out.Credentials);
  }

  /** A role session assumed with alice's long-term keys, presenting her MFA code when the role's trust wants it. */
  async function roleSession(roleArn: string, extra: { ExternalId?: string } = {}): Promise<KeyPair> {
    const requireMfa = fixture.roles.find((r) => r.arn === roleArn)?.trust.requireMfa ?? false;
    const mfa = requireMfa ? { SerialNumber: alice.serialNumber, TokenCode: freshCode(alice.serialNumber, alice.seed) } : {};
    const out = await stsClient(emulator(), longTerm(alice)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'alice', ...mfa, ...extra }));
    return keyPairOf(out.Credentials);
  }

  async function whoAmI(credentials: KeyPair): Promise<string | undefined> {
    return (await stsClient(emulator(), credentials).send(new GetCallerIdentityCommand({}))).Arn;
  }

  describe('GetUser', () => {
    it("answers the calling user's own user with long-term keys, without MFA, dated 30 days before the emulator started", async () => {
      const out = await iamClient(emulator(), longTerm(alice)).send(new GetUserCommand({}));
      expect(out.User).toEqual({ Path: '/', UserName: 'alice', UserId: alice.user.userId, Arn: alice.arn, CreateDate: emulator().directory.defaultDate });
    });

    it('puts the path into the ARN and answers the user when named by themselves', async () => {
      const out = await iamClient(emulator(), longTerm(bob)).send(new GetUserCommand({ UserName: 'bob' }));
      expect(out.User).toMatchObject({ Path: '/engineers/', UserName: 'bob', Arn: 'arn:aws:iam::111111111111:user/engineers/bob' });
    });

    it('refuses a user asking about another user', async () => {
      const failure = await stsFailure(iamClient(emulator(), longTerm(alice)).send(new GetUserCommand({ UserName: 'bob' })));
      expect(failure).toMatchObject({ name: 'AccessDenied', status: 403, message: implicitDeny(alice.arn, 'GetUser', 'user bob') });
    });

    it('answers a role session only when UserName is given, for users of its own account', async () => {
      const admin = iamClient(emulator(), await roleSession('arn:aws:iam::111111111111:role/iam-admin'));
      const failure = await stsFailure(admin.send(new GetUserCommand({})));
      expect(failure).toMatchObject({ name: 'ValidationError', status: 400, message: 'Must specify userName when calling with non-User credentials' });
      expect((await admin.send(new GetUserCommand({ UserName: 'bob' }))).User?.Arn).toBe(bob.arn);
      const missing = await stsFailure(admin.send(new GetUserCommand({ UserName: 'carol' })));
      expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The user with name carol cannot be found.' });
      // alice lives in the security account, not in dev's.
      const dev = iamClient(emulator(), await roleSession(ROLES.dev));
      expect((await stsFailure(dev.send(new GetUserCommand({ UserName: 'alice' })))).message).toBe('The user with name alice cannot be found.');
    });
  });

  describe('role credentials without UserName', () => {
    it('every action about a user is a ValidationError, as AWS answers role sessions', async () => {
      const admin = iamClient(emulator(), await roleSession('arn:aws:iam::111111111111:role/iam-admin'));
      const calls = {
        ListAccessKeys: () => admin.send(new ListAccessKeysCommand({})),
        CreateAccessKey: () => admin.send(new CreateAccessKeyCommand({})),
        ListMFADevices: () => admin.send(new ListMFADevicesCommand({})),
        DeleteAccessKey: () => admin.send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId })),
        UpdateAccessKey: () => admin.send(new UpdateAccessKeyCommand({ AccessKeyId: alice.accessKeyId, Status: 'Inactive' })),
      };
      for (const [action, call] of Object.entries(calls)) {
        const failure = await stsFailure(call());
        expect(failure, action).toMatchObject({ name: 'ValidationError', status: 400, message: 'Must specify userName when calling with non-User credentials' });
      }
      expect(emulator().directory.accessKeysOf(alice.user)).toHaveLength(1);
      // With UserName the role manages the user's keys.
      const created = await admin.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      expect(created.AccessKey?.UserName).toBe('alice');
      expect((await admin.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toHaveLength(2);
    });
  });

  describe('the MFA condition on self-management', () => {
    it('with long-term keys only GetUser and ListMFADevices are allowed; the rest is an explicit deny', async () => {
      const client = iamClient(emulator(), longTerm(alice));
      const denied = [
        ['ListAccessKeys', () => client.send(new ListAccessKeysCommand({})), 'user alice'],
        ['CreateAccessKey', () => client.send(new CreateAccessKeyCommand({})), 'user alice'],
        ['UpdateAccessKey', () => client.send(new UpdateAccessKeyCommand({ AccessKeyId: alice.accessKeyId, Status: 'Inactive' })), 'user alice'],
        ['DeleteAccessKey', () => client.send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId })), 'user alice'],
        ['GetAccessKeyLastUsed', () => client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId })), 'user alice'],
        ['ListAccountAliases', () => client.send(new ListAccountAliasesCommand({})), '*'],
      ] as const;
      for (const [action, call, resource] of denied) {
        const failure = await stsFailure(call());
        expect(failure, action).toMatchObject({ name: 'AccessDenied', status: 403, message: explicitDeny(alice.arn, action, resource) });
      }
      await expect(client.send(new GetUserCommand({}))).resolves.toBeDefined();
      await expect(client.send(new ListMFADevicesCommand({}))).resolves.toBeDefined();
      // Nothing changed: the key is still there and active.
      expect(emulator().directory.accessKeysOf(alice.user)).toMatchObject([{ accessKeyId: alice.accessKeyId, status: 'Active' }]);
    });

    it('a GetSessionToken session without MFA is refused the same way', async () => {
      const out = await stsClient(emulator(), longTerm(alice)).send(new GetSessionTokenCommand({}));
      const failure = await stsFailure(iamClient(emulator(), keyPairOf(out.Credentials)).send(new ListAccessKeysCommand({})));
      expect(failure).toMatchObject({ name: 'AccessDenied', message: explicitDeny(alice.arn, 'ListAccessKeys', 'user alice') });
    });

    it('an MFA session may do all of them', async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      expect((await client.send(new ListAccessKeysCommand({}))).AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([alice.accessKeyId]);
      expect((await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId }))).UserName).toBe('alice');
      expect((await client.send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['security']);
      const created = await client.send(new CreateAccessKeyCommand({}));
      const id = created.AccessKey?.AccessKeyId ?? '';
      await client.send(new UpdateAccessKeyCommand({ AccessKeyId: id, Status: 'Inactive' }));
      await client.send(new DeleteAccessKeyCommand({ AccessKeyId: id }));
      expect(emulator().directory.accessKeysOf(alice.user).map((k) => k.accessKeyId)).toEqual([alice.accessKeyId]);
    });

    it('a user with requireMfaForSelfManagement false manages their keys with long-term keys', async () => {
      const client = iamClient(emulator(), longTerm(ci));
      expect((await client.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(1);
      await expect(client.send(new CreateAccessKeyCommand({}))).resolves.toBeDefined();
    });

    it('the issued-credential store remembers whether a session was MFA-authenticated', async () => {
      await mfaSession(alice);
      await stsClient(emulator(), longTerm(bob)).send(new GetSessionTokenCommand({}));
      expect(emulator().issued.all().map((c) => [c.principal.kind === 'user-session' ? c.principal.user.name : '', c.mfaPresent])).toEqual([
        ['alice', true],
        ['bob', false],
      ]);
    });
  });

  describe("another user's keys and devices", () => {
    it("are refused to an MFA-authenticated user, with AWS's message naming the other user", async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      const bobKey = bob.accessKeyId;
      const calls = {
        ListAccessKeys: () => client.send(new ListAccessKeysCommand({ UserName: 'bob' })),
        CreateAccessKey: () => client.send(new CreateAccessKeyCommand({ UserName: 'bob' })),
        UpdateAccessKey: () => client.send(new UpdateAccessKeyCommand({ UserName: 'bob', AccessKeyId: bobKey, Status: 'Inactive' })),
        DeleteAccessKey: () => client.send(new DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: bobKey })),
        GetAccessKeyLastUsed: () => client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: bobKey })),
        ListMFADevices: () => client.send(new ListMFADevicesCommand({ UserName: 'bob' })),
        GetUser: () => client.send(new GetUserCommand({ UserName: 'bob' })),
      };
      for (const [action, call] of Object.entries(calls)) {
        const failure = await stsFailure(call());
        expect(failure, action).toMatchObject({ name: 'AccessDenied', status: 403, message: implicitDeny(alice.arn, action, 'user bob') });
      }
      expect(emulator().directory.accessKeysOf(bob.user).map((k) => [k.accessKeyId, k.status])).toEqual(bob.user.accessKeys.map((k) => [k.accessKeyId, k.status]));
      expect(implicitDeny(alice.arn, 'CreateAccessKey', 'user bob')).toMatch(
        /^User: arn:aws:iam::111111111111:user\/alice is not authorized to perform: iam:CreateAccessKey on resource: user bob/,
      );
    });

    it("a key id of another user without UserName is looked for among the caller's own keys: NoSuchEntity, and bob's key lives on", async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      const failure = await stsFailure(client.send(new DeleteAccessKeyCommand({ AccessKeyId: bob.accessKeyId })));
      expect(failure).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `The Access Key with id ${bob.accessKeyId} cannot be found.` });
      expect(await whoAmI(longTerm(bob))).toBe(bob.arn);
    });
  });

  describe('the two-key quota', () => {
    it('a second key is made, a third is LimitExceeded (409) and made nothing', async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      const created = await client.send(new CreateAccessKeyCommand({}));
      expect(created.AccessKey).toMatchObject({ UserName: 'alice', Status: 'Active' });
      expect(created.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
      expect(created.AccessKey?.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);

      const failure = await stsFailure(client.send(new CreateAccessKeyCommand({})));
      expect(failure).toMatchObject({ name: 'LimitExceededException', status: 409, message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
      expect((await client.send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(2);
    });

    it('an inactive key counts: bob (one active, one inactive) may make none until he deletes one', async () => {
      const client = iamClient(emulator(), await mfaSession(bob));
      expect((await stsFailure(client.send(new CreateAccessKeyCommand({})))).name).toBe('LimitExceededException');
      const inactive = bob.user.accessKeys.find((k) => k.status === 'Inactive')?.accessKeyId ?? '';
      await client.send(new DeleteAccessKeyCommand({ AccessKeyId: inactive }));
      await expect(client.send(new CreateAccessKeyCommand({}))).resolves.toMatchObject({ AccessKey: { UserName: 'bob', Status: 'Active' } });
    });
  });

  describe('a new key, as STS and IAM see it', () => {
    async function newKeyOfAlice(): Promise<KeyPair> {
      const created = await iamClient(emulator(), await mfaSession(alice)).send(new CreateAccessKeyCommand({}));
      return { accessKeyId: created.AccessKey?.AccessKeyId ?? '', secretAccessKey: created.AccessKey?.SecretAccessKey ?? '' };
    }

    it('works at once by default (no propagation delay)', async () => {
      expect(emulator().keyPropagationDelayMs).toBe(0);
      expect(await whoAmI(await newKeyOfAlice())).toBe(alice.arn);
    });

    it('is refused with InvalidClientTokenId by STS and IAM until the propagation delay has passed on the emulator clock', async () => {
      emulator().setKeyPropagationDelay(10_000);
      const key = await newKeyOfAlice();
      const sts = stsFailure(stsClient(emulator(), key).send(new GetCallerIdentityCommand({})));
      expect(await sts).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN });
      expect(await stsFailure(iamClient(emulator(), key).send(new GetUserCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });

      emulator().clock.advance(9_999);
      expect((await stsFailure(stsClient(emulator(), key).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
      emulator().clock.advance(1);
      expect(await whoAmI(key)).toBe(alice.arn);
      expect((await iamClient(emulator(), key).send(new GetUserCommand({}))).User?.UserName).toBe('alice');
      // Fixture keys were never subject to it.
      expect(await whoAmI(longTerm(bob))).toBe(bob.arn);
    });

    it('a delay set later applies to keys already made', async () => {
      const key = await newKeyOfAlice();
      emulator().setKeyPropagationDelay(60_000);
      expect((await stsFailure(stsClient(emulator(), key).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
      emulator().setKeyPropagationDelay(0);
      expect(await whoAmI(key)).toBe(alice.arn);
    });

    it('the delay is set over HTTP too, and shown in the state', async () => {
      const put = await fetch(`${emulator().url}/__emulator/key-propagation-delay`, { method: 'PUT', body: JSON.stringify({ ms: 5_000 }) });
      expect(put.status).toBe(200);
      expect(await put.json()).toMatchObject({ keyPropagationDelayMs: 5_000 });
      expect(emulator().keyPropagationDelayMs).toBe(5_000);
      const bad = await fetch(`${emulator().url}/__emulator/key-propagation-delay`, { method: 'PUT', body: JSON.stringify({ ms: -1 }) });
      expect(bad.status).toBe(400);
    });

    it('once deleted, STS GetCallerIdentity refuses it with InvalidClientTokenId', async () => {
      const key = await newKeyOfAlice();
      expect(await whoAmI(key)).toBe(alice.arn);
      emulator().clock.advance(30_000);
      await iamClient(emulator(), await mfaSession(alice)).send(new DeleteAccessKeyCommand({ AccessKeyId: key.accessKeyId }));
      expect(await stsFailure(stsClient(emulator(), key).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: INVALID_TOKEN });
      expect(emulator().setAccessKeyStatus(key.accessKeyId, 'Active')).toBe(false);
    });

    it('a user may deactivate or delete the very key they sign with; its next request is refused', async () => {
      const session = await mfaSession(alice);
      await iamClient(emulator(), session).send(new UpdateAccessKeyCommand({ AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
      expect((await stsFailure(stsClient(emulator(), longTerm(alice)).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
      await iamClient(emulator(), session).send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId }));
      expect((await stsFailure(stsClient(emulator(), longTerm(alice)).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
      // The MFA session issued before keeps working until it expires, as AWS's do.
      expect(await whoAmI(session)).toBe(alice.arn);
    });
  });

  describe('key ages', () => {
    it("fixture keys without createDate are 30 days old when the emulator starts; bob's keep their fixture dates; a new key is dated now", async () => {
      const defaultDate = emulator().directory.defaultDate;
      const started = defaultDate.getTime() + 30 * DAY_MS;
      expect(defaultDate.getTime() % 1000).toBe(0);
      expect(emulator().clock.now().getTime() - started).toBeGreaterThanOrEqual(-1000);
      expect(emulator().clock.now().getTime() - started).toBeLessThan(10 * 60_000);

      const aliceKeys = await iamClient(emulator(), await mfaSession(alice)).send(new ListAccessKeysCommand({}));
      expect(aliceKeys.AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active', CreateDate: defaultDate }]);

      const bobKeys = await iamClient(emulator(), await mfaSession(bob)).send(new ListAccessKeysCommand({}));
      expect(bobKeys.AccessKeyMetadata?.map((k) => [k.Status, k.CreateDate?.toISOString()])).toEqual([
        ['Active', '2025-09-15T08:30:00.000Z'],
        ['Inactive', '2025-03-02T10:00:00.000Z'],
      ]);

      emulator().clock.advance(30_000);
      const now = emulator().clock.now();
      const created = await iamClient(emulator(), await mfaSession(alice)).send(new CreateAccessKeyCommand({}));
      expect(created.AccessKey?.CreateDate?.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000);
    });

    it('an explicit createDate gives an exact age on a clock moved to a fixed instant (90 days)', async () => {
      travelTo(emulator(), '2099-04-01T00:00:00Z');
      const keys = await iamClient(emulator(), longTerm(ci)).send(new ListAccessKeysCommand({}));
      const createDate = keys.AccessKeyMetadata?.[0]?.CreateDate;
      expect(createDate?.toISOString()).toBe('2099-01-01T00:00:00.000Z');
      expect(emulator().clock.now().getTime() - (createDate?.getTime() ?? 0)).toBe(90 * DAY_MS);
    });
  });

  describe('GetAccessKeyLastUsed', () => {
    it("says N/A and gives no date for a key never used", async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      const created = await client.send(new CreateAccessKeyCommand({}));
      const out = await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: created.AccessKey?.AccessKeyId ?? '' }));
      expect(out.UserName).toBe('alice');
      expect(out.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' });
    });

    it('records the long-term key\'s own requests (service, signing region, to the minute), not those of sessions made from it', async () => {
      travelTo(emulator(), '2099-05-05T10:20:30Z');
      // ci is free of the MFA condition, so its long-term key asks about itself.
      const ciClient = iamClient(emulator(), longTerm(ci));
      await stsClient(emulator(), longTerm(ci), { region: 'eu-west-1' }).send(new GetCallerIdentityCommand({}));
      emulator().clock.advance(60_000);
      // This very call is the key's latest use: IAM, us-east-1, 10:21.
      expect((await ciClient.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: ci.accessKeyId }))).AccessKeyLastUsed).toEqual({
        LastUsedDate: new Date('2099-05-05T10:21:00Z'),
        ServiceName: 'iam',
        Region: 'us-east-1',
      });

      // alice: GetSessionToken is a use of her key (sts); the session's requests are not.
      emulator().clock.advance(5 * 60_000);
      const session = await mfaSession(alice);
      emulator().clock.advance(10 * 60_000);
      const client = iamClient(emulator(), session);
      await client.send(new ListAccessKeysCommand({}));
      await stsClient(emulator(), session).send(new GetCallerIdentityCommand({}));
      expect((await client.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId }))).AccessKeyLastUsed).toEqual({
        LastUsedDate: new Date('2099-05-05T10:26:00Z'),
        ServiceName: 'sts',
        Region: 'us-east-1',
      });
    });

    it('records the STS signing region, and not a request whose signature failed', async () => {
      await stsClient(emulator(), longTerm(ci), { region: 'eu-central-1' }).send(new GetCallerIdentityCommand({}));
      emulator().clock.advance(120_000);
      await stsFailure(stsClient(emulator(), { ...longTerm(ci), secretAccessKey: 'x'.repeat(40) }, { region: 'ap-south-1' }).send(new GetCallerIdentityCommand({})));
      expect(emulator().directory.findAccessKey(ci.accessKeyId)?.key.lastUsed).toMatchObject({ serviceName: 'sts', region: 'eu-central-1' });
    });

    it('names an unknown key NoSuchEntity', async () => {
      const failure = await stsFailure(iamClient(emulator(), longTerm(ci)).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' })));
      expect(failure).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: 'The Access Key with id AKIAUNKNOWNUNKNOWN00 cannot be found.' });
    });
  });

  describe('ListMFADevices', () => {
    it("lists every device of the user with its EnableDate, without MFA", async () => {
      const out = await iamClient(emulator(), longTerm(bob)).send(new ListMFADevicesCommand({}));
      expect(out.MFADevices).toEqual([
        { UserName: 'bob', SerialNumber: 'arn:aws:iam::111111111111:mfa/bob', EnableDate: new Date('2025-03-02T10:05:00Z') },
        { UserName: 'bob', SerialNumber: 'arn:aws:iam::111111111111:mfa/bob-backup-phone', EnableDate: new Date('2025-09-15T08:35:00Z') },
      ]);
      expect(out.IsTruncated).toBe(false);
      const none = await iamClient(emulator(), longTerm(ci)).send(new ListMFADevicesCommand({}));
      expect(none.MFADevices).toEqual([]);
    });

    it('pages with MaxItems and Marker', async () => {
      const client = iamClient(emulator(), longTerm(bob));
      const first = await client.send(new ListMFADevicesCommand({ MaxItems: 1 }));
      expect(first.MFADevices?.map((d) => d.SerialNumber)).toEqual(['arn:aws:iam::111111111111:mfa/bob']);
      expect(first.IsTruncated).toBe(true);
      const second = await client.send(new ListMFADevicesCommand({ MaxItems: 1, Marker: first.Marker }));
      expect(second.MFADevices?.map((d) => d.SerialNumber)).toEqual(['arn:aws:iam::111111111111:mfa/bob-backup-phone']);
      expect(second).toMatchObject({ IsTruncated: false });
      expect(second.Marker).toBeUndefined();
      expect((await stsFailure(client.send(new ListMFADevicesCommand({ Marker: 'not-a-marker' })))).name).toBe('ValidationError');
    });

    it('any of the devices makes an MFA session', async () => {
      const backup = bob.user.mfaDevices[1];
      if (!backup) throw new Error('bob has no second MFA device in the reference fixture');
      const out = await stsClient(emulator(), longTerm(bob)).send(new GetSessionTokenCommand({ SerialNumber: backup.serialNumber, TokenCode: freshCode(backup.serialNumber, backup.seed) }));
      const keys = await iamClient(emulator(), keyPairOf(out.Credentials)).send(new ListAccessKeysCommand({}));
      expect(keys.AccessKeyMetadata).toHaveLength(2);
    });
  });

  describe('ListAccountAliases', () => {
    it("answers the caller's account alias: the user's, or the role's account", async () => {
      expect((await iamClient(emulator(), await mfaSession(alice)).send(new ListAccountAliasesCommand({}))).AccountAliases).toEqual(['security']);
      const dev = await iamClient(emulator(), await roleSession(ROLES.dev)).send(new ListAccountAliasesCommand({}));
      expect(dev).toMatchObject({ AccountAliases: ['dev'], IsTruncated: false });
    });

    it('answers an empty list for an account whose fixture alias is empty', async () => {
      const out = await iamClient(emulator(), await roleSession('arn:aws:iam::666666666666:role/sandbox')).send(new ListAccountAliasesCommand({}));
      expect(out.AccountAliases).toEqual([]);
    });

    it('refuses a denyIam role every IAM action, the alias included', async () => {
      const deployer = await roleSession(ROLES.deployer, { ExternalId: DEPLOYER_EXTERNAL_ID });
      const arn = 'arn:aws:sts::555555555555:assumed-role/deployer/alice';
      const client = iamClient(emulator(), deployer);
      expect(await stsFailure(client.send(new ListAccountAliasesCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403, message: implicitDeny(arn, 'ListAccountAliases', '*') });
      expect((await stsFailure(client.send(new GetUserCommand({ UserName: 'ops' })))).message).toBe(implicitDeny(arn, 'GetUser', 'user ops'));
      // STS still serves it.
      expect(await whoAmI(deployer)).toBe(arn);
    });
  });

  describe('routing and the request log', () => {
    it('logs every request with the service that answered it, and filters by service', async () => {
      await stsClient(emulator(), longTerm(alice)).send(new GetCallerIdentityCommand({}));
      await iamClient(emulator(), longTerm(alice)).send(new GetUserCommand({}));
      await stsFailure(iamClient(emulator(), longTerm(alice)).send(new ListAccessKeysCommand({})));
      expect(emulator().requests().map((e) => [e.service, e.action, e.outcome])).toEqual([
        ['sts', 'GetCallerIdentity', 'Success'],
        ['iam', 'GetUser', 'Success'],
        ['iam', 'ListAccessKeys', 'AccessDenied'],
      ]);
      expect(emulator().requests({ service: 'iam' }).map((e) => e.action)).toEqual(['GetUser', 'ListAccessKeys']);
      expect(emulator().requests({ service: 'sts' }).map((e) => e.action)).toEqual(['GetCallerIdentity']);
      const overHttp = (await (await fetch(`${emulator().url}/__emulator/requests?service=iam`)).json()) as { requests: { action: string }[] };
      expect(overHttp.requests.map((e) => e.action)).toEqual(['GetUser', 'ListAccessKeys']);
      expect((await fetch(`${emulator().url}/__emulator/requests?service=s3`)).status).toBe(400);
    });

    it('refuses an IAM client that signs for another region than us-east-1, with AWS\'s words', async () => {
      const failure = await stsFailure(iamClient(emulator(), longTerm(alice), { region: 'eu-west-1' }).send(new GetUserCommand({})));
      expect(failure).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403, message: "Credential should be scoped to a valid region, not 'eu-west-1'. " });
      expect(emulator().requests()).toEqual([expect.objectContaining({ service: 'iam', action: 'GetUser', outcome: 'SignatureDoesNotMatch', callerArn: null })]);
    });
  });

  describe('reset()', () => {
    it("restores the fixture's keys exactly: created keys gone, deleted ones back, statuses, last use and the propagation delay", async () => {
      const client = iamClient(emulator(), await mfaSession(alice));
      const created = await client.send(new CreateAccessKeyCommand({}));
      const newKey = { accessKeyId: created.AccessKey?.AccessKeyId ?? '', secretAccessKey: created.AccessKey?.SecretAccessKey ?? '' };
      await client.send(new DeleteAccessKeyCommand({ AccessKeyId: alice.accessKeyId }));
      emulator().setAccessKeyStatus(bob.accessKeyId, 'Inactive');
      emulator().setKeyPropagationDelay(1_000);
      expect(emulator().directory.findAccessKey(ci.accessKeyId)?.key.lastUsed).toBeUndefined();
      await whoAmI(longTerm(ci));
      expect(emulator().directory.findAccessKey(ci.accessKeyId)?.key.lastUsed).toBeDefined();

      emulator().reset();
      emulator().clock.freeze();

      expect(emulator().keyPropagationDelayMs).toBe(0);
      expect(await whoAmI(longTerm(alice))).toBe(alice.arn);
      expect(await whoAmI(longTerm(bob))).toBe(bob.arn);
      expect((await stsFailure(stsClient(emulator(), newKey).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
      const keys = await iamClient(emulator(), await mfaSession(alice)).send(new ListAccessKeysCommand({}));
      expect(keys.AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active', CreateDate: emulator().directory.defaultDate }]);
      expect(emulator().directory.accessKeysOf(bob.user).map((k) => [k.accessKeyId, k.status, k.secretAccessKey])).toEqual(
        bob.user.accessKeys.map((k) => [k.accessKeyId, k.status, k.secretAccessKey]),
      );
      expect(emulator().directory.findAccessKey(ci.accessKeyId)?.key.lastUsed).toBeUndefined();
      // The fixture the emulator was given is untouched.
      expect(emulator().fixture.users.find((u) => u.name === 'alice')?.accessKeys.map((k) => k.accessKeyId)).toEqual([alice.accessKeyId]);
    });
  });
});

describe('IAM fixture fields', () => {
  function fixtureError(input: unknown): string {
    try {
      parseFixture(input, 'test fixture');
    } catch (error) {
      if (error instanceof FixtureError) return error.message;
      throw error;
    }
    throw new Error('Expected parseFixture to throw a FixtureError');
  }

  const device = (i: number): { serialNumber: string; seed: string } => ({ serialNumber: `arn:aws:iam::123456789012:mfa/u-${i}`, seed: 'HERCDVG6QMM33BXAGP5E7YY5RPYMVMDI' });
  const key = (i: number): { accessKeyId: string; secretAccessKey: string } => ({ accessKeyId: `AKIAAAAAAAAAAAAAAAA${i}`, secretAccessKey: 'x'.repeat(40) });
  const base = (user: Record<string, unknown>, role: Record<string, unknown> = {}): unknown => ({
    accounts: [{ id: '123456789012' }],
    users: [{ account: '123456789012', name: 'u', userId: 'AIDAAAAAAAAAAAAAAAAA', ...user }],
    roles: [{ arn: 'arn:aws:iam::123456789012:role/r', roleId: 'AROAAAAAAAAAAAAAAAAA', trust: { principals: ['123456789012'] }, ...role }],
  });

  it('accepts up to 8 MFA devices and 2 keys, dates, the MFA flag and denyIam; an absent alias is none', () => {
    const fixture = parseFixture(
      base(
        {
          createDate: '2025-01-01T00:00:00Z',
          requireMfaForSelfManagement: false,
          accessKeys: [{ ...key(1), createDate: '2025-02-01T00:00:00+01:00' }, key(2)],
          mfaDevices: [{ ...device(0), enableDate: '2025-01-02T00:00:00Z' }, ...[1, 2, 3, 4, 5, 6, 7].map(device)],
        },
        { denyIam: true },
      ),
    );
    expect(fixture.accounts[0]?.alias).toBe('');
    expect(fixture.users[0]?.mfaDevices).toHaveLength(8);
    expect(fixture.users[0]).toMatchObject({ requireMfaForSelfManagement: false, createDate: '2025-01-01T00:00:00Z' });
    expect(fixture.roles[0]?.denyIam).toBe(true);
  });

  it("refuses more than AWS's quotas and dates that are not ISO 8601 date-times, naming the field", () => {
    expect(fixtureError(base({ mfaDevices: [0, 1, 2, 3, 4, 5, 6, 7, 8].map(device) }))).toContain('users.0.mfaDevices: AWS allows at most 8 MFA devices per user');
    expect(fixtureError(base({ accessKeys: [key(1), key(2), key(3)] }))).toContain('users.0.accessKeys: AWS allows at most 2 access keys per user');
    expect(fixtureError(base({ accessKeys: [{ ...key(1), createDate: '2025-02-01' }] }))).toContain('users.0.accessKeys.0.createDate: a date is an ISO 8601 date-time');
    expect(fixtureError(base({ mfaDevices: [{ ...device(1), enableDate: 'yesterday' }] }))).toContain('users.0.mfaDevices.0.enableDate');
    expect(fixtureError(base({}, { denyIam: 'yes' }))).toContain('roles.0.denyIam');
  });
});
