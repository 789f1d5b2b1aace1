import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import type { Cipher } from '../core/crypto/cipher.js';
import { PassphraseCipher } from '../core/crypto/passphrase-cipher.js';
import { startAppChannel, startCredentialEndpoint, type RunningServer } from '../core/endpoint/credential-server.js';
import { autoRefreshSetup, type AutoRefreshFormat } from '../core/exports/auto-refresh-setup.js';
import { formatCredentials, type ExportFormat } from '../core/exports/credential-exports.js';
import { parseArn } from '../core/profiles/arn.js';
import { applyConfigImport } from '../core/profiles/apply-config-import.js';
import { importAwsConfig, readCredentialsProfile } from '../core/profiles/aws-config-import.js';
import type { Requester } from '../core/sessions/mfa-prompter.js';
import { SessionManager } from '../core/sessions/session-manager.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import { isUserFacingError, UserFacingError } from '../core/user-facing-error.js';
import { expectedIdentity, verifyAccounts, type VerificationResult } from '../core/verification/verify-accounts.js';
import type { StoreFactory } from '../core/vault/vault-file.js';
import { Vault } from '../core/vault/vault.js';
import {
  DEFAULT_SETTINGS,
  type AccountRow,
  type AppState,
  type CopyResultView,
  type EndpointView,
  type IdentityInput,
  type IdentitySavedView,
  type ImportResultView,
  type MfaPromptView,
  type Notice,
  type Settings,
} from '../ipc/ipc-contract.js';
import type { AppPorts } from './app-ports.js';
import { ClipboardGuard } from './clipboard-guard.js';
import { MfaPromptBroker } from './mfa-prompt-broker.js';

/**
 * Everything the app does, behind the IPC contract and the tray menu: the vault, signing in
 * with one MFA code (through the popup), verifying every account, copying export commands,
 * settings. Plain Node: Electron reaches it only through the ports, so the browser test
 * harness drives exactly this class against the STS emulator.
 */

export type StorageMode =
  /** Secrets sealed by the OS keychain (Electron safeStorage). */
  | { protection: 'keychain'; cipher: () => Cipher }
  /** No keyring (Linux basic_text): the user's passphrase seals them. */
  | { protection: 'passphrase'; explanation: string };

export interface AppServiceOptions {
  vaultDir: string;
  storage: StorageMode;
  sts: StsGateway;
  ports: AppPorts;
  clock?: Clock | undefined;
  /** The store the vault is kept in (electron-store in the app); default conf. */
  createStore?: StoreFactory | undefined;
  /** Demo mode: the code the emulator's virtual device shows, for the popup. */
  demoMfaCode?: ((serialNumber: string) => Promise<string | null>) | undefined;
  awsConfigFile?: string | undefined;
  awsCredentialsFile?: string | undefined;
  /** Passphrase cost parameters; only tests lower them. */
  passphraseParams?: ConstructorParameters<typeof PassphraseCipher>[2];
  /**
   * The local credential endpoint (TCP, for SDKs) and the app channel (socket, for the command
   * line), started once the vault is unlocked; omit to run without them.
   */
  servers?: { appChannelPath: string; appChannelTokenFile: string } | undefined;
}

type Listener = (state: AppState) => void;

