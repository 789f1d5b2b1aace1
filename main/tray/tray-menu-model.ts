import { SHELL_CHOICES, type AppState, type ShellChoice } from '../ipc/ipc-contract.js';

/**
 * The tray menu as data, a pure function of the app state: rebuilt on every change, tested in
 * every state, and clicked through the main process in the Electron test (native menus cannot be
 * clicked by test tools). Linux shows nothing but this menu, so everything is reachable here.
 */
export type TrayIconState = 'signed-out' | 'signed-in' | 'attention';

export type TrayAction =
  | { kind: 'sign-in' }
  | { kind: 'open-window' }
  | { kind: 'verify-all' }
  | { kind: 'verify'; profile: string }
  | { kind: 'copy-export'; profile: string; shell: ShellChoice }
  | { kind: 'copy-auto-refresh'; profile: string; format: ShellChoice | 'aws-config' }
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
  items: TrayMenuItem[];
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

export function trayMenuModel(state: AppState, formatTime: (iso: string) => string): TrayModel {
  const { session, accounts, busy, storage } = state;
  const locked = storage.locked;
  const problems = accounts.filter((a) => a.verdict === 'error' || a.verdict === 'mismatch');
  const icon: TrayIconState = locked || problems.length > 0 ? 'attention' : session.signedIn ? 'signed-in' : 'signed-out';
  const who = session.userName ?? session.identityLabel ?? 'you';
  const status = locked
    ? 'Locked: open AWS Auth Tray to unlock'
    : session.signedIn && session.expiresAt
      ? `Signed in as ${who} until ${formatTime(session.expiresAt)}`
      : 'Signed out';
  const canSignIn = !locked && !busy.signingIn && state.identities.some((i) => i.hasSecret);

  const accountMenus: TrayMenuItem[] = accounts.map((account) => ({
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
    ],
  }));

  const items: TrayMenuItem[] = [
    { type: 'label', label: status },
    { type: 'action', label: busy.signingIn ? 'Signing in…' : 'Sign in with MFA…', action: { kind: 'sign-in' }, enabled: canSignIn },
    { type: 'separator' },
    ...(accountMenus.length > 0 ? accountMenus : [{ type: 'label' as const, label: 'No accounts yet: open AWS Auth Tray to add them' }]),
    { type: 'separator' },
    { type: 'action', label: busy.verifying ? 'Verifying…' : 'Verify all accounts', action: { kind: 'verify-all' }, enabled: !locked && !busy.verifying && accounts.length > 0 },
    { type: 'action', label: 'Open AWS Auth Tray…', action: { kind: 'open-window' }, enabled: true },
    { type: 'action', label: 'Sign out (forget sessions)', action: { kind: 'sign-out' }, enabled: session.signedIn },
    { type: 'separator' },
    { type: 'action', label: 'Quit', action: { kind: 'quit' }, enabled: true },
  ];

  const tooltip = `AWS Auth Tray: ${status}${problems.length ? ` (${problems.length} account${problems.length === 1 ? '' : 's'} need attention)` : ''}`;
  return { icon, tooltip, items };
}
