import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppHarness } from '../harness/app-harness.js';
import { isFocused, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { REFERENCE_AWS_CONFIG } from '../support/core-harness.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * Keyboard-only journeys through both windows (Tab, arrows, Enter, Escape, typing; no clicks),
 * with the focus asserted after every action: a person who cannot use a pointer is never left
 * on the page body, and every result is announced (role=status or role=alert).
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP keyboard journeys: ${skipReason}`);

const alice = identity(referenceFixture(), 'alice');

/** What has the focus, in words a failure message can show. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { tagName: string; id: string; textContent: string | null } | null } }).document.activeElement;
    if (!active) return 'nothing';
    return `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''} "${(active.textContent ?? '').trim().slice(0, 60)}"`;
  });
}


async function expectFocus(locator: Locator, page: Page, after: string): Promise<void> {
  await expect.poll(() => isFocused(locator), { message: `after ${after}, the focus is on ${await focused(page)}` }).toBe(true);
}

/** Presses Tab until the control has the focus (proving it is reachable by keyboard), at most `max` times. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${max} presses of Tab did not reach the control; the focus is on ${await focused(page)}`);
}

/** Goes to a tab of the tab bar with the arrow keys, as the tab pattern has it. */
async function arrowToTab(page: Page, name: RegExp): Promise<void> {
  await tabTo(page, page.getByRole('tab', { selected: true }));
  for (let i = 0; i < 4; i += 1) {
    if ((await page.getByRole('tab', { selected: true }).textContent())?.match(name)) break;
    await page.keyboard.press('ArrowRight');
  }
  await expectFocus(page.getByRole('tab', { name }), page, `arrowing to the ${String(name)} tab`);
}

