import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionManager } from '../../../main/core/sessions/session-manager.js';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { createCore, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * Sessions AWS no longer accepts, in the core: signing in always makes a new MFA session (and
 * the role sessions of the old one are derived again), and a cached session AWS refuses
 * (ExpiredToken, or InvalidClientTokenId on session credentials) is dropped wherever the
 * refusal happens, even in a GetCallerIdentity outside the session manager, so the next
 * request asks for a code once instead of handing the dead credentials out again.
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

describe('core: sessions AWS no longer accepts', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  const security = () => core.vault.identity('security') ?? expect.fail('no security identity');
  const successes = (action: string) => emulator().requests({ action, outcome: 'Success' }).length;
  /** AWS forgets every session it issued (InvalidClientTokenId from now on); time stays frozen. */
  const awsForgets = () => {
    emulator().reset();
    emulator().clock.freeze();
  };
  /** This machine's clock, stopped: cached sessions stay fresh here while AWS's time moves on. */
  const stoppedClock = () => {
    const now = emulator().clock.now();
    return { now: () => now };
  };

  it('signing in with renew starts a new MFA session even when the cached one is fresh', async () => {
    const first = await core.sessions.mfaSession(security(), requester);
    emulator().clock.advance(30_000);
    const second = await core.sessions.mfaSession(security(), requester, { renew: true });
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(core.prompter.prompts).toHaveLength(2);
    expect(successes('GetSessionToken')).toBe(2);
  });

  it('role sessions derived from an older MFA session are derived again from the new one, without a code', async () => {
    await verifyAccounts(core, { requester });
    expect(successes('AssumeRole')).toBe(4);
    emulator().clock.advance(30_000);
    await core.sessions.mfaSession(security(), requester, { renew: true });
    const report = await verifyAccounts(core, { requester });
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(successes('AssumeRole')).toBe(8);
    expect(core.prompter.prompts).toHaveLength(2);
  });

  it('an MFA session AWS forgot (InvalidClientTokenId) is dropped when GetCallerIdentity is refused, and verify signs in again in the same run, asking once', async () => {
    await core.sessions.getCredentials('security', { requester });
    awsForgets();
    const report = await verifyAccounts(core, { requester, profiles: ['security'] });
    expect(report.results[0]).toMatchObject({ verdict: 'ok', arn: alice.arn });
    expect(core.prompter.prompts).toHaveLength(2);
    expect(successes('GetSessionToken')).toBe(1);
    expect(emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome)).toEqual(['InvalidClientTokenId', 'Success']);
  });

  it('an MFA session AWS calls expired (ExpiredToken) is dropped too, and verify asks for a code once in the same run', async () => {
    const sessions = new SessionManager({ vault: core.vault, sts: core.sts, prompter: core.prompter, clock: stoppedClock() });
    const deps = { vault: core.vault, sts: core.sts, sessions };
    const first = await sessions.getCredentials('security', { requester });
    emulator().clock.advance(13 * 3600_000);
    const report = await verifyAccounts(deps, { requester, profiles: ['security'] });
    expect(report.results[0]?.verdict).toBe('ok');
    expect((await core.vault.mfaSession(security().id))?.accessKeyId).not.toBe(first.accessKeyId);
    expect(core.prompter.prompts).toHaveLength(2);
  });

  it('verify that meets a role session AWS calls expired derives it again from the MFA session in the same run, without a code', async () => {
    const sessions = new SessionManager({ vault: core.vault, sts: core.sts, prompter: core.prompter, clock: stoppedClock() });
    const deps = { vault: core.vault, sts: core.sts, sessions };
    await sessions.getCredentials('dev', { requester });
    emulator().clock.advance(61 * 60_000);
    const report = await verifyAccounts(deps, { requester, profiles: ['dev'] });
    expect(report.results[0]).toMatchObject({ verdict: 'ok', arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' });
    expect(core.prompter.prompts).toHaveLength(1);
    expect(successes('AssumeRole')).toBe(2);
    expect(emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome)).toEqual(['ExpiredToken', 'Success']);
  });

  it('verify retries a refused session only once: a new session refused again is reported, not chased', async () => {
    await core.sessions.getCredentials('security', { requester });
    awsForgets();
    // AWS forgets the new sign-in too, as soon as it is made (the emulator's log restarts with it).
    const signIn = core.sts.getSessionToken.bind(core.sts);
    let signIns = 0;
    core.sts.getSessionToken = async (...args) => {
      const session = await signIn(...args);
      signIns += 1;
      awsForgets();
      return session;
    };
    const report = await verifyAccounts(core, { requester, profiles: ['security'] });
    expect(report.results[0]).toMatchObject({ verdict: 'error', errorCode: 'InvalidClientTokenId' });
    expect(signIns).toBe(1);
    expect(emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome)).toEqual(['InvalidClientTokenId']);
  });

  it('a session AWS refuses is not dropped when a newer one has replaced it meanwhile', async () => {
    const old = await core.sessions.getCredentials('security', { requester });
    emulator().clock.advance(30_000);
    const renewed = await core.sessions.mfaSession(security(), requester, { renew: true });
    awsForgets();
    await core.sts.getCallerIdentity(old, 'us-east-1').catch(() => undefined);
    expect((await core.vault.mfaSession(security().id))?.accessKeyId).toBe(renewed.accessKeyId);
  });

  it('an MFA device GetSessionToken cannot use (a security key) is refused before anyone is asked for a code', async () => {
    const u2f = 'arn:aws:iam::111111111111:u2f/user/alice/yubikey-ABCD';
    // The vault refuses to store it now; a vault written before that rule (or by hand) may hold it.
    await expect(core.vault.updateIdentity(security().id, { mfaSerial: u2f })).rejects.toMatchObject({ code: 'invalid-value' });
    const doc = JSON.parse(readFileSync(core.vault.path, 'utf8')) as { identities: { mfaSerial?: string }[] };
    for (const stored of doc.identities) stored.mfaSerial = u2f;
    writeFileSync(core.vault.path, JSON.stringify(doc), { mode: 0o600 });
    const error = await core.sessions.getCredentials('dev', { requester }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'mfa-device-unusable',
      message: expect.stringContaining('is a security key (FIDO U2F or passkey), and AWS accepts only authenticator apps and hardware TOTP tokens') as string,
    });
    expect(core.prompter.prompts).toHaveLength(0);
    expect(emulator().requests()).toHaveLength(0);
    expect(alice.serialNumber).toBe('arn:aws:iam::111111111111:mfa/alice');
  });
});
