import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { POPUP_SIZE, type AppHarness } from '../harness/app-harness.js';
import { isFocused, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { REFERENCE_AWS_CONFIG } from '../support/core-harness.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';
import { ykmanStandIn, type StandInAccount, type YkmanStandIn } from '../support/ykman-standin/ykman-standin.js';

/**
 * Hardware MFA in the app, through the harness (the production renderer in Chromium, the real
 * app services, the STS emulator) with the stand-in `ykman` on the app's PATH: the popup offers
 * "Use YubiKey" when the key holds the device's account, says "Touch your YubiKey…" while it
 * waits, and signs in; a missing key is said beside the field, which still works; an identity
 * with mfa_process signs in without any popup. Neither the seed nor a code read from the key
 * ever reaches a page.
 *
 * UPDATE_SCREENSHOTS=1 writes the YubiKey state (light and dark) to docs/screenshots;
 * YUBIKEY_SCREENSHOT_DIR=<dir> also writes it at 200% zoom there, to look at.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP hardware MFA popup tests: ${skipReason}`);

const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const WRITE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const ZOOM_DIR = process.env.YUBIKEY_SCREENSHOT_DIR;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const alice = identity(referenceFixture(), 'alice');
const AWS_LABEL = 'Amazon Web Services:alice@111111111111';

/** Serious or critical axe findings (WCAG 2.2 AA and best practices) on the page. */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface AxeResult {
      id: string;
      impact?: string | null;
      nodes: { target: unknown[] }[];
    }
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeResult[] }> } }).axe;
    const results = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** The popup's page at a zoom, as Chromium's page zoom lays it out (see zoom-and-size.test.ts). */
async function zoomTo(page: Page, zoom: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const window = { width: Math.ceil(POPUP_SIZE.width * zoom), height: Math.ceil(POPUP_SIZE.height * zoom) };
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: Math.floor(window.width / zoom), height: Math.floor(window.height / zoom), deviceScaleFactor: zoom, mobile: false });
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio)).toBe(zoom);
}

