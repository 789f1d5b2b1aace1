import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountAliasLookup, type SetTimer } from '../../../main/core/iam/account-alias-lookup.js';
import type { AccountAliasReader, AliasAnswer, AliasCallOptions } from '../../../main/core/iam/account-alias-reader.js';
import type { IamPartition } from '../../../main/core/iam/iam-endpoint.js';
import type { StsCredentials } from '../../../main/core/sts/sts-gateway.js';
import { ACCOUNT_ALIAS_MEMORY_MS, Vault, type VaultKeyring } from '../../../main/core/vault/vault.js';

/**
 * What IAM said of each account's alias is remembered in the vault's metadata for 24 hours on
 * the vault's clock (an alias, or none: the account has none or the role may not list it), so
 * verifying again within a day asks IAM nothing; and the lookup beside GetCallerIdentity never
 * holds a row up past its grace. Time moves only on injected clocks and timers.
 */

const T0 = new Date('2026-03-01T08:00:00.000Z');
const HOUR = 3600_000;
const DEV = '222222222222';
const PROD = '444444444444';

/** Metadata needs no key: a keyring that must never be asked. */
const noKeyring: VaultKeyring = () => {
  throw new Error('the keyring was asked for a key');
};

let dir: string;
let now: Date;
const clock = { now: () => now };
const open = (): Vault => Vault.open(dir, noKeyring, clock).vault;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-aliases-'));
  now = T0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the vault remembers account aliases for 24 hours', () => {
  it('an alias learned now is not asked for again until 24 hours have passed on the vault clock', async () => {
    const vault = open();
    expect(vault.accountAliases()).toEqual({});
    expect(vault.accountAliasDue(DEV)).toBe(true);
    vault.rememberAccountAlias(DEV, 'dev');
    expect(vault.accountAliases()).toEqual({ [DEV]: 'dev' });
    expect(vault.accountAliasDue(DEV)).toBe(false);
    expect(vault.accountAliasDue(PROD)).toBe(true);
    now = new Date(T0.getTime() + ACCOUNT_ALIAS_MEMORY_MS - 1);
    expect(vault.accountAliasDue(DEV)).toBe(false);
    now = new Date(T0.getTime() + ACCOUNT_ALIAS_MEMORY_MS);
    expect(vault.accountAliasDue(DEV)).toBe(true);
    // Still shown while it is due: it is the best known until IAM says otherwise.
    expect(vault.accountAliases()).toEqual({ [DEV]: 'dev' });
    await vault.flush();
    expect(ACCOUNT_ALIAS_MEMORY_MS).toBe(24 * HOUR);
  });

  it('"none" (no alias, or the role may not list it) is remembered for 24 hours too, and replaces an alias', () => {
    const vault = open();
    vault.rememberAccountAlias(DEV, 'dev');
    now = new Date(T0.getTime() + 25 * HOUR);
    vault.rememberAccountAlias(DEV, undefined);
    expect(vault.accountAliases()).toEqual({});
    expect(vault.accountAliasDue(DEV)).toBe(false);
    now = new Date(T0.getTime() + 49 * HOUR);
    expect(vault.accountAliasDue(DEV)).toBe(true);
  });

  it('is written to the file, and read back by the next start', async () => {
    const vault = open();
    vault.rememberAccountAlias(DEV, 'dev');
    vault.rememberAccountAlias(PROD, undefined);
    await vault.flush();
    const onDisk = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as { accountAliases: unknown };
    expect(onDisk.accountAliases).toEqual({ [DEV]: { alias: 'dev', checkedAt: T0.toISOString() }, [PROD]: { checkedAt: T0.toISOString() } });
    const again = open();
    expect(again.accountAliases()).toEqual({ [DEV]: 'dev' });
    expect([again.accountAliasDue(DEV), again.accountAliasDue(PROD)]).toEqual([false, false]);
  });

  it('a vault written before aliases existed opens with none, every account due, and keeps its other fields', async () => {
    writeFileSync(
      join(dir, 'vault.json'),
      JSON.stringify({ format: 2, identities: [], profiles: [], sessions: { mfa: {}, roles: {} }, secrets: {}, settings: { mfaSessionSeconds: 43_200 }, fromTheFuture: { kept: true } }),
      { mode: 0o600 },
    );
    const vault = open();
    expect(vault.accountAliases()).toEqual({});
    expect(vault.accountAliasDue(DEV)).toBe(true);
    vault.rememberAccountAlias(DEV, 'dev');
    await vault.flush();
    const onDisk = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk.fromTheFuture).toEqual({ kept: true });
    expect(onDisk.accountAliases).toEqual({ [DEV]: { alias: 'dev', checkedAt: T0.toISOString() } });
  });

  it("keeps fields a newer version wrote in an account's entry", async () => {
    writeFileSync(join(dir, 'vault.json'), JSON.stringify({ format: 2, accountAliases: { [DEV]: { alias: 'old-dev', checkedAt: '2026-01-01T00:00:00.000Z', source: 'organizations' } } }), { mode: 0o600 });
    const vault = open();
    vault.rememberAccountAlias(DEV, undefined);
    await vault.flush();
    const onDisk = JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as { accountAliases: unknown };
    expect(onDisk.accountAliases).toEqual({ [DEV]: { source: 'organizations', checkedAt: T0.toISOString() } });
  });

  it('an edited file cannot put a hostile alias in the window: only well-formed aliases of well-formed account ids come out', () => {
    writeFileSync(
      join(dir, 'vault.json'),
      JSON.stringify({
        format: 2,
        accountAliases: {
          [DEV]: { alias: '<img src=x onerror=alert(1)>', checkedAt: T0.toISOString() },
          [PROD]: { alias: 'prod\u001b]0;owned\u0007', checkedAt: T0.toISOString() },
          '333333333333': { alias: 'stage', checkedAt: T0.toISOString() },
          'not-an-account': { alias: 'evil', checkedAt: T0.toISOString() },
          '555555555555': { alias: 'shared', checkedAt: 'not a date' },
        },
      }),
      { mode: 0o600 },
    );
    const vault = open();
    expect(vault.accountAliases()).toEqual({ '333333333333': 'stage', '555555555555': 'shared' });
    // A date that cannot be read is no reason to stop asking.
    expect(vault.accountAliasDue('555555555555')).toBe(true);
    expect(vault.accountAliasDue('not-an-account')).toBe(false);
  });

  it('remembers a value that is not an alias as none, and ignores what is not an account id', () => {
    const vault = open();
    vault.rememberAccountAlias(DEV, '<b>dev</b>');
    vault.rememberAccountAlias('__proto__', 'dev');
    expect(vault.accountAliases()).toEqual({});
    expect(vault.accountAliasDue(DEV)).toBe(false);
  });

  it('a clock set back (the entry dated in the future) asks again rather than trusting it', () => {
    const vault = open();
    vault.rememberAccountAlias(DEV, 'dev');
    now = new Date(T0.getTime() - HOUR);
    expect(vault.accountAliasDue(DEV)).toBe(true);
  });
});

