import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SdkStsGateway } from '../../../main/core/sts/sts-gateway.js';
import { createCore, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';

/**
 * The STS gateway's sentences for what AWS (and the network) can say, and profiles that assume
 * their role directly with their own MFA code.
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const keys = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };

describe('core: STS gateway sentences', () => {
  const emulator = useEmulator();
  const gateway = () => new SdkStsGateway({ endpoint: emulator().url });

  async function mfaSession() {
    return gateway().getSessionToken(keys, { region: 'us-east-1', durationSeconds: 3600, serialNumber: alice.serialNumber, tokenCode: currentCode(emulator(), alice.seed) });
  }

  it('role chaining beyond 1 hour: the limit explained, with what to do', async () => {
    const session = await mfaSession();
    const error = await gateway().assumeRole(session, { region: 'us-east-1', roleArn: ROLES.dev, roleSessionName: 'alice', durationSeconds: 7200 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ValidationError',
      message:
        "Roles assumed from an MFA session last at most 1 hour (AWS's role-chaining limit), and 7200 seconds were asked for. Set the profile's duration to 3600 or less, or let the profile assume its role directly with its own MFA code for longer sessions.",
    });
  });

  it('longer than the role allows: names the role and both remedies', async () => {
    const error = await gateway()
      .assumeRole(keys, { region: 'us-east-1', roleArn: ROLES.prod, roleSessionName: 'alice', durationSeconds: 7200, serialNumber: alice.serialNumber, tokenCode: currentCode(emulator(), alice.seed) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ValidationError',
      message: `The role ${ROLES.prod} allows shorter sessions than the 7200 seconds asked for. Lower the profile's duration, or raise the role's maximum session duration in IAM.`,
    });
  });

  it("another user's MFA device: says it does not belong to this user", async () => {
    const bob = identity(fixture, 'bob');
    const error = await gateway()
      .getSessionToken(keys, { region: 'us-east-1', durationSeconds: 3600, serialNumber: bob.serialNumber, tokenCode: currentCode(emulator(), bob.seed) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MfaDeviceMismatch', message: expect.stringContaining(`The MFA device ${bob.serialNumber} does not belong to this IAM user.`) as string });
  });

  it('an expired session: sign in again', async () => {
    const session = await mfaSession();
    emulator().clock.advance(3_601_000);
    const error = await gateway().getCallerIdentity(session, 'us-east-1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ExpiredToken', message: 'The session has expired. Sign in again with a new MFA code.' });
  });

  it('nothing listening: connection refused, naming the endpoint', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await new SdkStsGateway({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 }).getCallerIdentity(keys, 'us-east-1').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'network',
      message: `Cannot connect to the STS endpoint http://127.0.0.1:${port}: the connection was refused. If you point AWS Auth Tray at a custom endpoint (AWS_ENDPOINT_URL_STS or endpoint_url), check that it is running.`,
    });
  });

  it('an endpoint that does not answer in time: AWS is not answering', async () => {
    emulator().setLatency(2_000);
    const error = await new SdkStsGateway({ endpoint: emulator().url, maxAttempts: 1, requestTimeoutMs: 200 }).getCallerIdentity(keys, 'us-east-1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network', message: `AWS STS is not answering at ${emulator().url}: no response in time. Check your network connection or VPN, then try again.` });
  });

  it('a frozen STS: one overall deadline for every attempt of a request, naming the endpoint', async () => {
    emulator().setLatency(10_000);
    const started = Date.now();
    const error = await new SdkStsGateway({ endpoint: emulator().url, deadlineMs: 400, requestTimeoutMs: 5_000 }).getCallerIdentity(keys, 'us-east-1').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toMatchObject({ code: 'network', message: `AWS STS is not answering at ${emulator().url}: no response within 400 ms. Check your network connection or VPN, then try again.` });
    emulator().setLatency(0);
  });

  it('the deadline covers the retries: three attempts of 400 ms each are cut at the deadline', async () => {
    emulator().setLatency(10_000);
    const started = Date.now();
    const error = await new SdkStsGateway({ endpoint: emulator().url, deadlineMs: 500, requestTimeoutMs: 400 }).getCallerIdentity(keys, 'us-east-1').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'network', message: `AWS STS is not answering at ${emulator().url}: no response within 500 ms. Check your network connection or VPN, then try again.` });
    emulator().setLatency(0);
  });

  it('a caller that stops waiting (sign-out) gets its own reason, not the deadline sentence', async () => {
    emulator().setLatency(10_000);
    const controller = new AbortController();
    const pending = new SdkStsGateway({ endpoint: emulator().url }).getCallerIdentity(keys, 'us-east-1', { signal: controller.signal }).catch((e: unknown) => e);
    const reason = new Error('signed out');
    setTimeout(() => controller.abort(reason), 100);
    expect(await pending).toBe(reason);
    emulator().setLatency(0);
  });

  it('an endpoint that is not a URL is refused before the SDK sees it, naming where it came from', async () => {
    const error = await new SdkStsGateway({ endpoint: 'sts.example.com' }).getCallerIdentity(keys, 'us-east-1').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'endpoint-invalid',
      message:
        'The STS endpoint "sts.example.com" (from endpoint_url) is not a web address. Write it in full, like https://sts.eu-west-1.amazonaws.com (or http://127.0.0.1:4599 for the local STS emulator), or remove endpoint_url to use AWS\'s own endpoint.',
    });
  });

  it('honours the standard endpoint override AWS_ENDPOINT_URL_STS', async () => {
    const previous = process.env.AWS_ENDPOINT_URL_STS;
    process.env.AWS_ENDPOINT_URL_STS = emulator().url;
    try {
      const who = await new SdkStsGateway().getCallerIdentity(keys, 'eu-west-1');
      expect(who.arn).toBe(alice.arn);
      expect(emulator().requests({ action: 'GetCallerIdentity' })).toHaveLength(1);
    } finally {
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
      else process.env.AWS_ENDPOINT_URL_STS = previous;
    }
  });
});

describe('core: a profile that assumes its role with its own MFA code', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
    const security = core.vault.identity('security')?.id ?? '';
    core.vault.upsertProfile({ name: 'dev-long', identityId: security, roleArn: ROLES.dev, durationSeconds: 43_200, mfaMode: 'direct' });
  });
  afterEach(() => core.cleanup());

  it('gets the role maximum (12 h) with one code for that profile, and no MFA session', async () => {
    const now = emulator().clock.now().getTime();
    const credentials = await core.sessions.getCredentials('dev-long', { requester });
    expect(credentials.expiration.getTime()).toBe(Math.floor(now / 1000) * 1000 + 43_200_000);
    expect(core.prompter.prompts).toHaveLength(1);
    expect(core.prompter.prompts[0]?.purpose).toEqual({ kind: 'assume-role', profile: 'dev-long', roleArn: ROLES.dev });
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
    expect(core.vault.sessionMetadata().mfa).toEqual({});

    // Cached for its 12 hours: no new code an hour later.
    emulator().clock.advance(3_600_000);
    await core.sessions.getCredentials('dev-long', { requester });
    expect(core.prompter.prompts).toHaveLength(1);
  });

  it('in the default mode the same duration is capped at 1 hour, silently, from the MFA session', async () => {
    const security = core.vault.identity('security')?.id ?? '';
    core.vault.upsertProfile({ name: 'dev-long', identityId: security, roleArn: ROLES.dev, durationSeconds: 43_200 });
    const now = emulator().clock.now().getTime();
    const credentials = await core.sessions.getCredentials('dev-long', { requester });
    expect(credentials.expiration.getTime()).toBe(Math.floor(now / 1000) * 1000 + 3_600_000);
    expect(core.prompter.prompts[0]?.purpose).toEqual({ kind: 'mfa-session' });
  });
});