describe.skipIf(skipReason !== undefined)(`hardware MFA in the popup${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);
  let standIn: YkmanStandIn | undefined;
  afterEach(() => {
    standIn?.cleanup();
    standIn = undefined;
  });

  /** The app with the stand-in ykman on its PATH, alice's identity and the reference profiles. */
  async function start(accounts: StandInAccount[], mfaProcess?: string): Promise<AppHarness> {
    standIn = ykmanStandIn({ emulatorUrl: emulator().url, accounts });
    const h = await harness.start({ env: { ...process.env, ...standIn.env() } });
    await h.service.identities.save({
      label: 'security',
      accessKeyId: alice.accessKeyId,
      secretAccessKey: alice.secretAccessKey,
      mfaSerial: alice.serialNumber,
      region: 'us-east-1',
      ...(mfaProcess !== undefined ? { mfaProcess } : {}),
    });
    await h.service.identities.importConfig(REFERENCE_AWS_CONFIG, false);
    return h;
  }

  /** Nothing that must stay in main reached a page or the contract's outputs. */
  async function expectNoSeedOrCode(h: AppHarness, code: string): Promise<void> {
    const text = JSON.stringify(await h.pageTexts()) + JSON.stringify(h.outputs);
    expect(text).not.toContain(alice.seed);
    expect(text).not.toContain(code);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.mouse.move(1, 1);
    const png = await page.screenshot({ animations: 'disabled' });
    expect(png.byteLength).toBeGreaterThan(1000);
    if (WRITE_SCREENSHOTS && !name.includes('200')) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, `${name}.png`), png);
    }
    if (ZOOM_DIR) {
      mkdirSync(ZOOM_DIR, { recursive: true });
      writeFileSync(join(ZOOM_DIR, `${name}.png`), png);
    }
  }

  /** The popup's buttons are inside its window and nothing scrolls sideways. */
  async function expectFits(page: Page, where: string): Promise<void> {
    const overflow = await page.evaluate(() => {
      const scope = globalThis as unknown as {
        innerHeight: number;
        innerWidth: number;
        document: { documentElement: { scrollWidth: number; clientWidth: number }; querySelector(s: string): { getBoundingClientRect(): { bottom: number; right: number } } | null };
      };
      const actions = scope.document.querySelector('.popup-actions')?.getBoundingClientRect();
      return {
        sideways: Math.max(0, scope.document.documentElement.scrollWidth - scope.document.documentElement.clientWidth),
        popupButtons: actions ? Math.max(0, Math.ceil(actions.bottom - scope.innerHeight), Math.ceil(actions.right - scope.innerWidth)) : 0,
      };
    });
    expect(overflow, `overflow in ${where}`).toEqual({ sideways: 0, popupButtons: 0 });
  }

  it('"Use YubiKey" reads the code (saying "Touch your YubiKey…" while the key waits) and signs in', async () => {
    const h = await start([{ name: AWS_LABEL, serialNumber: alice.serialNumber, touch: true }]);
    const page = h.mainPage();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    const useKey = popup.getByRole('button', { name: 'Use YubiKey' });
    await useKey.waitFor();
    // The typed-code path is untouched: the field has the focus.
    await expect.poll(() => isFocused(popup.locator('#mfa-code'))).toBe(true);
    expect(await useKey.getAttribute('title')).toBe(`Read the code from the OATH account "${AWS_LABEL}" on your YubiKey`);
    await popup.getByText('Type the six digits, or use your YubiKey.').waitFor();
    await expectFits(popup, 'the popup offering the YubiKey');
    expect(await seriousAxeFindings(popup)).toEqual([]);

    await useKey.click();
    await popup.getByText('Touch your YubiKey…').waitFor();
    expect(await useKey.getAttribute('aria-busy')).toBe('true');
    expect(await popup.locator('#mfa-code').getAttribute('readonly')).toBeNull();
    await expectFits(popup, 'the popup waiting for touch');
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      expect(await seriousAxeFindings(popup), `axe (${scheme})`).toEqual([]);
      await shoot(popup, scheme === 'light' ? 'mfa-popup-yubikey' : 'mfa-popup-yubikey-dark');
      await zoomTo(popup, 2);
      await expectFits(popup, `the popup waiting for touch at 200% (${scheme})`);
      await shoot(popup, `mfa-popup-yubikey-200${scheme === 'dark' ? '-dark' : ''}`);
      await zoomTo(popup, 1);
    }
    await popup.emulateMedia({ colorScheme: 'light' });

    const code = currentCode(emulator(), alice.seed);
    standIn?.touch();
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
    expect(standIn?.calls().map((c) => c.slice(0, 3).join(' '))).toEqual(['oath accounts list', 'oath accounts code']);
    await expectNoSeedOrCode(h, code);
  }, 90_000);

  it('a YubiKey pulled out: the sentence beside the field, which still takes a typed code', async () => {
    const h = await start([{ name: alice.serialNumber, serialNumber: alice.serialNumber }]);
    await h.mainPage().getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await popup.getByRole('button', { name: 'Use YubiKey' }).waitFor();
    standIn?.update({ device: 'missing' });
    await popup.getByRole('button', { name: 'Use YubiKey' }).click();
    await popup.getByRole('alert').getByText('No YubiKey is connected (ykman found none). Insert your YubiKey and try again, or type the code.').waitFor();
    await expect.poll(() => isFocused(popup.locator('#mfa-code'))).toBe(true);
    await popup.locator('#mfa-code').pressSequentially(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
  }, 60_000);

  it('without a matching account (or without ykman) the popup is as ever; several matches are said', async () => {
    const h = await start([{ name: 'GitHub:alice', seed: 'JBSWY3DPEHPK3PXP' }]);
    await h.mainPage().getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await popup.getByText('Type or paste the six digits; it is sent on the sixth.').waitFor();
    // The lookup has run (ykman listed the accounts) and offered nothing.
    await expect.poll(() => standIn?.calls().length).toBe(1);
    expect(await popup.getByRole('button', { name: 'Use YubiKey' }).count()).toBe(0);
    await popup.getByRole('button', { name: 'Cancel', exact: true }).click();
    await h.waitForPopupClosed();
    // Two matching accounts: which, and how to choose.
    standIn?.update({ accounts: [{ name: AWS_LABEL, serialNumber: alice.serialNumber }, { name: 'alice', serialNumber: alice.serialNumber }] });
    await h.mainPage().getByRole('button', { name: 'Sign in with MFA…' }).click();
    const again = await h.waitForPopup();
    await again.getByText(/Several OATH accounts on the YubiKey match arn:aws:iam::111111111111:mfa\/alice: "Amazon Web Services:alice@111111111111", "alice"\./).waitFor();
    expect(await again.getByRole('button', { name: 'Use YubiKey' }).count()).toBe(0);
    await again.locator('#mfa-code').pressSequentially(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
  }, 60_000);

  it('an identity with mfa_process signs in with no popup at all', async () => {
    const h = await start([{ name: alice.serialNumber, serialNumber: alice.serialNumber }], `ykman oath accounts code --single ${alice.serialNumber}`);
    expect(h.service.state().identities[0]).toMatchObject({ mfaProcess: `ykman oath accounts code --single ${alice.serialNumber}` });
    const code = currentCode(emulator(), alice.seed);
    await h.mainPage().getByRole('button', { name: 'Sign in with MFA…' }).click();
    await expect.poll(() => h.mainPage().locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    expect(h.windowCalls).not.toContain('showMfaPopup');
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
    await expectNoSeedOrCode(h, code);
  }, 60_000);

  it('the identity form sets mfa_process and the OATH account, and an empty field removes them', async () => {
    const h = await start([]);
    const page = h.mainPage();
    await page.getByRole('tab', { name: /Identity/ }).click();
    await page.getByRole('button', { name: 'Edit' }).first().click();
    await page.getByLabel('MFA code command (mfa_process)').fill('  op item get aws --otp ');
    await page.getByLabel('YubiKey OATH account').fill(AWS_LABEL);
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await expect.poll(() => h.service.state().identities[0]?.oathAccount).toBe(AWS_LABEL);
    expect(h.service.state().identities[0]?.mfaProcess).toBe('op item get aws --otp');

    await page.getByRole('button', { name: 'Edit' }).first().click();
    expect(await page.getByLabel('MFA code command (mfa_process)').inputValue()).toBe('op item get aws --otp');
    await page.getByLabel('MFA code command (mfa_process)').fill('op "unclosed');
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.getByText(/mfa_process must be one line that names a program/).waitFor();
    await page.getByLabel('MFA code command (mfa_process)').fill('');
    await page.getByLabel('YubiKey OATH account').fill('');
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await expect.poll(() => h.service.state().identities[0]?.oathAccount ?? null).toBeNull();
    expect(h.service.state().identities[0]?.mfaProcess ?? null).toBeNull();
  }, 60_000);
});
