import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setUpAlice, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { REFERENCE_AWS_CONFIG } from '../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../support/emulator-harness.js';
import { manyAccounts, setUpManyAccounts } from '../support/many-accounts.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * axe-core over every state of both windows, light and dark, in Chromium through the harness
 * (the production bundle against the real app services and the STS emulator). A state fails on
 * any violation that is not in ALLOWED below with its reason; serious and critical ones are
 * never allowed.
 *
 * axe is put into each page with `page.evaluate(source)`: the pages' Content Security Policy
 * (script-src 'self', no inline script) refuses a <script> tag, which is what Playwright's
 * addScriptTag adds; evaluation through the DevTools protocol is not subject to the policy, and
 * nothing is weakened in the page itself.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP accessibility tests: ${skipReason}`);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 A and AA, plus axe's best practices (landmarks, headings, regions). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Moderate or minor findings we keep, each with its reason. Serious and critical findings
 * cannot be listed here (the test refuses them).
 */
const ALLOWED: { rule: string; target: RegExp; reason: string }[] = [];

interface Finding {
  rule: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

const alice = identity(referenceFixture(), 'alice');

/** Every state checked, across the describes, and those with violations (printed at the end). */
const checked: string[] = [];
const violating: string[] = [];

async function runAxe(page: Page): Promise<Finding[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    interface AxeNode {
      target: unknown[];
      failureSummary?: string;
    }
    interface AxeResult {
      id: string;
      impact?: string | null;
      help: string;
      nodes: AxeNode[];
    }
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeResult[] }> } }).axe;
    const doc = (globalThis as unknown as { document: unknown }).document;
    const results = await axe.run(doc, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
}

/** The state on screen, audited in light and in dark; every violation is reported, then the test fails. */
async function audit(page: Page, state: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    const findings = await runAxe(page);
    const unexplained = findings
      .map((f) => ({ ...f, nodes: f.nodes.filter((n) => f.impact === 'serious' || f.impact === 'critical' || !ALLOWED.some((a) => a.rule === f.rule && a.target.test(n.target))) }))
      .filter((f) => f.nodes.length > 0);
    if (unexplained.length > 0) violating.push(`${state} (${scheme})`);
    expect
      .soft(
        unexplained.flatMap((f) => f.nodes.map((n) => `${f.rule} (${f.impact}) at ${n.target}: ${n.summary.split('\n').slice(1).join(' ').trim()}`)),
        `axe violations in ${state} (${scheme})`,
      )
      .toEqual([]);
    checked.push(`${state} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

afterAll(() => {
  console.log(
    `axe-core: ${checked.length} window states checked (${checked.length / 2} states, each light and dark); ${violating.length === 0 ? 'no violations' : `violations in ${violating.join(', ')}`}`,
  );
});

