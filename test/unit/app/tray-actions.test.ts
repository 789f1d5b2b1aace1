import { describe, expect, it } from 'vitest';
import type { AppService } from '../../../main/app-services/app-service.js';
import { performTrayAction } from '../../../main/tray/tray-actions.js';

/** The tray's window actions reach the shell: "All accounts…" with the search, the quick switcher, a hidden MFA prompt. */
function recordingShell() {
  const calls: string[] = [];
  return {
    calls,
    shell: {
      openMainWindow: (focus?: 'search') => void calls.push(`openMainWindow(${focus ?? ''})`),
      quit: () => void calls.push('quit'),
      notify: (title: string, body: string) => void calls.push(`notify(${title}: ${body})`),
      showQuickSwitcher: () => void calls.push('showQuickSwitcher'),
      showMfaPopup: () => void calls.push('showMfaPopup'),
    },
  };
}

/** These actions touch no service: an app that throws on any use proves it. */
const untouchable = new Proxy({}, { get: (_target, name) => { throw new Error(`the app service was used: ${String(name)}`); } }) as AppService;

describe('tray window actions', () => {
  it.each([
    [{ kind: 'open-window' } as const, 'openMainWindow()'],
    [{ kind: 'open-window', focus: 'search' } as const, 'openMainWindow(search)'],
    [{ kind: 'open-switcher' } as const, 'showQuickSwitcher'],
    [{ kind: 'show-mfa-prompt' } as const, 'showMfaPopup'],
  ])('%j', async (action, call) => {
    const { calls, shell } = recordingShell();
    await performTrayAction(untouchable, action, shell);
    expect(calls).toEqual([call]);
  });
});