/** How formats are named to people (notifications). */
const FORMAT_NAMES: Record<ExportFormat | Exclude<AutoRefreshFormat, 'aws-config'>, string> = {
  bash: 'bash',
  zsh: 'zsh',
  fish: 'fish',
  powershell: 'PowerShell',
  cmd: 'cmd',
  dotenv: '.env',
  json: 'credential_process JSON',
  ini: 'credentials file',
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AppService {
  readonly broker: MfaPromptBroker;
  readonly sessions: SessionManager;
  readonly vault: Vault;
  private readonly clock: Clock;
  private readonly clipboard: ClipboardGuard;
  private readonly listeners = new Set<Listener>();
  private readonly results = new Map<string, VerificationResult>();
  private readonly verifying = new Set<string>();
  private notices: Notice[] = [];
  private settings: Settings;
  private signingIn = false;
  private passphrase: string | undefined;
  private unlocked: boolean;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private lastCopied: string | undefined;
  private endpoint: RunningServer | undefined;
  private channel: RunningServer | undefined;
  private endpointToken = '';
  private endpointError: string | null = null;
  private serversStarting: Promise<void> | undefined;

  constructor(private readonly options: AppServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.clipboard = new ClipboardGuard(options.ports.clipboard);
    this.broker = new MfaPromptBroker(options.demoMfaCode);
    this.unlocked = options.storage.protection === 'keychain';
    const { vault, notice } = Vault.open(options.vaultDir, (header) => this.cipherFor(header?.kind, header?.salt), this.clock, options.createStore);
    this.vault = vault;
    if (notice) this.addNotice('warning', notice);
    this.settings = { ...DEFAULT_SETTINGS, ...options.ports.settingsStore.read() };
    this.sessions = new SessionManager({ vault, sts: options.sts, prompter: this.broker, clock: this.clock });
    this.broker.onChange((view) => (view ? options.ports.windows.showMfaPopup() : options.ports.windows.hideMfaPopup()));
    if (options.storage.protection === 'passphrase' && options.storage.explanation) this.addNotice('info', options.storage.explanation);
  }

  // ---- terminals: the credential endpoint and the app channel ----

  /** Start both servers (once the vault is unlocked); failures become a sentence in the state. */
  startServers(): Promise<void> {
    const servers = this.options.servers;
    if (!servers || !this.unlocked) return Promise.resolve();
    this.serversStarting ??= (async () => {
      const stored = await this.vault.secret('endpoint-token');
      this.endpointToken = stored ?? randomBytes(32).toString('base64url');
      if (!stored) await this.vault.setSecret('endpoint-token', this.endpointToken);
      await this.startEndpoint();
      try {
        const channelToken = randomBytes(32).toString('base64url');
        mkdirSync(dirname(servers.appChannelTokenFile), { recursive: true, mode: 0o700 });
        writeFileSync(servers.appChannelTokenFile, channelToken, { mode: 0o600 });
        this.channel = await startAppChannel(
          {
            sessions: this.sessions,
            token: () => channelToken,
            requester: (profile) => this.requester('command-line', `aws-auth-tray in a terminal (${profile})`),
            verify: (profiles, requester) =>
              verifyAccounts({ vault: this.vault, sessions: this.sessions, sts: this.options.sts }, { requester, ...(profiles ? { profiles } : {}) }),
          },
          servers.appChannelPath,
        );
      } catch (error) {
        this.addNotice('warning', `The command line cannot reach this app (${message(error)}); aws-auth-tray will use its own vault until the app restarts.`);
      }
      this.changed();
    })();
    return this.serversStarting;
  }

  private async startEndpoint(): Promise<void> {
    const port = this.settings.endpointPort;
    try {
      this.endpoint = await startCredentialEndpoint(
        {
          sessions: this.sessions,
          token: () => this.endpointToken,
          requester: (profile) => this.requester('terminal', `a terminal using profile ${profile}`),
        },
        port ?? 0,
      );
      this.endpointError = null;
      if (port === null && this.endpoint.port !== undefined) {
        this.settings = { ...this.settings, endpointPort: this.endpoint.port };
        this.options.ports.settingsStore.write(this.settings);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.endpointError =
        code === 'EADDRINUSE'
          ? `Port ${port ?? '?'} on 127.0.0.1 is taken by another program, so terminals cannot refresh their credentials. Choose another port in Settings.`
          : `The credential endpoint could not start: ${message(error)}`;
    }
  }

  private endpointView(): EndpointView {
    return { url: this.endpoint?.address ?? null, error: this.endpointError };
  }

  /** A new token: terminals set up with the old one get a sentence telling them to copy the setup again. */
  async rotateEndpointToken(): Promise<EndpointView> {
    this.requireUnlocked();
    this.endpointToken = randomBytes(32).toString('base64url');
    await this.vault.setSecret('endpoint-token', this.endpointToken);
    this.changed();
    return this.endpointView();
  }

  /** The lines that point a terminal at the endpoint for this profile, to the clipboard. */
  async copyAutoRefreshSetup(profile: string, format: AutoRefreshFormat): Promise<CopyResultView> {
    this.requireUnlocked();
    await this.startServers();
    const stored = this.vault.profile(profile);
    if (!stored) throw new UserFacingError('profile-missing', `There is no profile "${profile}".`);
    if (!this.endpoint) throw new UserFacingError('endpoint-down', this.endpointError ?? 'The credential endpoint is not running.');
    const identity = this.vault.identity(stored.identityId);
    const region = stored.region ?? identity?.region;
    const text = autoRefreshSetup(format, { profile, endpoint: this.endpoint.address, token: this.endpointToken, region });
    const seconds = this.settings.clipboardClearSeconds;
    await this.clipboard.copy(text, seconds);
    this.lastCopied = text;
    const name = format === 'aws-config' ? '~/.aws/config snippet' : FORMAT_NAMES[format];
    this.options.ports.notifier.notify('AWS Auth Tray', `Copied auto-refresh setup for ${profile} (${name}); clipboard clears in ${seconds} s`);
    return { profile, format, clearsInSeconds: seconds };
  }

  private async stopServers(): Promise<void> {
    await Promise.all([this.endpoint?.close(), this.channel?.close()]);
    this.endpoint = undefined;
    this.channel = undefined;
    this.serversStarting = undefined;
    if (this.options.servers) rmSync(this.options.servers.appChannelTokenFile, { force: true });
  }

  private cipherFor(kind: string | undefined, salt: string | undefined): Cipher {
    const storage = this.options.storage;
    if (storage.protection === 'keychain' && (kind === undefined || kind !== 'passphrase')) return storage.cipher();
    if (this.passphrase === undefined) {
      throw new UserFacingError('vault-locked', 'The vault is locked: enter its passphrase to unlock it.');
    }
    return new PassphraseCipher(this.passphrase, salt, this.options.passphraseParams);
  }

  // ---- state ----

  onStateChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onMfaPrompt(listener: (view: MfaPromptView | null) => void): () => void {
    return this.broker.onChange(listener);
  }

  private changed(): void {
    const state = this.state();
    this.scheduleExpiryRefresh();
    for (const listener of this.listeners) listener(state);
  }

  private addNotice(level: Notice['level'], text: string): void {
    if (this.notices.some((n) => n.message === text)) return;
    this.notices = [...this.notices.slice(-4), { id: randomUUID(), level, message: text }];
  }

  /** Re-send the state when the next session expires, so every view flips to "expired" on time. */
  private scheduleExpiryRefresh(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const now = this.clock.now().getTime();
    const { mfa, roles } = this.vault.sessionMetadata();
    const next = [...Object.values(mfa), ...Object.values(roles)]
      .map((s) => new Date(s.expiration).getTime())
      .filter((t) => t > now)
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    this.expiryTimer = setTimeout(() => this.changed(), Math.min(next - now + 1000, 2 ** 31 - 1));
    (this.expiryTimer as { unref?: () => void }).unref?.();
  }

  state(): AppState {
    const now = this.clock.now().getTime();
    const identities = this.vault.identities();
    const profiles = this.vault.profiles();
    const sessions = this.vault.sessionMetadata();
    const live = (iso: string | undefined): string | null => (iso && new Date(iso).getTime() > now ? iso : null);

    const signedInIdentity = identities.find((i) => live(sessions.mfa[i.id]?.expiration));
    const ownProfile = signedInIdentity ? profiles.find((p) => p.identityId === signedInIdentity.id && !p.roleArn) : undefined;
    const verifiedArn = ownProfile ? this.results.get(ownProfile.name)?.arn : undefined;
    const userName =
      (verifiedArn ? parseArn(verifiedArn)?.resource.split('/').at(-1) : undefined) ??
      (signedInIdentity?.mfaSerial ? parseArn(signedInIdentity.mfaSerial)?.resource.split('/').at(-1) : undefined) ??
      null;

    const accounts: AccountRow[] = profiles.map((profile) => {
      const identity = identities.find((i) => i.id === profile.identityId);
      const expected = identity ? expectedIdentity(profile, identity) : { account: undefined, kind: 'user' as const, arn: undefined };
      const result = this.results.get(profile.name);
      const expiresAt = live(profile.roleArn ? sessions.roles[profile.name]?.expiration : sessions.mfa[profile.identityId]?.expiration);
      return {
        profile: profile.name,
        identity: identity?.label ?? '',
        expectedAccount: expected.account ?? null,
        expectedArn: expected.arn ?? null,
        account: result?.account ?? null,
        arn: result?.arn ?? null,
        userId: result?.userId ?? null,
        verdict: this.verifying.has(profile.name) ? 'verifying' : (result?.verdict ?? 'unverified'),
        reason: result?.reason ?? null,
        expiresAt,
      };
    });

    const storage = this.options.storage;
    return {
      storage: {
        protection: storage.protection,
        locked: !this.unlocked,
        exists: this.vault.hasCipher(),
        explanation: storage.protection === 'passphrase' ? storage.explanation : null,
      },
      session: {
        signedIn: signedInIdentity !== undefined,
        identityLabel: signedInIdentity?.label ?? null,
        userName: signedInIdentity ? userName : null,
        expiresAt: signedInIdentity ? (sessions.mfa[signedInIdentity.id]?.expiration ?? null) : null,
      },
      identities: identities.map((i) => ({
        id: i.id,
        label: i.label,
        accessKeyId: i.accessKeyId ?? null,
        hasSecret: i.hasSecret,
        mfaSerial: i.mfaSerial ?? null,
        region: i.region ?? null,
      })),
      profiles: profiles.map((p) => ({
        name: p.name,
        identityId: p.identityId,
        roleArn: p.roleArn ?? null,
        externalId: p.externalId ?? null,
        region: p.region ?? null,
        mfaMode: p.mfaMode,
        durationSeconds: p.durationSeconds ?? null,
        origin: p.origin,
      })),
      accounts,
      settings: { ...this.settings },
      busy: { signingIn: this.signingIn, verifying: this.verifying.size > 0 },
      endpoint: this.endpointView(),
      notices: [...this.notices],
      demo: this.options.demoMfaCode !== undefined,
    };
  }

  // ---- vault ----

  private requireUnlocked(): void {
    if (!this.unlocked) throw new UserFacingError('vault-locked', 'The vault is locked: enter its passphrase to unlock it.');
  }

  async unlockVault(passphrase: string): Promise<void> {
    if (this.options.storage.protection !== 'passphrase') return;
    const explanation = this.options.storage.explanation;
    this.passphrase = passphrase;
    try {
      await this.vault.verifyKey();
    } catch (error) {
      this.passphrase = undefined;
      throw error;
    }
    this.unlocked = true;
    this.notices = this.notices.filter((n) => n.message !== explanation);
    this.changed();
    await this.startServers();
  }

  // ---- identities and profiles ----

  async saveIdentity(input: IdentityInput): Promise<IdentitySavedView> {
    this.requireUnlocked();
    const existing = input.id ? this.vault.identity(input.id) : undefined;
    if (input.id && !existing) throw new UserFacingError('identity-missing', 'That identity no longer exists; reload the window.');
    if (!existing && !input.secretAccessKey) throw new UserFacingError('secret-needed', 'Enter the secret access key that belongs to this access key id.');

    const keys =
      input.secretAccessKey !== undefined
        ? { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }
        : existing && existing.accessKeyId === input.accessKeyId
          ? await this.vault.longTermKeys(existing.id)
          : undefined;
    if (!keys) throw new UserFacingError('secret-needed', 'A new access key id needs its secret access key too.');

    const who = await this.options.sts.getCallerIdentity(keys, input.region);
    if (!who.arn.includes(':user/')) {
      throw new UserFacingError('not-a-user', `These keys belong to ${who.arn}, not an IAM user; use your IAM user's own access key.`);
    }
    const fields = {
      label: input.label,
      accessKeyId: keys.accessKeyId,
      ...(input.secretAccessKey !== undefined ? { secretAccessKey: input.secretAccessKey } : {}),
      region: input.region,
      ...(input.mfaSerial ? { mfaSerial: input.mfaSerial } : {}),
    };
    const saved = existing ? await this.vault.updateIdentity(existing.id, fields) : await this.vault.addIdentity(fields);
    if (!this.vault.profiles().some((p) => p.identityId === saved.id && !p.roleArn) && !this.vault.profile(saved.label)) {
      this.vault.upsertProfile({ name: saved.label, identityId: saved.id });
    }
    this.changed();
    return {
      identity: { id: saved.id, label: saved.label, accessKeyId: saved.accessKeyId ?? null, hasSecret: saved.hasSecret, mfaSerial: saved.mfaSerial ?? null, region: saved.region ?? null },
      verifiedArn: who.arn,
    };
  }

  removeIdentity(id: string): void {
    for (const profile of this.vault.profiles().filter((p) => p.identityId === id)) {
      this.vault.removeProfile(profile.name);
      this.results.delete(profile.name);
    }
    this.vault.removeIdentity(id);
    this.changed();
  }

  get awsConfigFile(): string {
    return this.options.awsConfigFile ?? join(homedir(), '.aws', 'config');
  }

  async chooseConfigFile(): Promise<string | null> {
    return this.options.ports.fileDialog.chooseConfigFile(this.awsConfigFile);
  }

  async importConfig(path: string | undefined, importKeys: boolean): Promise<ImportResultView> {
    this.requireUnlocked();
    const configFile = path ?? this.awsConfigFile;
    const credentialsFile = this.options.awsCredentialsFile ?? join(homedir(), '.aws', 'credentials');
    const imported = await importAwsConfig({ configFile, credentialsFile });
    const result = await applyConfigImport(this.vault, imported);
    const withKeys: string[] = [];
    if (importKeys) {
      for (const source of imported.sources.filter((s) => s.hasKeys)) {
        const identity = this.vault.identity(source.name);
        if (!identity) continue;
        await this.vault.updateIdentity(identity.id, await readCredentialsProfile(credentialsFile, source.name));
        withKeys.push(source.name);
      }
    }
    this.changed();
    return {
      path: configFile,
      profilesAdded: result.profilesAdded,
      profilesUpdated: result.profilesUpdated,
      identitiesCreated: result.identitiesCreated,
      identitiesWithoutKeys: result.identitiesWithoutKeys.filter((label) => !withKeys.includes(label)),
      problems: result.problems.map((p) => p.message),
    };
  }

  // ---- sessions ----

  private requester(kind: Requester['kind'], description: string): Requester {
    return { kind, description };
  }

  /** Sign in (one MFA code per identity with keys), then verify every account. */
  async signIn(from: Requester['kind'] = 'window'): Promise<void> {
    this.requireUnlocked();
    const identities = this.vault.identities().filter((i) => i.hasSecret);
    if (identities.length === 0) {
      throw new UserFacingError('no-identity', 'Add your IAM user\'s access key first (Identity → Add), or import your ~/.aws/config.');
    }
    this.signingIn = true;
    this.changed();
    try {
      for (const identity of identities) {
        await this.sessions.mfaSession(identity, this.requester(from, from === 'tray' ? 'the tray menu' : 'the AWS Auth Tray window'));
      }
    } finally {
      this.signingIn = false;
      this.changed();
    }
    await this.verify(undefined, from);
  }

  signOut(): void {
    this.broker.cancelAll();
    this.sessions.signOut();
    this.results.clear();
    this.changed();
  }

  /** GetCallerIdentity in every account (or the ones named); asks for a code only if needed. */
  async verify(profiles?: readonly string[], from: Requester['kind'] = 'window'): Promise<AccountRow[]> {
    this.requireUnlocked();
    const names = profiles ?? this.vault.profiles().map((p) => p.name);
    for (const name of names) this.verifying.add(name);
    this.changed();
    try {
      const report = await verifyAccounts(
        { vault: this.vault, sessions: this.sessions, sts: this.options.sts },
        { requester: this.requester(from, from === 'tray' ? 'the tray menu' : 'the AWS Auth Tray window'), profiles: names },
      );
      for (const result of report.results) this.results.set(result.profile, result);
      for (const warning of report.warnings) this.addNotice('warning', warning);
    } finally {
      for (const name of names) this.verifying.delete(name);
      this.changed();
    }
    return this.state().accounts.filter((a) => names.includes(a.profile));
  }

  /** Write the profile's export commands to the clipboard (here, never to the renderer). */
  async copyExport(profile: string, format: ExportFormat, from: Requester['kind'] = 'window'): Promise<CopyResultView> {
    this.requireUnlocked();
    const credentials = await this.sessions.getCredentials(profile, { requester: this.requester(from, `copy export commands for ${profile}`) });
    const text = formatCredentials(format, { ...credentials, profile });
    const seconds = this.settings.clipboardClearSeconds;
    await this.clipboard.copy(text, seconds);
    this.lastCopied = text;
    this.options.ports.notifier.notify('AWS Auth Tray', `Copied export commands for ${profile} (${FORMAT_NAMES[format]}); clipboard clears in ${seconds} s`);
    this.changed();
    return { profile, format, clearsInSeconds: seconds };
  }

  // ---- settings and notices ----

  async updateSettings(patch: Partial<Settings>): Promise<Settings> {
    const next: Settings = { ...this.settings, ...patch };
    if (patch.launchAtLogin !== undefined && patch.launchAtLogin !== this.settings.launchAtLogin) {
      this.options.ports.loginItem.setLaunchAtLogin(patch.launchAtLogin);
    }
    if (patch.mfaSessionMinutes !== undefined && this.unlocked) {
      this.vault.updateSettings({ mfaSessionSeconds: patch.mfaSessionMinutes * 60 });
    }
    const portChanged = patch.endpointPort !== undefined && patch.endpointPort !== this.settings.endpointPort;
    this.settings = next;
    this.options.ports.settingsStore.write(next);
    if (portChanged && this.endpoint) {
      await this.endpoint.close();
      this.endpoint = undefined;
      await this.startEndpoint();
    }
    this.changed();
    return { ...this.settings };
  }

  dismissNotice(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changed();
  }

  /** Report a failure that happened away from any window (e.g. a tray action). */
  reportError(error: unknown): void {
    this.addNotice('error', isUserFacingError(error) ? error.message : `Something went wrong: ${message(error)}`);
    this.changed();
  }

  // ---- MFA popup ----

  currentMfaPrompt(): MfaPromptView | null {
    return this.broker.current();
  }

  submitMfaCode(requestId: string, code: string): void {
    if (!this.broker.submit(requestId, code)) {
      throw new UserFacingError('mfa-request-gone', 'That sign-in request is no longer waiting for a code.');
    }
  }

  cancelMfaPrompt(requestId: string): void {
    this.broker.cancel(requestId);
  }

  /** On quit: close prompts and servers, clear our clipboard contents, write pending sessions. */
  async shutdown(): Promise<void> {
    this.broker.cancelAll();
    await this.stopServers();
    if (this.lastCopied) await this.clipboard.clearIfOurs(this.lastCopied);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    await this.vault.flush();
  }
}
