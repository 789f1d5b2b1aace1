import { mkdirSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppHarness } from '../harness/app-harness.js';
import { findChromium, launchChromium } from '../harness/chromium.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { manyAccounts, setUpManyAccounts } from '../support/many-accounts.js';
import { identity } from '../support/reference-fixture.js';

/**
 * The accounts table at scale, in Chromium against the app services and the STS emulator:
 * 50 member accounts (plus the two identities' own profiles) from a generated ~/.aws/config.
 * Search, sort, accounts needing attention first, grouping, favourites, full names, per-row
 * accessible names, a keyboard-only journey with focus asserted after every step, the live
 * region, and a failure shared by many rows shown once.
 *
 * Screenshots go to docs/screenshots (main-window-accounts-*.png) when UPDATE_SCREENSHOTS=1, or to
 * SCALE_SCREENSHOT_DIR to look at.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP accounts-at-scale tests: ${skipReason}`);

const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : process.env.SCALE_SCREENSHOT_DIR;
const SHOT_PREFIX = process.env.UPDATE_SCREENSHOTS === '1' ? 'main-window-' : '';
const many = manyAccounts(50);
const alice = identity(many.fixture, 'alice');
const bob = identity(many.fixture, 'bob');
/** The 50 member accounts plus the identities' own profiles (security, ops). */
const ROWS = 52;

function row(page: Page, profile: string): Locator {
  return page.locator(`tbody.account[data-profile="${profile}"]`);
}

/** The profiles in the order the table shows them (a row the search leaves out is hidden). */
function shownProfiles(page: Page): Promise<string[]> {
  return page.locator('tbody.account:not([hidden])').evaluateAll((rows: PageElement[]) => rows.map((r) => r.getAttribute('data-profile') ?? ''));
}

/** What the functions run in the page use of the DOM (the tests compile without the DOM library). */
interface PageElement {
  id: string;
  tabIndex: number;
  textContent: string | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  closest(selector: string): PageElement | null;
  cloneNode(deep: boolean): PageElement;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): { height: number };
  remove(): void;
}
interface PageDocument {
  activeElement: PageElement | null;
  body: PageElement;
  querySelector(selector: string): PageElement | null;
}

