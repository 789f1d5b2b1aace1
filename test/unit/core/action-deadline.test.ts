import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActionDeadline, ActionDeadlineExceeded } from '../../../main/core/sts/action-deadline.js';

/**
 * The action deadline's bookkeeping on fake timers: its clock runs only while the action waits
 * on STS, shares one budget across requests, and stands still while a person types.
 */
describe('ActionDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const fresh = () => new ActionDeadline(() => Date.now());
  /** A promise the test settles, standing for a person typing a code. */
  function typing(): { done: Promise<string>; type(code: string): void } {
    let type!: (code: string) => void;
    const done = new Promise<string>((resolve) => (type = resolve));
    return { done, type };
  }

  it('the clock does not start before the first STS request (unlocking the vault is not waiting on STS)', () => {
    const action = fresh();
    vi.advanceTimersByTime(60_000);
    expect(action.remaining()).toBeUndefined();
    const signal = action.signal(1_000);
    expect(signal.aborted).toBe(false);
    expect(action.remaining()).toBe(1_000);
  });

  it('every request of one action shares one budget: the second request gets only what the first left', () => {
    const action = fresh();
    const first = action.signal(1_000);
    vi.advanceTimersByTime(600);
    const second = action.signal(1_000);
    expect(second).toBe(first);
    expect(action.remaining()).toBe(400);
    vi.advanceTimersByTime(399);
    expect(second.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(second.aborted).toBe(true);
    expect(second.reason).toBeInstanceOf(ActionDeadlineExceeded);
    expect(action.expired).toBe(true);
  });

  it('typing an MFA code does not count: ten minutes at the prompt leave the budget where it was', async () => {
    const action = fresh();
    const signal = action.signal(1_000);
    vi.advanceTimersByTime(300);
    const person = typing();
    const asked = action.excluding(() => person.done);
    vi.advanceTimersByTime(600_000);
    expect(signal.aborted).toBe(false);
    expect(action.remaining()).toBe(700);
    person.type('123456');
    await expect(asked).resolves.toBe('123456');
    vi.advanceTimersByTime(699);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal.aborted).toBe(true);
  });

  it('two prompts open at once: the clock runs again only when both are answered', async () => {
    const action = fresh();
    const signal = action.signal(1_000);
    const one = typing();
    const two = typing();
    const first = action.excluding(() => one.done);
    const second = action.excluding(() => two.done);
    one.type('1');
    await first;
    vi.advanceTimersByTime(5_000);
    expect(signal.aborted).toBe(false);
    two.type('2');
    await second;
    vi.advanceTimersByTime(1_000);
    expect(signal.aborted).toBe(true);
  });

  it('a prompt before the first request does not start the clock', async () => {
    const action = fresh();
    const person = typing();
    const asked = action.excluding(() => person.done);
    vi.advanceTimersByTime(5_000);
    person.type('1');
    await asked;
    expect(action.remaining()).toBeUndefined();
    expect(action.signal(1_000).aborted).toBe(false);
  });

  it('join shares the action under way; begin starts one of its own inside it', async () => {
    const here = () => Promise.resolve(ActionDeadline.current());
    await ActionDeadline.begin(async () => {
      const outer = ActionDeadline.current();
      expect(outer).toBeDefined();
      expect(await ActionDeadline.join(here)).toBe(outer);
      expect(await ActionDeadline.begin(here)).not.toBe(outer);
      expect(ActionDeadline.current()).toBe(outer);
    });
    expect(ActionDeadline.current()).toBeUndefined();
  });

  it('excludingTyping outside any action simply waits', async () => {
    await expect(ActionDeadline.excludingTyping(() => Promise.resolve('typed'))).resolves.toBe('typed');
  });

  it('a finished action leaves no timer behind', async () => {
    const action = fresh();
    await ActionDeadline.begin(() => Promise.resolve(action.signal(1_000)), action);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5_000);
    expect(action.expired).toBe(false);
  });
});
