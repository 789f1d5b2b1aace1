import type { Clock } from '../core/clock.js';
import type { Vault } from '../core/vault/vault.js';
import type { ChangeSignal } from './state-feed.js';

/**
 * The one timer that re-sends the state when the next session expires, so every view flips to
 * "expired" on time: nothing else changes at that moment to send it.
 */
export class SessionExpiryTimer {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly vault: Vault,
    private readonly clock: Clock,
    private readonly changes: ChangeSignal,
  ) {}

  /** Set for the next expiry after now (none: no timer); called on every state change. */
  schedule(): void {
    this.stop();
    const now = this.clock.now().getTime();
    const { mfa, roles } = this.vault.sessionMetadata();
    const next = [...Object.values(mfa), ...Object.values(roles)]
      .map((s) => new Date(s.expiration).getTime())
      .filter((t) => t > now)
      .sort((a, b) => a - b)[0];
    if (next === undefined) return;
    this.timer = setTimeout(() => this.changes.changed(), Math.min(next - now + 1000, 2 ** 31 - 1));
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
