import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountAliasLookup, type SetTimer } from '../../../main/core/iam/account-alias-lookup.js';
import { SdkAccountAliasReader, type AccountAliasReader, type AliasAnswer } from '../../../main/core/iam/account-alias-reader.js';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { createCore, EXPECTED_ARNS, importReferenceProfiles, REFERENCE_PROFILES, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { referenceFixture } from '../../support/reference-fixture.js';

/**
 * Account aliases learned while verifying, against the emulator over real HTTP with the real
 * `@aws-sdk/client-iam`: IAM ListAccountAliases with each account's own credentials (signed for
 * us-east-1 although the profiles are in eu-west-1), beside GetCallerIdentity; a role that may
 * not list aliases (shared-services' deployer, `denyIam`) still verifies, with no alias; and what
 * IAM said is remembered a day, on the vault's clock (the emulator's, frozen and moved by hand).
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const HOUR = 3600_000;
const FIXTURE_ALIASES = { '111111111111': 'security', '222222222222': 'dev', '333333333333': 'stage', '444444444444': 'prod' };

describe('core: account aliases learned while verifying', () => {
  const fixture = referenceFixture();
  const emulator = useEmulator(() => fixture);
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture, { accountAliases: true });
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  const verify = () => verifyAccounts(core, { requester });
  const iam = () => emulator().requests({ service: 'iam' });

  it("stores each account's alias from the fixture; the account whose role may not list aliases verifies as before, with none", async () => {
    const report = await verify();
    expect(report.results.map((r) => [r.profile, r.verdict, r.arn, r.reason])).toEqual(REFERENCE_PROFILES.map((p) => [p, 'ok', EXPECTED_ARNS[p], undefined]));
    expect(core.vault.accountAliases()).toEqual(FIXTURE_ALIASES);
    // One question per account, none retried: four answers and one refusal (the deployer role).
    expect(iam().map((r) => r.action)).toEqual(Array.from({ length: 5 }, () => 'ListAccountAliases'));
    expect(iam().filter((r) => r.outcome === 'Success')).toHaveLength(4);
    expect(iam().filter((r) => r.outcome !== 'Success').map((r) => [r.outcome, r.callerArn])).toEqual([['AccessDenied', EXPECTED_ARNS['shared-services']]]);
    // The refusal is remembered as "none" for the day.
    expect(core.vault.accountAliasDue('555555555555')).toBe(false);
  });

  it('a second verify within 24 hours asks IAM nothing; after 24 hours it asks again', async () => {
    await verify();
    expect(iam()).toHaveLength(5);
    await verify();
    expect(iam()).toHaveLength(5);
    // 23 hours on (a new MFA session on the way): still nothing asked of IAM.
    emulator().clock.advance(23 * HOUR);
    const later = await verify();
    expect(later.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(iam()).toHaveLength(5);
    // Past 24 hours since they were learned: every account is asked once more.
    emulator().clock.advance(HOUR + 60_000);
    const nextDay = await verify();
    expect(nextDay.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(iam()).toHaveLength(10);
    expect(core.vault.accountAliases()).toEqual(FIXTURE_ALIASES);
  });

  it('IAM failing (no answer worth keeping) costs no retry, no verdict, and is asked again next time', async () => {
    emulator().injectFault({ kind: 'internal-failure', count: 1, action: 'ListAccountAliases' });
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(iam()).toHaveLength(5);
    expect(iam().filter((r) => r.outcome === 'InternalFailure')).toHaveLength(1);
    expect(Object.keys(core.vault.accountAliases())).toHaveLength(3);
    await verify();
    // Only the account IAM did not answer for is asked again.
    expect(iam()).toHaveLength(6);
    expect(iam().at(-1)?.outcome).toBe('Success');
    expect(core.vault.accountAliases()).toEqual(FIXTURE_ALIASES);
  });

  it('an IAM that never answers holds no row up: accounts are verified one after another, and the run waits only the grace at its end', async () => {
    // IAM hangs until the question is given up; the grace is a timer the test fires.
    const asked: AbortSignal[] = [];
    const silent: AccountAliasReader = {
      accountAlias: (_credentials, _partition, options) =>
        new Promise<AliasAnswer>((resolve) => {
          if (options?.signal) asked.push(options.signal);
          options?.signal?.addEventListener('abort', () => resolve({ alias: undefined, lasting: false }), { once: true });
        }),
    };
    const graces: (() => void)[] = [];
    const setTimer: SetTimer = (callback) => {
      graces.push(callback);
      return () => undefined;
    };
    const aliases = new AccountAliasLookup({ vault: core.vault, reader: silent, setTimer });
    let finished = false;
    // One account at a time: had a row waited for its alias, the next would never start before the grace.
    const run = verifyAccounts({ ...core, aliases }, { requester, concurrency: 1 }).then((report) => {
      finished = true;
      return report;
    });
    await expect.poll(() => graces.length, { timeout: 15_000 }).toBe(5);
    expect(emulator().requests({ action: 'GetCallerIdentity', outcome: 'Success' })).toHaveLength(5);
    expect(finished).toBe(false);
    for (const grace of graces) grace();
    const report = await run;
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(asked.every((signal) => signal.aborted)).toBe(true);
    // Nothing lasting was heard: every account is asked again next time.
    expect(core.vault.accountAliases()).toEqual({});
    expect(core.vault.accountAliasDue('222222222222')).toBe(true);
  });

  it('without the lookup (the command line), verify asks IAM nothing', async () => {
    const { aliases: _unused, ...withoutAliases } = core;
    const report = await verifyAccounts(withoutAliases, { requester });
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(iam()).toEqual([]);
    expect(core.vault.accountAliases()).toEqual({});
  });

  it('the endpoint override: AWS_ENDPOINT_URL_IAM is honoured; STS redirected alone sends nothing to IAM at all', async () => {
    const dev = await core.sessions.getCredentials('dev', { requester });
    const withIam = new SdkAccountAliasReader({ env: { AWS_ENDPOINT_URL_IAM: emulator().url } });
    expect(await withIam.accountAlias(dev, 'aws')).toEqual({ alias: 'dev', lasting: true });
    expect(iam()).toHaveLength(1);
    const stsOnly = new SdkAccountAliasReader({ env: { AWS_ENDPOINT_URL_STS: emulator().url } });
    expect(await stsOnly.accountAlias(dev, 'aws')).toEqual({ alias: undefined, lasting: false });
    expect(iam()).toHaveLength(1);
    withIam.close();
    stsOnly.close();
  });
});

describe('core: a hostile account alias never reaches the vault', () => {
  const fixture = referenceFixture();
  const dev = fixture.accounts.find((a) => a.id === '222222222222');
  const stage = fixture.accounts.find((a) => a.id === '333333333333');
  if (!dev || !stage) throw new Error('The reference fixture lacks the dev or stage account');
  dev.alias = '<img src=x onerror=alert(1)>';
  stage.alias = 'stage\u001b]0;owned\u0007';
  const emulator = useEmulator(() => fixture);
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture, { accountAliases: true });
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  it('markup and terminal sequences from IAM are dropped (no alias known); the accounts verify as before', async () => {
    const report = await verifyAccounts(core, { requester });
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(core.vault.accountAliases()).toEqual({ '111111111111': 'security', '444444444444': 'prod' });
    // IAM answered the markup: remembered as none, like an account without an alias.
    expect(core.vault.accountAliasDue('222222222222')).toBe(false);
    expect(emulator().requests({ service: 'iam', outcome: 'Success' }).length).toBeGreaterThanOrEqual(3);
  });
});
