import { describe, expect, it } from 'vitest';
import { ClipboardGuard } from '../../../main/app-services/clipboard-guard.js';

/** Copied credentials leave the clipboard after the delay, unless the user copied something else. */
function fakes() {
  let text = '';
  const pending: { run: () => void; ms: number }[] = [];
  const clipboard = { writeText: (t: string) => void (text = t), readText: () => text, clear: () => void (text = '') };
  const timers = {
    setTimeout: ((run: () => void, ms: number) => {
      const entry = { run, ms };
      pending.push(entry);
      return entry;
    }) as unknown as typeof setTimeout,
    clearTimeout: ((entry: { run: () => void }) => {
      const i = pending.indexOf(entry as (typeof pending)[number]);
      if (i !== -1) pending.splice(i, 1);
    }) as unknown as typeof clearTimeout,
  };
  return { clipboard, timers, pending, read: () => text, type: (t: string) => void (text = t) };
}

describe('ClipboardGuard', () => {
  it('clears our text after the delay', () => {
    const f = fakes();
    new ClipboardGuard(f.clipboard, f.timers).copy('export AWS_ACCESS_KEY_ID=...', 45);
    expect(f.read()).toBe('export AWS_ACCESS_KEY_ID=...');
    expect(f.pending.map((p) => p.ms)).toEqual([45_000]);
    f.pending[0]?.run();
    expect(f.read()).toBe('');
  });

  it('leaves the clipboard alone if the user copied something else since', () => {
    const f = fakes();
    new ClipboardGuard(f.clipboard, f.timers).copy('secret stuff', 45);
    f.type('my own note');
    f.pending[0]?.run();
    expect(f.read()).toBe('my own note');
  });

  it('a second copy restarts the delay for the new text', () => {
    const f = fakes();
    const guard = new ClipboardGuard(f.clipboard, f.timers);
    guard.copy('first', 45);
    guard.copy('second', 10);
    expect(f.pending.map((p) => p.ms)).toEqual([10_000]);
    f.pending[0]?.run();
    expect(f.read()).toBe('');
  });
});
