import { describe, expect, it } from 'vitest';
import { trayMenuModel, type TrayMenuItem } from '../../../main/tray/tray-menu-model.js';
import { account, appState } from './app-state-fixtures.js';

/** The tray menu is a pure function of the app state; every state a user can be in. */
const time = (iso: string): string => iso.slice(11, 16);
const labels = (items: TrayMenuItem[]): string[] =>
  items.map((i) => (i.type === 'separator' ? '---' : i.type === 'submenu' ? `${i.label} >` : i.type === 'action' ? `${i.label}${i.enabled ? '' : ' (disabled)'}` : `[${i.label}]`));
const submenu = (items: TrayMenuItem[], label: string): TrayMenuItem[] => {
  const found = items.find((i) => i.type === 'submenu' && i.label.startsWith(label));
  if (!found || found.type !== 'submenu') throw new Error(`no submenu ${label}`);
  return found.items;
};

describe('tray menu model', () => {
  it('signed out: status line, sign-in enabled, sign-out disabled', () => {
    const model = trayMenuModel(appState(), time);
    expect(model.icon).toBe('signed-out');
    expect(labels(model.items)).toEqual([
      '[Signed out]',
      'Sign in with MFA…',
      '---',
      'security >',
      'dev >',
      '---',
      'Verify all accounts',
      'Open AWS Auth Tray…',
      'Sign out (forget sessions) (disabled)',
      '---',
      'Quit',
    ]);
    expect(model.tooltip).toBe('AWS Auth Tray: Signed out');
  });

  it('signed in: who and until when, verdicts on each account, sign-out enabled', () => {
    const state = appState({
      session: { signedIn: true, identityLabel: 'security', userName: 'alice', expiresAt: '2026-11-26T21:40:00.000Z' },
      accounts: [
        account('security', { verdict: 'ok', arn: 'arn:aws:iam::111111111111:user/alice' }),
        account('dev', { verdict: 'ok', arn: 'arn:aws:sts::222222222222:assumed-role/engineer/alice' }),
      ],
    });
    const model = trayMenuModel(state, time);
    expect(model.icon).toBe('signed-in');
    expect(labels(model.items).slice(0, 5)).toEqual(['[Signed in as alice until 21:40]', 'Sign in with MFA…', '---', 'security  ✓ >', 'dev  ✓ >']);
    expect(labels(model.items)).toContain('Sign out (forget sessions)');
    expect(labels(submenu(model.items, 'dev'))).toEqual([
      '[✓ verified]',
      '[arn:aws:sts::222222222222:assumed-role/engineer/alice]',
      '---',
      'Copy export commands >',
      'Copy auto-refresh setup >',
      'Verify again',
    ]);
  });

  it('each account offers export commands for bash/zsh, fish, PowerShell and cmd, as actions', () => {
    const model = trayMenuModel(appState(), time);
    const copy = submenu(submenu(model.items, 'dev'), 'Copy export commands');
    expect(copy).toEqual([
      { type: 'action', label: 'bash / zsh', action: { kind: 'copy-export', profile: 'dev', shell: 'bash' }, enabled: true },
      { type: 'action', label: 'fish', action: { kind: 'copy-export', profile: 'dev', shell: 'fish' }, enabled: true },
      { type: 'action', label: 'PowerShell', action: { kind: 'copy-export', profile: 'dev', shell: 'powershell' }, enabled: true },
      { type: 'action', label: 'cmd', action: { kind: 'copy-export', profile: 'dev', shell: 'cmd' }, enabled: true },
    ]);
  });

  it('each account offers the auto-refresh setup per shell (while the endpoint runs) and as a ~/.aws/config snippet', () => {
    const running = trayMenuModel(appState({ endpoint: { url: 'http://127.0.0.1:47821', error: null } }), time);
    const setup = submenu(submenu(running.items, 'dev'), 'Copy auto-refresh setup');
    expect(labels(setup)).toEqual(['bash / zsh', 'fish', 'PowerShell', 'cmd', '~/.aws/config (credential_process)']);
    expect(setup[1]).toEqual({ type: 'action', label: 'fish', action: { kind: 'copy-auto-refresh', profile: 'dev', format: 'fish' }, enabled: true });
    const stopped = submenu(submenu(trayMenuModel(appState(), time).items, 'dev'), 'Copy auto-refresh setup');
    expect(labels(stopped)).toEqual(['bash / zsh (disabled)', 'fish (disabled)', 'PowerShell (disabled)', 'cmd (disabled)', '~/.aws/config (credential_process)']);
  });

  it('attention: an account in error shows its sentence and turns the icon', () => {
    const reason = 'AWS does not know the access key AKIAEXAMPLE: it was deleted or deactivated, or it belongs to another partition (aws-cn, aws-us-gov). Create a new access key in IAM and update the identity.';
    const model = trayMenuModel(appState({ accounts: [account('dev', { verdict: 'error', reason })] }), time);
    expect(model.icon).toBe('attention');
    expect(model.tooltip).toBe('AWS Auth Tray: Signed out (1 account need attention)');
    const dev = submenu(model.items, 'dev');
    expect(labels(dev)[0]).toBe('[✕ error]');
    expect(labels(dev)[2]).toBe(`[${reason.slice(0, 117)}…]`);
  });

  it('a mismatch is attention too', () => {
    expect(trayMenuModel(appState({ accounts: [account('dev', { verdict: 'mismatch', reason: 'Expected account 1, got 2.' })] }), time).icon).toBe('attention');
  });

  it('locked (passphrase vault): says so; everything that needs secrets is disabled', () => {
    const model = trayMenuModel(appState({ storage: { protection: 'passphrase', locked: true, exists: true, explanation: 'No keyring.' } }), time);
    expect(model.icon).toBe('attention');
    expect(labels(model.items)[0]).toBe('[Locked: open AWS Auth Tray to unlock]');
    expect(labels(model.items)).toContain('Sign in with MFA… (disabled)');
    expect(labels(model.items)).toContain('Verify all accounts (disabled)');
    expect(labels(model.items)).toContain('Open AWS Auth Tray…');
  });

  it('busy: signing in and verifying are shown and not offered twice', () => {
    const model = trayMenuModel(appState({ busy: { signingIn: true, verifying: true }, accounts: [account('dev', { verdict: 'verifying' })] }), time);
    expect(labels(model.items)).toContain('Signing in… (disabled)');
    expect(labels(model.items)).toContain('Verifying… (disabled)');
    expect(labels(submenu(model.items, 'dev'))).toContain('Verify again (disabled)');
  });

  it('first run: no identity and no accounts, says where to start', () => {
    const model = trayMenuModel(appState({ identities: [], accounts: [] }), time);
    expect(labels(model.items)).toContain('[No accounts yet: open AWS Auth Tray to add them]');
    expect(labels(model.items)).toContain('Sign in with MFA… (disabled)');
    expect(labels(model.items)).toContain('Verify all accounts (disabled)');
  });

  it('falls back to the identity label when the user name is unknown', () => {
    const model = trayMenuModel(appState({ session: { signedIn: true, identityLabel: 'security', userName: null, expiresAt: '2026-11-26T08:05:00.000Z' } }), time);
    expect(labels(model.items)[0]).toBe('[Signed in as security until 08:05]');
  });
});
