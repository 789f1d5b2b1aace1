import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { WindowsPort } from '../../main/app-services/app-ports.js';
import { AppService, type AppServiceOptions } from '../../main/app-services/app-service.js';
import type { StorageMode } from '../../main/app-services/vault-access.js';
import { SdkAccountAliasReader } from '../../main/core/iam/account-alias-reader.js';
import { SdkIamGateway } from '../../main/core/iam/iam-gateway.js';
import { SdkStsGateway } from '../../main/core/sts/sts-gateway.js';
import { API_EVENTS, API_FUNCTIONS, API_GLOBAL } from '../../main/ipc/api-names.js';
import type { EventName, EventPayloads, Result } from '../../main/ipc/ipc-contract.js';
import { createHandlers, dispatch, type Handlers } from '../../main/ipc/ipc-handlers.js';
import type { StsEmulator } from '../sts-emulator/sts-emulator.js';
import { callerClock, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, TEST_SCRYPT } from '../support/core-harness.js';
import { QUICK_SWITCHER_SIZE } from '../../main/windows/quick-switcher-size.js';
import { installBridge, type BridgeNames } from './page-bridge.js';
import { ClipboardRecorder, ExternalUrlRecorder, FixedFileDialog, LoginItemRecorder, MemorySettingsStore, NotifierRecorder, TestKeychainCipher } from './recording-ports.js';
import { serveRendererBundle, type RendererServer } from './renderer-server.js';

/**
 * The renderer end-to-end harness: the production renderer bundle (out/renderer, built by
 * scripts/build-app.ts) in Chromium, talking through the same contract as in Electron to the
 * real app services, which talk to the STS emulator with the real AWS SDK.
 *
 * - Each page gets `window.awsAuthTray` from an init script built from the preload's names
 *   (API_FUNCTIONS, API_EVENTS); each call goes through one Playwright binding into
 *   `dispatch()` of main/ipc/ipc-handlers.ts, so inputs are validated exactly as in the app.
 * - Events (state:changed, mfa:prompt) are pushed to every open page.
 * - The windows port opens the MFA popup as a second page and closes it when main hides it.
 * - Every contract output (each call's Result and each event's payload) is recorded, so a test
 *   can prove that no secret ever reached a page.
 */

export const MAIN_WINDOW_SIZE = { width: 1040, height: 680 } as const;
export const POPUP_SIZE = { width: 380, height: 330 } as const;

const BRIDGE: BridgeNames = {
  functions: API_FUNCTIONS,
  events: API_EVENTS,
  global: API_GLOBAL,
  invoke: '__aatInvoke',
  emit: '__aatEmit',
};

export type RecordedOutput =
  | { kind: 'result'; channel: string; result: Result<unknown> }
  | { kind: 'event'; event: EventName; payload: EventPayloads[EventName] };

export interface AppHarnessOptions {
  emulator: StsEmulator;
  browser: Browser;
  /** out/renderer by default. */
  rendererDir?: string;
  /** Demo mode: the popup shows the emulator's current code. */
  demo?: boolean;
  /** Keychain (the default) or the passphrase vault with this explanation. */
  storage?: { protection: 'keychain' } | { protection: 'passphrase'; explanation: string };
  /** Reuse a vault directory (it is then not removed on close). */
  vaultDir?: string;
  colorScheme?: 'light' | 'dark';
  /** The app's environment (PATH: where it finds ykman and mfa_process programs); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How an access key rotation's proof waits, and a hook after each step (a test can hold a rotation at a step). */
  keyRotation?: AppServiceOptions['keyRotation'];
}

type PageText = { url: string; html: string; inputValues: string[] };

/** Reads what a page shows: its HTML and the values of its fields (not in the HTML). */
function readPageText(page: Page): Promise<PageText> {
  return page.evaluate(() => {
    const doc = (
      globalThis as unknown as {
        document: { documentElement: { outerHTML: string }; querySelectorAll(selector: string): ArrayLike<{ value: string }> };
        location: { href: string };
      }
    ).document;
    const href = (globalThis as unknown as { location: { href: string } }).location.href;
    return { url: href, html: doc.documentElement.outerHTML, inputValues: Array.from(doc.querySelectorAll('input, textarea, select'), (el) => el.value) };
  });
}