/** The name of the focused element as its label gives it (aria-label, label[for], a wrapping label, or its text). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const el = doc.activeElement;
    if (!el || el === doc.body) return 'body';
    const text = (node: PageElement): string => {
      const copy = node.cloneNode(true);
      for (const inner of Array.from(copy.querySelectorAll('select, option, input, [aria-hidden="true"]'))) inner.remove();
      return copy.textContent ?? '';
    };
    const forLabel = el.id ? doc.querySelector(`label[for="${el.id}"]`) : null;
    const wrapping = el.closest('label');
    const name = el.getAttribute('aria-label') ?? text(forLabel ?? wrapping ?? el);
    return name.replace(/\s+/g, ' ').trim();
  });
}

describe.skipIf(skipReason !== undefined)(`the accounts table at scale${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator(() => many.fixture);
  let browser: Browser;
  let harness: AppHarness | undefined;
  let stopAnswering: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if ('path' in chromiumLookup) browser = await launchChromium(chromiumLookup.path);
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });

  afterEach(async () => {
    await stopAnswering?.();
    stopAnswering = undefined;
    const errors = harness?.takeErrors() ?? [];
    await harness?.close();
    harness = undefined;
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function start(colorScheme: 'light' | 'dark' = 'light'): Promise<{ h: AppHarness; page: Page }> {
    harness = await AppHarness.start({ emulator: emulator(), browser, colorScheme });
    await setUpManyAccounts(harness, many);
    const page = harness.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(ROWS);
    return { h: harness, page };
  }

  /**
   * The person at the MFA device: answers each prompt (alice's or bob's) with the device's next
   * code, through the contract's mfa:submit as the popup does (the popup itself is tested in
   * renderer-app.test.ts), until the test ends.
   */
  function answerPrompts(h: AppHarness): void {
    const answered = new Set<string>();
    const answer = (): void => {
      const view = h.service.mfa.current();
      if (!view || view.status !== 'waiting' || answered.has(view.requestId)) return;
      answered.add(view.requestId);
      const seed = view.mfaSerial === bob.serialNumber ? bob.seed : alice.seed;
      emulator().clock.advance(30_000); // each code works once: the device's next one
      h.service.mfa.submit(view.requestId, currentCode(emulator(), seed));
    };
    const off = h.service.mfa.onChange(() => setTimeout(answer, 0));
    answer();
    stopAnswering = () => {
      off();
      return Promise.resolve();
    };
  }

  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    // No secret in what is shot: the users' secret keys, and every session the emulator issued.
    const secrets = [...many.fixture.users.flatMap((u) => u.accessKeys.map((k) => k.secretAccessKey)), ...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken])];
    const shown = JSON.stringify(await harness?.pageTexts());
    expect(secrets.filter((s) => shown.includes(s))).toEqual([]);
    await page.mouse.move(1, 1);
    await page.screenshot({ path: `${SHOTS}/${SHOT_PREFIX}${name}.png`, fullPage: false, animations: 'disabled' });
  }

  it('shows every full profile name, and each row names its controls after its account', async () => {
    const { page } = await start();
    await shot(page, 'accounts-50');

    // At the minimum window size and at 200% zoom (half the CSS width), nothing scrolls sideways.
    for (const [name, size] of [
      ['accounts-min-size', { width: 760, height: 480 }],
      ['accounts-zoom-200', { width: 520, height: 340 }],
    ] as const) {
      await page.setViewportSize(size);
      await shot(page, name);
      expect(await page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: PageElement } }).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      }), name).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1040, height: 680 });

    // Names wrap, never cut: the long ones are whole and nothing overflows its cell.
    const long = 'acme-customer-identity-and-access-management-prod';
    const name = row(page, long).locator('.profile-name');
    await name.scrollIntoViewIfNeeded();
    expect(await name.textContent()).toBe(long);
    expect(await name.evaluate((el: PageElement) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().height > 0)).toBe(true);
    expect(await row(page, 'acme-payments-prod').locator('.profile-name').textContent()).toBe('acme-payments-prod');
    expect(await row(page, 'acme-payments-staging').locator('.profile-name').textContent()).toBe('acme-payments-staging');
    // The tooltip names the profile first, then its role.
    expect(await row(page, 'acme-payments-prod').locator('.profile-name').getAttribute('title')).toBe(
      'acme-payments-prod\nAssumes arn:aws:iam::200000000001:role/engineer\nIdentity security · group payments',
    );

    // Per-row controls are named per account; each row has three tab stops (copy, console, menu).
    await page.getByRole('button', { name: 'Copy export for acme-payments-prod', exact: true }).waitFor();
    await page.getByRole('button', { name: 'More actions for acme-payments-staging', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: /^Copy export for / }).count()).toBe(ROWS);
    const tabStops = await row(page, 'acme-payments-prod').evaluate((tbody: PageElement) => Array.from(tbody.querySelectorAll('button, a[href], input, select')).filter((el) => el.tabIndex >= 0).length);
    expect(tabStops).toBe(3);
    await page.getByRole('button', { name: 'Open console for acme-payments-prod', exact: true }).waitFor();

    // The skip link: Enter jumps past every row; the next Tab leaves the table behind.
    await page.getByRole('link', { name: `Skip the list of ${ROWS} accounts` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.activeElement?.id)).toBe('accounts-end');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('Back to search');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
  }, 60_000);

  it('searches by name, account id, role and group; / and Ctrl+F focus the search, Esc clears it', async () => {
    const { page } = await start();
    const search = page.getByRole('searchbox', { name: 'Search accounts' });

    await page.locator('body').press('/');
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
    await page.keyboard.type('payments-sta');
    await expect.poll(() => shownProfiles(page)).toEqual(['acme-payments-staging']);
    expect(await page.locator('#account-search-count').textContent()).toBe(`1 of ${ROWS} shown`);
    await shot(page, 'accounts-search');

    // By account id (the member accounts are 200000000001 onwards).
    await search.fill('200000000013');
    await expect.poll(() => shownProfiles(page)).toEqual(['acme-payments-staging']);
    // By role name (with its path) and by a word of the ARN.
    await search.fill('deployer');
    const deployers = many.accounts.filter((a) => a.roleArn.endsWith('/deployer')).map((a) => a.name);
    await expect.poll(async () => (await shownProfiles(page)).sort()).toEqual([...deployers].sort());
    // Two words: both must match.
    await search.fill('data-platform prod');
    await expect.poll(async () => (await shownProfiles(page)).sort()).toEqual(['acme-data-platform-prod', 'acme-data-platform-prod-2']);
    // By group (aws_auth_tray_group = data in the config).
    await search.fill('data');
    const data = many.accounts.filter((a) => a.group === 'data' || a.name.includes('data')).map((a) => a.name);
    await expect.poll(async () => (await shownProfiles(page)).sort()).toEqual([...data].sort());
    // No match says so, and how to get back.
    await search.fill('no-such-account');
    await page.getByText('No account matches “no-such-account”.', { exact: false }).waitFor();

    // Esc clears, focus stays in the search box.
    await search.press('Escape');
    await expect.poll(async () => (await shownProfiles(page)).length).toBe(ROWS);
    await expect.poll(() => focusedName(page)).toBe('Search accounts');

    // Ctrl+F from anywhere (here: a row's button) comes back to the search box.
    await page.getByRole('button', { name: 'Copy export for acme-billing-dev', exact: true }).focus();
    await page.keyboard.press('Control+f');
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
  }, 60_000);

  it("finds an account by its AWS account alias alone, once verifying has learned it (IAM ListAccountAliases), in the window and the quick switcher", async () => {
    const { h, page } = await start();
    answerPrompts(h);
    const search = page.getByRole('searchbox', { name: 'Search accounts' });
    const target = many.accounts.find((a) => a.name === 'acme-logistics-staging') ?? expect.fail('no acme-logistics-staging');
    const long = many.accounts.find((a) => a.name === 'acme-customer-identity-and-access-management-prod') ?? expect.fail('no long profile');
    // The alias (environment first) is nothing the profile's name, id, role or group says.
    expect(target.alias).toBe('acme-staging-logistics');
    await search.fill(target.alias);
    await page.getByText(`No account matches “${target.alias}”.`, { exact: false }).waitFor({ timeout: 10_000 });
    await search.fill('');

    // Verifying the two accounts learns their aliases with their role sessions, one IAM call each.
    await h.service.sessions.verify([target.name, long.name]);
    expect(emulator().requests({ service: 'iam' }).map((r) => [r.action, r.outcome])).toEqual([
      ['ListAccountAliases', 'Success'],
      ['ListAccountAliases', 'Success'],
    ]);
    // Shown beside the account id, small, named for screen readers.
    await expect.poll(() => row(page, target.name).locator('.account-alias').textContent(), { timeout: 10_000 }).toBe(`Alias ${target.alias}`);
    expect(await row(page, target.name).locator('.account-id').textContent()).toBe(target.accountId);
    expect(await row(page, 'acme-payments-prod').locator('.account-alias').count()).toBe(0);

    // The search finds it by its alias alone, whole or in part.
    await search.fill(target.alias);
    await expect.poll(() => shownProfiles(page), { timeout: 10_000 }).toEqual([target.name]);
    await search.fill('staging-logistics');
    await expect.poll(() => shownProfiles(page), { timeout: 10_000 }).toEqual([target.name]);
    await search.fill(long.alias);
    await expect.poll(() => shownProfiles(page), { timeout: 10_000 }).toEqual([long.name]);
    await search.fill('');

    // The longest alias wraps in its cell: nothing scrolls sideways at the minimum size or at 200%.
    for (const size of [
      { width: 760, height: 480 },
      { width: 520, height: 340 },
    ]) {
      await page.setViewportSize(size);
      await row(page, long.name).scrollIntoViewIfNeeded();
      expect(
        await page.evaluate(() => {
          const root = (globalThis as unknown as { document: { documentElement: PageElement } }).document.documentElement;
          return root.scrollWidth - root.clientWidth;
        }),
      ).toBeLessThanOrEqual(0);
      expect(await row(page, long.name).locator('.account-alias').evaluate((el: PageElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
    await page.setViewportSize({ width: 1040, height: 680 });

    // The quick switcher ranks by it too, and shows it beside the account id.
    const switcher = await h.openQuickSwitcher();
    const field = switcher.getByRole('combobox', { name: 'Find an account' });
    await expect.poll(() => field.evaluate((el: PageElement) => el === (globalThis as unknown as { document: PageDocument }).document.activeElement), { timeout: 10_000 }).toBe(true);
    await switcher.keyboard.type('staging-logistics');
    await expect.poll(async () => (await switcher.locator('[role="option"] .switcher-name').allTextContents()).map((n) => n.trim()), { timeout: 10_000 }).toEqual([target.name]);
    expect(await switcher.locator('[role="option"] .switcher-detail').first().textContent()).toBe(`${target.accountId} · ${target.alias}`);
  }, 90_000);

  it('the tray\'s "All accounts…": the window shows the accounts tab with the focus in the search box, from any tab', async () => {
    const { h, page } = await start();
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    h.focusSearch();
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
    expect(await page.getByRole('tab', { name: /Accounts/ }).getAttribute('aria-selected')).toBe('true');
    // Again, with the search already focused once and the hash already #search.
    await page.getByRole('tab', { name: /Identity/ }).click();
    h.focusSearch();
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
  }, 60_000);

  it('sorts by name and account, groups by identity and by group, and pins favourites on top', async () => {
    const { h, page } = await start();
    const names = [...many.profiles, 'security', 'ops'];

    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    await expect.poll(() => shownProfiles(page)).toEqual([...names].sort(collator.compare));
    await page.getByLabel('Sort by').selectOption('account');
    // The identities' own profiles are in the security account (111111111111): first.
    await expect.poll(async () => (await shownProfiles(page)).slice(0, 4)).toEqual(['ops', 'security', 'acme-payments-prod', 'acme-data-platform-prod']);
    await page.getByLabel('Sort by').selectOption('name');

    // Grouping by identity: one section per identity.
    await page.getByLabel('Group by').selectOption('identity');
    expect(await page.locator('tbody.group-head th').allTextContents()).toEqual(['Identity ops · 11', 'Identity security · 41']);
    await shot(page, 'accounts-grouped-identity');

    // Grouping by the group the config gave (aws_auth_tray_group), the rest last.
    await page.getByLabel('Group by').selectOption('group');
    const inGroup = (g: string) => many.accounts.filter((a) => a.group === g).length;
    expect(await page.locator('tbody.group-head th').allTextContents()).toEqual([`data · ${inGroup('data')}`, `payments · ${inGroup('payments')}`, `No group · ${ROWS - inGroup('data') - inGroup('payments')}`]);

    // Set a group from the row menu, by keyboard: the field takes focus, Enter saves, focus returns to the menu button.
    const menuButton = page.getByRole('button', { name: 'More actions for acme-search-prod', exact: true });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await shot(page, 'accounts-row-menu');
    await page.keyboard.press('End');
    await expect.poll(() => focusedName(page)).toBe('Set group…');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('Group for acme-search-prod');
    await page.keyboard.type('search team');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('tbody.group-head th').allTextContents()).toContain('search team · 1');
    await expect.poll(() => menuButton.evaluate((el: PageElement) => el === (globalThis as unknown as { document: PageDocument }).document.activeElement)).toBe(true);
    expect(h.service.state().profiles.find((p) => p.name === 'acme-search-prod')?.group).toBe('search team');
    await shot(page, 'accounts-grouped');

    // A favourite, from the menu: pinned in its own section on top, and stored.
    await page.getByRole('button', { name: 'More actions for acme-networking-sandbox', exact: true }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Favourite' }).click();
    await expect.poll(async () => (await shownProfiles(page))[0]).toBe('acme-networking-sandbox');
    expect(await page.locator('tbody.group-head th').first().textContent()).toBe('Favourites · 1');
    expect(h.service.state().profiles.find((p) => p.name === 'acme-networking-sandbox')?.favourite).toBe(true);
    await page.getByLabel('Group by').selectOption('none');
    await expect.poll(async () => (await shownProfiles(page))[0]).toBe('acme-networking-sandbox');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator('.accounts-panel h2').scrollIntoViewIfNeeded();
    await shot(page, 'accounts-dark');
  }, 60_000);

  it('keyboard only: find an account, copy its export, open its console, verify it; focus is where the person is after every step, and the verdict is announced', async () => {
    const { h, page } = await start();
    answerPrompts(h);
    const announcer = page.getByTestId('accounts-announcer');

    // Find it: / then a few letters.
    await page.locator('body').press('/');
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
    await page.keyboard.type('logistics-stag');
    await expect.poll(() => shownProfiles(page)).toEqual(['acme-logistics-staging']);
    await expect.poll(() => focusedName(page)).toBe('Search accounts');

    // Tab past the toolbar and the skip link to the row's primary action.
    const stops: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await focusedName(page));
      if (stops.at(-1) === 'Copy export for acme-logistics-staging') break;
    }
    expect(stops).toEqual(['Sort by', 'Group by', 'Needing attention first', `Skip the list of ${ROWS} accounts`, 'Copy export for acme-logistics-staging']);

    // Copy its export: signed out, so the MFA prompt comes first; focus stays on the button.
    await page.keyboard.press('Enter');
    await page.getByText('Copied export commands for acme-logistics-staging (bash).', { exact: false }).waitFor({ timeout: 15_000 });
    expect(h.clipboard.text).toMatch(/^export AWS_ACCESS_KEY_ID=/m);
    await expect.poll(() => focusedName(page)).toBe('Copy export for acme-logistics-staging');

    // Verify it from the row menu: opening puts focus on the first item; typing V goes to Verify.
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('Open console for acme-logistics-staging');

    // Open its console: the sign-in link goes to the browser (never to the page); focus stays.
    await page.keyboard.press('Enter');
    await page.getByText('Opened the AWS console for acme-logistics-staging in your browser.').waitFor({ timeout: 15_000 });
    expect(h.externalUrl.opened).toHaveLength(1);
    const signInUrl = h.externalUrl.opened[0] ?? '';
    expect(JSON.stringify(await h.pageTexts())).not.toContain(signInUrl);
    await expect.poll(() => focusedName(page)).toBe('Open console for acme-logistics-staging');
    await page.keyboard.press('Tab');
    await expect.poll(() => focusedName(page)).toBe('More actions for acme-logistics-staging');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('bash');
    await page.keyboard.press('v');
    await expect.poll(() => focusedName(page)).toBe('Verify acme-logistics-staging');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedName(page)).toBe('More actions for acme-logistics-staging');
    await expect.poll(() => row(page, 'acme-logistics-staging').locator('.verdict').textContent(), { timeout: 15_000 }).toBe('Verified');
    await expect.poll(() => announcer.textContent()).toBe('acme-logistics-staging: verified.');
    await expect.poll(() => focusedName(page)).toBe('More actions for acme-logistics-staging');

    // The menu closes with Esc and gives focus back to its button.
    await page.keyboard.press('ArrowDown');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
    await expect.poll(() => focusedName(page)).toBe('More actions for acme-logistics-staging');

    // Back to every account: / then Esc clears the search.
    await page.keyboard.press('/');
    await expect.poll(() => focusedName(page)).toBe('Search accounts');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await shownProfiles(page)).length).toBe(ROWS);

    // Verify all: the summary is announced once, when the run ends.
    await page.getByRole('button', { name: 'Verify all' }).click();
    await expect.poll(() => announcer.textContent(), { timeout: 30_000 }).toBe(`Verification finished: ${ROWS} accounts · ${ROWS} verified.`);
    expect(await page.locator('tbody.account.row-ok').count()).toBe(ROWS);
  }, 90_000);

  it('a deactivated key: the problem and its fix once above the table, its rows first and referring to it', async () => {
    const { h, page } = await start();
    answerPrompts(h);
    emulator().setAccessKeyStatus(bob.accessKeyId, 'Inactive');

    await page.getByRole('button', { name: 'Verify all' }).click();
    await expect.poll(() => page.locator('tbody.account.row-error').count(), { timeout: 30_000 }).toBe(11);
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 30_000 }).toBe(ROWS - 11);

    // Once: one banner with the sentence and the fix; the sentence appears nowhere else.
    const banner = page.locator('.root-cause');
    await expect.poll(() => banner.count()).toBe(1);
    expect(await banner.locator('h3').textContent()).toBe('AWS refuses the access key (identity ops): 11 accounts affected');
    expect(await banner.locator('p').textContent()).toContain(`AWS does not know the access key ${bob.accessKeyId}`);
    expect(await banner.locator('p').textContent()).toContain('Create a new access key in IAM and update the identity.');
    expect(await page.getByText(`AWS does not know the access key ${bob.accessKeyId}`, { exact: false }).count()).toBe(1);

    // Each affected row refers to it, and comes first (accounts needing attention first).
    const failing = many.accounts.filter((a) => a.identity === 'ops').map((a) => a.name);
    await expect.poll(async () => (await shownProfiles(page)).slice(0, 11).sort()).toEqual([...failing, 'ops'].sort());
    for (const profile of failing.slice(0, 3)) {
      expect(await row(page, profile).locator('.cause-ref').textContent()).toBe('See the problem above');
      expect(await row(page, profile).locator('.reason').count()).toBe(0);
    }
    expect(await page.getByRole('link', { name: 'See the problem above' }).count()).toBe(11);
    await shot(page, 'accounts-root-cause');

    // An action's error replaces the toast, and is said once: a copy that works shows its toast;
    // a copy that fails for the problem above takes its place with one line in its row.
    await page.getByRole('button', { name: 'Copy export for acme-payments-prod', exact: true }).click();
    await page.locator('.toast').getByText('Copied export commands for acme-payments-prod (bash).', { exact: false }).waitFor();
    const failingRow = failing[0] ?? '';
    await page.getByRole('button', { name: `Copy export for ${failingRow}`, exact: true }).click();
    await row(page, failingRow).locator('.action-error').waitFor({ timeout: 15_000 });
    expect(await row(page, failingRow).locator('.action-error').textContent()).toBe('That did not work, because of the problem above.');
    expect(await page.locator('.toast').count()).toBe(0);
    expect(await page.getByText(`AWS does not know the access key ${bob.accessKeyId}`, { exact: false }).count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(1);

    // The fix is one step away: the identity's access key, opened for editing.
    await banner.getByRole('button', { name: 'Update the access key of ops…' }).click();
    await page.getByLabel('Access key id').waitFor();
    expect(await page.getByLabel('Access key id').inputValue()).toBe(bob.accessKeyId);
    await page.getByRole('tab', { name: /Accounts/ }).click();

    // Turning "needing attention first" off puts them back in name order.
    await page.getByLabel('Needing attention first').uncheck();
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    await expect.poll(() => shownProfiles(page)).toEqual([...many.profiles, 'security', 'ops'].sort(collator.compare));
  }, 90_000);
});
