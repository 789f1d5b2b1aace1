import { describe, expect, it } from 'vitest';
import { trayMenuModel, type TrayMenuItem } from '../../../main/tray/tray-menu-model.js';
import type { ProfileView } from '../../../main/ipc/ipc-contract.js';
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
      'Find an account…',
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
      'Open AWS console',
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

  describe('many accounts: the menu stays short', () => {
    const view = (name: string, favourite = false): ProfileView => ({
      name,
      identityId: 'id-1',
      roleArn: null,
      externalId: null,
      region: null,
      mfaMode: 'mfa-session',
      durationSeconds: null,
      origin: 'aws-config',
      favourite,
      group: null,
    });
    const names = Array.from({ length: 30 }, (_, i) => `acme-account-${String(i + 1).padStart(2, '0')}`);

    it('lists favourites, then accounts needing attention, then "All accounts…" opening the window on the search', () => {
      const state = appState({
        profiles: names.map((n) => view(n, n === 'acme-account-07' || n === 'acme-account-21')),
        accounts: names.map((n) => account(n, n === 'acme-account-12' ? { verdict: 'error', reason: 'AWS STS is not answering.', errorCode: 'network' } : { verdict: 'ok' })),
      });
      const model = trayMenuModel(state, time);
      expect(labels(model.items).slice(2, 8)).toEqual(['---', 'acme-account-07  ✓ >', 'acme-account-21  ✓ >', 'acme-account-12  ⚠ >', 'All accounts (30)…', '---']);
      expect(model.items.find((i) => i.type === 'action' && i.label.startsWith('All accounts'))).toEqual({
        type: 'action',
        label: 'All accounts (30)…',
        action: { kind: 'open-window', focus: 'search' },
        enabled: true,
      });
    });

    it('at most eight accounts needing attention are listed; the rest are behind "All accounts…"', () => {
      const state = appState({ profiles: names.map((n) => view(n)), accounts: names.map((n) => account(n, { verdict: 'error', reason: 'x', errorCode: 'network' })) });
      const submenus = trayMenuModel(state, time).items.filter((i) => i.type === 'submenu');
      expect(submenus).toHaveLength(8);
    });

    it('few accounts are all listed, favourites first, without "All accounts…"', () => {
      const few = names.slice(0, 5);
      const model = trayMenuModel(appState({ profiles: few.map((n) => view(n, n === 'acme-account-04')), accounts: few.map((n) => account(n)) }), time);
      expect(labels(model.items).filter((l) => l.endsWith(' >'))).toEqual(['acme-account-04 >', 'acme-account-01 >', 'acme-account-02 >', 'acme-account-03 >', 'acme-account-05 >']);
      expect(labels(model.items).some((l) => l.startsWith('All accounts'))).toBe(false);
    });

    it('each listed account can open its AWS console', () => {
      const dev = submenu(trayMenuModel(appState(), time).items, 'dev');
      expect(dev.at(-1)).toEqual({ type: 'action', label: 'Open AWS console', action: { kind: 'open-console', profile: 'dev' }, enabled: true });
    });
  });

  describe('status at a glance', () => {
    const signedIn = appState({ session: { signedIn: true, identityLabel: 'security', userName: 'alice', expiresAt: '2026-11-26T21:40:00.000Z' } });
    const now = Date.parse('2026-11-26T18:28:30.000Z');

    it('the status, the tooltip and the macOS title say how long the MFA session has left', () => {
      const model = trayMenuModel(signedIn, time, { now });
      expect(labels(model.items)[0]).toBe('[Signed in as alice until 21:40 (3 h 11 min left)]');
      expect(model.tooltip).toBe('AWS Auth Tray: Signed in as alice until 21:40 (3 h 11 min left)');
      expect(model.title).toBe('3h11m');
    });

    it('signed out or locked: no title', () => {
      expect(trayMenuModel(appState(), time, { now }).title).toBe('');
      expect(trayMenuModel({ ...signedIn, storage: { ...signedIn.storage, locked: true } }, time, { now }).title).toBe('');
    });

    it('a waiting MFA prompt can be brought to the front from the menu', () => {
      const items = trayMenuModel(signedIn, time, { now, promptWaiting: true }).items;
      expect(labels(items).slice(0, 3)).toEqual(['[Signed in as alice until 21:40 (3 h 11 min left)]', 'Show the MFA prompt…', 'Sign in with MFA…']);
      expect(items[1]).toMatchObject({ action: { kind: 'show-mfa-prompt' } });
      expect(labels(trayMenuModel(signedIn, time, { now }).items)).not.toContain('Show the MFA prompt…');
    });

    it('the quick switcher is in the menu with its shortcut, and needs accounts', () => {
      const items = trayMenuModel(signedIn, time, { switcherShortcut: 'Ctrl+Alt+A' }).items;
      expect(items.find((i) => i.type === 'action' && i.action.kind === 'open-switcher')).toEqual({
        type: 'action',
        label: 'Find an account… (Ctrl+Alt+A)',
        action: { kind: 'open-switcher' },
        enabled: true,
      });
      expect(labels(trayMenuModel(appState({ accounts: [] }), time).items)).toContain('Find an account… (disabled)');
    });
  });
});
