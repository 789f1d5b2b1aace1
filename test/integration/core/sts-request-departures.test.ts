import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DepartureQueue } from '../../../main/core/sts/departure-queue.js';
import { SdkStsGateway } from '../../../main/core/sts/sts-gateway.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture, ROLES } from '../../support/reference-fixture.js';

/**
 * Requests started together leave one after another, each as soon as it is prepared (signed),
 * not all at the end of everyone's preparation (departure-queue.ts); and the client a role
 * session's first call needs is made while its AssumeRole is under way (sts-clients.ts), given
 * exactly that session's credentials.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const keys = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };

/** Node's own events: a request object made (`created`), then its head written to its socket (`start`). */
function watchRequests(): { events: string[]; stop(): void } {
  const events: string[] = [];
  const ids = new WeakMap<ClientRequest, number>();
  let next = 0;
  const created = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request;
    ids.set(request, next);
    events.push(`created ${next}`);
    next += 1;
  };
  const started = (message: unknown): void => {
    events.push(`written ${ids.get((message as { request: ClientRequest }).request) ?? '?'}`);
  };
  subscribe('http.client.request.created', created);
  subscribe('http.client.request.start', started);
  return {
    events,
    stop() {
      unsubscribe('http.client.request.created', created);
      unsubscribe('http.client.request.start', started);
    },
  };
}

describe('core: STS requests leave as soon as each is ready', () => {
  const emulator = useEmulator();
  let gateway: SdkStsGateway | undefined;
  afterEach(() => {
    gateway?.close();
    gateway = undefined;
  });

  it('twelve calls started together: each is written to its socket before the next is even made', async () => {
    const sts = new SdkStsGateway({ endpoint: emulator().url });
    gateway = sts;
    const burst = (): Promise<unknown> => Promise.all(Array.from({ length: 12 }, () => sts.getCallerIdentity(keys, 'us-east-1')));
    // The first burst opens the connections (a new connection writes once it is connected,
    // which needs none of this process's CPU to wait for); the second finds them open.
    await burst();
    const watch = watchRequests();
    try {
      await burst();
    } finally {
      watch.stop();
    }
    expect(watch.events).toEqual(Array.from({ length: 12 }, (_, i) => [`created ${i}`, `written ${i}`]).flat());
  });

  it('every account of a sign-in gets its own identity, on clients made while its role was being assumed', async () => {
    const sts = new SdkStsGateway({ endpoint: emulator().url });
    gateway = sts;
    const session = await sts.getSessionToken(keys, { region: 'us-east-1', durationSeconds: 3600, serialNumber: alice.serialNumber, tokenCode: currentCode(emulator(), alice.seed) });
    const roles = Array.from({ length: 24 }, (_, i) => [ROLES.dev, ROLES.stage, ROLES.prod][i % 3] ?? ROLES.dev);
    // Each account as the verifier runs it: assume, then at once ask who the new session is.
    const who = await Promise.all(
      roles.map(async (roleArn, i) => {
        const assumed = await sts.assumeRole(session, { region: 'us-east-1', roleArn, roleSessionName: `alice-${i}`, durationSeconds: 900 });
        return { assumed, who: await sts.getCallerIdentity(assumed, 'us-east-1') };
      }),
    );
    expect(who.map((w) => w.who.arn.split('/').slice(1).join('/'))).toEqual(roles.map((r, i) => `${r.split('/').at(-1) ?? ''}/alice-${i}`));
    // And each session, asked again later (a kept client or a new one), is still itself.
    const again = await Promise.all(who.map((w) => sts.getCallerIdentity(w.assumed, 'us-east-1')));
    expect(again.map((w) => w.arn)).toEqual(who.map((w) => w.who.arn));
    // Nothing was signed with another session's credentials: every call succeeded first time.
    expect(emulator().requests({ action: 'GetCallerIdentity' }).every((r) => r.status === 200)).toBe(true);
  });

  it('a session whose AssumeRole failed leaves no client behind that another session could sign with wrongly', async () => {
    gateway = new SdkStsGateway({ endpoint: emulator().url });
    const session = await gateway.getSessionToken(keys, { region: 'us-east-1', durationSeconds: 3600, serialNumber: alice.serialNumber, tokenCode: currentCode(emulator(), alice.seed) });
    const refused = await gateway.assumeRole(session, { region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/no-such-role', roleSessionName: 'alice' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    const assumed = await gateway.assumeRole(session, { region: 'us-east-1', roleArn: ROLES.prod, roleSessionName: 'alice-after' });
    expect((await gateway.getCallerIdentity(assumed, 'us-east-1')).arn).toMatch(/:assumed-role\/[^/]+\/alice-after$/);
    expect((await gateway.getCallerIdentity(session, 'us-east-1')).arn).toBe('arn:aws:iam::111111111111:user/alice');
  });
});

describe('core: the departure queue', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns are ready in the order they were taken, each once the one before has left', async () => {
    const queue = new DepartureQueue();
    const order: string[] = [];
    const a = queue.take();
    const b = queue.take();
    const c = queue.take();
    void c.ready.then(() => order.push('c ready'));
    void b.ready.then(() => order.push('b ready'));
    await a.ready;
    order.push('a ready');
    await Promise.resolve();
    expect(order).toEqual(['a ready']);
    a.leave();
    a.leave(); // leaving twice changes nothing
    await b.ready;
    expect(order).toEqual(['a ready', 'b ready']);
    b.leave();
    await c.ready;
    expect(order).toEqual(['a ready', 'b ready', 'c ready']);
    c.leave();
  });

  it('a turn that never leaves holds the next one back for at most its limit', async () => {
    vi.useFakeTimers();
    const queue = new DepartureQueue(25);
    const stuck = queue.take();
    const next = queue.take();
    let nextReady = false;
    void next.ready.then(() => {
      nextReady = true;
    });
    await stuck.ready;
    await vi.advanceTimersByTimeAsync(24);
    expect(nextReady).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(nextReady).toBe(true);
    next.leave();
  });

  it('a turn given up before its time keeps its place: the one after it still waits for the one before', async () => {
    const queue = new DepartureQueue();
    const first = queue.take();
    const gaveUp = queue.take();
    gaveUp.leave(); // e.g. its call failed before it was ready
    const third = queue.take();
    let thirdReady = false;
    void third.ready.then(() => {
      thirdReady = true;
    });
    await first.ready;
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(thirdReady).toBe(false);
    first.leave();
    await third.ready;
    expect(thirdReady).toBe(true);
    third.leave();
  });
});