export class AppHarness implements WindowsPort {
  readonly outputs: RecordedOutput[] = [];
  /** Every URL any page of the context requested. */
  readonly requestedUrls: string[] = [];
  /** What each popup page showed just before it was closed. */
  readonly closedPageTexts: PageText[] = [];
  readonly clipboard = new ClipboardRecorder();
  readonly notifier = new NotifierRecorder();
  readonly loginItem = new LoginItemRecorder();
  readonly settingsStore = new MemorySettingsStore();
  readonly fileDialog = new FixedFileDialog(REFERENCE_AWS_CONFIG);
  /** The default browser: the console sign-in links the app opened. */
  readonly externalUrl = new ExternalUrlRecorder();
  readonly windowCalls: ('showMfaPopup' | 'hideMfaPopup' | 'showMainWindow' | 'showQuickSwitcher' | 'hideQuickSwitcher')[] = [];
  readonly service: AppService;
  readonly handlers: Handlers;
  readonly vaultDir: string;
  /** This harness's own runtime directory (mode 0700), for the app channel's socket. */
  private readonly runtimeDir: string;
  private readonly ownsVaultDir: boolean;
  private context!: BrowserContext;
  private server!: RendererServer;
  private main: Page | undefined;
  private popupPage: Page | undefined;
  private wantPopup = false;
  private popupWork: Promise<void> = Promise.resolve();
  private switcherPage: Page | undefined;
  private switcherWork: Promise<void> = Promise.resolve();
  private popupWaiters: ((page: Page) => void)[] = [];
  private closeWaiters: (() => void)[] = [];
  private readonly deliveries = new Map<Page, Promise<void>>();
  private readonly pageErrors: string[] = [];

  private constructor(private readonly options: AppHarnessOptions) {
    this.ownsVaultDir = options.vaultDir === undefined;
    this.vaultDir = options.vaultDir ?? mkdtempSync(join(tmpdir(), 'aws-auth-tray-renderer-'));
    this.runtimeDir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-runtime-'));
    const keychain = new TestKeychainCipher();
    const storage: StorageMode =
      options.storage?.protection === 'passphrase' ? { protection: 'passphrase', explanation: options.storage.explanation } : { protection: 'keychain', cipher: () => keychain };
    const emulator = options.emulator;
    this.service = new AppService({
      vaultDir: this.vaultDir,
      storage,
      sts: new SdkStsGateway({ endpoint: emulator.url }),
      // IAM (the account aliases) answers on the emulator's address too.
      accountAliases: new SdkAccountAliasReader({ endpoint: emulator.url }),
      // The user's own keys and MFA devices (key age, rotation), on the emulator's IAM.
      iam: new SdkIamGateway({ endpoint: emulator.url }),
      keyRotation: options.keyRotation,
      clock: callerClock(emulator),
      ...(options.env ? { env: options.env } : {}),
      awsConfigFile: REFERENCE_AWS_CONFIG,
      awsCredentialsFile: REFERENCE_AWS_CREDENTIALS,
      passphraseParams: TEST_SCRYPT,
      demoMfaCode: options.demo ? (serial) => Promise.resolve(emulator.mfaCode(serial)?.code ?? null) : undefined,
      // The credential endpoint and app channel run as in the app, on a private socket of this
      // harness (a shared one would be another agent's: the app channel refuses a live socket).
      servers: { appChannelPath: join(this.runtimeDir, 'app.sock'), appChannelTokenFile: join(this.runtimeDir, 'app.token') },
      ports: {
        clipboard: this.clipboard,
        notifier: this.notifier,
        windows: this,
        loginItem: this.loginItem,
        fileDialog: this.fileDialog,
        settingsStore: this.settingsStore,
        externalUrl: this.externalUrl,
      },
      // The console signs in at the emulator's federation endpoint, as in demo mode.
      console: { stsEndpoint: emulator.url, allowLoopback: true },
    });
    this.handlers = createHandlers(this.service, {
      openMainWindow: () => this.showMainWindow(),
      showMfaPopup: () => this.showMfaPopup(),
      hideQuickSwitcher: () => this.hideQuickSwitcher(),
    });
    this.service.onStateChange((state) => this.broadcast('state:changed', state));
    this.service.mfa.onChange((view) => this.broadcast('mfa:prompt', view));
  }

