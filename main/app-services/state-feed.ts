import type { AppState } from '../ipc/ipc-contract.js';

/**
 * The app state as a feed: each concern says when it has changed something, and the feed builds
 * one fresh snapshot and hands that same snapshot to every listener (the windows, the tray).
 */

/** What a concern needs to report a change: the feed, seen from below. */
export interface ChangeSignal {
  changed(): void;
}

export type StateListener = (state: AppState) => void;

export class StateFeed implements ChangeSignal {
  private readonly listeners = new Set<StateListener>();

  /** @param snapshot builds the state as it is now; called on each change, never while the app is being put together. */
  constructor(private readonly snapshot: () => AppState) {}

  /** Listeners are called in the order they were added. */
  onStateChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    const state = this.snapshot();
    for (const listener of this.listeners) listener(state);
  }
}
