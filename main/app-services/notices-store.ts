import { randomUUID } from 'node:crypto';
import { isUserFacingError } from '../core/user-facing-error.js';
import type { Notice } from '../ipc/ipc-contract.js';
import type { ChangeSignal } from './state-feed.js';

/**
 * The notices the windows show (a damaged vault moved aside, a server that could not start, the
 * keyring explanation, a failed tray action): the last five, each sentence only once.
 */
export class NoticesStore {
  private notices: Notice[] = [];

  constructor(private readonly changes: ChangeSignal) {}

  /** Adds a sentence (unless it is already shown); the caller reports the change. */
  add(level: Notice['level'], text: string): void {
    if (this.notices.some((n) => n.message === text)) return;
    this.notices = [...this.notices.slice(-4), { id: randomUUID(), level, message: text }];
  }

  /** Takes back a sentence that no longer holds; the caller reports the change. */
  withdraw(text: string): void {
    this.notices = this.notices.filter((n) => n.message !== text);
  }

  dismiss(id: string): void {
    this.notices = this.notices.filter((n) => n.id !== id);
    this.changes.changed();
  }

  /** Report a failure that happened away from any window (e.g. a tray action). */
  report(error: unknown): void {
    this.add('error', isUserFacingError(error) ? error.message : `Something went wrong: ${error instanceof Error ? error.message : String(error)}`);
    this.changes.changed();
  }

  list(): Notice[] {
    return [...this.notices];
  }
}
