import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MfaPromptCancelled, normalizeMfaCode } from '../../../main/core/sessions/mfa-prompter.js';
import { defaultRoleSessionName } from '../../../main/core/sessions/session-manager.js';
import { SingleFlight, untilAborted } from '../../../main/core/sessions/single-flight.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { mapBounded } from '../../../main/core/verification/bounded-parallel.js';
import { clockWarning, expectedIdentity, mismatchReason, type ExpectedIdentity } from '../../../main/core/verification/verify-accounts.js';
import type { StoredProfile } from '../../../main/core/vault/vault-schema.js';

/**
 * The pure parts of verification and session handling: what each account should say it is, how
 * a different answer is explained, the clock warning, role session names, bounded parallelism,
 * and the single-flight that gives one MFA prompt for any number of callers. No wall clock:
 * concurrency is driven by promises the test resolves by hand.
 */

const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
const alice = { label: 'security', mfaSerial: ALICE_DEVICE };

function profile(patch: Partial<StoredProfile> = {}): StoredProfile {
  return { name: 'dev', identityId: 'id-1', mfaMode: 'mfa-session', origin: 'manual', ...patch };
}

/** A promise with its resolve/reject outside, to finish work in the order a test chooses. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run (one event-loop turn, no timers). */
const settle = async (): Promise<void> => {
  await nextTurn();
};

describe('expectedIdentity', () => {
  it('a role profile expects an assumed-role session in the role ARN\'s account, named after the MFA device', () => {
    expect(expectedIdentity(profile({ roleArn: 'arn:aws:iam::222222222222:role/engineer' }), alice)).toEqual({
      account: '222222222222',
      kind: 'assumed-role',
      roleName: 'engineer',
      arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice',
    });
  });

  it('uses the profile\'s role_session_name when set', () => {
    expect(expectedIdentity(profile({ roleArn: 'arn:aws:iam::444444444444:role/read-only', roleSessionName: 'alice@prod' }), alice).arn).toBe(
      'arn:aws:sts::444444444444:assumed-role/read-only/alice@prod',
    );
  });

  it('drops the role path from the assumed-role ARN (as AWS does) and follows the partition', () => {
    expect(expectedIdentity(profile({ roleArn: 'arn:aws:iam::555555555555:role/platform/deployer' }), alice)).toMatchObject({
      roleName: 'deployer',
      arn: 'arn:aws:sts::555555555555:assumed-role/deployer/alice',
    });
    expect(expectedIdentity(profile({ roleArn: 'arn:aws-cn:iam::123456789012:role/ops' }), { label: 'cn', mfaSerial: 'arn:aws-cn:iam::123456789012:mfa/wang' })).toEqual({
      account: '123456789012',
      kind: 'assumed-role',
      roleName: 'ops',
      arn: 'arn:aws-cn:sts::123456789012:assumed-role/ops/wang',
    });
  });

  it('an unparseable role ARN leaves the account and ARN unknown', () => {
    expect(expectedIdentity(profile({ roleArn: 'not-an-arn' }), alice)).toEqual({ account: undefined, kind: 'assumed-role', roleName: undefined, arn: undefined });
  });

  it("the identity's own profile expects the IAM user, in the MFA device's account", () => {
    expect(expectedIdentity(profile({ name: 'security' }), alice)).toEqual({ account: '111111111111', kind: 'user' });
  });

  it('a hardware token serial, or no device, leaves the account unknown', () => {
    expect(expectedIdentity(profile({ name: 'security' }), { label: 'security', mfaSerial: 'GAHT12345678' })).toEqual({ account: undefined, kind: 'user' });
    expect(expectedIdentity(profile({ name: 'security' }), { label: 'security' })).toEqual({ account: undefined, kind: 'user' });
  });
});