describe.skipIf(skipReason !== undefined)(`axe-core over every window state, light and dark${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  // Chromium per suite, a harness per test; a test fails when a page threw, logged an error or met a CSP refusal.
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  it('the first run, the identity form, import, the accounts (unverified, verifying, verified), settings with an invalid value and the remove confirmation', async () => {
    const h = await harness.start();
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
    await audit(page, 'first run');

    await page.getByRole('button', { name: 'Add access key…' }).click();
    await page.getByLabel('Access key id').waitFor();
    await audit(page, 'identity form');
    await page.getByLabel('Access key id').fill('nope');
    await page.getByLabel('Secret access key').fill('x'.repeat(40));
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.locator('.form-card [role="alert"]').waitFor();
    await audit(page, 'identity form with an error');

    await page.getByLabel('Access key id').fill(alice.accessKeyId);
    await page.getByLabel('Secret access key').fill(alice.secretAccessKey);
    await page.getByLabel('MFA device ARN').fill(alice.serialNumber);
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.locator('.callout-success').waitFor();
    await audit(page, 'identity saved');

    await page.getByRole('tab', { name: /Import/ }).click();
    await page.getByRole('button', { name: 'Choose file…' }).click();
    await page.locator('.file-path').getByText(REFERENCE_AWS_CONFIG).waitFor();
    await page.getByRole('button', { name: 'Import profiles' }).click();
    await page.getByText('4 profiles added: dev, stage, prod, shared-services').waitFor();
    await audit(page, 'import result');

    await page.getByRole('tab', { name: /Accounts/ }).click();
    await expect.poll(() => page.locator('tbody.account.row-unverified').count()).toBe(5);
    await audit(page, '5 accounts, not verified');

    // Sign in; the popup's three states are audited in their own test.
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    await popup.locator('#mfa-code').fill(currentCode(emulator(), alice.seed));
    await h.waitForPopupClosed();
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);
    await audit(page, '5 accounts, verified');

    // Verifying: each GetCallerIdentity takes 4 s, long enough to audit; the state is checked again after.
    emulator().setLatency(4000);
    await page.getByRole('button', { name: 'Verify all' }).click();
    await expect.poll(() => page.locator('tbody.account.row-verifying').count()).toBe(5);
    await audit(page, '5 accounts, verifying');
    expect(await page.locator('tbody.account.row-verifying').count()).toBe(5);
    emulator().setLatency(0);
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 15_000 }).toBe(5);

    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('MFA session duration (hours)').fill('40');
    await page.getByText('Choose between 0.25 (15 minutes) and 36 hours, as AWS allows.').waitFor();
    await audit(page, 'settings with an invalid value');

    await page.getByRole('tab', { name: /Identity/ }).click();
    await page.getByRole('button', { name: 'Remove…' }).click();
    await page.getByRole('alertdialog').waitFor();
    await audit(page, 'remove confirmation');
  }, 120_000);

  it('failing accounts: a deactivated access key', async () => {
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
    await audit(page, '5 accounts, failing');
  }, 60_000);

  it('the MFA popup: waiting for a code, a rejected code, a code being checked', async () => {
    const h = await harness.start({ demo: true });
    await setUpAlice(h);
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account').count()).toBe(5);
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const popup = await h.waitForPopup();
    const code = popup.locator('#mfa-code');
    await code.waitFor();
    await audit(popup, 'popup, waiting for a code');
    await audit(page, 'main window while a prompt waits');

    await code.pressSequentially(wrongCode(emulator(), alice.seed));
    await popup.getByText('AWS rejected the MFA code.').waitFor();
    await audit(popup, 'popup, code rejected');

    emulator().setLatency(4000);
    await code.pressSequentially(currentCode(emulator(), alice.seed));
    await popup.getByText('Checking with AWS…').waitFor();
    await audit(popup, 'popup, checking the code');
    expect(await popup.getByText('Checking with AWS…').count()).toBe(1);
    emulator().setLatency(0);
    await h.waitForPopupClosed();
  }, 60_000);

  it('the lock screen: choosing a passphrase, and unlocking', async () => {
    const explanation = 'No keyring was found on this system, so a passphrase protects your keys.';
    const vaultDir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-a11y-'));
    try {
      const first = await harness.start({ storage: { protection: 'passphrase', explanation }, vaultDir });
      let page = first.mainPage();
      await page.getByRole('heading', { name: 'Choose a passphrase' }).waitFor();
      await audit(page, 'lock screen, choosing a passphrase');
      await page.getByLabel('New passphrase').fill('a long passphrase');
      await page.getByLabel('Type it again').fill('a long passphrase');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('heading', { name: 'Set up AWS Auth Tray' }).waitFor();
      await first.close();

      const second = await harness.start({ storage: { protection: 'passphrase', explanation }, vaultDir });
      page = second.mainPage();
      await page.getByRole('heading', { name: 'Unlock AWS Auth Tray' }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('alert').getByText('That passphrase does not unlock the vault.', { exact: false }).waitFor();
      await audit(page, 'lock screen, wrong passphrase');
    } finally {
      rmSync(vaultDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('key hygiene: the key age and last use, the old-key warning, the rotation confirm, a rotation running and done, two keys, the MFA device picker', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const h = await harness.start({ keyRotation: { afterStep: (step) => (step === 'storing' ? held : undefined) } });
    await setUpAlice(h);
    h.service.mfa.onChange((view) => {
      if (view?.status === 'waiting') h.service.mfa.submit(view.requestId, currentCode(emulator(), view.identityLabel === 'ops' ? identity(referenceFixture(), 'bob').seed : alice.seed));
    });
    const page = h.mainPage();
    emulator().clock.advance(91 * 24 * 3600_000);
    await h.service.sessions.signIn('window');
    await page.getByRole('tab', { name: /Identity/ }).click();
    await page.getByText('Older than 90 days: rotate it').waitFor();
    await page.getByText(/^Last used /).waitFor();
    await audit(page, 'identity, an old access key');

    await page.getByRole('button', { name: 'Rotate access key…' }).click();
    await page.getByRole('alertdialog').waitFor();
    await audit(page, 'identity, rotation confirm');
    await page.getByRole('button', { name: 'Rotate and delete the old key' }).click();
    await page.getByRole('list', { name: 'Rotation steps' }).locator('[aria-current="step"]').waitFor();
    await audit(page, 'identity, rotation running');
    release();
    await page.locator('.callout-success').getByText('Rotated: security now uses').waitFor();
    await audit(page, 'identity, rotation done');

    const bob = identity(referenceFixture(), 'bob');
    await h.service.identities.save({ label: 'ops', accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey, mfaSerial: bob.serialNumber, region: 'us-east-1' });
    // The next code step: alice's code of this step was used already.
    emulator().clock.advance(30_000);
    await h.service.sessions.signIn('window');
    const ops = page.locator('.identity-card', { has: page.getByRole('heading', { name: 'ops' }) });
    await ops.getByText('This user also has the key').waitFor();
    await ops.getByRole('button', { name: 'Rotate access key…' }).click();
    await ops.getByText('IAM allows two access keys per user').waitFor();
    await audit(page, 'identity, two keys already');

    await page.getByRole('button', { name: 'Add identity' }).click();
    await page.getByLabel('Access key id').fill(bob.accessKeyId);
    await page.getByLabel('Secret access key').fill(bob.secretAccessKey);
    await page.getByRole('button', { name: 'Find my MFA devices' }).click();
    await page.getByRole('group', { name: /Your 2 MFA devices/ }).waitFor();
    await audit(page, 'identity form, MFA devices found');

    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('Warn when the access key is older than (days)').fill('0');
    await page.getByText('Choose a whole number of days from 1 to 3650.').waitFor();
    await audit(page, 'settings, key age warning invalid');
  }, 120_000);

  it('the quick switcher: every account, a search, no match, a verification that failed', async () => {
    const h = await harness.start();
    await setUpAlice(h);
    const page = await h.openQuickSwitcher();
    const field = page.getByRole('combobox', { name: 'Find an account' });
    await expect.poll(() => page.getByRole('option').count()).toBe(5);
    await audit(page, 'quick switcher, every account');
    await field.fill('sta');
    await expect.poll(() => page.getByRole('option').count()).toBe(1);
    await audit(page, 'quick switcher, a search');
    await field.fill('zzz');
    await page.getByText('No account matches “zzz”.').waitFor();
    await audit(page, 'quick switcher, no match');
    await field.fill('security');
    emulator().injectFault({ kind: 'internal-failure', count: 10, action: 'GetSessionToken' });
    h.service.mfa.onChange((view) => {
      if (view?.status === 'waiting') h.service.mfa.submit(view.requestId, currentCode(emulator(), alice.seed));
    });
    await field.press('Control+Enter');
    await page.getByRole('alert').waitFor();
    await audit(page, 'quick switcher, a verification that failed');
  }, 60_000);
});

describe.skipIf(skipReason !== undefined)(`axe-core over 50 accounts${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const many = manyAccounts(50);
  const emulator = useEmulator(() => many.fixture);
  const seeds: Record<string, string> = { security: identity(many.fixture, 'alice').seed, ops: identity(many.fixture, 'bob').seed };
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  it('50 accounts from two identities: not verified, verifying, verified, and failing (one identity\'s key deactivated)', async () => {
    const h = await harness.start();
    await setUpManyAccounts(h, many);
    const rows = h.service.state().accounts.length;
    expect(rows).toBeGreaterThanOrEqual(50);
    // Each MFA prompt is answered with the current code of the identity it asks for (the popup itself is audited above).
    h.service.mfa.onChange((view) => {
      const seed = view && view.status === 'waiting' && view.attempt === 1 ? seeds[view.identityLabel] : undefined;
      if (view && seed) h.service.mfa.submit(view.requestId, currentCode(emulator(), seed));
    });
    const page = h.mainPage();
    await expect.poll(() => page.locator('tbody.account.row-unverified').count()).toBe(rows);
    await audit(page, '50 accounts, not verified');

    emulator().setLatency(4000);
    await page.getByRole('button', { name: 'Verify all' }).click();
    await expect.poll(() => page.locator('tbody.account.row-verifying').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await audit(page, '50 accounts, verifying');
    expect(await page.locator('tbody.account.row-verifying').count()).toBeGreaterThan(0);
    emulator().setLatency(0);
    await expect.poll(() => page.locator('tbody.account.row-ok').count(), { timeout: 30_000 }).toBe(rows);
    await audit(page, '50 accounts, verified');

    // bob's key is deactivated: after signing in again, the accounts reached from `ops` fail.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('tbody.account.row-unverified').count()).toBe(rows);
    emulator().clock.advance(30_000);
    emulator().setAccessKeyStatus(identity(many.fixture, 'bob').accessKeyId, 'Inactive');
    await page.getByRole('button', { name: 'Verify all' }).click();
    await expect.poll(() => page.locator('tbody.account.row-error').count(), { timeout: 30_000 }).toBe(many.accounts.filter((a) => a.identity === 'ops').length + 1);
    await audit(page, '50 accounts, some failing');
  }, 120_000);
});
