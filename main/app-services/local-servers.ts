import { startAppChannel } from '../core/endpoint/app-channel-server.js';
import { startCredentialEndpoint, type RunningServer } from '../core/endpoint/credential-server.js';
import { newTokenMaster, profileToken } from '../core/endpoint/profile-token.js';
import { findInstalledCommandLine } from '../core/exports/installed-command-line.js';
import { autoRefreshSetup, type AutoRefreshFormat } from '../core/exports/auto-refresh-setup.js';
import type { AccountAliasLookup } from '../core/iam/account-alias-lookup.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { verifyAccounts } from '../core/verification/verify-accounts.js';
import type { CopyResultView, EndpointView } from '../ipc/ipc-contract.js';
import type { AppSettings } from './app-settings.js';
import type { ConsoleOpener } from './console-opener.js';
import { formatName, type CredentialCopier } from './credential-copier.js';
import type { NoticesStore } from './notices-store.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * The two local servers, started once the vault is unlocked: the credential endpoint (TCP on
 * 127.0.0.1, for SDKs in terminals; one token per profile, derived from a master kept in the vault) and the app channel (a
 * socket, for the command line; a new token each run, in a file only the user can read). Also
 * what terminals need from them: the auto-refresh setup, and a new endpoint token.
 */

export interface ServerLocations {
  appChannelPath: string;
  appChannelTokenFile: string;
}

export interface LocalServersDeps {
  /** Where the app channel listens and writes its token; undefined: run without either server. */
  locations: ServerLocations | undefined;
  vaultAccess: VaultAccess;
  sessions: SessionManager;
  sts: StsGateway;
  /** Learns each account's alias while verifying (absent: none are learned). */
  aliases?: AccountAliasLookup | undefined;
  settings: AppSettings;
  notices: NoticesStore;
  copier: CredentialCopier;
  /** Makes console sign-in links for `aws-auth-tray console` in a terminal, as for the app's own button. */
  console: ConsoleOpener;
  changes: ChangeSignal;
  /** Where the installed command line is looked for (PATH), for the aws-config section; default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class LocalServers {
  private endpoint: RunningServer | undefined;
  private channel: RunningServer | undefined;
  /** The secret each profile's endpoint token derives from (kept in the vault; rotatable). */
  private tokenMaster = '';
  private endpointError: string | null = null;
  private starting: Promise<void> | undefined;

  constructor(private readonly deps: LocalServersDeps) {}

  /** Start both servers (once the vault is unlocked); failures become a sentence in the state. */
  start(): Promise<void> {
    const { locations, vaultAccess, sessions, sts, aliases, notices, changes } = this.deps;
    if (!locations || !vaultAccess.unlocked) return Promise.resolve();
    const vault = vaultAccess.vault;
    this.starting ??= (async () => {
      const stored = await vault.secret('endpoint-token');
      this.tokenMaster = stored ?? newTokenMaster();
      if (!stored) await vault.setSecret('endpoint-token', this.tokenMaster);
      await this.startEndpoint();
      try {
        this.channel = await startAppChannel(
          {
            sessions,
            requester: (profile) => ({ kind: 'command-line', description: `aws-auth-tray in a terminal (${profile})` }),
            verify: (profiles, requester) => verifyAccounts({ vault, sessions, sts, aliases }, { requester, ...(profiles ? { profiles } : {}) }),
            consoleLink: (profile, request, requester) => this.deps.console.link(profile, requester, request),
          },
          { socketPath: locations.appChannelPath, tokenFile: locations.appChannelTokenFile },
        );
      } catch (error) {
        // Another agent answering there keeps the command line (the sentence says so); otherwise it falls back to its own vault.
        const taken = error instanceof UserFacingError && error.code === 'app-channel-taken';
        notices.add(
          'warning',
          taken ? `The command line will not ask this app: ${message(error)}` : `The command line cannot reach this app (${message(error)}); aws-auth-tray will use its own vault until the app restarts.`,
        );
      }
      changes.changed();
    })();
    return this.starting;
  }

  private async startEndpoint(): Promise<void> {
    const settings = this.deps.settings;
    const port = settings.current.endpointPort;
    try {
      this.endpoint = await startCredentialEndpoint(
        {
          sessions: this.deps.sessions,
          master: () => this.tokenMaster,
          requester: (profile) => ({ kind: 'terminal', description: `a terminal using profile ${profile}` }),
        },
        port ?? 0,
      );
      this.endpointError = null;
      // The first free port is kept, so terminals set up once keep working after a restart.
      if (port === null && this.endpoint.port !== undefined) settings.save({ ...settings.current, endpointPort: this.endpoint.port });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.endpointError =
        code === 'EADDRINUSE'
          ? `Port ${port ?? '?'} on 127.0.0.1 is taken by another program, so terminals cannot refresh their credentials. Choose another port in Settings.`
          : `The credential endpoint could not start: ${message(error)}`;
    }
  }

  /** The port in Settings changed: a running endpoint moves to it. */
  async restartEndpoint(): Promise<void> {
    if (!this.endpoint) return;
    await this.endpoint.close();
    this.endpoint = undefined;
    await this.startEndpoint();
  }

  endpointView(): EndpointView {
    return { url: this.endpoint?.address ?? null, error: this.endpointError };
  }

  /** New tokens for every profile: terminals set up before get a sentence telling them to copy the setup again. */
  async rotateEndpointToken(): Promise<EndpointView> {
    this.deps.vaultAccess.requireUnlocked();
    this.tokenMaster = newTokenMaster();
    await this.deps.vaultAccess.vault.setSecret('endpoint-token', this.tokenMaster);
    this.deps.changes.changed();
    return this.endpointView();
  }

  /** The lines that point a terminal at the endpoint for this profile, to the clipboard. */
  async copyAutoRefreshSetup(profile: string, format: AutoRefreshFormat): Promise<CopyResultView> {
    const vaultAccess = this.deps.vaultAccess;
    vaultAccess.requireUnlocked();
    await this.start();
    const stored = vaultAccess.vault.profile(profile);
    if (!stored) throw new UserFacingError('profile-missing', `There is no profile "${profile}".`);
    if (!this.endpoint) throw new UserFacingError('endpoint-down', this.endpointError ?? 'The credential endpoint is not running.');
    const identity = vaultAccess.vault.identity(stored.identityId);
    const region = stored.region ?? identity?.region;
    const commandLine = format === 'aws-config' ? findInstalledCommandLine({ env: this.deps.env ?? process.env }) : undefined;
    const text = autoRefreshSetup(format, { profile, endpoint: this.endpoint.address, token: profileToken(this.tokenMaster, profile), region, commandLine });
    const seconds = await this.deps.copier.copy(text, `auto-refresh setup for ${profile} (${formatName(format)})`);
    return { profile, format, clearsInSeconds: seconds };
  }

  /** On quit: both servers close (the app channel takes its socket and token file with it). */
  async stop(): Promise<void> {
    await Promise.all([this.endpoint?.close(), this.channel?.close()]);
    this.endpoint = undefined;
    this.channel = undefined;
    this.starting = undefined;
  }
}
