import { describe, expect, it } from 'vitest';
import type { ClipboardPort } from '../../../main/app-services/app-ports.js';
import { ClipboardGuard } from '../../../main/app-services/clipboard-guard.js';

/**
 * Copied credentials leave the clipboard after the delay, unless the user copied something else.
 * The clipboard is asynchronous (Electron 44+, like the W3C Clipboard API): writes can finish out
 * of order, and the guard must still clear only what is ours.
 */
function fakes() {
  let text = '';
  const pending: { run: () => void; ms: number }[] = [];
  /** Writes that have started but not landed yet, in order; `land` finishes one. */
  const writes: { text: string; land: () => void }[] = [];
  let holdWrites = false;
  const clipboard: ClipboardPort = {
    writeText: (t) =>
      new Promise<void>((resolve) => {
        const land = (): void => {
          text = t;
          resolve();
        };
        if (holdWrites) writes.push({ text: t, land });
        else land();
      }),
    readText: () => Promise.resolve(text),
    clear: () => void (text = ''),
  };
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
  return {
    clipboard,
    timers,
    pending,
    writes,
    holdWrites: () => void (holdWrites = true),
    read: () => text,
    type: (t: string) => void (text = t),
  };
}

/** Let the guard's awaited reads and writes settle. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ClipboardGuard', () => {
  it('clears our text after the delay', async () => {
    const f = fakes();
    await new ClipboardGuard(f.clipboard, f.timers).copy('export AWS_ACCESS_KEY_ID=...', 45);
    expect(f.read()).toBe('export AWS_ACCESS_KEY_ID=...');
    expect(f.pending.map((p) => p.ms)).toEqual([45_000]);
    f.pending[0]?.run();
    await settle();
    expect(f.read()).toBe('');
  });

  it('leaves the clipboard alone if the user copied something else since', async () => {
    const f = fakes();
    await new ClipboardGuard(f.clipboard, f.timers).copy('secret stuff', 45);
    f.type('my own note');
    f.pending[0]?.run();
    await settle();
    expect(f.read()).toBe('my own note');
  });

  it('a second copy restarts the delay for the new text', async () => {
    const f = fakes();
    const guard = new ClipboardGuard(f.clipboard, f.timers);
    await guard.copy('first', 45);
    await guard.copy('second', 10);
    expect(f.pending.map((p) => p.ms)).toEqual([10_000]);
    f.pending[0]?.run();
    await settle();
    expect(f.read()).toBe('');
  });

  it('two copies in flight at once: the second writes after the first has landed, and owns the one timer', async () => {
    const f = fakes();
    f.holdWrites();
    const guard = new ClipboardGuard(f.clipboard, f.timers);
    const first = guard.copy('first', 45);
    const second = guard.copy('second', 10);
    await settle();
    expect(f.writes.map((w) => w.text)).toEqual(['first']);
    f.writes[0]?.land();
    await first;
    await settle();
    expect(f.writes.map((w) => w.text)).toEqual(['first', 'second']);
    f.writes[1]?.land();
    await second;
    expect(f.read()).toBe('second');
    expect(f.pending.map((p) => p.ms)).toEqual([10_000]);
    f.pending[0]?.run();
    await settle();
    expect(f.read()).toBe('');
  });

  it('a failed write is reported to its caller and does not block the next copy', async () => {
    const f = fakes();
    let fail = true;
    const flaky: ClipboardPort = { ...f.clipboard, writeText: (t) => (fail ? Promise.reject(new Error('clipboard busy')) : f.clipboard.writeText(t)) };
    const guard = new ClipboardGuard(flaky, f.timers);
    await expect(guard.copy('first', 45)).rejects.toThrow('clipboard busy');
    expect(f.pending).toHaveLength(0);
    fail = false;
    await guard.copy('second', 45);
    expect(f.read()).toBe('second');
  });

  it('on quit, clears now only if the clipboard still holds our text', async () => {
    const f = fakes();
    const guard = new ClipboardGuard(f.clipboard, f.timers);
    await guard.copy('secret', 45);
    f.type('my own note');
    await guard.clearIfOurs('secret');
    expect(f.read()).toBe('my own note');
  });
});
