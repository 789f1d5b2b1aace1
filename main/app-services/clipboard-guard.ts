import type { ClipboardPort } from './app-ports.js';

/**
 * Copies credentials to the clipboard and clears them after a delay, but only if the clipboard
 * still holds exactly what we put there (the user may have copied something else since).
 *
 * The clipboard is asynchronous (Electron 44+), so copies are serialised: a later copy starts
 * writing only after an earlier one has landed, and the last copy always owns the one timer.
 */
export class ClipboardGuard {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clipboard: ClipboardPort,
    private readonly timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = { setTimeout, clearTimeout },
  ) {}

  /** Resolves once the text is on the clipboard; the clearing is scheduled from then. */
  copy(text: string, clearAfterSeconds: number): Promise<void> {
    const write = async (): Promise<void> => {
      if (this.timer) this.timers.clearTimeout(this.timer);
      this.timer = undefined;
      await this.clipboard.writeText(text);
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        void this.clearIfOurs(text);
      }, clearAfterSeconds * 1000);
      // Never keep the process alive just to clear the clipboard.
      (this.timer as { unref?: () => void }).unref?.();
    };
    const done = this.queue.then(write);
    // A failed write must not block the copies after it; the caller still sees the failure.
    this.queue = done.catch(() => undefined);
    return done;
  }

  /** Clear now if it still holds our text (on quit). */
  async clearIfOurs(text: string): Promise<void> {
    if ((await this.clipboard.readText()) === text) this.clipboard.clear();
  }
}
