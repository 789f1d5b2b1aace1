import { AssumeRoleCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../../sts-emulator/mfa-verifier.js';
import { currentCode, travelTo, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';
import { keyPairOf, stsClient, stsFailure } from '../../support/sts-client.js';

const INVALID_CODE = 'MultiFactorAuthentication failed with invalid MFA one time pass code.';
const NOT_YOUR_DEVICE =
  'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.';

describe('STS emulator MFA and GetSessionToken (AWS SDK v3)', () => {
  const emulator = useEmulator();
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');

  it('issues a 12-hour session by default, with credentials shaped like AWS\'s', async () => {
    const now = emulator().clock.now();
    const out = await stsClient(emulator(), alice).send(
      new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) }),
    );
    const c = out.Credentials;
    expect(c?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c?.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(c?.SessionToken?.length).toBeGreaterThan(400);
    expect(c?.Expiration?.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000 + 43_200_000);
  });

  it('honours DurationSeconds at both ends of 900..129600', async () => {
    const client = stsClient(emulator(), alice);
    const now = Math.floor(emulator().clock.now().getTime() / 1000) * 1000;
    const short = await client.send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const long = await client.send(new GetSessionTokenCommand({ DurationSeconds: 129_600 }));
    expect(short.Credentials?.Expiration?.getTime()).toBe(now + 900_000);
    expect(long.Credentials?.Expiration?.getTime()).toBe(now + 129_600_000);
  });

  it.each([
    [899, "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"],
    [129_601, "Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"],
  ])('rejects DurationSeconds %i with ValidationError', async (duration, detail) => {
    const failure = await stsFailure(stsClient(emulator(), alice).send(new GetSessionTokenCommand({ DurationSeconds: duration })));
    expect(failure).toMatchObject({ name: 'ValidationError', status: 400, message: `1 validation error detected: ${detail}` });
  });

  it('refuses GetSessionToken from session credentials', async () => {
    const session = await stsClient(emulator(), alice).send(new GetSessionTokenCommand({}));
    const failure = await stsFailure(stsClient(emulator(), keyPairOf(session.Credentials)).send(new GetSessionTokenCommand({})));
    expect(failure).toMatchObject({ name: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' });
  });

  it('rejects a wrong code with AccessDenied 403 and issues nothing', async () => {
    const failure = await stsFailure(
      stsClient(emulator(), alice).send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: wrongCode(emulator(), alice.seed) })),
    );
    expect(failure).toMatchObject({ name: 'AccessDenied', status: 403, message: INVALID_CODE });
    expect(emulator().issued.size).toBe(0);
  });

  it('accepts a code once; the same code again is rejected, as when two tools race for it', async () => {
    const code = currentCode(emulator(), alice.seed);
    const client = stsClient(emulator(), alice);
    await client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: code }));
    const failure = await stsFailure(client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: code })));
    expect(failure).toMatchObject({ name: 'AccessDenied', message: INVALID_CODE });

    emulator().clock.advance(30_000);
    await expect(
      client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) })),
    ).resolves.toBeDefined();
  });

  it('a used code stays used for one device but says nothing about another device', async () => {
    // Each device has its own replay memory.
    await stsClient(emulator(), alice).send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) }));
    await expect(
      stsClient(emulator(), bob).send(new GetSessionTokenCommand({ SerialNumber: bob.serialNumber, TokenCode: currentCode(emulator(), bob.seed) })),
    ).resolves.toBeDefined();
  });

  it('accepts the previous and the next 30-second code (one step of drift), not two steps away', async () => {
    // A fixed instant (mid-step), so the five codes are the same on every run.
    travelTo(emulator(), '2099-03-14T15:09:15Z');
    const now = emulator().clock.now().getTime();
    const client = stsClient(emulator(), alice);
    const at = (steps: number): string => totpCode({ seed: alice.seed }, new Date(now + steps * 30_000));
    const distinct = new Set([at(-2), at(-1), at(0), at(1), at(2)]);
    expect(distinct.size, 'the five codes around the pinned instant are distinct').toBe(5);

    await expect(client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: at(-1) }))).resolves.toBeDefined();
    await expect(client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: at(1) }))).resolves.toBeDefined();
    for (const steps of [-2, 2]) {
      const failure = await stsFailure(client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: at(steps) })));
      expect(failure.message).toBe(INVALID_CODE);
    }
  });

  it("rejects another user's device with the unable-to-validate message", async () => {
    const failure = await stsFailure(
      stsClient(emulator(), alice).send(new GetSessionTokenCommand({ SerialNumber: bob.serialNumber, TokenCode: currentCode(emulator(), bob.seed) })),
    );
    expect(failure).toMatchObject({ name: 'AccessDenied', status: 403, message: NOT_YOUR_DEVICE });
  });

  it('rejects a device that does not exist with the unable-to-validate message', async () => {
    const failure = await stsFailure(
      stsClient(emulator(), alice).send(new GetSessionTokenCommand({ SerialNumber: 'arn:aws:iam::111111111111:mfa/nobody', TokenCode: '123456' })),
    );
    expect(failure.message).toBe(NOT_YOUR_DEVICE);
  });

  it('a session remembers whether MFA was presented: only the MFA session may assume an MFA-protected role', async () => {
    const client = stsClient(emulator(), alice);
    const plain = keyPairOf((await client.send(new GetSessionTokenCommand({}))).Credentials);
    const withMfa = keyPairOf(
      (await client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) }))).Credentials,
    );
    const assume = new AssumeRoleCommand({ RoleArn: ROLES.dev, RoleSessionName: 'alice' });
    const failure = await stsFailure(stsClient(emulator(), plain).send(assume));
    expect(failure.message).toBe(`User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLES.dev}`);
    const out = await stsClient(emulator(), withMfa).send(assume);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::222222222222:assumed-role/engineer/alice');
  });
});
