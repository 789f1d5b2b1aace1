import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../main/ipc/ipc-contract.js';
import type { AwsAuthTrayApi } from '../../main/ipc/renderer-api.js';
import type { TrayAction } from '../../main/tray/tray-menu-model.js';
import { buildApp, RENDERER_WINDOWS } from '../../scripts/build-app.js';
import { locateElectron } from '../../scripts/electron-binary.js';
import { totpCode } from '../sts-emulator/mfa-verifier.js';
import { startStsEmulator, type StsEmulator } from '../sts-emulator/sts-emulator.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, REFERENCE_PROFILES, TEST_PASSPHRASE } from '../support/core-harness.js';
import { identity, referenceFixture } from '../support/reference-fixture.js';

/**
 * The built app in real Electron (Playwright's `_electron`), against the STS emulator in demo
 * mode: import ~/.aws/config, click "Sign in with MFA…" in the tray (through the main process:
 * native menus cannot be clicked by test tools), type the code in the MFA popup, and see every
 * account verified in the main window.
 *
 * Skipped, saying why, where the Electron binary is not installed (Electron downloads it on the
 * first `npm start`; our CI cannot reach the download server) or where Linux has no display and no
 * Xvfb to make one.
 */
const ROOT = join(import.meta.dirname, '..', '..');

type Lookup<T> = T | { missing: string };

/**
 * Found without loading the `electron` package, whose index.js would try to download the binary
 * (Electron 42+ downloads on first use, not on install) while the tests are being collected.
 */
function electronBinary(): Lookup<{ path: string }> {
  const found = locateElectron();
  if ('missing' in found) return { missing: `${found.missing}; run \`npm start\` once on a machine that can download it, then run this test` };
  return { path: found.path };
}

function onPath(command: string): string | undefined {
  return (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, command)).find((path) => existsSync(path));
}

/** Linux needs an X display for Electron's windows and tray; make one with Xvfb if there is none. */
function displayPlan(): Lookup<{ xvfb: string | undefined }> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return { xvfb: undefined };
  const xvfb = onPath('Xvfb');
  return xvfb ? { xvfb } : { missing: 'no DISPLAY and no Xvfb to create one (apt-get install xvfb)' };
}

const electron = electronBinary();
const display = displayPlan();
const skipReason = 'missing' in electron ? electron.missing : 'missing' in display ? display.missing : undefined;
if (skipReason) console.warn(`SKIP Electron end-to-end test: ${skipReason}`);

