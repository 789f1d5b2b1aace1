import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { StsEmulator } from '../sts-emulator/sts-emulator.js';
import { REFERENCE_AWS_CONFIG } from '../support/core-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';
import { AppHarness, type AppHarnessOptions } from './app-harness.js';
import { launchChromium } from './chromium.js';

/**
 * The life cycle every browser suite shares, in one place: Chromium launched once per suite, one
 * harness per test, closed after it, and a test fails when any page threw, logged an error or met
 * a CSP refusal. Call inside the suite's describe (after useEmulator); `chromiumPath` comes from
 * findChromium(), whose absence the suite reports with describe.skipIf.
 */
export function useBrowserHarness(
  emulator: () => StsEmulator,
  chromiumPath: string | undefined,
): { start(options?: Omit<AppHarnessOptions, 'emulator' | 'browser'>): Promise<AppHarness> } {
  let browser: Browser | undefined;
  let harness: AppHarness | undefined;
  beforeAll(async () => {
    if (chromiumPath) browser = await launchChromium(chromiumPath);
  });
  afterEach(async () => {
    const errors = harness?.takeErrors() ?? [];
    await harness?.close();
    harness = undefined;
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async start(options = {}) {
      if (!browser) throw new Error('Chromium is not running (the suite should have been skipped).');
      harness = await AppHarness.start({ emulator: emulator(), browser, ...options });
      return harness;
    },
  };
}

/** alice's identity and the reference profiles, set up directly through the services. */
export async function setUpAlice(h: AppHarness): Promise<void> {
  const alice = identity(referenceFixture(), 'alice');
  await h.service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
  await h.service.identities.importConfig(REFERENCE_AWS_CONFIG, false);
}

/** Whether the element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element: { ownerDocument: { activeElement: unknown } }) => element.ownerDocument.activeElement === element);
}
