import { compactTimeLeft, timeLeft } from '../core/time-left.js';
import { SHELL_CHOICES, type AppState, type ShellChoice } from '../ipc/ipc-contract.js';

/**
 * The tray menu as data, a pure function of the app state: rebuilt on every change, tested in
 * every state, and clicked through the main process in the Electron test (native menus cannot be
 * clicked by test tools). Linux shows nothing but this menu, so everything is reachable here.
 */
export type TrayIconState = 'signed-out' | 'signed-in' | 'attention';

export type TrayAction =
  | { kind: 'sign-in' }
  /** `focus: 'search'`: "All accounts…", the window opened on the accounts search. */
  | { kind: 'open-window'; focus?: 'search' }
  | { kind: 'open-switcher' }
  | { kind: 'show-mfa-prompt' }
  | { kind: 'verify-all' }
  | { kind: 'verify'; profile: string }
  | { kind: 'copy-export'; profile: string; shell: ShellChoice }
  | { kind: 'copy-auto-refresh'; profile: string; format: ShellChoice | 'aws-config' }
  | { kind: 'open-console'; profile: string }
  /** The window opened at this identity's "Rotate access key" confirm. */
  | { kind: 'rotate-key'; identityId: string }
  | { kind: 'sign-out' }
  | { kind: 'quit' };

export type TrayMenuItem =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { type: 'submenu'; label: string; items: TrayMenuItem[] };

export interface TrayModel {
  icon: TrayIconState;
  tooltip: string;
  /** Beside the icon in the macOS menu bar: the MFA session's time left ("3h12m"), or nothing. */
  title: string;
  items: TrayMenuItem[];
}

/** What the menu shows beyond the state: the time (for the time left), a waiting prompt, the switcher's shortcut. */
export interface TrayGlance {
  /** Now, on this machine's clock (ms): the status then says how long the MFA session has left. */
  now?: number | undefined;
  /** An MFA prompt is waiting for a code (its popup may be hidden behind other windows). */
  promptWaiting?: boolean | undefined;
  /** The quick switcher's shortcut as the OS writes it ("Ctrl+Alt+A"), if one is claimed. */
  switcherShortcut?: string | undefined;
}

const SHELL_LABELS: Record<ShellChoice, string> = { bash: 'bash', zsh: 'zsh', fish: 'fish', powershell: 'PowerShell', cmd: 'cmd' };
/** The shells offered in the menu: bash covers zsh (same syntax). */
const MENU_SHELLS: readonly ShellChoice[] = SHELL_CHOICES.filter((s) => s !== 'zsh');

const VERDICT_LABELS: Record<AppState['accounts'][number]['verdict'], string> = {
  unverified: 'not verified yet',
  verifying: 'verifying…',
  ok: '✓ verified',
  mismatch: '⚠ mismatch',
  error: '✕ error',
};

/** Up to this many accounts, the menu lists them all; beyond, favourites and those needing attention. */
export const TRAY_ALL_ACCOUNTS_LIMIT = 8;
/** At most this many accounts needing attention are listed (the rest are one "All accounts…" away). */
export const TRAY_ATTENTION_LIMIT = 8;

type Account = AppState['accounts'][number];

const needsAttention = (account: Account): boolean => account.verdict === 'error' || account.verdict === 'mismatch';

/**
 * The accounts the menu lists, favourites first: every account when there are few; otherwise the
 * favourites and the accounts needing attention (up to TRAY_ATTENTION_LIMIT), with "All accounts…"
 * after them for the rest. A long menu of submenus is no menu.
 */
export function trayAccounts(state: AppState): { listed: Account[]; hidden: number } {
  const favourites = new Set(state.profiles.filter((p) => p.favourite).map((p) => p.name));
  const pinned = state.accounts.filter((a) => favourites.has(a.profile));
  const others = state.accounts.filter((a) => !favourites.has(a.profile));
  if (state.accounts.length <= TRAY_ALL_ACCOUNTS_LIMIT) return { listed: [...pinned, ...others], hidden: 0 };
  const attention = others.filter(needsAttention).slice(0, TRAY_ATTENTION_LIMIT);
  const listed = [...pinned, ...attention];
  return { listed, hidden: state.accounts.length - listed.length };
}