/** Xvfb on a display number it picks itself (-displayfd), so parallel runs do not collide. */
async function startXvfb(binary: string): Promise<{ display: string; process: ChildProcess }> {
  const child = spawn(binary, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    const fd = child.stdio[3];
    if (!fd) return reject(new Error('Xvfb: no display fd'));
    fd.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${String(code)}) before choosing a display`)));
    setTimeout(() => reject(new Error('Xvfb did not start within 10 s')), 10_000).unref();
  });
  return { display: `:${number}`, process: child };
}

/** The main process's test hooks (main/app/main.ts, with AWS_AUTH_TRAY_TEST_HOOKS=1). */
interface TestHooks {
  trayAction(action: TrayAction): Promise<void>;
  state(): AppState;
}
type WithHooks = typeof globalThis & { __awsAuthTrayTest?: TestHooks };
type WithApi = typeof globalThis & { awsAuthTray: AwsAuthTrayApi };

describe.skipIf(skipReason !== undefined)(`Electron app end to end${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const fixture = referenceFixture();
  const alice = identity(fixture, 'alice');
  let emulator: StsEmulator;
  let app: ElectronApplication;
  let xvfb: ChildProcess | undefined;
  let home: string;

  const mainState = (): Promise<AppState> =>
    app.evaluate(() => {
      const hooks = (globalThis as WithHooks).__awsAuthTrayTest;
      if (!hooks) throw new Error('AWS_AUTH_TRAY_TEST_HOOKS is not on in the main process');
      return hooks.state();
    });

  beforeAll(async () => {
    if ('missing' in electron || 'missing' in display) return;
    // test/setup/build-app.global.ts builds out/ once per run; build here only if it is missing
    // (rebuilding would race with the renderer tests reading out/ in parallel).
    const built = ['out/main/main.js', 'out/preload/preload.cjs', ...RENDERER_WINDOWS.map((w) => `out/renderer/${w}/index.html`)];
    if (!built.every((path) => existsSync(join(ROOT, path)))) await buildApp({ clean: false });

    emulator = await startStsEmulator({ fixture });
    home = mkdtempSync(join(tmpdir(), 'aat-electron-'));
    let displayEnv: Record<string, string> = {};
    if (display.xvfb) {
      const started = await startXvfb(display.xvfb);
      xvfb = started.process;
      displayEnv = { DISPLAY: started.display };
    }
    // The user's own AWS settings must not leak in; nor ELECTRON_RUN_AS_NODE.
    const env = Object.fromEntries(
      Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('AWS_') && entry[0] !== 'ELECTRON_RUN_AS_NODE'),
    );
    app = await _electron.launch({
      executablePath: electron.path,
      args: [
        '.',
        // A throwaway profile on every OS (XDG_CONFIG_HOME below covers Linux only).
        `--user-data-dir=${join(home, 'user-data')}`,
        // Never the developer's keyring: Linux gets basic_text, so the app uses its passphrase vault.
        ...(process.platform === 'linux' ? ['--password-store=basic'] : []),
        // Chromium refuses to run as root with its sandbox on (CI containers run as root).
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
      cwd: ROOT,
      env: {
        ...env,
        ...displayEnv,
        AWS_ENDPOINT_URL_STS: emulator.url,
        AWS_AUTH_TRAY_TEST_HOOKS: '1',
        AWS_AUTH_TRAY_DEMO: '1',
        AWS_AUTH_TRAY_DEMO_CONFIG: REFERENCE_AWS_CONFIG,
        AWS_AUTH_TRAY_DEMO_CREDENTIALS: REFERENCE_AWS_CREDENTIALS,
        XDG_CONFIG_HOME: join(home, 'config'),
      },
      timeout: 60_000,
    });
  }, 180_000);

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await emulator?.close();
    xvfb?.kill();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('imports the profiles, signs in from the tray with one MFA code, and shows every account verified', async () => {
    // Demo mode opens the main window at start; the hooks are installed once the app is ready.
    const mainWindow = await app.firstWindow({ timeout: 30_000 });
    await mainWindow.waitForURL('app://aws-auth-tray/main-window/index.html', { waitUntil: 'domcontentloaded', timeout: 30_000 });
    await expect.poll(() => app.evaluate(() => (globalThis as WithHooks).__awsAuthTrayTest !== undefined), { timeout: 15_000 }).toBe(true);

    // Without a keyring the vault is sealed with a passphrase: set it, through the window's API.
    if ((await mainState()).storage.locked) {
      const unlocked = await mainWindow.evaluate((passphrase) => (globalThis as WithApi).awsAuthTray.unlockVault({ passphrase }), TEST_PASSPHRASE);
      expect(unlocked).toEqual({ ok: true, value: null });
    }

    // Import the reference ~/.aws/config and alice's keys (AWS_AUTH_TRAY_DEMO_CONFIG/_CREDENTIALS),
    // through the preload's API and the real IPC door: the test hooks have no import.
    const imported = await mainWindow.evaluate(() => (globalThis as WithApi).awsAuthTray.importConfig({ importKeys: true }));
    expect(imported.ok, JSON.stringify(imported)).toBe(true);
    if (imported.ok) {
      expect([...imported.value.profilesAdded, ...imported.value.profilesUpdated].sort()).toEqual([...REFERENCE_PROFILES].sort());
      expect(imported.value).toMatchObject({ identitiesWithoutKeys: [], problems: [] });
    }
    const before = await mainState();
    expect(before.identities.map((i) => [i.label, i.hasSecret])).toEqual([['security', true]]);
    expect(before.session.signedIn).toBe(false);

    // Click "Sign in with MFA…" in the tray. The action resolves only after the code is in, so
    // it is started, not awaited; the popup opens for the code (the only window opened now; its
    // URL is not loaded yet when Playwright first sees it).
    const popupOpened = app.waitForEvent('window', { predicate: (page: Page) => page !== mainWindow, timeout: 30_000 });
    await app.evaluate((_electron, action) => {
      const hooks = (globalThis as WithHooks).__awsAuthTrayTest;
      if (!hooks) throw new Error('AWS_AUTH_TRAY_TEST_HOOKS is not on in the main process');
      void hooks.trayAction(action);
    }, { kind: 'sign-in' } satisfies TrayAction);
    const popup = await popupOpened.catch(async (error: unknown) => {
      // A failed tray action shows no window, only a notice: say which.
      throw new Error(`The MFA popup did not open (${String(error)}); notices: ${JSON.stringify((await mainState()).notices)}`);
    });
    await popup.waitForURL('app://aws-auth-tray/mfa-popup/index.html', { waitUntil: 'domcontentloaded', timeout: 30_000 });
    const codeField = popup.locator('#mfa-code');
    await codeField.waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(async () => (await popup.textContent('body')) ?? '').toContain(alice.accessKeyId);

    // The code alice's phone shows now, on the emulator's clock; the sixth digit submits it.
    const closed = popup.waitForEvent('close', { timeout: 30_000 });
    await codeField.fill(totpCode({ seed: alice.seed }, emulator.clock.now()));
    await closed;

    // Main: signed in, every account verified as what its profile promises.
    await expect.poll(async () => (await mainState()).accounts.map((a) => a.verdict), { timeout: 30_000 }).toEqual(REFERENCE_PROFILES.map(() => 'ok'));
    const after = await mainState();
    expect(after.session).toMatchObject({ signedIn: true, userName: 'alice' });
    expect(after.notices.filter((n) => n.level === 'error')).toEqual([]);
    for (const account of after.accounts) {
      if (account.profile === 'security') expect(account.arn).toBe(alice.arn);
      else expect(account.arn).toMatch(new RegExp(`^arn:aws:sts::${account.expectedAccount ?? '?'}:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+$`));
    }

    // The window shows the table: each profile's row, verified, with the ARN AWS returned.
    for (const account of after.accounts) {
      const row = mainWindow.locator(`tbody[data-profile="${account.profile}"]`);
      await row.getByText('Verified', { exact: true }).waitFor({ timeout: 15_000 });
      await row.locator(`[title="${account.arn ?? ''}"]`).first().waitFor({ timeout: 15_000 });
    }
    // No secret reached the window.
    const html = await mainWindow.content();
    expect(html).not.toContain(alice.secretAccessKey);
  }, 180_000);
});
