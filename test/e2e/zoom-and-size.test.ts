import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { POPUP_SIZE } from '../../main/windows/popup-position.js';
import { popupWindowSize } from '../../main/windows/popup-size.js';
import { MAIN_WINDOW_SIZE } from '../harness/app-harness.js';
import { useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { REFERENCE_AWS_CONFIG } from '../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * Both windows at 200% page zoom and at the main window's minimum size (760 x 480): nothing
 * scrolls sideways, the header's items do not overlap, and the popup's title, identity, code field
 * and buttons are all reachable.
 *
 * 200% is emulated as Chromium's page zoom (Ctrl/Cmd + =) behaves: the page lays out in a CSS
 * viewport half the window's size at a device pixel ratio of 2 (window.innerWidth halves,
 * devicePixelRatio and media queries follow), set with the DevTools protocol's device metrics
 * override. CSS `zoom: 2` on the root would not do: it leaves the viewport, `vh` units and media
 * queries at 100%, which is not what a person zooming sees.
 *
 * Screenshots go to /tmp/helper-c when SHOW_ZOOM_SCREENSHOTS=1 (to look at; never to docs/).
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP zoom and size tests: ${skipReason}`);

const SHOTS = process.env.SHOW_ZOOM_SCREENSHOTS === '1' ? (process.env.ZOOM_SCREENSHOT_DIR ?? '/tmp/helper-c') : undefined;
const MIN_SIZE = { width: 760, height: 480 } as const;
const alice = identity(referenceFixture(), 'alice');

/** One DevTools session per page: an override lasts only as long as the session that set it. */
const sessions = new WeakMap<Page, CDPSession>();

/** The window's page at a zoom: its CSS viewport is the window's size divided by the zoom. */
async function zoomTo(page: Page, window: { width: number; height: number }, zoom: number): Promise<void> {
  const cdp = sessions.get(page) ?? (await page.context().newCDPSession(page));
  sessions.set(page, cdp);
  const viewport = { width: Math.floor(window.width / zoom), height: Math.floor(window.height / zoom) };
  await cdp.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: zoom, mobile: false });
  // The page lays out in the zoomed viewport before anything is measured.
  await expect
    .poll(() =>
      page.evaluate(() => {
        const scope = globalThis as unknown as { innerWidth: number; devicePixelRatio: number };
        return [scope.innerWidth, scope.devicePixelRatio];
      }),
    )
    .toEqual([viewport.width, zoom]);
}

interface Layout {
  sideways: number;
  overlaps: string[];
  outside: string[];
}

/** Sideways overflow of the page, and pairs of header items that overlap or leave the window. */
function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    interface Box {
      left: number;
      right: number;
      top: number;
      bottom: number;
      width: number;
      height: number;
    }
    interface El {
      getBoundingClientRect(): Box;
      textContent: string | null;
      className: string;
    }
    const scope = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): ArrayLike<El> } };
    const doc = scope.document;
    const items = Array.from(doc.querySelectorAll('.header .brand-name, .header .demo-badge, .header .status-pill, .header .header-actions .btn, .header .header-note .btn, .tabs .tab'))
      .map((el) => ({ name: `${el.className.split(' ')[0]} "${(el.textContent ?? '').trim().slice(0, 30)}"`, box: el.getBoundingClientRect() }))
      .filter((i) => i.box.width > 0 && i.box.height > 0);
    const overlaps: string[] = [];
    for (let a = 0; a < items.length; a += 1) {
      for (let b = a + 1; b < items.length; b += 1) {
        const p = items[a];
        const q = items[b];
        if (!p || !q) continue;
        const x = Math.min(p.box.right, q.box.right) - Math.max(p.box.left, q.box.left);
        const y = Math.min(p.box.bottom, q.box.bottom) - Math.max(p.box.top, q.box.top);
        if (x > 0.5 && y > 0.5) overlaps.push(`${p.name} × ${q.name}`);
      }
    }
    const outside = items.filter((i) => i.box.left < 0 || i.box.right > scope.innerWidth + 0.5).map((i) => i.name);
    return { sideways: Math.max(0, doc.documentElement.scrollWidth - doc.documentElement.clientWidth), overlaps, outside };
  });
}

/** Each of the popup's parts can be scrolled into view and is then inside the window, and none is cut sideways. */
async function popupReachable(page: Page): Promise<string[]> {
  const problems: string[] = [];
  for (const selector of ['.titlebar-title', '.purpose', '.who-facts', '#mfa-code', '.popup-actions']) {
    const part = page.locator(selector);
    await part.scrollIntoViewIfNeeded();
    const fits = await part.evaluate((el: { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number } }) => {
      const box = el.getBoundingClientRect();
      const scope = globalThis as unknown as { innerWidth: number; innerHeight: number };
      // Taller than the window: reachable when scrolling brings its top into view (the rest follows as it scrolls).
      const vertical = box.bottom - box.top > scope.innerHeight ? box.top >= -0.5 && box.top < scope.innerHeight : box.top >= -0.5 && box.bottom <= scope.innerHeight + 0.5;
      return vertical && box.left >= -0.5 && box.right <= scope.innerWidth + 0.5;
    });
    if (!fits) problems.push(selector);
  }
  return problems;
}

describe.skipIf(skipReason !== undefined)(`both windows at 200% zoom and at the minimum size${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  // Chromium per suite, a harness per test; a test fails when a page threw, logged an error or met a CSP refusal.
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  beforeAll(() => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });

  async function check(page: Page, where: string): Promise<void> {
    await page.mouse.move(1, 1);
    const layout = await measure(page);
    expect(layout, `layout of ${where}`).toEqual({ sideways: 0, overlaps: [], outside: [] });
    if (SHOTS) {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        // Through the same DevTools session: Playwright's own screenshot would put its viewport back first.
        const cdp = sessions.get(page) ?? (await page.context().newCDPSession(page));
        sessions.set(page, cdp);
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png' });
        writeFileSync(join(SHOTS, `${where.replace(/[^a-z0-9]+/gi, '-')}-${scheme}.png`), Buffer.from(shot.data, 'base64'));
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
  }

  /** The same state at 100%, at 200% and at the minimum size. */
  async function everySize(page: Page, state: string): Promise<void> {
    await zoomTo(page, MAIN_WINDOW_SIZE, 1);
    await check(page, `${state} at 100%`);
    await zoomTo(page, MAIN_WINDOW_SIZE, 2);
    await check(page, `${state} at 200%`);
    await zoomTo(page, MIN_SIZE, 1);
    await check(page, `${state} at 760x480`);
    await zoomTo(page, MIN_SIZE, 2);
    await check(page, `${state} at 760x480 and 200%`);
    await zoomTo(page, MAIN_WINDOW_SIZE, 1);
  }

  it('the main window: first run, identity, import, accounts signed in with a prompt waiting, settings with an error', async () => {
    const h = await harness.start({ demo: true });
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
    await everySize(page, 'first run');

    await page.getByRole('button', { name: 'Add access key…' }).click();
    await page.getByLabel('Access key id').waitFor();
    await everySize(page, 'identity form');

    await h.service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
    await page.getByRole('tab', { name: /Import/ }).click();
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.getByRole('button', { name: 'Import profiles' }).click();
    await page.locator('#import-result').waitFor();
    await everySize(page, 'import');

    await page.getByRole('tab', { name: /Accounts/ }).click();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await popup.locator('#mfa-code').fill(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    // The longest header: signed in with the expiry, in demo mode, and a second prompt waiting.
    await page.getByRole('button', { name: 'Sign in again…' }).click();
    await h.waitForPopup();
    await page.getByRole('button', { name: 'Show the MFA prompt' }).waitFor();
    await everySize(page, 'accounts signed in, a prompt waiting');
    // The MFA session's expiry stays whole at the minimum size (no ellipsis).
    await zoomTo(page, MIN_SIZE, 1);
    const pill = await page.locator('.status-pill').evaluate((el: { scrollWidth: number; clientWidth: number; textContent: string | null }) => ({ cut: el.scrollWidth > el.clientWidth, text: el.textContent }));
    expect(pill).toMatchObject({ cut: false, text: expect.stringMatching(/MFA session until/) as unknown });
    await zoomTo(page, MAIN_WINDOW_SIZE, 1);
    await h.popup?.keyboard.press('Escape');
    await h.waitForPopupClosed();
    h.takeErrors();

    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('MFA session duration (hours)').fill('40');
    await everySize(page, 'settings with an error');
  }, 120_000);

  it('the lock screen at 200% and at the minimum size', async () => {
    const h = await harness.start({ storage: { protection: 'passphrase', explanation: 'No keyring was found on this system, so a passphrase protects your keys.' } });
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
    await everySize(page, 'lock screen');
  });

  it('the MFA popup at 200%: in the window main gives it (grown with the zoom), and in its 100% window, where it scrolls', async () => {
    const h = await harness.start({ demo: true });
    await h.service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
    await h.service.identities.importConfig(REFERENCE_AWS_CONFIG, false);
    const page = h.mainPage();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await popup.locator('#mfa-code').pressSequentially(wrongCode(emulator(), alice.seed));
    await popup.getByText('AWS rejected the MFA code.').waitFor();

    const grown = popupWindowSize(2, { width: 1366, height: 728 });
    for (const [window, where] of [
      [POPUP_SIZE, 'popup at 100%'],
      [grown, 'popup at 200% (window grown)'],
      [POPUP_SIZE, 'popup at 200% in its 100% window'],
    ] as const) {
      await zoomTo(popup, window, where.includes('200%') ? 2 : 1);
      await check(popup, where);
      expect(await popupReachable(popup), `parts of the ${where} out of reach`).toEqual([]);
    }
    // At 200% in the grown window, everything is in view at once, as at 100%.
    await zoomTo(popup, grown, 2);
    const allInView = await popup.evaluate(() => {
      const scope = globalThis as unknown as { document: { documentElement: { scrollHeight: number; clientHeight: number } } };
      return scope.document.documentElement.scrollHeight <= scope.document.documentElement.clientHeight;
    });
    expect(allInView).toBe(true);
    // And it still works: the next code signs in.
    emulator().clock.advance(30_000);
    await popup.locator('#mfa-code').pressSequentially(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
  }, 60_000);
});