export function trayMenuModel(state: AppState, formatTime: (iso: string) => string, glance: TrayGlance = {}): TrayModel {
  const { session, accounts, busy, storage } = state;
  const locked = storage.locked;
  const problems = accounts.filter((a) => a.verdict === 'error' || a.verdict === 'mismatch');
  const icon: TrayIconState = locked || problems.length > 0 ? 'attention' : session.signedIn ? 'signed-in' : 'signed-out';
  const who = session.userName ?? session.identityLabel ?? 'you';
  const msLeft = session.signedIn && session.expiresAt && glance.now !== undefined ? Date.parse(session.expiresAt) - glance.now : undefined;
  const status = locked
    ? 'Locked: open AWS Auth Tray to unlock'
    : session.signedIn && session.expiresAt
      ? `Signed in as ${who} until ${formatTime(session.expiresAt)}${msLeft !== undefined ? ` (${timeLeft(msLeft)} left)` : ''}`
      : 'Signed out';
  const canSignIn = !locked && !busy.signingIn && state.identities.some((i) => i.hasSecret);

  const { listed, hidden } = trayAccounts(state);
  const accountMenus: TrayMenuItem[] = listed.map((account) => ({
    type: 'submenu',
    label: `${account.profile}  ${account.verdict === 'ok' ? '✓' : account.verdict === 'error' || account.verdict === 'mismatch' ? '⚠' : ''}`.trimEnd(),
    items: [
      { type: 'label', label: VERDICT_LABELS[account.verdict] },
      { type: 'label', label: account.arn ?? account.expectedArn ?? `account ${account.expectedAccount ?? 'unknown'}` },
      ...(account.reason ? [{ type: 'label' as const, label: account.reason.length > 120 ? `${account.reason.slice(0, 117)}…` : account.reason }] : []),
      { type: 'separator' },
      {
        type: 'submenu',
        label: 'Copy export commands',
        items: MENU_SHELLS.map((shell) => ({
          type: 'action' as const,
          label: shell === 'bash' ? 'bash / zsh' : SHELL_LABELS[shell],
          action: { kind: 'copy-export' as const, profile: account.profile, shell },
          enabled: !locked,
        })),
      },
      {
        type: 'submenu',
        label: 'Copy auto-refresh setup',
        items: [
          ...MENU_SHELLS.map((shell) => ({
            type: 'action' as const,
            label: shell === 'bash' ? 'bash / zsh' : SHELL_LABELS[shell],
            action: { kind: 'copy-auto-refresh' as const, profile: account.profile, format: shell },
            enabled: !locked && state.endpoint.url !== null,
          })),
          {
            type: 'action' as const,
            label: '~/.aws/config (credential_process)',
            action: { kind: 'copy-auto-refresh' as const, profile: account.profile, format: 'aws-config' as const },
            enabled: !locked,
          },
        ],
      },
      { type: 'action', label: 'Verify again', action: { kind: 'verify', profile: account.profile }, enabled: !locked && account.verdict !== 'verifying' },
      { type: 'action', label: 'Open AWS console', action: { kind: 'open-console', profile: account.profile }, enabled: !locked },
    ],
  }));
  const allAccounts: TrayMenuItem[] =
    hidden > 0 ? [{ type: 'action', label: `All accounts (${accounts.length})…`, action: { kind: 'open-window', focus: 'search' }, enabled: true }] : [];
  const noAccounts: TrayMenuItem[] = accounts.length === 0 ? [{ type: 'label', label: 'No accounts yet: open AWS Auth Tray to add them' }] : [];

  // An access key past the age limit: rotating it is one click away (the window asks to confirm).
  const oldKeys: TrayMenuItem[] = state.identities
    .filter((i) => i.key?.old === true && i.key.ageDays !== null)
    .map((i) => ({
      type: 'action' as const,
      label: `Rotate access key for ${i.label} (${i.key?.ageDays ?? 0} days old)…`,
      action: { kind: 'rotate-key' as const, identityId: i.id },
      enabled: !locked && i.rotation?.status !== 'running',
    }));
  const waiting: TrayMenuItem[] = glance.promptWaiting ? [{ type: 'action', label: 'Show the MFA prompt…', action: { kind: 'show-mfa-prompt' }, enabled: true }] : [];
  const items: TrayMenuItem[] = [
    { type: 'label', label: status },
    ...waiting,
    { type: 'action', label: busy.signingIn ? 'Signing in…' : 'Sign in with MFA…', action: { kind: 'sign-in' }, enabled: canSignIn },
    ...oldKeys,
    { type: 'separator' },
    ...accountMenus,
    ...allAccounts,
    ...noAccounts,
    { type: 'separator' },
    { type: 'action', label: busy.verifying ? 'Verifying…' : 'Verify all accounts', action: { kind: 'verify-all' }, enabled: !locked && !busy.verifying && accounts.length > 0 },
    {
      type: 'action',
      label: `Find an account…${glance.switcherShortcut ? ` (${glance.switcherShortcut})` : ''}`,
      action: { kind: 'open-switcher' },
      enabled: !locked && accounts.length > 0,
    },
    { type: 'action', label: 'Open AWS Auth Tray…', action: { kind: 'open-window' }, enabled: true },
    { type: 'action', label: 'Sign out (forget sessions)', action: { kind: 'sign-out' }, enabled: session.signedIn },
    { type: 'separator' },
    { type: 'action', label: 'Quit', action: { kind: 'quit' }, enabled: true },
  ];

  const tooltip = `AWS Auth Tray: ${status}${problems.length ? ` (${problems.length} account${problems.length === 1 ? '' : 's'} need attention)` : ''}`;
  const title = msLeft !== undefined && !locked ? compactTimeLeft(msLeft) : '';
  return { icon, tooltip, title, items };
}
