import { systemClock, type Clock } from '../core/clock.js';
import { AccountAliasLookup } from '../core/iam/account-alias-lookup.js';
import { AutomaticMfaPrompter } from '../core/mfa-codes/automatic-mfa-prompter.js';
import { HardwareCodes } from '../core/mfa-codes/mfa-code-source.js';
import type { AccountAliasReader } from '../core/iam/account-alias-reader.js';
import type { IamGateway } from '../core/iam/iam-gateway.js';
import { SessionManager } from '../core/sessions/session-manager.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import type { AppState } from '../ipc/ipc-contract.js';
import type { AppPorts } from './app-ports.js';
import { AppSettings } from './app-settings.js';
import { AppStateView } from './app-state-view.js';
import { ConsoleOpener, type ConsoleOpenerOptions } from './console-opener.js';
import { CredentialCopier } from './credential-copier.js';
import { IdentityService } from './identity-service.js';
import { KeyHygieneService, type KeyHygieneDeps } from './key-hygiene-service.js';
import { LocalServers, type ServerLocations } from './local-servers.js';
import { MfaPopup } from './mfa-popup.js';
import { MfaPromptBroker } from './mfa-prompt-broker.js';
import { NoticesStore } from './notices-store.js';
import { ProfilePreferences } from './profile-preferences.js';
import { SessionActivity } from './session-activity.js';
import { SessionEndingReminder, type SetTimer } from './session-ending-reminder.js';
import { SessionExpiryTimer } from './session-expiry-timer.js';
import { SessionService } from './session-service.js';
import { SettingsService } from './settings-service.js';
import { StateFeed, type StateListener } from './state-feed.js';
import { SwitcherShortcut } from './switcher-shortcut.js';
import { VaultAccess, type VaultAccessOptions } from './vault-access.js';

/**
 * Everything the app does, behind the IPC contract and the tray menu: the vault, signing in
 * with one MFA code (through the popup), verifying every account, copying export commands,
 * settings. Plain Node: Electron reaches it only through the ports, so the browser test
 * harness drives exactly this against the STS emulator.
 *
 * This is the composition root: it builds one object per concern, hands each what it needs,
 * and exposes them; callers use the concern (`service.sessions.signIn()`). Only what spans
 * concerns is here: the state, unlocking (which starts the servers), and shutting down.
 */

/** Where the vault is and how it is sealed (vault-access.ts), and what the app talks to. */
export interface AppServiceOptions extends Omit<VaultAccessOptions, 'clock'> {
  sts: StsGateway;
  /** Reads each account's alias (IAM ListAccountAliases) while verifying; absent: no aliases. */
  accountAliases?: AccountAliasReader | undefined;
  /** IAM for the user's own access keys and MFA devices (key age, rotation); absent: neither. */
  iam?: IamGateway | undefined;
  /** How a rotation's proof waits, and a hook after each step (tests: the emulator's clock, a simulated crash). */
  keyRotation?: KeyHygieneDeps['rotation'];
  ports: AppPorts;
  clock?: Clock | undefined;
  /** Demo mode: the code the emulator's virtual device shows, for the popup. */
  demoMfaCode?: ((serialNumber: string) => Promise<string | null>) | undefined;
  awsConfigFile?: string | undefined;
  awsCredentialsFile?: string | undefined;
  /**
   * The local credential endpoint (TCP, for SDKs) and the app channel (socket, for the command
   * line), started once the vault is unlocked; omit to run without them.
   */
  servers?: ServerLocations | undefined;
  /** The environment the installed command line, ykman and mfa_process programs are looked for in (PATH); default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** The timer of the session-ending reminder (tests drive it by hand). */
  reminderTimer?: SetTimer | undefined;
  /** The AWS console's sign-in (federation endpoint, emulator in demo mode): see console-opener.ts. */
  console?: ConsoleOpenerOptions | undefined;
}

export class AppService {
  readonly notices: NoticesStore;
  readonly vaultAccess: VaultAccess;
  readonly mfa: MfaPopup;
  readonly copier: CredentialCopier;
  /** Opens a profile's AWS console in the default browser. */
  readonly console: ConsoleOpener;
  readonly servers: LocalServers;
  readonly identities: IdentityService;
  readonly sessions: SessionService;
  readonly settings: SettingsService;
  /** Favourites and groups, set from the window. */
  readonly profilePreferences: ProfilePreferences;
  /** Access key age and last use, rotation, the user's MFA devices. */
  readonly keyHygiene: KeyHygieneService;
  private readonly feed: StateFeed;
  private readonly view: AppStateView;
  private readonly expiry: SessionExpiryTimer;
  private readonly reminder: SessionEndingReminder;
  /** The quick switcher's global shortcut (when the desktop offers global shortcuts). */
  readonly switcherShortcut: SwitcherShortcut | undefined;

