import { describe, expect, it } from 'vitest';
import type { AppService } from '../../../main/app-services/app-service.js';
import type { AccessKeyView, IdentityView } from '../../../main/ipc/ipc-contract.js';
import { performTrayAction } from '../../../main/tray/tray-actions.js';
import { trayMenuModel, type TrayMenuItem } from '../../../main/tray/tray-menu-model.js';
import { appState } from './app-state-fixtures.js';

/** The tray offers to rotate an access key past the age limit, and the item opens the window at the rotation's confirm. */
const time = (iso: string): string => iso.slice(11, 16);
const actions = (items: TrayMenuItem[]) => items.filter((i): i is Extract<TrayMenuItem, { type: 'action' }> => i.type === 'action');

function key(overrides: Partial<AccessKeyView> = {}): AccessKeyView {
  return {
    accessKeyId: 'AKIAEXAMPLEEXAMPLE00',
    createdAt: '2026-01-01T00:00:00.000Z',
    ageDays: 30,
    old: false,
    warnDays: 90,
    lastUsed: null,
    otherKeys: null,
    note: null,
    checking: false,
    ...overrides,
  };
}

function identity(id: string, label: string, overrides: Partial<IdentityView> = {}): IdentityView {
  return { id, label, accessKeyId: 'AKIAEXAMPLEEXAMPLE00', hasSecret: true, mfaSerial: `arn:aws:iam::111111111111:mfa/${label}`, region: 'us-east-1', ...overrides };
}

describe('tray: rotating an old access key', () => {
  it('no item while every key is younger than the limit, or its age is unknown', () => {
    for (const k of [key(), key({ ageDays: null, createdAt: null }), null, undefined]) {
      const model = trayMenuModel(appState({ identities: [identity('id-1', 'security', k === undefined ? {} : { key: k })] }), time);
      expect(actions(model.items).map((i) => i.label).filter((l) => l.startsWith('Rotate'))).toEqual([]);
    }
  });

  it('one item per identity whose key is past the limit, right after signing in, naming its age', () => {
    const state = appState({
      identities: [
        identity('id-1', 'security', { key: key({ ageDays: 92, old: true }) }),
        identity('id-2', 'ops', { key: key({ ageDays: 10 }) }),
        identity('id-3', 'legacy', { key: key({ ageDays: 400, old: true }) }),
      ],
    });
    const items = trayMenuModel(state, time).items;
    const labels = items.map((i) => (i.type === 'action' || i.type === 'label' || i.type === 'submenu' ? i.label : '---'));
    expect(labels.slice(0, 4)).toEqual(['Signed out', 'Sign in with MFA…', 'Rotate access key for security (92 days old)…', 'Rotate access key for legacy (400 days old)…']);
    const rotate = actions(items).filter((i) => i.label.startsWith('Rotate'));
    expect(rotate.map((i) => i.action)).toEqual([
      { kind: 'rotate-key', identityId: 'id-1' },
      { kind: 'rotate-key', identityId: 'id-3' },
    ]);
    expect(rotate.every((i) => i.enabled)).toBe(true);
  });

  it('disabled while that key is being rotated, or while the vault is locked', () => {
    const running = appState({ identities: [identity('id-1', 'security', { key: key({ ageDays: 92, old: true }), rotation: { status: 'running', step: 'creating', sentence: 'Creating…', attempt: null } })] });
    expect(actions(trayMenuModel(running, time).items).find((i) => i.label.startsWith('Rotate'))?.enabled).toBe(false);
    const locked = appState({ storage: { protection: 'passphrase', locked: true, exists: true, explanation: null }, identities: [identity('id-1', 'security', { key: key({ ageDays: 92, old: true }) })] });
    expect(actions(trayMenuModel(locked, time).items).find((i) => i.label.startsWith('Rotate'))?.enabled).toBe(false);
  });

  it('the item asks the window to open that identity\'s rotation confirm, and opens the window', async () => {
    const calls: string[] = [];
    const app = { keyHygiene: { requestRotation: (id: string) => void calls.push(`requestRotation(${id})`) } } as unknown as AppService;
    await performTrayAction(app, { kind: 'rotate-key', identityId: 'id-1' }, {
      openMainWindow: (focus) => void calls.push(`openMainWindow(${focus ?? ''})`),
      quit: () => undefined,
      notify: (title, body) => void calls.push(`notify(${title}: ${body})`),
    });
    expect(calls).toEqual(['requestRotation(id-1)', 'openMainWindow()']);
  });
});