describe.skipIf(skipReason !== undefined)(`keyboard-only journeys${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);
  const start = (): Promise<AppHarness> => harness.start();

  async function setUpAlice(h: AppHarness): Promise<void> {
    await h.service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
    await h.service.identities.importConfig(REFERENCE_AWS_CONFIG, false);
  }

  it('first run: add the access key, then import ~/.aws/config, by keyboard; the focus lands on each result', async () => {
    const h = await start();
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();

    const addKey = page.getByRole('button', { name: 'Add access key…' });
    await tabTo(page, addKey);
    await page.keyboard.press('Enter');
    // The form opens on its first field (Label, filled with "security").
    await expectFocus(page.getByLabel('Label', { exact: true }), page, 'Add access key…');
    await page.keyboard.press('Tab');
    await expectFocus(page.getByLabel('Region'), page, 'Tab from Label');
    await page.keyboard.press('Tab');
    await expectFocus(page.getByLabel('Access key id'), page, 'Tab from Region');
    await page.keyboard.type(alice.accessKeyId);
    await page.keyboard.press('Tab');
    await expectFocus(page.getByLabel('Secret access key'), page, 'Tab from the access key id');
    await page.keyboard.type(alice.secretAccessKey);
    await page.keyboard.press('Tab');
    await expectFocus(page.getByLabel('MFA device ARN'), page, 'Tab from the secret');
    await page.keyboard.type(alice.serialNumber);
    // Enter in a field submits; while AWS checks, the focus stays in the form.
    emulator().setLatency(300);
    await page.keyboard.press('Enter');
    await page.getByText('Checking with AWS…').first().waitFor();
    expect(await focused(page)).not.toMatch(/^body/);
    emulator().setLatency(0);
    // Saved: the form is gone, and the focus is on the confirmation (with "Show accounts" one Tab away).
    const saved = page.locator('#identity-saved');
    await expectFocus(saved, page, 'saving the identity');
    expect(await saved.getAttribute('role')).toBe('status');
    expect(await saved.textContent()).toContain(alice.arn);
    await page.keyboard.press('Tab');
    await expectFocus(saved.getByRole('button', { name: 'Show accounts' }), page, 'Tab from the confirmation');

    // Import: the Import tab by arrows, Choose file…, Import profiles; the focus goes to the result.
    await arrowToTab(page, /Import/);
    const choose = page.getByRole('button', { name: 'Choose file…' });
    await tabTo(page, choose);
    await page.keyboard.press('Enter');
    await page.locator('.file-path').getByText(REFERENCE_AWS_CONFIG).waitFor();
    await expectFocus(choose, page, 'choosing the file');
    const importButton = page.getByRole('button', { name: 'Import profiles' });
    await tabTo(page, importButton);
    await page.keyboard.press('Enter');
    const result = page.locator('#import-result');
    await expectFocus(result, page, 'importing');
    expect(await result.textContent()).toContain('4 profiles added: dev, stage, prod, shared-services');
  }, 60_000);

  it('sign in: too few digits are refused with a sentence, the field keeps the focus while AWS checks, and the focus lands on the session status', async () => {
    const h = await start();
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);

    const signIn = page.getByRole('button', { name: 'Sign in with MFA…' });
    await tabTo(page, signIn);
    await page.keyboard.press('Enter');
    const popup = await h.waitForPopup();
    const code = popup.locator('#mfa-code');
    await expectFocus(code, popup, 'opening the popup');
    // The popup has a heading and a main landmark.
    await popup.getByRole('heading', { name: 'AWS Auth Tray · MFA code' }).waitFor();
    expect(await popup.getByRole('main').count()).toBe(1);

    // Enter with three digits: a sentence, announced, and the field still focused.
    const next = currentCode(emulator(), alice.seed);
    await popup.keyboard.type(next.slice(0, 3));
    await popup.keyboard.press('Enter');
    const alert = popup.getByRole('alert');
    await alert.getByText('An MFA code has six digits; 3 are typed so far.').waitFor();
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await expectFocus(code, popup, 'Enter with three digits');
    expect(emulator().requests().filter((r) => r.action === 'GetSessionToken')).toEqual([]);

    // The last three digits: sent on the sixth; while AWS checks, the focus stays on the field.
    emulator().setLatency(1500);
    await popup.keyboard.type(next.slice(3));
    await popup.getByRole('status').getByText('Checking with AWS…').waitFor();
    await expectFocus(code, popup, 'the sixth digit (while AWS checks)');
    expect(await popup.getByText('Checking with AWS…').count()).toBe(1);
    emulator().setLatency(0);
    await h.waitForPopupClosed();

    // Back in the main window: the status, focused, says who is signed in and until when.
    const status = page.locator('#session-status');
    await expectFocus(status, page, 'signing in');
    await expect.poll(() => status.textContent()).toMatch(/^Signed in as alice · MFA session until/);
    expect(await status.getAttribute('role')).toBe('status');
    // Signed in: Verify all is the primary action now, Sign in again… a secondary one.
    expect(await page.getByRole('button', { name: 'Verify all' }).getAttribute('class')).toContain('btn-primary');
    expect(await page.getByRole('button', { name: 'Sign in again…' }).getAttribute('class')).toContain('btn-secondary');

    // Verify all by keyboard: the button keeps the focus while it works, and after.
    const verify = page.getByRole('button', { name: 'Verify all' });
    await tabTo(page, verify);
    emulator().setLatency(300);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Verifying…' }).waitFor();
    await expectFocus(page.locator('#header-verify'), page, 'Verify all (while verifying)');
    emulator().setLatency(0);
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    await expectFocus(page.locator('#header-verify'), page, 'Verify all (done)');

    // Sign out: the sign-in button takes the focus (Sign out itself goes grey).
    const signOut = page.getByRole('button', { name: 'Sign out' });
    await tabTo(page, signOut);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.status-pill').textContent()).toBe('Signed out');
    await expectFocus(page.getByRole('button', { name: 'Sign in with MFA…' }), page, 'signing out');
  }, 60_000);

  it('a popup left behind other windows is brought back from the main window; Esc in it cancels and the focus returns to Sign in', async () => {
    const h = await start();
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);

    await tabTo(page, page.getByRole('button', { name: 'Sign in with MFA…' }));
    await page.keyboard.press('Enter');
    const popup = await h.waitForPopup();
    await expectFocus(popup.locator('#mfa-code'), popup, 'opening the popup');

    // While the prompt waits, the main window offers to bring it to the front.
    const show = page.getByRole('button', { name: 'Show the MFA prompt' });
    await tabTo(page, show);
    const shownBefore = h.windowCalls.filter((c) => c === 'showMfaPopup').length;
    await page.keyboard.press('Enter');
    await expect.poll(() => h.windowCalls.filter((c) => c === 'showMfaPopup').length).toBe(shownBefore + 1);
    await expectFocus(show, page, 'Show the MFA prompt');
    expect(h.popup).toBe(popup);

    await popup.keyboard.press('Escape');
    await h.waitForPopupClosed();
    await page.locator('.header-errors').getByRole('alert').getByText('Sign-in cancelled: no MFA code was entered.').waitFor();
    await expectFocus(page.getByRole('button', { name: 'Sign in with MFA…' }), page, 'Esc in the popup');
    expect(await page.getByRole('button', { name: 'Show the MFA prompt' }).count()).toBe(0);
    // With no prompt waiting, the channel says so rather than opening an empty popup.
    expect(await h.invokeFromPage(page, 'showMfaPrompt')).toEqual({ ok: false, error: { code: 'mfa-no-prompt', message: 'No sign-in is waiting for an MFA code.' } });
  }, 60_000);

  it('remove an identity: the confirmation takes the focus, Esc closes it back to Remove…, confirming lands on what happened', async () => {
    const h = await start();
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);

    await arrowToTab(page, /Identity/);
    const remove = page.getByRole('button', { name: 'Remove…' });
    await tabTo(page, remove);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    await expectFocus(dialog.getByRole('button', { name: 'Cancel' }), page, 'Remove…');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expectFocus(remove, page, 'Esc in the confirmation');

    await page.keyboard.press('Enter');
    await expectFocus(dialog.getByRole('button', { name: 'Cancel' }), page, 'Remove… again');
    await page.keyboard.press('Tab');
    await expectFocus(dialog.getByRole('button', { name: 'Remove identity' }), page, 'Tab in the confirmation');
    await page.keyboard.press('Enter');
    const removed = page.locator('#identity-removed');
    await expectFocus(removed, page, 'confirming the removal');
    expect(await removed.textContent()).toBe('Removed security and its 5 profiles. Your ~/.aws files were not touched.');
    expect(h.service.state().identities).toEqual([]);
  }, 60_000);

  it('change a setting: an invalid value is an error tied to its field, Save says why and leads there; saved is announced and the focus stays on Save', async () => {
    const h = await start();
    await setUpAlice(h);
    const page = h.mainPage();
    await arrowToTab(page, /Settings/);
    const hours = page.getByLabel('MFA session duration (hours)');
    await tabTo(page, hours);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('40');
    // The error looks like one (role=alert, red) and is the field's description; the field is invalid.
    const error = page.locator('#settings-hours-hint');
    await error.getByText('Choose between 0.25 (15 minutes) and 36 hours, as AWS allows.').waitFor();
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await error.getAttribute('class')).toContain('field-error');
    expect(await hours.getAttribute('aria-invalid')).toBe('true');
    expect(await hours.getAttribute('aria-describedby')).toBe('settings-hours-hint');
    // Save is not greyed out without a reason: it says why, and pressing it leads to the field.
    const save = page.getByRole('button', { name: 'Save settings' });
    expect(await save.isDisabled()).toBe(false);
    await page.getByText('Fix the MFA session duration to save.').waitFor();
    expect(await save.getAttribute('aria-describedby')).toBe('settings-save-note');
    await tabTo(page, save);
    await page.keyboard.press('Enter');
    await expectFocus(hours, page, 'Save with an invalid value');
    const writes = h.settingsStore.writes.length;

    await page.keyboard.press('Control+A');
    await page.keyboard.type('8');
    await tabTo(page, save);
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Settings saved.').waitFor();
    await expectFocus(save, page, 'saving the settings');
    expect(h.settingsStore.writes.length).toBe(writes + 1);
    expect(h.service.state().settings.mfaSessionMinutes).toBe(480);
  }, 60_000);
});