describe('mismatchReason', () => {
  const role: ExpectedIdentity = { account: '222222222222', kind: 'assumed-role', roleName: 'engineer', arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' };
  const user: ExpectedIdentity = { account: '111111111111', kind: 'user' };

  it('a match is undefined', () => {
    expect(mismatchReason(role, { account: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' })).toBeUndefined();
    expect(mismatchReason(user, { account: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice' })).toBeUndefined();
    expect(mismatchReason(user, { account: '111111111111', arn: 'arn:aws:iam::111111111111:user/division/alice' })).toBeUndefined();
    expect(mismatchReason({ account: undefined, kind: 'user' }, { account: '999999999999', arn: 'arn:aws:iam::999999999999:user/alice' })).toBeUndefined();
  });

  it('the account differs', () => {
    expect(mismatchReason(role, { account: '333333333333', arn: 'arn:aws:sts::333333333333:assumed-role/engineer/alice' })).toBe(
      'Expected account 222222222222, but these credentials belong to account 333333333333.',
    );
  });

  it('a user where a role session was expected, and the other way round', () => {
    expect(mismatchReason(role, { account: '222222222222', arn: 'arn:aws:iam::222222222222:user/alice' })).toBe(
      'Expected a session of role engineer, but AWS identifies these credentials as arn:aws:iam::222222222222:user/alice.',
    );
    expect(mismatchReason(user, { account: '111111111111', arn: 'arn:aws:sts::111111111111:assumed-role/engineer/alice' })).toBe(
      'Expected your IAM user, but AWS identifies these credentials as arn:aws:sts::111111111111:assumed-role/engineer/alice.',
    );
    expect(mismatchReason(user, { account: '111111111111', arn: 'arn:aws:iam::111111111111:root' })).toBe(
      'Expected your IAM user, but AWS identifies these credentials as arn:aws:iam::111111111111:root.',
    );
  });

  it('the role name differs', () => {
    expect(mismatchReason(role, { account: '222222222222', arn: 'arn:aws:sts::222222222222:assumed-role/admin/alice' })).toBe(
      'Expected a session of role engineer, but AWS says arn:aws:sts::222222222222:assumed-role/admin/alice.',
    );
  });
});

describe('clockWarning', () => {
  it('is silent up to 5 minutes either way', () => {
    for (const offset of [0, 1, -1, 299_999, 300_000, -300_000]) expect(clockWarning(offset)).toBeUndefined();
  });

  it('says "behind" when AWS is ahead, "ahead of" when AWS is behind, in whole minutes', () => {
    expect(clockWarning(20 * 60_000)).toBe(
      'This computer\'s clock is 20 minutes behind AWS\'s. AWS Auth Tray compensates, but the AWS CLI and other tools will fail with "Signature expired" until you turn on automatic date and time.',
    );
    expect(clockWarning(-20 * 60_000)).toBe(
      'This computer\'s clock is 20 minutes ahead of AWS\'s. AWS Auth Tray compensates, but the AWS CLI and other tools will fail with "Signature expired" until you turn on automatic date and time.',
    );
    expect(clockWarning(300_001)).toContain('is 5 minutes behind');
    expect(clockWarning(-(90 * 60_000 + 40_000))).toContain('is 91 minutes ahead of');
  });
});

describe('defaultRoleSessionName', () => {
  const noOsUser = (): string => {
    throw new Error('the OS user must not be asked');
  };

  it("is the MFA device's name", () => {
    expect(defaultRoleSessionName({ mfaSerial: ALICE_DEVICE }, noOsUser)).toBe('alice');
    expect(defaultRoleSessionName({ mfaSerial: 'arn:aws:iam::111111111111:mfa/team/alice.smith' }, noOsUser)).toBe('alice.smith');
    expect(defaultRoleSessionName({ mfaSerial: 'arn:aws:iam::111111111111:u2f/user/alice/yubikey-ABCD' }, noOsUser)).toBe('yubikey-ABCD');
  });

  it('falls back to the OS user for a hardware serial or no device', () => {
    expect(defaultRoleSessionName({ mfaSerial: 'GAHT12345678' }, () => 'bob')).toBe('bob');
    expect(defaultRoleSessionName({}, () => 'carol')).toBe('carol');
  });

  it('sanitizes to what AWS accepts ([\\w+=,.@-], at most 64)', () => {
    expect(defaultRoleSessionName({}, () => 'Jane Doe')).toBe('Jane-Doe');
    expect(defaultRoleSessionName({}, () => 'CORP\\jdoe')).toBe('CORP-jdoe');
    expect(defaultRoleSessionName({}, () => 'josé')).toBe('jos-');
    expect(defaultRoleSessionName({}, () => 'a+b=c,d.e@f-g_h')).toBe('a+b=c,d.e@f-g_h');
    expect(defaultRoleSessionName({}, () => 'x'.repeat(100))).toBe('x'.repeat(64));
  });

  it("is 'aws-auth-tray' when nothing usable is left (too short, empty, or the OS user unknown)", () => {
    expect(defaultRoleSessionName({}, () => 'x')).toBe('aws-auth-tray');
    expect(defaultRoleSessionName({}, () => '')).toBe('aws-auth-tray');
    expect(
      defaultRoleSessionName({}, () => {
        throw new Error('uv_os_get_passwd returned ENOENT');
      }),
    ).toBe('aws-auth-tray');
  });
});

describe('normalizeMfaCode and MfaPromptCancelled', () => {
  it('accepts six digits with spaces or dashes, nothing else', () => {
    expect(normalizeMfaCode('123456')).toBe('123456');
    expect(normalizeMfaCode(' 123 456 ')).toBe('123456');
    expect(normalizeMfaCode('123-456')).toBe('123456');
    for (const bad of ['', '12345', '1234567', '12345a', '１２３４５６', '123_456']) expect(normalizeMfaCode(bad)).toBeUndefined();
  });

  it('a cancelled prompt is a UserFacingError `mfa-cancelled`', () => {
    const error = new MfaPromptCancelled();
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'mfa-cancelled', message: 'Sign-in cancelled: no MFA code was entered.' });
  });
});

describe('mapBounded', () => {
  /** Runs mapBounded over `count` items, finishing the running items in the order `pick` chooses. */
  async function run(count: number, limit: number, pick: (running: number[]) => number): Promise<{ results: string[]; maxInFlight: number; started: number[] }> {
    let inFlight = 0;
    let maxInFlight = 0;
    const started: number[] = [];
    const running = new Map<number, (value: string) => void>();
    const all = mapBounded(Array.from({ length: count }, (_, i) => i), limit, async (item, index) => {
      expect(index).toBe(item);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      started.push(item);
      const work = deferred<string>();
      running.set(item, work.resolve);
      const value = await work.promise;
      inFlight -= 1;
      return value;
    });
    await settle();
    while (running.size > 0) {
      const item = pick([...running.keys()]);
      const resolve = running.get(item);
      running.delete(item);
      resolve?.(`result-${item}`);
      await settle();
    }
    return { results: await all, maxInFlight, started };
  }

  it('keeps the input order however the work finishes, and never has more than `limit` in flight', async () => {
    const newestFirst = await run(10, 3, (running) => Math.max(...running));
    expect(newestFirst.results).toEqual(Array.from({ length: 10 }, (_, i) => `result-${i}`));
    expect(newestFirst.maxInFlight).toBe(3);
    expect(newestFirst.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const oldestFirst = await run(10, 3, (running) => Math.min(...running));
    expect(oldestFirst.results).toEqual(Array.from({ length: 10 }, (_, i) => `result-${i}`));
    expect(oldestFirst.maxInFlight).toBe(3);
  });

  it('starts everything at once when the limit exceeds the items', async () => {
    const result = await run(4, 32, (running) => Math.max(...running));
    expect(result.maxInFlight).toBe(4);
    expect(result.results).toEqual(['result-0', 'result-1', 'result-2', 'result-3']);
  });

  it('a limit of 1 runs one at a time; a limit below 1 still makes progress', async () => {
    expect((await run(5, 1, (running) => running[0] ?? 0)).maxInFlight).toBe(1);
    expect((await run(3, 0, (running) => running[0] ?? 0)).results).toEqual(['result-0', 'result-1', 'result-2']);
  });

  it('no items: no work, an empty result', async () => {
    let calls = 0;
    expect(
      await mapBounded([], 4, () => {
        calls += 1;
        return Promise.resolve(0);
      }),
    ).toEqual([]);
    expect(calls).toBe(0);
  });

  it('passes a rejection through', async () => {
    await expect(mapBounded([1, 2, 3], 2, (n) => (n === 2 ? Promise.reject(new Error('item 2 failed')) : Promise.resolve(n)))).rejects.toThrow('item 2 failed');
  });
});

describe('SingleFlight', () => {
  it('callers of the same key share one run and its result; the key is freed afterwards', async () => {
    const flight = new SingleFlight<string>();
    const work = deferred<string>();
    let runs = 0;
    const callers = Array.from({ length: 20 }, () =>
      flight.run('alice', () => {
        runs += 1;
        return work.promise;
      }),
    );
    expect(runs).toBe(1);
    expect(flight.size).toBe(1);
    work.resolve('mfa-session');
    expect(await Promise.all(callers)).toEqual(Array.from({ length: 20 }, () => 'mfa-session'));
    expect(flight.size).toBe(0);
    expect(await flight.run('alice', () => Promise.resolve('second run'))).toBe('second run');
  });

  it('different keys run separately', async () => {
    const flight = new SingleFlight<string>();
    const a = deferred<string>();
    const b = deferred<string>();
    const ra = flight.run('alice', () => a.promise);
    const rb = flight.run('bob', () => b.promise);
    expect(flight.size).toBe(2);
    b.resolve('bob-session');
    expect(await rb).toBe('bob-session');
    expect(flight.size).toBe(1);
    a.resolve('alice-session');
    expect(await ra).toBe('alice-session');
  });

  it('a rejection reaches every caller of the run, and the key is free for a new run', async () => {
    const flight = new SingleFlight<string>();
    const work = deferred<string>();
    const callers = [flight.run('alice', () => work.promise), flight.run('alice', () => Promise.resolve('never run'))];
    const rejected = new MfaPromptCancelled();
    work.reject(rejected);
    for (const caller of callers) await expect(caller).rejects.toBe(rejected);
    expect(flight.size).toBe(0);
    expect(await flight.run('alice', () => Promise.resolve('retry'))).toBe('retry');
  });

  /* Regression: a synchronous throw in the work once left the key stuck with the old rejection. */
  it('a synchronous throw in the work is a rejection, and frees the key for the next run', async () => {
    const flight = new SingleFlight<string>();
    await expect(
      flight.run('alice', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(flight.run('alice', () => Promise.resolve('retry'))).resolves.toBe('retry');
    expect(flight.size).toBe(0);
  });

  it('abortAll aborts the signal of every run with the reason', async () => {
    const flight = new SingleFlight<string>();
    const signals: AbortSignal[] = [];
    const run = (key: string): Promise<string> =>
      flight.run(
        key,
        (signal) =>
          new Promise<string>((_resolve, reject) => {
            signals.push(signal);
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          }),
      );
    const alice = run('alice');
    const bob = run('bob');
    const reason = new MfaPromptCancelled('Signed out.');
    flight.abortAll(reason);
    expect(signals.map((s) => [s.aborted, s.reason as unknown])).toEqual([
      [true, reason],
      [true, reason],
    ]);
    await expect(alice).rejects.toBe(reason);
    await expect(bob).rejects.toBe(reason);
    expect(flight.size).toBe(0);
  });
});

describe('untilAborted', () => {
  it('without a signal is the promise itself', () => {
    const promise = Promise.resolve(1);
    expect(untilAborted(promise, undefined)).toBe(promise);
  });

  it('resolves and rejects with the promise while the signal is not aborted', async () => {
    const controller = new AbortController();
    expect(await untilAborted(Promise.resolve('value'), controller.signal)).toBe('value');
    const failure = new Error('failed');
    await expect(untilAborted(Promise.reject(failure), controller.signal)).rejects.toBe(failure);
  });

  it('stops waiting when the signal aborts, with its reason, though the promise is still pending', async () => {
    const controller = new AbortController();
    const never = deferred<string>();
    const waiting = untilAborted(never.promise, controller.signal);
    const reason = new Error('signed out');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    // The promise finishing later changes nothing.
    never.resolve('too late');
    await settle();
  });

  it('an already aborted signal rejects at once', async () => {
    const reason = new Error('already gone');
    await expect(untilAborted(deferred<string>().promise, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