/** A reader that records each question and answers when told. */
class FakeReader implements AccountAliasReader {
  readonly calls: { credentials: StsCredentials; partition: IamPartition; signal: AbortSignal | undefined; answer: (a: AliasAnswer) => void }[] = [];

  accountAlias(credentials: StsCredentials, partition: IamPartition, options: AliasCallOptions = {}): Promise<AliasAnswer> {
    return new Promise((resolve) => {
      // As the SDK reader does: an aborted question is "not known".
      options.signal?.addEventListener('abort', () => resolve({ alias: undefined, lasting: false }), { once: true });
      this.calls.push({ credentials, partition, signal: options.signal, answer: resolve });
    });
  }
}

/** Timers that fire only when the test says so. */
function manualTimers(): { setTimer: SetTimer; pending: () => number; fireAll: () => void; delays: number[] } {
  const timers = new Set<() => void>();
  const delays: number[] = [];
  return {
    setTimer: (callback, delayMs) => {
      delays.push(delayMs);
      timers.add(callback);
      return () => timers.delete(callback);
    },
    pending: () => timers.size,
    fireAll: () => {
      const due = [...timers];
      timers.clear();
      for (const callback of due) callback();
    },
    delays,
  };
}

const credentials: StsCredentials = { accessKeyId: 'ASIAEXAMPLEEXAMPLE01', secretAccessKey: 'not-a-real-secret', sessionToken: 'token' };

