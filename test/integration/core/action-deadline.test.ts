import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyAccounts } from '../../../main/core/verification/verify-accounts.js';
import { createCore, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { referenceFixture } from '../../support/reference-fixture.js';

/**
 * One deadline per user action, over the real gateway and the emulator: the STS requests of one
 * action (GetSessionToken, then AssumeRole) share it, the time a person spends typing the MFA
 * code does not count, and each account of `verify` has its own.
 *
 * Latencies are chosen so that each request alone fits the deadline with a wide margin and two
 * together clearly do not: the outcome does not depend on how busy the machine is.
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const fixture = referenceFixture();

describe('core: one STS deadline per user action', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest | undefined;
  afterEach(async () => {
    emulator().setLatency(0);
    await core?.cleanup();
  });

  async function alice(deadlineMs: number): Promise<CoreUnderTest> {
    core = createCore(emulator(), fixture, { deadlineMs, maxAttempts: 1 });
    await importReferenceProfiles(core.vault);
    return core;
  }

  it('a slow STS: the requests of one action share one deadline, so signing in and assuming a role cannot take a deadline each', async () => {
    const { sessions } = await alice(2_500);
    emulator().setLatency(1_500);
    const error = await sessions.getCredentials('dev', { requester }).catch((e: unknown) => e);
    // GetSessionToken fitted; AssumeRole was cut where the action's 2.5 s ran out, not 2.5 s after it started.
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
    expect(error).toMatchObject({
      code: 'network',
      message: `AWS STS is not answering at ${emulator().url}: no response within 2500 ms. Check your network connection or VPN, then try again.`,
    });
    // The emulator still finishes the abandoned AssumeRole; let it, so the next test's log starts empty.
    await vi.waitFor(() => expect(emulator().requests({ action: 'AssumeRole' })).toHaveLength(1), { timeout: 5_000 });
  });

  it('the time spent typing an MFA code does not count against the deadline', async () => {
    const { sessions, prompter } = await alice(800);
    await sessions.getCredentials('dev', { requester });
    // AWS forgets the MFA session: the next profile's AssumeRole is refused, and the person is
    // asked for a code halfway through the action. They take longer than the whole deadline.
    emulator().reset();
    emulator().clock.freeze();
    const answer = prompter.answer;
    prompter.answer = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      return answer(request);
    };
    const stage = await sessions.getCredentials('stage', { requester });
    expect(stage.accessKeyId).toMatch(/^ASIA/);
    expect(prompter.prompts).toHaveLength(2);
    expect(emulator().requests().map((r) => `${r.action} ${r.outcome}`)).toEqual(['AssumeRole InvalidClientTokenId', 'GetSessionToken Success', 'AssumeRole Success']);
  });

  it('each account of verify is its own action: one slow account does not use up the others\' time', async () => {
    const { sessions, vault, sts } = await alice(2_500);
    await sessions.getCredentials('security', { requester });
    // Each account needs AssumeRole and GetCallerIdentity, 0.8 s each: 1.6 s, well inside its own
    // 2.5 s, but three accounts (4.8 s) in one shared deadline could never finish.
    emulator().setLatency(800);
    const report = await verifyAccounts({ vault, sessions, sts }, { requester, profiles: ['dev', 'stage', 'prod'], concurrency: 1 });
    expect(report.results.map((r) => `${r.profile} ${r.verdict}`)).toEqual(['dev ok', 'stage ok', 'prod ok']);
  });
});
