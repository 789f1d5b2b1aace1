import type { ClipboardPort } from './app-ports.js';

/**
 * Copies credentials to the clipboard and clears them after a delay, but only if the clipboard
 * still holds exactly what we put there (the user may have copied something else since).
 */
export class ClipboardGuard {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly clipboard: ClipboardPort,
    private readonly timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = { setTimeout, clearTimeout },
  ) {}

  copy(text: string, clearAfterSeconds: number): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.clipboard.writeText(text);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.clipboard.readText() === text) this.clipboard.clear();
    }, clearAfterSeconds * 1000);
    // Never keep the process alive just to clear the clipboard.
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Clear now if it still holds our text (on quit). */
  clearIfOurs(text: string): void {
    if (this.clipboard.readText() === text) this.clipboard.clear();
  }
}