  static async start(options: AppHarnessOptions): Promise<AppHarness> {
    const harness = new AppHarness(options);
    await harness.open();
    await harness.service.servers.start();
    // As main.ts does: a keychain vault is open, so an interrupted rotation is finished now.
    if (harness.service.vaultAccess.unlocked) await harness.service.keyHygiene.recover();
    return harness;
  }

  private async open(): Promise<void> {
    this.server = await serveRendererBundle(this.options.rendererDir ?? 'out/renderer');
    this.context = await this.options.browser.newContext({
      viewport: MAIN_WINDOW_SIZE,
      colorScheme: this.options.colorScheme ?? 'light',
      locale: 'en-GB',
      reducedMotion: 'reduce',
    });
    this.context.on('request', (request) => this.requestedUrls.push(request.url()));
    this.context.on('page', (page) => {
      page.on('pageerror', (error) => this.pageErrors.push(`${page.url()}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') {
          this.pageErrors.push(`${page.url()}: console: ${message.text()}`);
        }
      });
    });
    await this.context.exposeBinding(BRIDGE.invoke, async (_source, channel: unknown, input: unknown) => {
      const result = await dispatch(this.handlers, String(channel), input);
      this.outputs.push({ kind: 'result', channel: String(channel), result: structuredClone(result) });
      return result;
    });
    await this.context.addInitScript(installBridge, BRIDGE);
    await this.openMain();
  }

  private async openMain(): Promise<Page> {
    const page = await this.context.newPage();
    this.main = page;
    page.on('close', () => {
      if (this.main === page) this.main = undefined;
    });
    await page.goto(this.server.urlOf('main-window'));
    return page;
  }

  // ---- what tests use ----

  get rendererOrigin(): string {
    return this.server.origin;
  }

  urlOf(window: 'main-window' | 'mfa-popup' | 'quick-switcher'): string {
    return this.server.urlOf(window);
  }

  /** Paths the renderer server was asked for. */
  get servedPaths(): readonly string[] {
    return this.server.requests;
  }

  /** Uncaught errors and console errors of any page. */
  get errors(): readonly string[] {
    return this.pageErrors;
  }

  /** The errors so far, forgotten (for a test that provokes some on purpose). */
  takeErrors(): string[] {
    return this.pageErrors.splice(0);
  }

  mainPage(): Page {
    if (!this.main) throw new Error('The main window is not open.');
    return this.main;
  }

  /** The open MFA popup, if any. */
  get popup(): Page | undefined {
    return this.popupPage;
  }

  /** The popup once it is open (now, or when main next shows it), loaded. */
  waitForPopup(): Promise<Page> {
    if (this.popupPage) return Promise.resolve(this.popupPage);
    return new Promise((resolve) => this.popupWaiters.push(resolve));
  }

  /** Resolves once main has hidden the popup and its page is closed. */
  async waitForPopupClosed(): Promise<void> {
    if (!this.wantPopup && !this.popupPage) {
      await this.popupWork;
      return;
    }
    await new Promise<void>((resolve) => this.closeWaiters.push(resolve));
  }

  /** Calls `window.awsAuthTray[name](input)` in a page, as the renderer would (no type checks: tests send bad input on purpose). */
  invokeFromPage(page: Page, name: keyof typeof API_FUNCTIONS, input?: unknown): Promise<Result<unknown>> {
    return page.evaluate(
      ({ global, fn, value }) => {
        const bridge = (globalThis as unknown as Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>)[global];
        const call = bridge?.[fn];
        if (!call) throw new Error(`window.${global}.${fn} is missing`);
        return call(value);
      },
      { global: API_GLOBAL, fn: name, value: input },
    );
  }

  /** What every open page shows now, plus what closed popups showed before closing. */
  async pageTexts(): Promise<PageText[]> {
    // Let a popup or switcher that main is closing finish closing: its text is read just before.
    await Promise.all([this.popupWork, this.switcherWork]);
    const open = this.context.pages().filter((p) => !p.isClosed());
    const texts = await Promise.all(
      open.map(async (page) => {
        try {
          return await readPageText(page);
        } catch (error) {
          if (page.isClosed()) return undefined;
          throw error;
        }
      }),
    );
    return [...this.closedPageTexts, ...texts.filter((t): t is PageText => t !== undefined)];
  }

  // ---- the windows port ----

  showMainWindow(): void {
    this.windowCalls.push('showMainWindow');
    if (!this.main) {
      this.openMain().catch((error: unknown) => this.pageErrors.push(`opening the main window failed: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  showMfaPopup(): void {
    this.windowCalls.push('showMfaPopup');
    this.wantPopup = true;
    this.syncPopup();
  }

  hideMfaPopup(): void {
    this.windowCalls.push('hideMfaPopup');
    this.wantPopup = false;
    this.syncPopup();
  }

  showQuickSwitcher(): void {
    this.windowCalls.push('showQuickSwitcher');
    this.switcherWork = this.switcherWork
      .then(async () => {
        if (this.switcherPage) return;
        const page = await this.context.newPage();
        await page.setViewportSize(QUICK_SWITCHER_SIZE);
        await page.goto(this.server.urlOf('quick-switcher'));
        this.switcherPage = page;
      })
      .catch((error: unknown) => void this.pageErrors.push(`the quick switcher could not be opened: ${error instanceof Error ? error.message : String(error)}`));
  }

  hideQuickSwitcher(): void {
    this.windowCalls.push('hideQuickSwitcher');
    this.switcherWork = this.switcherWork
      .then(async () => {
        const page = this.switcherPage;
        this.switcherPage = undefined;
        if (!page) return;
        await this.deliveries.get(page);
        this.closedPageTexts.push(await readPageText(page).catch(() => ({ url: page.url(), html: '', inputValues: [] })));
        await page.close();
      })
      .catch((error: unknown) => void this.pageErrors.push(`the quick switcher could not be closed: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** The quick switcher as the global shortcut opens it, loaded. */
  async openQuickSwitcher(): Promise<Page> {
    this.showQuickSwitcher();
    await this.switcherWork;
    if (!this.switcherPage) throw new Error(`The quick switcher did not open: ${this.pageErrors.join('; ')}`);
    return this.switcherPage;
  }

  /** The open quick switcher, once any pending open or close has happened. */
  async quickSwitcher(): Promise<Page | undefined> {
    await this.switcherWork;
    return this.switcherPage;
  }

  /** Open or close the popup page to match what main asked for last, one step at a time. */
  private syncPopup(): void {
    this.popupWork = this.popupWork.then(async () => {
      if (this.wantPopup && !this.popupPage) {
        const page = await this.context.newPage();
        await page.setViewportSize(POPUP_SIZE);
        page.on('close', () => {
          if (this.popupPage === page) this.popupPage = undefined;
          for (const resolve of this.closeWaiters.splice(0)) resolve();
        });
        await page.goto(this.server.urlOf('mfa-popup'));
        this.popupPage = page;
        for (const resolve of this.popupWaiters.splice(0)) resolve(page);
      } else if (!this.wantPopup && this.popupPage) {
        const page = this.popupPage;
        this.popupPage = undefined;
        await this.deliveries.get(page);
        this.closedPageTexts.push(await readPageText(page).catch(() => ({ url: page.url(), html: '', inputValues: [] })));
        await page.close();
      }
    });
    // A failed step is reported, and the next one still runs.
    this.popupWork = this.popupWork.catch((error: unknown) => {
      this.pageErrors.push(`the MFA popup could not be ${this.wantPopup ? 'opened' : 'closed'}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** The tray's "All accounts…" with the main window open: main sends it window:focus-search. */
  focusSearch(): void {
    this.broadcast('window:focus-search', null);
  }

  // ---- events ----

  private broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    const copy = structuredClone(payload);
    this.outputs.push({ kind: 'event', event, payload: copy });
    for (const page of this.context.pages()) {
      // One page's events arrive in order: each delivery waits for the one before it.
      const previous = this.deliveries.get(page) ?? Promise.resolve();
      const next = previous
        .then(() =>
          page.evaluate(
            ({ emit, name, value }) => {
              const deliver = (globalThis as unknown as Record<string, ((event: string, payload: unknown) => void) | undefined>)[emit];
              deliver?.(name, value);
            },
            { emit: BRIDGE.emit, name: event, value: copy },
          ),
        )
        .catch(() => undefined);
      this.deliveries.set(page, next);
    }
  }

  async close(): Promise<void> {
    await this.service.shutdown();
    await this.context?.close();
    await this.server?.close();
    if (this.ownsVaultDir) rmSync(this.vaultDir, { recursive: true, force: true });
    rmSync(this.runtimeDir, { recursive: true, force: true });
  }
}