  constructor(options: AppServiceOptions) {
    const { sts, ports } = options;
    const clock = options.clock ?? systemClock;
    // Every concern reports its changes here; the feed builds the state only on a change, and
    // nothing changes before this constructor has finished.
    const changes = (this.feed = new StateFeed(() => this.view.state()));
    this.notices = new NoticesStore(changes);
    const { vaultDir, storage, createStore, passphraseParams } = options;
    this.vaultAccess = new VaultAccess({ vaultDir, storage, clock, createStore, passphraseParams }, this.notices, changes);
    const vault = this.vaultAccess.vault;
    const settings = new AppSettings(ports.settingsStore);
    // Hardware MFA: mfa_process runs before the popup is shown; the popup offers a YubiKey ykman holds.
    const hardware = new HardwareCodes({ env: options.env });
    const broker = new MfaPromptBroker(options.demoMfaCode, hardware);
    const sessionManager = new SessionManager({ vault, sts, prompter: new AutomaticMfaPrompter(broker, { codes: hardware }), clock });
    const aliases = options.accountAliases ? new AccountAliasLookup({ vault, reader: options.accountAliases }) : undefined;
    const activity = new SessionActivity();
    this.keyHygiene = new KeyHygieneService({ vaultAccess: this.vaultAccess, sessions: sessionManager, sts, iam: options.iam, notices: this.notices, changes, clock, rotation: options.keyRotation });

    this.mfa = new MfaPopup(broker, ports.windows);
    this.copier = new CredentialCopier({
      clipboard: ports.clipboard,
      notifier: ports.notifier,
      settings,
      vaultAccess: this.vaultAccess,
      sessions: sessionManager,
      changes,
    });
    this.console = new ConsoleOpener({ vaultAccess: this.vaultAccess, sessions: sessionManager, externalUrl: ports.externalUrl, options: options.console ?? {} });
    this.servers = new LocalServers({
      locations: options.servers,
      vaultAccess: this.vaultAccess,
      sessions: sessionManager,
      sts,
      aliases,
      settings,
      notices: this.notices,
      copier: this.copier,
      console: this.console,
      changes,
      env: options.env,
    });
    this.view = new AppStateView({
      vaultAccess: this.vaultAccess,
      activity,
      settings,
      servers: this.servers,
      notices: this.notices,
      clock,
      demo: options.demoMfaCode !== undefined,
      keyHygiene: this.keyHygiene,
    });
    this.identities = new IdentityService({
      vaultAccess: this.vaultAccess,
      sts,
      activity,
      fileDialog: ports.fileDialog,
      awsConfigFile: options.awsConfigFile,
      awsCredentialsFile: options.awsCredentialsFile,
      changes,
    });
    this.sessions = new SessionService({
      vaultAccess: this.vaultAccess,
      sessions: sessionManager,
      prompts: broker,
      sts,
      aliases,
      activity,
      notices: this.notices,
      view: this.view,
      changes,
    });
    this.settings = new SettingsService({ settings, loginItem: ports.loginItem, vaultAccess: this.vaultAccess, servers: this.servers, changes });
    this.profilePreferences = new ProfilePreferences({ vaultAccess: this.vaultAccess, changes });
    this.expiry = new SessionExpiryTimer(vault, clock, changes);
    this.reminder = new SessionEndingReminder({
      vault: () => (this.vaultAccess.unlocked ? vault : undefined),
      clock,
      notifier: ports.notifier,
      minutesBefore: () => settings.current.renewReminderMinutes,
      renew: () => void this.sessions.signIn('notification').catch((error: unknown) => this.notices.report(error)),
      setTimer: options.reminderTimer,
    });
    // The first listeners: the timers are set for the next expiry before anyone gets the new state.
    this.feed.onStateChange(() => this.expiry.schedule());
    this.feed.onStateChange(() => this.reminder.schedule());
    // A new MFA session (a sign-in) has the key's age and last use read from IAM, after the push.
    this.feed.onStateChange(() => this.keyHygiene.noticeSignIns());
    const shortcuts = ports.globalShortcut;
    this.switcherShortcut = shortcuts
      ? new SwitcherShortcut({ port: shortcuts, settings, notices: this.notices, changes, open: () => ports.windows.showQuickSwitcher() })
      : undefined;
    // A changed setting takes effect at once (apply does nothing while the shortcut is unchanged).
    this.feed.onStateChange(() => this.switcherShortcut?.apply());
  }

  state(): AppState {
    return this.view.state();
  }

  onStateChange(listener: StateListener): () => void {
    return this.feed.onStateChange(listener);
  }

  /** Unlock the passphrase vault, then start the servers that were waiting for it. */
  async unlockVault(passphrase: string): Promise<void> {
    if (await this.vaultAccess.unlock(passphrase)) {
      await this.servers.start();
      // A rotation a crash interrupted is finished or rolled back now (its sentence a notice).
      void this.keyHygiene.recover();
    }
  }

  /** On quit: close prompts and servers, clear our clipboard contents, write pending sessions. */
  async shutdown(): Promise<void> {
    this.mfa.cancelAll();
    await this.servers.stop();
    await this.copier.clearOnQuit();
    this.expiry.stop();
    this.reminder.stop();
    this.switcherShortcut?.release();
    await this.vaultAccess.vault.flush();
  }
}