describe('learning an alias beside GetCallerIdentity', () => {
  it('asks once, remembers the answer for the account AWS named, and asks nothing within 24 hours', async () => {
    const vault = open();
    const reader = new FakeReader();
    const timers = manualTimers();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: timers.setTimer });
    const pending = lookup.begin(DEV, 'aws', credentials);
    expect(reader.calls).toHaveLength(1);
    expect(reader.calls[0]?.partition).toBe('aws');
    const settled = pending?.settle(DEV);
    reader.calls[0]?.answer({ alias: 'dev', lasting: true });
    await settled;
    expect(vault.accountAliases()).toEqual({ [DEV]: 'dev' });
    expect(timers.pending()).toBe(0);
    // Within a day: nothing asked.
    now = new Date(T0.getTime() + 23 * HOUR);
    expect(lookup.begin(DEV, 'aws', credentials)).toBeUndefined();
    expect(reader.calls).toHaveLength(1);
    // A day later: asked again.
    now = new Date(T0.getTime() + 24 * HOUR);
    expect(lookup.begin(DEV, 'aws', credentials)).toBeDefined();
    expect(reader.calls).toHaveLength(2);
  });

  it('a refusal (lasting, no alias) is remembered as none; no answer is not remembered', async () => {
    const vault = open();
    const reader = new FakeReader();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: manualTimers().setTimer });
    const denied = lookup.begin(PROD, 'aws', credentials);
    const unreachable = lookup.begin(DEV, 'aws', credentials);
    reader.calls[0]?.answer({ alias: undefined, lasting: true });
    reader.calls[1]?.answer({ alias: undefined, lasting: false });
    await Promise.all([denied?.settle(PROD), unreachable?.settle(DEV)]);
    expect(vault.accountAliasDue(PROD)).toBe(false);
    expect(vault.accountAliasDue(DEV)).toBe(true);
    expect(vault.accountAliases()).toEqual({});
  });

  it('two profiles of one account verified together ask IAM once', async () => {
    const vault = open();
    const reader = new FakeReader();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: manualTimers().setTimer });
    const first = lookup.begin(PROD, 'aws', credentials);
    expect(lookup.begin(PROD, 'aws', credentials)).toBeUndefined();
    expect(reader.calls).toHaveLength(1);
    reader.calls[0]?.answer({ alias: 'prod', lasting: true });
    await first?.settle(PROD);
    expect(vault.accountAliases()).toEqual({ [PROD]: 'prod' });
  });

  it('remembers the alias under the account GetCallerIdentity named, not the one the profile expected', async () => {
    const vault = open();
    const reader = new FakeReader();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: manualTimers().setTimer });
    const pending = lookup.begin(DEV, 'aws', credentials);
    reader.calls[0]?.answer({ alias: 'prod', lasting: true });
    await pending?.settle(PROD);
    expect(vault.accountAliases()).toEqual({ [PROD]: 'prod' });
    expect(vault.accountAliasDue(DEV)).toBe(true);
  });

  it('never holds the row past its grace: IAM silent after GetCallerIdentity answered is given up, and nothing is remembered', async () => {
    const vault = open();
    const reader = new FakeReader();
    const timers = manualTimers();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: timers.setTimer, graceMs: 750 });
    const pending = lookup.begin(DEV, 'aws', credentials);
    let done = false;
    const settled = pending?.settle(DEV).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    expect(timers.delays).toEqual([750]);
    timers.fireAll();
    await settled;
    expect(done).toBe(true);
    expect(reader.calls[0]?.signal?.aborted).toBe(true);
    expect(vault.accountAliasDue(DEV)).toBe(true);
    // The account may be asked again (next verify).
    expect(lookup.begin(DEV, 'aws', credentials)).toBeDefined();
  });

  it('a failed verification cancels the question; a caller that stops waiting (sign-out) stops it too', () => {
    const vault = open();
    const reader = new FakeReader();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: manualTimers().setTimer });
    lookup.begin(DEV, 'aws', credentials)?.cancel();
    expect(reader.calls[0]?.signal?.aborted).toBe(true);
    const signOut = new AbortController();
    lookup.begin(PROD, 'aws', credentials, signOut.signal);
    signOut.abort();
    expect(reader.calls[1]?.signal?.aborted).toBe(true);
    expect(vault.accountAliases()).toEqual({});
  });

  it('asks nothing for an account it cannot name or a partition IAM aliases are not read in', () => {
    const vault = open();
    const reader = new FakeReader();
    const lookup = new AccountAliasLookup({ vault, reader, setTimer: manualTimers().setTimer });
    expect(lookup.begin(undefined, 'aws', credentials)).toBeUndefined();
    expect(lookup.begin(DEV, 'aws-iso', credentials)).toBeUndefined();
    expect(lookup.begin(DEV, undefined, credentials)).toBeUndefined();
    expect(reader.calls).toHaveLength(0);
  });
});
