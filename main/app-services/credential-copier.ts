import type { AutoRefreshFormat } from '../core/exports/auto-refresh-setup.js';
import { formatCredentials, type ExportFormat } from '../core/exports/credential-exports.js';
import type { Requester } from '../core/sessions/mfa-prompter.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { CopyResultView } from '../ipc/ipc-contract.js';
import type { ClipboardPort, NotifierPort } from './app-ports.js';
import type { AppSettings } from './app-settings.js';
import { ClipboardGuard } from './clipboard-guard.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * Credentials go to the clipboard, never to a window: a profile's export commands, or (for the
 * local servers) a terminal's auto-refresh setup. Each copy is announced in a notification and
 * cleared after the delay in Settings; on quit, the last copy is cleared if it is still there.
 */

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

export function formatName(format: ExportFormat | AutoRefreshFormat): string {
  return format === 'aws-config' ? '~/.aws/config snippet' : FORMAT_NAMES[format];
}

export interface CredentialCopierDeps {
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  settings: AppSettings;
  vaultAccess: VaultAccess;
  sessions: SessionManager;
  changes: ChangeSignal;
}

export class CredentialCopier {
  private readonly clipboard: ClipboardGuard;
  private lastCopied: string | undefined;

  constructor(private readonly deps: CredentialCopierDeps) {
    this.clipboard = new ClipboardGuard(deps.clipboard);
  }

  /** Write the profile's export commands to the clipboard (here, never to the renderer). */
  async copyExport(profile: string, format: ExportFormat, from: Requester['kind'] = 'window'): Promise<CopyResultView> {
    this.deps.vaultAccess.requireUnlocked();
    const credentials = await this.deps.sessions.getCredentials(profile, { requester: { kind: from, description: `copy export commands for ${profile}` } });
    const seconds = await this.copy(formatCredentials(format, { ...credentials, profile }), `export commands for ${profile} (${formatName(format)})`);
    this.deps.changes.changed();
    return { profile, format, clearsInSeconds: seconds };
  }

  /** Puts the text on the clipboard and says so ("Copied <what>; clipboard clears in N s"); resolves to N. */
  async copy(text: string, what: string): Promise<number> {
    const seconds = this.deps.settings.current.clipboardClearSeconds;
    await this.clipboard.copy(text, seconds);
    this.lastCopied = text;
    this.deps.notifier.notify('AWS Auth Tray', `Copied ${what}; clipboard clears in ${seconds} s`);
    return seconds;
  }

  /** On quit: our last copy leaves the clipboard, unless the user has copied something else since. */
  async clearOnQuit(): Promise<void> {
    if (this.lastCopied) await this.clipboard.clearIfOurs(this.lastCopied);
  }
}
