import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract } from '../../../main/ipc/ipc-contract.js';

/**
 * The BUILT main process (out/main/main.js) booted in plain Node with a recording stand-in for
 * the `electron` module. This is not Electron (test/e2e/electron-app.test.ts is, where a binary
 * exists); it proves that the bundle loads, starts in the right order, registers every contract
 * channel behind the sender check, hardens the session, builds the tray menu and opens the first
 * window: the start-up failures that would otherwise surface only on a machine with Electron.
 */
const MAIN = new URL('../../../out/main/main.js', import.meta.url).pathname;
const REGISTER = new URL('./stub-electron/register.mjs', import.meta.url).pathname;

type Call = { call: string } & Record<string, unknown>;

/** Boot the built main process under the stand-in, with extra environment; return its calls. */
async function bootMain(home: string, extraEnv: Record<string, string> = {}): Promise<Call[]> {
  const logFile = join(home, 'calls.jsonl');
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    // The app channel's socket in this test's own directory: not the machine's default place,
    // where a developer's running app listens (and where a killed boot would leave a stale socket).
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_RUNTIME_DIR: home, STUB_ELECTRON_LOG: logFile, STUB_ELECTRON_HOME: home, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Wait for the stand-in's "booted" line (or the process dying), then stop it.
  const booted = (): boolean => existsSync(logFile) && readFileSync(logFile, 'utf8').includes('"call":"booted"');
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (booted()) {
        clearInterval(check);
        resolve();
      }
    }, 20);
    // With nothing real to keep it alive, the stubbed process may end right after booting.
    child.once('exit', (code) => {
      clearInterval(check);
      if (booted()) resolve();
      else reject(new Error(`The main process exited (${code ?? 'signal'}) before booting:\n${stderr}`));
    });
  });
  child.kill('SIGKILL');
  return readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Call);
}

/** Every developer switch, on: a packaged build must ignore them all. */
const DEVELOPER_SWITCHES = { AWS_AUTH_TRAY_DEVTOOLS: '1', AWS_AUTH_TRAY_TEST_HOOKS: '1', AWS_AUTH_TRAY_DEMO: '1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' };

describe('main process boot (stubbed Electron)', () => {
  let home: string;
  let calls: Call[];

  beforeAll(async () => {
    expect(existsSync(MAIN), 'out/main/main.js is built by the test setup (npm run build:app)').toBe(true);
    home = mkdtempSync(join(tmpdir(), 'aws-auth-tray-boot-'));
    calls = await bootMain(home);
  });

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const index = (name: string): number => calls.findIndex((c) => c.call === name);
  const all = (name: string): Call[] => calls.filter((c) => c.call === name);

  it('registers the app:// scheme before the app is ready, takes the single-instance lock, hides the dock icon', () => {
    expect(index('protocol.registerSchemesAsPrivileged')).toBeGreaterThanOrEqual(0);
    expect(index('protocol.registerSchemesAsPrivileged')).toBeLessThan(index('app.whenReady'));
    expect(all('protocol.registerSchemesAsPrivileged')).toHaveLength(1);
    expect(index('app.requestSingleInstanceLock')).toBeLessThan(index('app.whenReady'));
    expect(index('app.dock.hide')).toBeGreaterThanOrEqual(0);
    expect(all('protocol.handle')).toEqual([{ call: 'protocol.handle', scheme: 'app' }]);
  });

  it('hardens the session: permissions denied, requests filtered', () => {
    for (const name of ['session.setPermissionRequestHandler', 'session.setPermissionCheckHandler', 'session.setDevicePermissionHandler', 'session.webRequest.onBeforeRequest']) {
      expect(index(name), name).toBeGreaterThanOrEqual(0);
    }
  });

  it('registers every contract channel, answers our page, refuses foreign pages and subframes, validates input', () => {
    expect(all('ipcMain.handle').map((c) => c.channel).sort()).toEqual(Object.keys(ipcContract).sort());
    expect(calls.find((c) => c.call === 'ipc.state:get')?.result).toMatchObject({ ok: true, value: { session: { signedIn: false }, identities: [] } });
    const refused = { ok: false, error: { code: 'untrusted-sender', message: 'This page may not talk to AWS Auth Tray.' } };
    expect(calls.find((c) => c.call === 'ipc.foreign')?.result).toEqual(refused);
    expect(calls.find((c) => c.call === 'ipc.subframe')?.result).toEqual(refused);
    expect(calls.find((c) => c.call === 'ipc.bad-input')?.result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('builds the tray with its menu, and opens the main window on first run, with secure webPreferences', () => {
    expect(calls.find((c) => c.call === 'Tray.new')?.image).toMatch(/out\/icons\/tray-signed-out\.png$/);
    const menu = all('Tray.setContextMenu').at(-1)?.labels as string[];
    expect(menu.slice(0, 2)).toEqual(['Signed out', 'Sign in with MFA…']);
    expect(menu.at(-1)).toBe('Quit');
    expect(all('BrowserWindow.loadURL').map((c) => c.url)).toEqual(['app://aws-auth-tray/main-window/index.html']);
    const options = calls.find((c) => c.call === 'BrowserWindow.new')?.options as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(String(options.webPreferences.preload)).toMatch(/out\/preload\/preload\.cjs$/);
    expect(existsSync(String(options.webPreferences.preload))).toBe(true);
  });

  it('claims the quick switcher\'s global shortcut at start', () => {
    expect(all('globalShortcut.register')).toEqual([{ call: 'globalShortcut.register', accelerator: 'CommandOrControl+Alt+A' }]);
  });
});

describe('a packaged build ignores the developer switches (stubbed Electron, app.isPackaged true)', () => {
  const homes: string[] = [];
  afterAll(() => {
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  async function bootWithSwitches(packaged: boolean): Promise<Call[]> {
    const home = mkdtempSync(join(tmpdir(), 'aws-auth-tray-boot-'));
    homes.push(home);
    return bootMain(home, { ...DEVELOPER_SWITCHES, ...(packaged ? { STUB_ELECTRON_PACKAGED: '1' } : {}) });
  }

  it('packaged: no dev tools in any window, no test hooks, no demo mode', async () => {
    const calls = await bootWithSwitches(true);
    const windows = calls.filter((c) => c.call === 'BrowserWindow.new');
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows) expect((window.options as { webPreferences: { devTools: unknown } }).webPreferences.devTools).toBe(false);
    expect(calls.find((c) => c.call === 'booted')).toEqual({ call: 'booted', testHooks: false });
    expect(calls.filter((c) => c.call === 'app.setPath')).toEqual([]);
  });

  it('unpackaged, the same environment turns them on (so the test above can fail)', async () => {
    const calls = await bootWithSwitches(false);
    const window = calls.find((c) => c.call === 'BrowserWindow.new');
    expect((window?.options as { webPreferences: { devTools: unknown } }).webPreferences.devTools).toBe(true);
    expect(calls.find((c) => c.call === 'booted')).toEqual({ call: 'booted', testHooks: true });
    expect(calls.find((c) => c.call === 'app.setPath')).toMatchObject({ name: 'userData' });
  });
});
