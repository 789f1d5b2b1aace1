import { describe, expect, it } from 'vitest';
import { isAllowedConsoleUrl } from '../../main/core/console/console-url-allowlist.js';
import { performTrayAction } from '../../main/tray/tray-actions.js';
import type { AppHarness } from '../harness/app-harness.js';
import { setUpAlice, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { openConsoleLink } from '../integration/console/console-link.js';
import { EXPECTED_ARNS } from '../support/core-harness.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * "Open console" through the harness's app services: a page calls `openConsole` over the IPC
 * contract, the MFA popup takes one code, and the app hands exactly one allowlisted sign-in link
 * to the (recording) default browser. The link signs in at the emulator as the role session; it
 * never comes back to a page, in any contract output or anything a page shows or requests.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP console action through the harness: ${skipReason}`);
const alice = identity(referenceFixture(), 'alice');

describe.skipIf(skipReason !== undefined)(`the console action through the app services${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  async function startWithAlice(): Promise<AppHarness> {
    const h = await harness.start();
    await setUpAlice(h);
    // Saving the identity checked its key with AWS; what follows starts from a clean log.
    emulator().clearRequests();
    return h;
  }

  /** Every secret of this test: alice's key, every issued session, every sign-in token, and the links opened. */
  function secrets(h: AppHarness): string[] {
    return [
      alice.secretAccessKey,
      ...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken]),
      ...emulator().federation.issuedTokens(),
      ...h.externalUrl.opened,
    ];
  }

  async function expectNoSecretInPages(h: AppHarness): Promise<void> {
    const all = secrets(h);
    const outputs = JSON.stringify(h.outputs);
    expect(all.filter((s) => outputs.includes(s))).toEqual([]);
    for (const text of await h.pageTexts()) {
      const shown = `${text.url}\n${text.html}\n${text.inputValues.join('\n')}`;
      expect(all.filter((s) => shown.includes(s))).toEqual([]);
    }
    // Never inside an app window: no page asked for the federation endpoint or the console.
    expect(h.requestedUrls.filter((u) => u.includes('/federation') || u.includes('/console/'))).toEqual([]);
  }

  it('openConsole from the window opens exactly one allowlisted link, which signs in as dev, and returns nothing', async () => {
    const h = await startWithAlice();
    const page = h.mainPage();
    const opening = h.invokeFromPage(page, 'openConsole', { profile: 'dev' });

    // No MFA session yet: one code in the popup, through the contract.
    const popup = await h.waitForPopup();
    const prompt = h.service.mfa.current();
    expect(prompt?.requester).toEqual({ kind: 'window', description: 'open the AWS console for dev' });
    expect(await h.invokeFromPage(popup, 'submitMfaCode', { requestId: prompt?.requestId, code: currentCode(emulator(), alice.seed) })).toEqual({ ok: true, value: null });
    expect(await opening).toEqual({ ok: true, value: null });

    expect(h.externalUrl.opened).toHaveLength(1);
    const [url = ''] = h.externalUrl.opened;
    expect(isAllowedConsoleUrl(url, { extraOrigins: [emulator().url] })).toBe(true);
    expect(url.startsWith(`${emulator().url}/federation?Action=login&`)).toBe(true);
    const signIn = await openConsoleLink(url);
    expect(signIn).toMatchObject({ status: 200, arn: EXPECTED_ARNS.dev, account: '222222222222' });
    await expectNoSecretInPages(h);
  });

  it("the tray's open-console action opens stage's console; a failure is a notification without the link", async () => {
    const h = await startWithAlice();
    const notified: string[] = [];
    const shell = { openMainWindow: () => undefined, quit: () => undefined, notify: (_title: string, body: string) => void notified.push(body) };
    const acting = performTrayAction(h.service, { kind: 'open-console', profile: 'stage' }, shell);
    const popup = await h.waitForPopup();
    const prompt = h.service.mfa.current();
    await h.invokeFromPage(popup, 'submitMfaCode', { requestId: prompt?.requestId, code: currentCode(emulator(), alice.seed) });
    await acting;
    expect(notified).toEqual([]);
    expect(h.externalUrl.opened).toHaveLength(1);
    expect((await openConsoleLink(h.externalUrl.opened[0] ?? '')).arn).toBe(EXPECTED_ARNS.stage);

    // The IAM user's own profile: refused with the sentence, nothing opened, no STS call.
    emulator().clearRequests();
    await performTrayAction(h.service, { kind: 'open-console', profile: 'security' }, shell);
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatch(/^Profile security is your IAM user itself, not a role/);
    expect(h.externalUrl.opened).toHaveLength(1);
    expect(emulator().requests()).toHaveLength(0);
    await expectNoSecretInPages(h);
  });

  it('refuses a crafted profile name at the contract and an unknown profile with a sentence; nothing is opened', async () => {
    const h = await startWithAlice();
    const page = h.mainPage();
    const crafted = await h.invokeFromPage(page, 'openConsole', { profile: 'javascript:alert(1)' });
    expect(crafted.ok).toBe(false);
    const unknown = await h.invokeFromPage(page, 'openConsole', { profile: 'nope' });
    expect(unknown).toEqual({ ok: false, error: { code: 'profile-missing', message: 'There is no profile "nope". List the profiles with: aws-auth-tray list' } });
    const user = await h.invokeFromPage(page, 'openConsole', { profile: 'security' });
    expect(user).toMatchObject({ ok: false, error: { code: 'console-needs-role' } });
    expect(h.externalUrl.opened).toEqual([]);
    expect(emulator().requests()).toHaveLength(0);
  });
});
