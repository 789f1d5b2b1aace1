import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RotationStep } from '../../main/core/rotation/key-rotation.js';
import type { AppHarness } from '../harness/app-harness.js';
import { MAIN_WINDOW_SIZE } from '../harness/app-harness.js';
import { isFocused, setUpAlice, useBrowserHarness } from '../harness/browser-harness.js';
import { findChromium } from '../harness/chromium.js';
import { currentCode, useEmulator } from '../support/emulator-harness.js';
import { identity, referenceFixture, type FixtureIdentity } from '../support/reference-fixture.js';

/**
 * Key hygiene in the identity panel, in Chromium through the harness (the production renderer
 * against the app services and the emulator's IAM): the key's age and last use, the warning past
 * the limit, rotating with a confirm and progress, the two-key case, the tray's request opening
 * the confirm, and the MFA device picker filling the ARN field. No secret reaches a page.
 *
 * Screenshots: docs/screenshots/main-window-identity-*.png (README_NAMES) for the README when
 * UPDATE_SCREENSHOTS=1; every state at 100% and 200%, light and dark, in KEY_SCREENSHOT_DIR when
 * it is set (to look at, never to docs/).
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP key hygiene panel tests: ${skipReason}`);

const README_SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url).pathname : undefined;
const LOOK_SHOTS = process.env.KEY_SCREENSHOT_DIR;
/** The states the README shows. */
const README_NAMES = new Set(['main-window-identity-key', 'main-window-identity-key-old', 'main-window-identity-rotating', 'main-window-identity-two-keys']);
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const bob = identity(fixture, 'bob');
const DAY = 24 * 3600_000;

const sessions = new WeakMap<Page, CDPSession>();

/** Chromium's page zoom, as zoom-and-size.test.ts emulates it: a viewport the window's size divided by the zoom. */
async function zoomTo(page: Page, zoom: number): Promise<void> {
  const cdp = sessions.get(page) ?? (await page.context().newCDPSession(page));
  sessions.set(page, cdp);
  const viewport = { width: Math.floor(MAIN_WINDOW_SIZE.width / zoom), height: Math.floor(MAIN_WINDOW_SIZE.height / zoom) };
  await cdp.send('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: zoom, mobile: false });
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth)).toBe(viewport.width);
}

