import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../main/windows/content-security-policy.js';
import type { AppHarness } from '../harness/app-harness.js';
import { setUpAlice, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { EXPECTED_ARNS, REFERENCE_AWS_CONFIG, REFERENCE_PROFILES } from '../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * The production renderer bundle in Debian's Chromium, through the harness that bridges the
 * IPC contract to the real app services and the STS emulator: what a person sees and does in
 * the main window and the MFA popup, and proof that no secret ever reaches a page.
 *
 * Screenshots for the README are written to docs/screenshots when UPDATE_SCREENSHOTS=1.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP renderer end-to-end tests: ${skipReason}`);

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const WRITE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

const alice = identity(referenceFixture(), 'alice');

function row(page: Page, profile: string): Locator {
  return page.locator(`tbody.account[data-profile="${profile}"]`);
}

function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: { ownerDocument: { activeElement: unknown } }) => element.ownerDocument.activeElement === element);
}

describe.skipIf(skipReason !== undefined)(`the renderer in Chromium against the app services${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  // Chromium per suite, a harness per test; a test fails when a page threw, logged an error or met a CSP refusal.
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  /** Secrets met along the way (the credential endpoint's token, read off the clipboard). */
  const metSecrets: { what: string; value: string }[] = [];

  /** Every secret that exists in this test: alice's long-term secret and every session the emulator issued. */
  function secrets(): { what: string; value: string }[] {
    return [
      { what: "alice's secret access key", value: alice.secretAccessKey },
      ...metSecrets,
      ...emulator()
        .issued.all()
        .flatMap((c) => [
          { what: `the SecretAccessKey of ${c.accessKeyId}`, value: c.secretAccessKey },
          { what: `the SessionToken of ${c.accessKeyId}`, value: c.sessionToken },
        ]),
    ];
  }

  async function expectNoSecretOn(h: AppHarness, where: string): Promise<void> {
    const text = JSON.stringify(await h.pageTexts());
    const leaked = secrets().filter((s) => text.includes(s.value)).map((s) => s.what);
    expect(leaked, `secrets visible in ${where}`).toEqual([]);
  }

  /** Nothing sticks out of the window: the popup's buttons sit inside its fixed size, the main window never scrolls sideways. */
  async function expectFits(page: Page, where: string): Promise<void> {
    const overflow = await page.evaluate(() => {
      interface Element {
        scrollWidth: number;
        clientWidth: number;
        getBoundingClientRect(): { bottom: number; right: number };
      }
      const scope = globalThis as unknown as { innerHeight: number; innerWidth: number; document: { documentElement: Element; querySelector(selector: string): Element | null } };
      const root = scope.document.documentElement;
      const actions = scope.document.querySelector('.popup-actions')?.getBoundingClientRect();
      return {
        sideways: Math.max(0, root.scrollWidth - root.clientWidth),
        popupButtons: actions ? Math.max(0, Math.ceil(actions.bottom - scope.innerHeight), Math.ceil(actions.right - scope.innerWidth)) : 0,
      };
    });
    expect(overflow, `overflow in ${where}`).toEqual({ sideways: 0, popupButtons: 0 });
  }

  async function screenshot(h: AppHarness, page: Page, name: string): Promise<void> {
    await expectNoSecretOn(h, `the page shot as ${name}`);
    await expectFits(page, name);
    // The pointer rests away from any control, so no button shows its hover state.
    await page.mouse.move(1, 1);
    const png = await page.screenshot({ animations: 'disabled' });
    expect(png.byteLength).toBeGreaterThan(1000);
    if (WRITE_SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
    }
  }

  it('first run → identity → import → sign in (a wrong code, then the right one) → copy export → sign out, and no secret reaches a page', async () => {
    const h = await harness.start();
    const page = h.mainPage();

    // First run: the empty state says what to do.
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
    await page.getByText('Import your ~/.aws/config').waitFor();
    expect(await page.locator('.status-pill').textContent()).toBe('Signed out');
    await screenshot(h, page, 'main-window-empty');

    // Add the identity; main checks it with AWS first.
    await page.getByRole('button', { name: 'Add access key…' }).click();
    await page.getByLabel('Label', { exact: true }).fill('security');
    await page.getByLabel('Access key id').fill(alice.accessKeyId);
    await page.getByLabel('Secret access key').fill(alice.secretAccessKey);
    await page.getByLabel('MFA device ARN').fill(alice.serialNumber);
    await page.getByLabel('Region').fill('us-east-1');
    emulator().setLatency(250);
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.getByText('Checking with AWS…').first().waitFor();
    await page.locator('.callout-success').getByText(alice.arn).waitFor();
    emulator().setLatency(0);
    expect(await page.locator('input[type="password"]').count()).toBe(0);
    await screenshot(h, page, 'main-window-identity-saved');
    expect(h.service.state().identities).toMatchObject([{ label: 'security', accessKeyId: alice.accessKeyId, hasSecret: true, mfaSerial: alice.serialNumber }]);

    // Editing never shows the stored secret: the field is empty and may stay so.
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByLabel('Secret access key').inputValue()).toBe('');
    await page.getByText('Leave empty to keep the stored secret.').waitFor();
    await screenshot(h, page, 'main-window-identity');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Import the reference ~/.aws/config (chosen in the file dialog).
    await page.getByRole('tab', { name: /Import/ }).click();
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.locator('.file-path').getByText(REFERENCE_AWS_CONFIG).waitFor();
    await page.getByRole('button', { name: 'Import profiles' }).click();
    await page.getByText('4 profiles added: dev, stage, prod, shared-services').waitFor();
    await page.getByText('1 profile updated: security').waitFor();
    await screenshot(h, page, 'main-window-import');
    expect(h.fileDialog.asked).toEqual([REFERENCE_AWS_CONFIG]);
    expect(h.service.state().profiles.map((p) => p.name).sort()).toEqual([...REFERENCE_PROFILES].sort());

    // The accounts, before verification: what each profile promises.
    await page.getByRole('tab', { name: /Accounts/ }).click();
    await expect.poll(() => page.locator('tbody.account.row-unverified').count()).toBe(5);
    expect(await row(page, 'dev').locator('.cell-arn').textContent()).toContain(EXPECTED_ARNS.dev);
    expect(await row(page, 'security').locator('.account-id').textContent()).toBe('111111111111');

    // Sign in: the popup opens with the code field focused.
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    const code = popup.locator('#mfa-code');
    await code.waitFor();
    await expect.poll(() => isFocused(code)).toBe(true);
    expect(await popup.locator('.purpose').textContent()).toBe('Sign in to every account');
    expect(await popup.locator('.who-facts').textContent()).toContain(alice.accessKeyId);
    expect(await popup.locator('.who-facts').textContent()).toContain(alice.serialNumber);
    expect(await popup.locator('.requester').textContent()).toBe('Asked by the AWS Auth Tray window');
    await page.getByText('Waiting for the MFA code for').waitFor();
    await screenshot(h, popup, 'mfa-popup');

    // A wrong code: AWS rejects it, the popup stays open with the reason, the field is ready again.
    await code.pressSequentially(wrongCode(emulator(), alice.seed));
    await popup.getByText('AWS rejected the MFA code.').waitFor();
    expect(h.popup).toBe(popup);
    expect(popup.isClosed()).toBe(false);
    expect(await code.inputValue()).toBe('');
    await expect.poll(() => isFocused(code)).toBe(true);
    await screenshot(h, popup, 'mfa-popup-rejected');

    // The next code, pasted with a space: accepted, the popup closes, every account is verified.
    emulator().clock.advance(30_000);
    const next = currentCode(emulator(), alice.seed);
    await code.fill(`${next.slice(0, 3)} ${next.slice(3)}`);
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    for (const [profile, arn] of Object.entries(EXPECTED_ARNS)) {
      expect(await row(page, profile).locator('.cell-arn .arn').textContent(), profile).toBe(arn);
      expect(await row(page, profile).locator('.verdict').textContent(), profile).toBe('Verified');
    }
    expect(await row(page, 'dev').locator('.expires-in').textContent()).toMatch(/^in (59|60) min$|^in 1 h$/);
    expect(await row(page, 'security').locator('.expires-in').textContent()).toMatch(/^in 1[12] h( \d+ min)?$/);
    await expect.poll(() => page.locator('.status-pill').textContent()).toMatch(/^Signed in as alice · MFA session until (tomorrow )?\d\d:\d\d$/);
    // Signed in: verifying is the next thing to do; signing in again is still there.
    await page.getByRole('button', { name: 'Sign in again…' }).waitFor();
    expect(await page.getByRole('button', { name: 'Verify all' }).getAttribute('class')).toContain('btn-primary');
    await screenshot(h, page, 'main-window-signed-in');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(h, page, 'main-window-signed-in-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Copy export for dev as fish: main writes the clipboard; the page only hears that it did.
    await row(page, 'dev').getByRole('button', { name: 'More actions for dev' }).click();
    await page.getByRole('menuitemradio', { name: 'fish' }).click();
    await row(page, 'dev').getByRole('button', { name: 'Copy export (fish) for dev' }).click();
    await page.getByText('Copied export commands for dev (fish). The clipboard clears in 45 s.').waitFor();
    expect(h.clipboard.text).toMatch(/^set -gx AWS_ACCESS_KEY_ID 'ASIA[A-Z0-9]+'/m);
    expect(h.notifier.notifications).toContainEqual({ title: 'AWS Auth Tray', body: 'Copied export commands for dev (fish); clipboard clears in 45 s' });

    // Auto-refresh for dev in fish: the lines that point a terminal at the credential endpoint, token included, only on the clipboard.
    await row(page, 'dev').getByRole('button', { name: 'More actions for dev' }).click();
    await page.getByRole('menuitem', { name: 'Copy auto-refresh setup (fish)' }).click();
    await page.getByText(/^Copied auto-refresh setup for dev \(fish\)/).waitFor();
    expect(h.clipboard.text).toMatch(/^set -gx AWS_CONTAINER_CREDENTIALS_FULL_URI 'http:\/\/127\.0\.0\.1:\d+\/profiles\/dev'$/m);
    const endpointToken = /AWS_CONTAINER_AUTHORIZATION_TOKEN '([^']+)'/.exec(h.clipboard.text)?.[1] ?? '';
    expect(endpointToken).not.toBe('');
    metSecrets.push({ what: 'the credential endpoint token', value: endpointToken });

    // Sign out: back to not verified.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('.status-pill').textContent()).toBe('Signed out');
    await expect.poll(() => page.locator('tbody.account.row-unverified').count()).toBe(5);
    expect(await page.locator('.expires-in').count()).toBe(0);

    // No secret in anything main sent to a page, nor in what any page showed.
    expect(emulator().issued.all().length).toBeGreaterThanOrEqual(5);
    expect(h.outputs.some((o) => o.kind === 'event' && o.event === 'mfa:prompt')).toBe(true);
    const outputs = JSON.stringify(h.outputs);
    expect(
      secrets()
        .filter((s) => outputs.includes(s.value))
        .map((s) => s.what),
      'secrets in contract outputs',
    ).toEqual([]);
    await expectNoSecretOn(h, 'any page');
    expect(h.closedPageTexts.length).toBeGreaterThan(0);
    expect(h.requestedUrls.filter((url) => !url.startsWith(`${h.rendererOrigin}/`))).toEqual([]);
    expect(h.errors).toEqual([]);
  }, 120_000);

  it('Esc in the popup cancels: the sign-in ends with a sentence in the main window', async () => {
    const h = await harness.start();
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);

    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await expect.poll(() => isFocused(popup.locator('#mfa-code'))).toBe(true);
    await popup.keyboard.press('Escape');
    await h.waitForPopupClosed();
    await page.locator('.header-errors').getByText('Sign-in cancelled: no MFA code was entered.').waitFor();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).waitFor();
    expect(h.service.state().session.signedIn).toBe(false);
    expect(h.outputs).toContainEqual({ kind: 'result', channel: 'session:sign-in', result: { ok: false, error: { code: 'mfa-cancelled', message: 'Sign-in cancelled: no MFA code was entered.' } } });
    expect(emulator().requests().filter((r) => r.action === 'GetSessionToken')).toEqual([]);
    expect(h.errors).toEqual([]);
  }, 60_000);

  it('bad input through the bridge is refused with a sentence and changes nothing', async () => {
    const h = await harness.start();
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();

    const writesBefore = h.settingsStore.writes.length;
    const result = await h.invokeFromPage(page, 'saveIdentity', { label: 'mine', accessKeyId: 'nope', secretAccessKey: 'x'.repeat(40), region: 'us-east-1' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(result.ok ? '' : result.error.message).toMatch(/^That request was not valid, so nothing was changed \(accessKeyId: An access key id starts with AKIA/);
    expect(await h.invokeFromPage(page, 'verifyAccounts', { profiles: ['../etc'] })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await h.invokeFromPage(page, 'updateSettings', { clipboardClearSeconds: 5 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    // The same through the form: the sentence shows where the user acted.
    await page.getByRole('button', { name: 'Add access key…' }).click();
    await page.getByLabel('Access key id').fill('nope');
    await page.getByLabel('Secret access key').fill('x'.repeat(40));
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.locator('.form-card [role="alert"]').getByText('An access key id starts with AKIA').waitFor();

    expect(h.service.state().identities).toEqual([]);
    expect(h.service.state().settings.clipboardClearSeconds).toBe(45);
    expect(h.settingsStore.writes).toHaveLength(writesBefore);
    expect(emulator().requests()).toEqual([]);
  });

  it('serves every page with the Content Security Policy, and no request leaves 127.0.0.1', async () => {
    const h = await harness.start();
    const page = h.mainPage();
    for (const window of ['main-window', 'mfa-popup'] as const) {
      const response = await page.goto(h.urlOf(window));
      expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(META_CONTENT_SECURITY_POLICY);
      // An injected inline script does not run.
      const ran = await page.evaluate(() => {
        const scope = globalThis as unknown as {
          document: { createElement(tag: string): { textContent: string }; head: { appendChild(node: unknown): void } };
          __inlineRan?: boolean;
        };
        const script = scope.document.createElement('script');
        script.textContent = 'globalThis.__inlineRan = true';
        scope.document.head.appendChild(script);
        return scope.__inlineRan === true;
      });
      expect(ran).toBe(false);
      // Refused twice: by the header's policy and by the meta tag's.
      await expect.poll(() => h.errors.length).toBe(2);
      expect(h.takeErrors().every((e) => e.includes("Executing inline script violates the following Content Security Policy directive 'script-src 'self''"))).toBe(true);
    }
    await page.goto(h.urlOf('main-window'));
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
    expect(h.requestedUrls.length).toBeGreaterThan(0);
    expect(h.requestedUrls.filter((url) => !url.startsWith(`${h.rendererOrigin}/`))).toEqual([]);
    expect(h.servedPaths.filter((path) => !/^\/(main-window|mfa-popup)\/index\.(html|js|css)$/.test(path))).toEqual([]);
  });

  it('a deactivated access key: what AWS said and what to do, once above the table; every row refers to it', async () => {
    const h = await harness.start();
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive');

    await page.getByRole('button', { name: 'Verify all' }).click();
    const popup = await h.waitForPopup();
    await popup.locator('#mfa-code').fill(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-error').count(), { timeout: 15_000 }).toBe(5);
    expect(await page.locator('.root-cause p').textContent()).toMatch(/^AWS does not know the access key AKIAWL6CCIORC6IWFMCG: it was deleted or deactivated/);
    expect(await page.getByText('AWS does not know the access key', { exact: false }).count()).toBe(1);
    expect(await row(page, 'prod').locator('.cause-ref').textContent()).toBe('See the problem above');
    await screenshot(h, page, 'main-window-error');
  }, 60_000);

  it('demo mode: the badge in the main window, the emulator code in the popup', async () => {
    const h = await harness.start({ demo: true });
    await setUpAlice(h);
    const page = h.mainPage();
    await page.getByText('Demo: talking to the local STS emulator').waitFor();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    const shown = currentCode(emulator(), alice.seed);
    await popup.locator('.demo-code').getByText('Demo only: code from the local STS emulator').waitFor();
    expect(await popup.locator('.demo-code-value').textContent()).toBe(shown);
    await screenshot(h, popup, 'mfa-popup-demo');
    // A wrong code in demo mode: the reason and the demo code both fit the small window.
    await popup.locator('#mfa-code').pressSequentially(wrongCode(emulator(), alice.seed));
    await popup.getByText('AWS rejected the MFA code.').waitFor();
    await expectFits(popup, 'the demo popup after a rejected code');
    expect(await popup.locator('.demo-code-value').textContent()).toBe(shown);
    await popup.locator('#mfa-code').pressSequentially(shown);
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
  }, 60_000);

  it('settings are saved through updateSettings: default shell, session length, clipboard delay, reminder, quick switcher shortcut, launch at login', async () => {
    const h = await harness.start();
    await setUpAlice(h);
    const page = h.mainPage();
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('Default shell for “Copy export”').selectOption('powershell');
    await page.getByLabel('MFA session duration (hours)').fill('40');
    await page.getByText('Choose between 0.25 (15 minutes) and 36 hours, as AWS allows.').waitFor();
    // Save says why it will not save, and pressing it leads to the field to fix.
    await page.getByText('Fix the MFA session duration to save.').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    expect(await page.getByLabel('MFA session duration (hours)').evaluate((el: { ownerDocument: { activeElement: unknown } }) => el.ownerDocument.activeElement === el)).toBe(true);
    await page.getByLabel('MFA session duration (hours)').fill('8.5');
    await page.getByLabel('Clear copied credentials after (seconds)').fill('30');
    await page.getByLabel('Remind me before the MFA session ends (minutes)').fill('15');
    // A shortcut no desktop can register is refused in the form, with what to write instead.
    await page.getByLabel('Quick switcher shortcut').fill('Shift+K');
    await page.getByText('A global shortcut needs Ctrl, Alt, Command or Super, or it would take that key from every app you type in.').waitFor();
    await page.getByText('Fix the quick switcher shortcut to save.').waitFor();
    await page.getByLabel('Quick switcher shortcut').fill('Ctrl+Shift+Space');
    await page.getByLabel('Launch at login').check();
    await page.getByLabel('Warn when the access key is older than (days)').fill('60');
    await page.getByLabel('Deactivate the old key instead of deleting it').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    // The first write is the credential endpoint remembering the free port it got.
    const port = h.service.state().endpoint.url?.split(':').at(-1);
    expect(h.settingsStore.writes.at(-1)).toEqual({
      defaultShell: 'powershell',
      mfaSessionMinutes: 510,
      clipboardClearSeconds: 30,
      launchAtLogin: true,
      endpointPort: Number(port),
      renewReminderMinutes: 15,
      quickSwitcherShortcut: 'Ctrl+Shift+Space',
      keyAgeWarningDays: 60,
      deactivateOldKey: true,
    });
    expect(h.loginItem.calls).toEqual([true]);
    expect(h.service.vaultAccess.vault.settings().mfaSessionSeconds).toBe(510 * 60);
    // The key hygiene settings live in the vault too (the command line's rotate reads them there).
    expect(h.service.vaultAccess.vault.settings()).toMatchObject({ keyAgeWarningDays: 60, deactivateOldKey: true });
    await screenshot(h, page, 'main-window-settings');

    // The accounts table now offers PowerShell first.
    await page.getByRole('tab', { name: /Accounts/ }).click();
    await row(page, 'dev').getByRole('button', { name: 'More actions for dev' }).click();
    expect(await page.getByRole('menuitemradio', { name: 'PowerShell' }).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape');
  });

  it('passphrase protection: choose a passphrase (typed twice), later unlock it; a wrong one is refused inline', async () => {
    const explanation = 'No keyring was found on this system, so a passphrase protects your keys.';
    const vaultDir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-locked-'));
    try {
      const first = await harness.start({ storage: { protection: 'passphrase', explanation }, vaultDir });
      let page = first.mainPage();
      await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
      expect(await page.getByText(explanation).count()).toBe(1);
      await page.getByLabel('New passphrase').fill('a long passphrase');
      await page.getByLabel('Type it again').fill('a different one!');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByText('The two passphrases are not the same; type them again.').waitFor();
      await page.getByLabel('Type it again').fill('a long passphrase');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
      expect(await page.getByText(explanation).count()).toBe(0);
      await first.close();

      // The next run: the vault exists, so it asks to unlock it.
      const second = await harness.start({ storage: { protection: 'passphrase', explanation }, vaultDir });
      page = second.mainPage();
      await page.getByRole('heading', { name: 'Unlock AWS Auth Tray' }).waitFor();
      await screenshot(second, page, 'main-window-locked');
      await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('alert').getByText('That passphrase does not unlock the vault.', { exact: false }).waitFor();
      expect(await page.getByLabel('Passphrase', { exact: true }).inputValue()).toBe('');
      await page.getByLabel('Passphrase', { exact: true }).fill('a long passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
    } finally {
      rmSync(vaultDir, { recursive: true, force: true });
    }
  });
});
