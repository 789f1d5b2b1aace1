import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { stsClient, stsFailure } from '../../support/sts-client.js';

/** The knobs tests turn: latency, faults, clock, key status, request log; programmatic and over HTTP. */
describe('STS emulator controls', () => {
  const emulator = useEmulator();
  const alice = identity(referenceFixture(), 'alice');
  const whoAmI = new GetCallerIdentityCommand({});

  async function control(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${emulator().url}/__emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  describe('faults, through the real SDK and its retry strategy', () => {
    it('Throttling 400 "Rate exceeded" is retried by the SDK and then succeeds', async () => {
      emulator().injectFault({ kind: 'throttle', count: 2 });
      await expect(stsClient(emulator(), alice).send(whoAmI)).resolves.toMatchObject({ Account: '111111111111' });
      expect(emulator().requests().map((r) => r.outcome)).toEqual(['Throttling', 'Throttling', 'Success']);
    });

    it('Throttling reaches a caller who does not retry', async () => {
      emulator().injectFault({ kind: 'throttle' });
      const failure = await stsFailure(stsClient(emulator(), alice, { maxAttempts: 1 }).send(whoAmI));
      expect(failure).toMatchObject({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    });

    it('InternalFailure 500 is retried by the SDK', async () => {
      emulator().injectFault({ kind: 'internal-failure' });
      await expect(stsClient(emulator(), alice).send(whoAmI)).resolves.toBeDefined();
      expect(emulator().requests()[0]).toMatchObject({ status: 500, outcome: 'InternalFailure' });
      const failure = await (async () => {
        emulator().injectFault({ kind: 'internal-failure' });
        return stsFailure(stsClient(emulator(), alice, { maxAttempts: 1 }).send(whoAmI));
      })();
      expect(failure).toMatchObject({ name: 'InternalFailure', status: 500 });
    });

    it('a dropped connection is retried by the SDK; without retries the caller sees a network error', async () => {
      emulator().injectFault({ kind: 'drop' });
      await expect(stsClient(emulator(), alice).send(whoAmI)).resolves.toBeDefined();
      expect(emulator().requests().map((r) => r.outcome)).toEqual(['ConnectionDropped', 'Success']);

      emulator().injectFault({ kind: 'drop' });
      const failure = await stsFailure(stsClient(emulator(), alice, { maxAttempts: 1 }).send(whoAmI));
      expect(failure.status).toBeUndefined();
      expect(failure.message).toMatch(/socket hang up|ECONNRESET|other side closed/i);
    });

    it('a fault scoped to one action leaves the others alone', async () => {
      emulator().injectFault({ kind: 'throttle', action: 'GetSessionToken' });
      const client = stsClient(emulator(), alice, { maxAttempts: 1 });
      await expect(client.send(whoAmI)).resolves.toBeDefined();
      expect((await stsFailure(client.send(new GetSessionTokenCommand({})))).name).toBe('Throttling');
      expect(emulator().pendingFaults()).toEqual([]);
    });

    it('injected latency delays every answer by at least that long', async () => {
      emulator().setLatency(120);
      const started = performance.now();
      await stsClient(emulator(), alice).send(whoAmI);
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    });
  });

  describe('request log', () => {
    it('records operation, caller ARN and outcome, and never a secret', async () => {
      const client = stsClient(emulator(), alice);
      await client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: currentCode(emulator(), alice.seed) }));
      await stsFailure(stsClient(emulator(), { ...alice, secretAccessKey: 'y'.repeat(40) }).send(whoAmI));
      const log = emulator().requests();
      expect(log).toMatchObject([
        { action: 'GetSessionToken', callerArn: alice.arn, accessKeyId: alice.accessKeyId, status: 200, outcome: 'Success' },
        { action: 'GetCallerIdentity', callerArn: null, status: 403, outcome: 'SignatureDoesNotMatch' },
      ]);
      expect(log[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const text = JSON.stringify(log);
      expect(text).not.toContain(alice.secretAccessKey);
      expect(text).not.toContain(currentCode(emulator(), alice.seed));
      expect(emulator().requests({ outcome: 'Success' })).toHaveLength(1);
    });
  });

  describe('over HTTP under /__emulator/', () => {
    it('moves the clock: offset, freeze and advance', async () => {
      const before = await control('GET', 'clock');
      expect(before.json).toMatchObject({ offsetMs: 0, frozen: true });
      const after = await control('POST', 'clock', { advanceMs: 3_600_000 });
      expect(Date.parse(String(after.json.now)) - Date.parse(String(before.json.now))).toBe(3_600_000);
      const skewed = await control('POST', 'clock', { offsetMs: -600_000 });
      expect(skewed.json).toMatchObject({ offsetMs: -600_000 });
      const failure = await stsFailure(stsClient(emulator(), alice, { maxAttempts: 1 }).send(whoAmI));
      expect(failure.message).toMatch(/^Signature not yet current/);
    });

    it('injects faults and latency and reports them in the state', async () => {
      expect((await control('POST', 'faults', { kind: 'throttle', count: 3, action: 'AssumeRole' })).status).toBe(200);
      expect((await control('PUT', 'latency', { ms: 5 })).status).toBe(200);
      const state = await control('GET', 'state');
      expect(state.json).toMatchObject({ latencyMs: 5, pendingFaults: [{ kind: 'throttle', remaining: 3, action: 'AssumeRole' }] });
      await control('DELETE', 'faults');
      expect((await control('GET', 'state')).json.pendingFaults).toEqual([]);
    });

    it('deactivates and reactivates an access key', async () => {
      expect((await control('PUT', `access-keys/${alice.accessKeyId}`, { status: 'Inactive' })).status).toBe(200);
      expect((await stsFailure(stsClient(emulator(), alice).send(whoAmI))).name).toBe('InvalidClientTokenId');
      await control('PUT', `access-keys/${alice.accessKeyId}`, { status: 'Active' });
      await expect(stsClient(emulator(), alice).send(whoAmI)).resolves.toBeDefined();
      expect((await control('PUT', 'access-keys/AKIANOSUCHKEY0000000', { status: 'Inactive' })).status).toBe(404);
    });

    it('shows the code an MFA device displays now, for the demo', async () => {
      const reading = await control('GET', `mfa-code?serialNumber=${encodeURIComponent(alice.serialNumber)}`);
      expect(reading.json).toMatchObject({ serialNumber: alice.serialNumber, code: currentCode(emulator(), alice.seed) });
      expect(Number(reading.json.validForMs)).toBeGreaterThan(0);
      expect((await control('GET', 'mfa-code?serialNumber=arn:aws:iam::111111111111:mfa/nobody')).status).toBe(404);
    });

    it('returns and clears the request log', async () => {
      await stsClient(emulator(), alice).send(whoAmI);
      const log = await control('GET', 'requests?action=GetCallerIdentity');
      expect(log.json.requests).toMatchObject([{ action: 'GetCallerIdentity', outcome: 'Success', callerArn: alice.arn }]);
      await control('DELETE', 'requests');
      expect((await control('GET', 'requests')).json.requests).toEqual([]);
    });

    it('resets sessions, used codes, faults and clock', async () => {
      const code = currentCode(emulator(), alice.seed);
      const client = stsClient(emulator(), alice);
      await client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: code }));
      await control('POST', 'faults', { kind: 'drop' });
      const reset = await control('POST', 'reset');
      expect(reset.json).toMatchObject({ pendingFaults: [], clock: { offsetMs: 0, advancedMs: 0, frozen: false } });
      expect(emulator().issued.size).toBe(0);
      // The replay memory is gone too: the same code (still in its window) works again.
      await expect(client.send(new GetSessionTokenCommand({ SerialNumber: alice.serialNumber, TokenCode: code }))).resolves.toBeDefined();
    });

    it('refuses browsers, bad bodies and unknown routes with a sentence', async () => {
      const fromBrowser = await control('GET', 'state', undefined, { origin: 'https://evil.example' });
      expect(fromBrowser).toMatchObject({ status: 403, json: { error: 'The emulator control API does not answer browsers.' } });
      const bad = await control('POST', 'faults', { kind: 'meltdown' });
      expect(bad.status).toBe(400);
      expect(String(bad.json.error)).toContain('kind');
      const unknown = await control('GET', 'nothing-here');
      expect(unknown.status).toBe(404);
      expect(String(unknown.json.error)).toContain('README');
    });
  });
});
