import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CACHE_WRITE_WINDOW_MS, VaultFile, type DocumentStore, type StoreFactory } from '../../../main/core/vault/vault-file.js';
import type { VaultDocument } from '../../../main/core/vault/vault-schema.js';

/**
 * Cached sessions arrive one answer at a time while many accounts verify: they go to disk in one
 * write per window, not one write and fsync each (which held up the answers still arriving), and
 * flush() writes them at once, so the command line never waits for the window before it exits.
 */
describe('the vault file writes a burst of cache changes once', () => {
  let dir: string;
  let writes: number;
  const counting: StoreFactory = (options) => {
    const real = new Conf<VaultDocument>(options);
    const store: DocumentStore = {
      get store() {
        return real.store;
      },
      set store(value) {
        writes += 1;
        real.store = value;
      },
    };
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vault-cache-writes-'));
    writes = 0;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  function saved(): VaultDocument {
    return JSON.parse(readFileSync(join(dir, 'vault.json'), 'utf8')) as VaultDocument;
  }

  it('changes within the window are one write, at its end', async () => {
    const { file } = VaultFile.open(dir, new Date(), counting);
    const before = writes;
    for (let i = 0; i < 20; i += 1) {
      file.updateSoon((doc) => {
        doc.secrets[`s${i}`] = 'sealed';
      });
      await new Promise((resolve) => setImmediate(resolve)); // answers arrive on later turns of the event loop
    }
    expect(writes).toBe(before);
    expect(Object.keys(file.view().secrets)).toHaveLength(20); // in memory at once
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_WINDOW_MS);
    expect(writes).toBe(before + 1);
    expect(Object.keys(saved().secrets)).toHaveLength(20);
  });

  it('flush() writes at once, without waiting for the window', async () => {
    const { file } = VaultFile.open(dir, new Date(), counting);
    file.updateSoon((doc) => {
      doc.secrets.a = 'sealed';
    });
    await file.flush(); // fake timers: the window never ends by itself
    expect(saved().secrets.a).toBe('sealed');
    const after = writes;
    await vi.advanceTimersByTimeAsync(CACHE_WRITE_WINDOW_MS * 2);
    expect(writes).toBe(after); // nothing left to write
  });
});
