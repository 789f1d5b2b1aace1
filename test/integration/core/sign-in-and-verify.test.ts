import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MfaPromptCancelled } from '../../../main/core/sessions/mfa-prompter.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { createCore, EXPECTED_ARNS, importReferenceProfiles, REFERENCE_PROFILES, type CoreUnderTest } from '../../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * The core against the STS emulator over real HTTP with the real SDK: one MFA code for every
 * account, every AWS failure as a sentence, sessions reused and refreshed as AWS allows.
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');


describe('core: sign in once, verify every account', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  const verify = () => verifyAccounts(core, { requester });
  const count = (action: string) => emulator().requests({ action, outcome: 'Success' }).length;

  it('one login verifies every account of the reference architecture, with the ARNs the runbook expects', async () => {
    const report = await verify();
    expect(report.warnings).toEqual([]);
    expect(report.results.map((r) => [r.profile, r.verdict, r.arn])).toEqual(REFERENCE_PROFILES.map((p) => [p, 'ok', EXPECTED_ARNS[p]]));
    const dev = report.results.find((r) => r.profile === 'dev');
    expect(dev).toMatchObject({ account: '222222222222', expected: { account: '222222222222', kind: 'assumed-role', arn: EXPECTED_ARNS.dev } });
    expect(dev?.userId).toMatch(/^AROA[A-Z2-7]{17}:alice$/);
    expect(core.prompter.prompts).toHaveLength(1);
    expect(core.prompter.prompts[0]).toMatchObject({ identityLabel: 'security', mfaSerial: alice.serialNumber, accessKeyId: alice.accessKeyId, requester, purpose: { kind: 'mfa-session' }, attempt: 1 });
    expect([count('GetSessionToken'), count('AssumeRole'), count('GetCallerIdentity')]).toEqual([1, 4, 5]);
  });

  it('reuses the sessions: a second verification asks for nothing and assumes nothing', async () => {
    await verify();
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(core.prompter.prompts).toHaveLength(1);
    expect([count('GetSessionToken'), count('AssumeRole')]).toEqual([1, 4]);
  });

  it('re-derives role sessions silently after their hour, without a new code', async () => {
    await verify();
    emulator().clock.advance(56 * 60_000); // inside the 5-minute refresh margin of the 1-hour role sessions
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(core.prompter.prompts).toHaveLength(1);
    expect(count('AssumeRole')).toBe(8);
  });

  it('an expired MFA session brings exactly one new prompt, for all accounts', async () => {
    await verify();
    emulator().clock.advance(12 * 3600_000);
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(core.prompter.prompts).toHaveLength(2);
    expect(count('GetSessionToken')).toBe(2);
  });

  it('20 concurrent callers share one prompt and one GetSessionToken', async () => {
    const profiles = Array.from({ length: 20 }, (_, i) => REFERENCE_PROFILES[i % REFERENCE_PROFILES.length] ?? 'dev');
    const all = await Promise.all(profiles.map((p) => core.sessions.getCredentials(p, { requester })));
    expect(all.every((c) => c.accessKeyId.startsWith('ASIA'))).toBe(true);
    expect(core.prompter.prompts).toHaveLength(1);
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(1);
    expect(emulator().requests({ action: 'AssumeRole' })).toHaveLength(4);
  });

  it('a wrong code gives the sentence, asks again, and caches nothing until a right code', async () => {
    core.prompter.answer = (request) => (request.attempt === 1 ? wrongCode(emulator(), alice.seed) : currentCode(emulator(), alice.seed));
    const credentials = await core.sessions.getCredentials('dev', { requester });
    expect(credentials.accessKeyId).toMatch(/^ASIA/);
    expect(core.prompter.prompts.map((p) => p.previousError)).toEqual([
      undefined,
      'AWS rejected the MFA code. A code works only once and only for about 30 seconds: wait for the next code on your device and enter that one.',
    ]);
  });

  it('a wrong code that the user gives up on fails every account with the sentence and caches nothing', async () => {
    core.prompter.answer = (request) => {
      if (request.previousError) throw new MfaPromptCancelled();
      return wrongCode(emulator(), alice.seed);
    };
    const report = await verify();
    expect(report.results.map((r) => r.verdict)).toEqual(REFERENCE_PROFILES.map(() => 'error'));
    expect(report.results[0]).toMatchObject({ errorCode: 'mfa-cancelled', reason: 'Sign-in cancelled: no MFA code was entered.' });
    expect(core.prompter.prompts).toHaveLength(2);
    expect(core.vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
  });

  it('a code already used (another tool raced for it) is rejected with the sentence; the next code works', async () => {
    const used = currentCode(emulator(), alice.seed);
    // Another tool signs in with the code first.
    emulator().mfa.accept(fixture.users[0]!.mfaDevices[0]!, used, emulator().clock.now());
    core.prompter.answer = (request) => {
      if (request.attempt === 1) return used;
      emulator().clock.advance(30_000); // the user waits for the next code
      return currentCode(emulator(), alice.seed);
    };
    await core.sessions.getCredentials('security', { requester });
    expect(core.prompter.prompts[1]?.previousError).toContain('A code works only once');
  });

  it('gives up after five rejected codes with the sentence', async () => {
    core.prompter.answer = () => wrongCode(emulator(), alice.seed);
    const error = await core.sessions.getCredentials('dev', { requester }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'MfaCodeRejected', message: expect.stringContaining('AWS rejected the MFA code') as string });
    expect(core.prompter.prompts).toHaveLength(5);
    expect(core.vault.sessionMetadata().mfa).toEqual({});
  });

  it('sign-out wipes every session: the next call prompts again', async () => {
    await verify();
    core.sessions.signOut();
    expect(core.vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
    emulator().clock.advance(30_000);
    await core.sessions.getCredentials('prod', { requester });
    expect(core.prompter.prompts).toHaveLength(2);
  });

  it('sign-out while a prompt is open closes it and fails the waiting callers', async () => {
    let opened!: () => void;
    const promptOpen = new Promise<void>((resolve) => (opened = resolve));
    core.prompter.answer = (request) =>
      new Promise<string>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(request.signal.reason as Error));
        opened();
      });
    const waiting = core.sessions.getCredentials('dev', { requester }).catch((e: unknown) => e);
    await promptOpen;
    core.sessions.signOut();
    expect(await waiting).toMatchObject({ code: 'mfa-cancelled' });
  });

  it('throttling and 500s are retried by the SDK; the user sees nothing', async () => {
    emulator().injectFault({ kind: 'throttle', count: 2, action: 'GetSessionToken' });
    emulator().injectFault({ kind: 'internal-failure', count: 2, action: 'AssumeRole' });
    emulator().injectFault({ kind: 'drop', count: 1, action: 'GetCallerIdentity' });
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(emulator().requests({ outcome: 'Throttling' })).toHaveLength(2);
    expect(emulator().requests({ outcome: 'InternalFailure' })).toHaveLength(2);
    expect(core.prompter.prompts).toHaveLength(1);
  });

  it('when AWS keeps failing, each account says AWS is not answering, naming the endpoint', async () => {
    emulator().injectFault({ kind: 'internal-failure', count: 50, action: 'AssumeRole' });
    const report = await verify();
    const dev = report.results.find((r) => r.profile === 'dev');
    expect(dev?.verdict).toBe('error');
    expect(dev?.reason).toBe(`AWS STS is not answering at ${emulator().url}: it failed with InternalFailure (HTTP 500) after 3 attempts. Try again in a minute.`);
    expect(report.results.find((r) => r.profile === 'security')?.verdict).toBe('ok');
  });

  it('a deactivated access key gives its sentence on every account', async () => {
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive');
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'error')).toBe(true);
    expect(report.results[0]?.reason).toBe(
      `AWS does not know the access key ${alice.accessKeyId}: it was deleted or deactivated, or it belongs to another partition (aws-cn, aws-us-gov). Create a new access key in IAM and update the identity.`,
    );
  });

  it('a clock more than 5 minutes off: the SDK compensates, the report says what will break elsewhere', async () => {
    emulator().clock.setOffset(20 * 60_000);
    const report = await verify();
    expect(report.results.every((r) => r.verdict === 'ok')).toBe(true);
    expect(report.warnings).toEqual([
      `This computer's clock is 20 minutes behind AWS's. AWS Auth Tray compensates, but the AWS CLI and other tools will fail with "Signature expired" until you turn on automatic date and time.`,
    ]);
  });

  it('a clock more than 5 minutes off, where the SDK cannot retry, gives the clock sentence', async () => {
    const strict = createCore(emulator(), fixture, { dir: core.dir, maxAttempts: 1 });
    emulator().clock.setOffset(-20 * 60_000);
    const error = await strict.sessions.getCredentials('security', { requester }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ClockSkew' });
    expect((error as Error).message).toMatch(/^Your computer's clock is more than 5 minutes off from AWS's, so AWS rejects the signed request \(Signature not yet current: .*\)\. Turn on automatic date and time, then try again\.$/);
  });

  it('a role the user may not assume is an error on that row only', async () => {
    core.vault.upsertProfile({ name: 'not-mine', identityId: core.vault.identity('security')!.id, roleArn: 'arn:aws:iam::444444444444:role/does-not-exist' });
    const report = await verify();
    const row = report.results.find((r) => r.profile === 'not-mine');
    expect(row?.reason).toBe(
      'arn:aws:iam::111111111111:user/alice may not assume arn:aws:iam::444444444444:role/does-not-exist: the role\'s trust policy does not trust you (or requires MFA or an external id you did not give), or your IAM policies do not allow sts:AssumeRole on it. Ask the role\'s owner to check both.',
    );
    expect(report.results.filter((r) => r.verdict === 'ok')).toHaveLength(5);
  });

  it('leaves no secret in plaintext anywhere in the vault directory', async () => {
    await verify();
    const secrets = [alice.secretAccessKey, ...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken])];
    expect(secrets.length).toBeGreaterThan(10);
    for (const name of readdirSync(core.dir)) {
      const text = readFileSync(join(core.dir, name), 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${name} contains a secret in plaintext`).toBe(false);
      // Not even a recognisable fragment of one.
      for (const secret of secrets) expect(text.includes(secret.slice(0, 16)), `${name} contains a fragment of a secret`).toBe(false);
    }
  });
});
