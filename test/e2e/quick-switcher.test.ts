import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { AppHarness } from '../harness/app-harness.js';
import { isFocused, setUpAlice, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * The quick switcher, as the global shortcut opens it, driven by the keyboard alone in Chromium
 * against the real app services and the STS emulator: find an account by a few letters, its
 * account id or its role; Enter copies its export; Ctrl+O opens its console; Ctrl+Enter verifies
 * it; Esc clears, then closes. Focus stays in the field throughout.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP quick switcher tests: ${skipReason}`);

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const alice = identity(referenceFixture(), 'alice');

describe.skipIf(skipReason !== undefined)(`the quick switcher${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  /** alice signed in (one code in the popup), every account verified. */
  async function signedIn(colorScheme: 'light' | 'dark' = 'light'): Promise<AppHarness> {
    const h = await harness.start({ colorScheme });
    await setUpAlice(h);
    const signing = h.service.sessions.signIn();
    const popup = await h.waitForPopup();
    await popup.locator('#mfa-code').fill(currentCode(emulator(), alice.seed));
    await signing;
    await h.waitForPopupClosed();
    return h;
  }

  const field = (page: Page) => page.getByRole('combobox', { name: 'Find an account' });
  const options = (page: Page) => page.getByRole('option');
  const selected = (page: Page) => page.locator('[role="option"][aria-selected="true"] .switcher-name');

  /** Types like a person, one key at a time, into the field (which has the focus as soon as the switcher shows). */
  async function type(page: Page, text: string): Promise<void> {
    await expect.poll(() => isFocused(field(page))).toBe(true);
    await page.keyboard.type(text);
  }

  it('a few letters and Enter: the export commands of that account are on the clipboard, and the switcher closes', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    await expect.poll(() => isFocused(field(page))).toBe(true);
    await expect.poll(() => options(page).count()).toBe(5);

    await type(page, 'stag');
    await expect.poll(() => options(page).count()).toBe(1);
    expect(await selected(page).textContent()).toBe('stage');
    expect(await field(page).getAttribute('aria-activedescendant')).toBe('switcher-option-stage');
    await page.keyboard.press('Enter');

    await expect.poll(() => h.windowCalls.at(-1)).toBe('hideQuickSwitcher');
    expect(await h.quickSwitcher()).toBeUndefined();
    const stage = emulator().issued.all().find((c) => h.clipboard.text.includes(c.accessKeyId));
    expect(stage?.principal.kind === 'role-session' ? stage.principal.role.arn : undefined).toBe('arn:aws:iam::333333333333:role/engineer');
    expect(h.clipboard.text).toMatch(/^export AWS_ACCESS_KEY_ID=/m);
    // The page never showed a secret, though the clipboard holds them.
    const shown = JSON.stringify(await h.pageTexts());
    expect(shown).not.toContain(stage?.secretAccessKey);
    expect(shown).not.toContain(stage?.sessionToken);
  }, 60_000);

  it('ranks as a launcher does: name prefix, then word starts, then letters in order; account ids and roles find accounts too', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    const names = async () => (await page.locator('[role="option"] .switcher-name').allTextContents()).map((n) => n.trim());

    await type(page, 's');
    await expect.poll(names).toEqual(['stage', 'security', 'shared-services']);
    await page.keyboard.press('Escape');
    expect(await field(page).inputValue()).toBe('');

    await type(page, 'serv');
    await expect.poll(names).toEqual(['shared-services']);
    await field(page).fill('');
    await type(page, 'prd');
    await expect.poll(names).toEqual(['prod']);
    await field(page).fill('');
    await type(page, '4444');
    await expect.poll(names).toEqual(['prod']);
    await field(page).fill('');
    await type(page, 'deployer');
    await expect.poll(names).toEqual(['shared-services']);
    await field(page).fill('');
    await type(page, 'zzz');
    await page.getByText('No account matches “zzz”.').waitFor();
    expect(await field(page).getAttribute('aria-expanded')).toBe('false');
  }, 60_000);

  it('the arrows move the choice and wrap around; the field keeps the focus', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    await type(page, 's');
    await expect.poll(() => selected(page).textContent()).toBe('stage');
    await page.keyboard.press('ArrowDown');
    expect(await selected(page).textContent()).toBe('security');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await selected(page).textContent()).toBe('shared-services');
    expect(await isFocused(field(page))).toBe(true);
  }, 60_000);

  it('Ctrl+Enter verifies the account and says who it is, without closing', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    const before = emulator().requests({ action: 'GetCallerIdentity' }).length;
    await type(page, 'dev');
    await page.keyboard.press('Control+Enter');
    await page.getByRole('status').getByText('dev is verified: arn:aws:sts::222222222222:assumed-role/engineer/alice').waitFor();
    expect(emulator().requests({ action: 'GetCallerIdentity' }).length).toBe(before + 1);
    expect(await h.quickSwitcher()).toBe(page);
    expect(await isFocused(field(page))).toBe(true);
  }, 60_000);

  it('Ctrl+O opens the account\'s AWS console in the browser, and the sign-in link never reaches the page', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    await type(page, 'prod');
    await page.keyboard.press('Control+o');
    await expect.poll(() => h.windowCalls.at(-1)).toBe('hideQuickSwitcher');
    expect(h.externalUrl.opened).toHaveLength(1);
    const url = h.externalUrl.opened[0] ?? '';
    expect(JSON.stringify(await h.pageTexts())).not.toContain(new URL(url).searchParams.get('SigninToken') ?? url);
    expect(JSON.stringify(h.outputs)).not.toContain(url);
  }, 60_000);

  it('Esc with an empty field closes the switcher; an error is said in the switcher, not swallowed', async () => {
    const h = await signedIn();
    const page = await h.openQuickSwitcher();
    await type(page, 'dev');
    // STS fails every GetCallerIdentity: dev's verification fails, and the switcher says why.
    emulator().injectFault({ kind: 'internal-failure', count: 10, action: 'GetCallerIdentity' });
    await page.keyboard.press('Control+Enter');
    await page.getByRole('alert').getByText(/AWS STS/).waitFor();
    expect(await isFocused(field(page))).toBe(true);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => h.windowCalls.at(-1)).toBe('hideQuickSwitcher');
  }, 60_000);

  it.each(['light', 'dark'] as const)('looks right (%s)', async (scheme) => {
    const h = await signedIn(scheme);
    const page = await h.openQuickSwitcher();
    await type(page, 'e');
    await expect.poll(() => options(page).count()).toBeGreaterThan(1);
    // Nothing secret in what is shot: alice's key, or any session the emulator issued.
    const shown = JSON.stringify(await h.pageTexts());
    const secrets = [alice.secretAccessKey, ...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken])];
    expect(secrets.filter((s) => shown.includes(s))).toEqual([]);
    await page.mouse.move(1, 1);
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBe(0);
    const png = await page.screenshot({ animations: 'disabled' });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, `quick-switcher${scheme === 'dark' ? '-dark' : ''}.png`), png);
    }
    if (process.env.SCREENSHOT_DIR) writeFileSync(join(process.env.SCREENSHOT_DIR, `quick-switcher-${scheme}.png`), png);
  }, 60_000);
});
