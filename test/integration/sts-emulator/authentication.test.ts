import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { errorOf, send, signedStsRequest } from '../../support/signed-request.js';
import { keyPairOf, stsClient, stsFailure } from '../../support/sts-client.js';

/** SigV4 authentication through the real AWS SDK v3 client, success and every failure AWS has. */
describe('STS emulator authentication (AWS SDK v3)', () => {
  const emulator = useEmulator();
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');

  it('accepts a long-term key and answers who the caller is', async () => {
    const out = await stsClient(emulator(), alice).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Arn: 'arn:aws:iam::111111111111:user/alice', Account: '111111111111', UserId: alice.user.userId });
  });

  it('puts the user path into the ARN', async () => {
    const out = await stsClient(emulator(), bob).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe('arn:aws:iam::111111111111:user/engineers/bob');
  });

  it('rejects an unknown access key id with InvalidClientTokenId 403', async () => {
    const failure = await stsFailure(
      stsClient(emulator(), { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: alice.secretAccessKey }).send(new GetCallerIdentityCommand({})),
    );
    expect(failure).toMatchObject({ name: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
  });

  it('rejects a wrong secret with SignatureDoesNotMatch 403', async () => {
    const failure = await stsFailure(
      stsClient(emulator(), { accessKeyId: alice.accessKeyId, secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})),
    );
    expect(failure.name).toBe('SignatureDoesNotMatch');
    expect(failure.status).toBe(403);
    expect(failure.message).toContain('The request signature we calculated does not match the signature you provided');
  });

  it('rejects a key marked inactive in the fixture with InvalidClientTokenId', async () => {
    const inactive = bob.user.accessKeys.find((k) => k.status === 'Inactive');
    expect(inactive).toBeDefined();
    const failure = await stsFailure(
      stsClient(emulator(), { accessKeyId: inactive?.accessKeyId ?? '', secretAccessKey: inactive?.secretAccessKey ?? '' }).send(new GetCallerIdentityCommand({})),
    );
    expect(failure).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });

  it('rejects a key deactivated at runtime, and accepts it again once reactivated', async () => {
    const client = stsClient(emulator(), alice);
    expect(emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive')).toBe(true);
    expect((await stsFailure(client.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Active');
    await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '111111111111' });
  });

  it('answers a request signed more than 5 minutes before its clock with "Signature expired"', async () => {
    const now = emulator().clock.signatureNow();
    const request = await signedStsRequest(emulator().url, alice, { Action: 'GetCallerIdentity' }, { signingDate: new Date(now.getTime() - 6 * 60_000) });
    const response = await send(request);
    expect(response.status).toBe(403);
    const error = errorOf(response.body);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
  });

  it('answers a request signed more than 5 minutes after its clock with "Signature not yet current"', async () => {
    const now = emulator().clock.signatureNow();
    const request = await signedStsRequest(emulator().url, alice, { Action: 'GetCallerIdentity' }, { signingDate: new Date(now.getTime() + 6 * 60_000) });
    const error = errorOf((await send(request)).body);
    expect(error.code).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^Signature not yet current: /);
  });

  it('accepts a signature 4 minutes off, inside the window', async () => {
    const now = emulator().clock.signatureNow();
    const request = await signedStsRequest(emulator().url, alice, { Action: 'GetCallerIdentity' }, { signingDate: new Date(now.getTime() - 4 * 60_000) });
    expect((await send(request)).status).toBe(200);
  });

  it('with a clock offset, the SDK first meets "Signature expired", then corrects its clock from the Date header', async () => {
    emulator().clock.setOffset(20 * 60_000);
    const client = stsClient(emulator(), alice);
    const strict = stsClient(emulator(), alice, { maxAttempts: 1 });
    const failure = await stsFailure(strict.send(new GetCallerIdentityCommand({})));
    expect(failure.name).toBe('SignatureDoesNotMatch');
    expect(failure.message).toContain('Signature expired');

    await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: '111111111111' });
    const outcomes = emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome);
    expect(outcomes).toEqual(['SignatureDoesNotMatch', 'SignatureDoesNotMatch', 'Success']);
    expect(client.config.systemClockOffset).toBeGreaterThan(19 * 60_000);
  });

  it('answers a request without any authentication with MissingAuthenticationToken 403', async () => {
    const response = await fetch(emulator().url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(errorOf(await response.text())).toMatchObject({ code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token', type: 'Sender' });
  });

  describe('temporary credentials', () => {
    async function mfaSession(durationSeconds = 3600): Promise<ReturnType<typeof keyPairOf>> {
      const out = await stsClient(emulator(), alice).send(
        new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed), DurationSeconds: durationSeconds }),
      );
      return keyPairOf(out.Credentials);
    }

    it('accepts issued credentials with their session token', async () => {
      const session = await mfaSession();
      const out = await stsClient(emulator(), session).send(new GetCallerIdentityCommand({}));
      expect(out.Arn).toBe(alice.arn);
      expect(emulator().requests({ action: 'GetCallerIdentity' })[0]?.accessKeyId).toBe(session.accessKeyId);
    });

    it('rejects an issued key id without its session token', async () => {
      const session = await mfaSession();
      const failure = await stsFailure(
        stsClient(emulator(), { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }).send(new GetCallerIdentityCommand({})),
      );
      expect(failure).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    });

    it('rejects an issued key id with a wrong session token', async () => {
      const session = await mfaSession();
      const failure = await stsFailure(
        stsClient(emulator(), { ...session, sessionToken: `${session.sessionToken?.slice(0, -4) ?? ''}AAAA` }).send(new GetCallerIdentityCommand({})),
      );
      expect(failure).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    });

    it('rejects a long-term key sent with a session token', async () => {
      const session = await mfaSession();
      const failure = await stsFailure(
        stsClient(emulator(), { ...alice, sessionToken: session.sessionToken }).send(new GetCallerIdentityCommand({})),
      );
      expect(failure.name).toBe('InvalidClientTokenId');
    });

    it('answers ExpiredToken 403 once the credentials expire on the emulator clock, not a second earlier', async () => {
      const session = await mfaSession(900);
      const client = stsClient(emulator(), session);
      emulator().clock.advance(899_000);
      await expect(client.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Arn: alice.arn });
      emulator().clock.advance(1_000);
      const failure = await stsFailure(client.send(new GetCallerIdentityCommand({})));
      expect(failure).toMatchObject({ name: 'ExpiredToken', status: 403, message: 'The security token included in the request is expired' });
    });

    it('rejects a session signed with the wrong secret', async () => {
      const session = await mfaSession();
      const failure = await stsFailure(stsClient(emulator(), { ...session, secretAccessKey: alice.secretAccessKey }).send(new GetCallerIdentityCommand({})));
      expect(failure.name).toBe('SignatureDoesNotMatch');
    });
  });
});