describe.skipIf(skipReason !== undefined)(`key hygiene in the identity panel${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  const harness = useBrowserHarness(emulator, 'path' in chromiumLookup ? chromiumLookup.path : undefined);

  /** Every MFA prompt is answered with the current code of `who` (the popup itself is tested elsewhere). */
  function answerPrompts(h: AppHarness, who: FixtureIdentity): void {
    h.service.mfa.onChange((view) => {
      if (view?.status === 'waiting') h.service.mfa.submit(view.requestId, currentCode(emulator(), who.seed));
    });
  }

  /** `typing`: the person's own secret is in the form's password field (typed, never sent back). */
  async function expectNoSecretOn(h: AppHarness, who: FixtureIdentity, typing = false): Promise<void> {
    const text = JSON.stringify(await h.pageTexts()) + JSON.stringify(h.outputs);
    const secrets = [
      who.secretAccessKey,
      ...emulator().directory.accessKeysOf(who.user).map((k) => k.secretAccessKey),
      ...emulator()
        .issued.all()
        .flatMap((c) => [c.secretAccessKey, c.sessionToken]),
    ];
    expect(secrets.filter((s) => text.includes(s) && !(typing && s === who.secretAccessKey))).toEqual([]);
  }

  /** The page as it is, nothing sideways; shot for the README (100%, light) and, to look at, at 100% and 200% in both schemes. */
  async function shoot(h: AppHarness, page: Page, who: FixtureIdentity, name: string, typing = false): Promise<void> {
    await expectNoSecretOn(h, who, typing);
    await page.mouse.move(1, 1);
    const sideways = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(sideways, `sideways scrolling in ${name}`).toBe(0);
    if (README_SHOTS && README_NAMES.has(name)) {
      mkdirSync(README_SHOTS, { recursive: true });
      writeFileSync(join(README_SHOTS, `${name}.png`), await page.screenshot({ animations: 'disabled' }));
    }
    if (LOOK_SHOTS) {
      mkdirSync(LOOK_SHOTS, { recursive: true });
      for (const zoom of [1, 2]) {
        await zoomTo(page, zoom);
        // At 200% the key section is below the fold: bring it into view, as a person would scroll.
        await page.locator('.confirm, .rotation-progress, .key-health, .mfa-picker').last().scrollIntoViewIfNeeded();
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          const cdp = sessions.get(page);
          const shot = await cdp?.send('Page.captureScreenshot', { format: 'png' });
          if (shot) writeFileSync(join(LOOK_SHOTS, `${name}-${zoom * 100}-${scheme}.png`), Buffer.from(shot.data, 'base64'));
        }
      }
      await zoomTo(page, 1);
      await page.emulateMedia({ colorScheme: 'light' });
    }
  }

  async function openIdentity(page: Page): Promise<void> {
    await page.getByRole('tab', { name: /Identity/ }).click();
    await page.getByRole('heading', { name: 'Identity', exact: true }).waitFor();
  }

  it('the key age and last use after signing in, then the warning once it is older than the limit', async () => {
    const h = await harness.start();
    await setUpAlice(h);
    answerPrompts(h, alice);
    const page = h.mainPage();
    await openIdentity(page);
    const card = page.locator('.identity-card');
    const short = `${alice.accessKeyId.slice(0, 4)}…${alice.accessKeyId.slice(-4)}`;
    await card.getByText(`Access key ${short} · age not known yet`).waitFor();
    await card.getByText('Sign in to see when it was last used.').waitFor();

    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const created = emulator().directory.defaultDate.toISOString().slice(0, 10);
    await card.getByText(`Access key ${short} · created ${created} (30 days ago)`).waitFor();
    await card.getByText('Last used just now (sts, us-east-1)').waitFor();
    expect(await card.locator('.key-health-old').count()).toBe(0);
    await shoot(h, page, alice, 'main-window-identity-key');

    // 61 days later, signed in again: 91 days old, past the default 90.
    emulator().clock.advance(61 * DAY);
    await h.service.sessions.signIn('window');
    await card.getByText(`Access key ${short} · created ${created} (91 days ago)`).waitFor();
    await card.getByText('Older than 90 days: rotate it').waitFor();
    expect(await card.locator('.key-health.key-health-old').count()).toBe(1);
    await shoot(h, page, alice, 'main-window-identity-key-old');

    // The limit is a setting.
    await page.getByRole('tab', { name: /Settings/ }).click();
    await page.getByLabel('Warn when the access key is older than (days)').fill('120');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await openIdentity(page);
    await card.getByText(`(91 days ago)`).waitFor();
    expect(await card.getByText('Older than').count()).toBe(0);
  }, 90_000);

  it('rotating: the confirm says the old key is deleted, every step shows while it runs, and the new key is in use', async () => {
    // The rotation waits after storing the new key until the test has looked at it.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdAt: RotationStep | undefined = 'storing';
    const h = await harness.start({ keyRotation: { afterStep: (step) => (step === holdAt ? held : undefined) } });
    await setUpAlice(h);
    answerPrompts(h, alice);
    const page = h.mainPage();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    await expect.poll(() => h.service.state().session.signedIn).toBe(true);
    await openIdentity(page);

    const rotate = page.getByRole('button', { name: 'Rotate access key…' });
    await rotate.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(`deletes the old key ${alice.accessKeyId}`).waitFor();
    expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await shoot(h, page, alice, 'main-window-identity-rotate-confirm');
    // Escape closes it and gives the focus back.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await isFocused(rotate)).toBe(true);

    await rotate.click();
    await dialog.getByRole('button', { name: 'Rotate and delete the old key' }).click();
    const steps = page.getByRole('list', { name: 'Rotation steps' });
    await steps.locator('[aria-current="step"]').getByText('Store it, encrypted').waitFor();
    expect(await steps.locator('.rotation-step-done').count()).toBe(2);
    await page.locator('.rotation-progress [role="status"]').waitFor();
    await shoot(h, page, alice, 'main-window-identity-rotating');
    holdAt = undefined;
    release();

    const [newKey] = emulator().directory.accessKeysOf(alice.user).filter((k) => k.accessKeyId !== alice.accessKeyId);
    if (!newKey) throw new Error('IAM has no new key');
    await page.locator('.callout-success').getByText(`Rotated: security now uses ${newKey.accessKeyId}, which AWS accepted; the old key ${alice.accessKeyId} was deleted.`).waitFor();
    await expect.poll(() => emulator().directory.accessKeysOf(alice.user).map((k) => k.accessKeyId)).toEqual([newKey.accessKeyId]);
    await page.locator('.identity-card dd.mono').getByText(newKey.accessKeyId, { exact: true }).waitFor();
    await page.locator('.identity-card').getByText(`Access key ${newKey.accessKeyId.slice(0, 4)}…${newKey.accessKeyId.slice(-4)} · created`).waitFor();
    await shoot(h, page, alice, 'main-window-identity-rotated');
  }, 90_000);

  it('two keys already: the confirm says so and offers to delete the inactive one, then rotates', async () => {
    const h = await harness.start();
    await h.service.identities.save({ label: 'ops', accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey, mfaSerial: bob.serialNumber, region: 'us-east-1' });
    answerPrompts(h, bob);
    const page = h.mainPage();
    await page.getByRole('button', { name: 'Sign in with MFA…' }).click();
    const inactive = bob.user.accessKeys.find((k) => k.status === 'Inactive');
    if (!inactive) throw new Error('bob has an inactive key in the fixture');
    await openIdentity(page);
    await page.getByText(`This user also has the key ${inactive.accessKeyId} (inactive`).waitFor();
    await page.getByRole('button', { name: 'Rotate access key…' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('IAM allows two access keys per user').waitFor();
    await dialog.getByText('It is inactive, so nothing can be using it: delete it, then rotate.').waitFor();
    expect(await dialog.getByRole('button', { name: /^Rotate and/ }).count()).toBe(0);
    await shoot(h, page, bob, 'main-window-identity-two-keys');
    await dialog.getByRole('button', { name: `Delete ${inactive.accessKeyId.slice(0, 4)}…${inactive.accessKeyId.slice(-4)} and rotate` }).click();
    await page.locator('.callout-success').getByText(`the inactive key ${inactive.accessKeyId} was deleted first`).waitFor();
    expect(emulator().directory.accessKeysOf(bob.user)).toHaveLength(1);
    await expectNoSecretOn(h, bob);
  }, 90_000);

  it("the tray's “Rotate access key for …” opens the identity panel at the rotation confirm", async () => {
    const h = await harness.start();
    await setUpAlice(h);
    const page = h.mainPage();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    const id = h.service.state().identities[0]?.id ?? '';
    h.service.keyHygiene.requestRotation(id);
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Rotate the access key of').waitFor();
    expect(await isFocused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    // Seen once: main forgets the request, and a later state does not reopen it.
    await expect.poll(() => h.service.state().rotationRequest ?? null).toBeNull();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await h.service.settings.update({ renewReminderMinutes: 5 });
    await page.getByRole('button', { name: 'Rotate access key…' }).waitFor();
    expect(await dialog.count()).toBe(0);
  }, 60_000);

  it('the MFA device picker lists the user’s devices and fills the ARN field', async () => {
    const h = await harness.start();
    const page = h.mainPage();
    await page.getByRole('button', { name: 'Add access key…' }).click();
    await page.getByLabel('Label', { exact: true }).fill('ops');
    // Without keys, it says what it needs.
    await page.getByRole('button', { name: 'Find my MFA devices' }).click();
    await page.getByText('Enter the access key id (and its secret) first').waitFor();
    await page.getByLabel('Access key id').fill(bob.accessKeyId);
    await page.getByLabel('Secret access key').fill(bob.secretAccessKey);
    await page.getByRole('button', { name: 'Find my MFA devices' }).click();
    const group = page.getByRole('group', { name: /Your 2 MFA devices/ });
    await group.waitFor();
    await group.getByText('enabled 2025-09-15').waitFor();
    await shoot(h, page, bob, 'main-window-identity-mfa-devices', true);
    await group.getByRole('radio', { name: /bob-backup-phone/ }).check();
    expect(await page.getByLabel('MFA device ARN').inputValue()).toBe('arn:aws:iam::111111111111:mfa/bob-backup-phone');
    await page.getByRole('button', { name: 'Check with AWS and save' }).click();
    await page.locator('#identity-saved').waitFor();
    expect(h.service.state().identities[0]?.mfaSerial).toBe('arn:aws:iam::111111111111:mfa/bob-backup-phone');
    await expectNoSecretOn(h, bob);
  }, 60_000);
});
