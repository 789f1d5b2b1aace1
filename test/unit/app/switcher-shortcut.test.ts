import { describe, expect, it } from 'vitest';
import type { GlobalShortcutPort } from '../../../main/app-services/app-ports.js';
import { AppSettings } from '../../../main/app-services/app-settings.js';
import { NoticesStore } from '../../../main/app-services/notices-store.js';
import { SwitcherShortcut } from '../../../main/app-services/switcher-shortcut.js';
import { MemorySettingsStore } from '../../harness/recording-ports.js';

/** The quick switcher's global shortcut: claimed, changed, released, and a refusal explained. */
class RecordingShortcuts implements GlobalShortcutPort {
  readonly held = new Map<string, () => void>();
  /** Shortcuts another app holds. */
  readonly taken = new Set<string>();
  register(accelerator: string, callback: () => void): boolean {
    if (this.taken.has(accelerator) || this.held.has(accelerator)) return false;
    this.held.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.held.delete(accelerator);
  }
}

function setUp() {
  const port = new RecordingShortcuts();
  const settings = new AppSettings(new MemorySettingsStore());
  let changes = 0;
  const signal = { changed: () => void (changes += 1) };
  const notices = new NoticesStore(signal);
  let opened = 0;
  const shortcut = new SwitcherShortcut({ port, settings, notices, changes: signal, open: () => void (opened += 1), platform: 'linux' });
  return { port, settings, notices, shortcut, opened: () => opened, changes: () => changes };
}

describe('the quick switcher shortcut', () => {
  it('claims the default shortcut, which opens the switcher', () => {
    const { port, shortcut, opened } = setUp();
    shortcut.apply();
    expect([...port.held.keys()]).toEqual(['CommandOrControl+Alt+A']);
    port.held.get('CommandOrControl+Alt+A')?.();
    expect(opened()).toBe(1);
  });

  it('a changed setting releases the old shortcut and claims the new one; empty claims none', () => {
    const { port, settings, shortcut } = setUp();
    shortcut.apply();
    settings.save({ ...settings.current, quickSwitcherShortcut: 'Ctrl+Shift+Space' });
    shortcut.apply();
    expect([...port.held.keys()]).toEqual(['Ctrl+Shift+Space']);
    settings.save({ ...settings.current, quickSwitcherShortcut: '' });
    shortcut.apply();
    expect(port.held.size).toBe(0);
    expect(shortcut.current).toBeUndefined();
  });

  it('a shortcut another app holds becomes a notice that says what to do', () => {
    const { port, notices, shortcut, changes } = setUp();
    port.taken.add('CommandOrControl+Alt+A');
    shortcut.apply();
    expect(port.held.size).toBe(0);
    expect(notices.list()).toEqual([
      expect.objectContaining({
        level: 'warning',
        message:
          'AWS Auth Tray could not claim Ctrl+Alt+A for the quick switcher: another app holds it, or this desktop does not allow global shortcuts. Choose another shortcut in Settings; the tray menu opens the quick switcher meanwhile.',
      }),
    ]);
    expect(changes()).toBe(1);
    // Applied again on the state change that notice caused: not asked for again, not reported again.
    shortcut.apply();
    expect(changes()).toBe(1);
  });

  it('applying the same setting again changes nothing; release lets it go', () => {
    const { port, shortcut } = setUp();
    shortcut.apply();
    shortcut.apply();
    expect(port.held.size).toBe(1);
    shortcut.release();
    expect(port.held.size).toBe(0);
  });
});
