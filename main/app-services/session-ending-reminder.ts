import type { Clock } from '../core/clock.js';
import type { Vault } from '../core/vault/vault.js';
import type { NotifierPort } from './app-ports.js';

/**
 * A notification some minutes before the MFA session ends, offering to renew it: the person
 * types one code while they still have a minute, instead of meeting "expired" in the middle of
 * a deploy. Once per MFA session; never when the setting is 0; re-planned on every state change
 * (a new sign-in, a changed setting, signing out).
 */

/** Sets a timer; returns what cancels it. Real timers in the app, a hand-driven one in tests. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void;

export const realTimer: SetTimer = (callback, delayMs) => {
  const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), 2 ** 31 - 1));
  timer.unref?.();
  return () => clearTimeout(timer);
};

export interface EndingSession {
  identityId: string;
  identityLabel: string;
  /** When the MFA session ends (ms since the epoch). */
  endsAt: number;
  /** When it was issued: tells one session of an identity from the next. */
  issuedAt: string;
}

/** The MFA session to remind about next: the one ending first that has not been reminded of and has not ended. */
export function nextToRemind(sessions: readonly EndingSession[], now: number, reminded: ReadonlySet<string>): EndingSession | undefined {
  return sessions
    .filter((s) => s.endsAt > now && !reminded.has(reminderKey(s)))
    .sort((a, b) => a.endsAt - b.endsAt)[0];
}

export function reminderKey(session: Pick<EndingSession, 'identityId' | 'issuedAt'>): string {
  return `${session.identityId}@${session.issuedAt}`;
}

/** "21:08 (in 10 min)": the time the person can read off their clock, and how long that is. */
export function reminderText(session: EndingSession, now: number, formatTime: (ms: number) => string): { title: string; body: string } {
  const minutes = Math.max(1, Math.round((session.endsAt - now) / 60_000));
  return {
    title: `MFA session ends in ${minutes} min`,
    body: `${session.identityLabel}'s MFA session ends at ${formatTime(session.endsAt)}. Click to renew it now with one MFA code; your terminals keep working.`,
  };
}

export interface SessionEndingReminderDeps {
  vault: () => Vault | undefined;
  clock: Clock;
  notifier: NotifierPort;
  /** Minutes before the end to remind; 0 turns the reminder off. */
  minutesBefore: () => number;
  /** What a click on the notification does: sign in again. */
  renew: () => void;
  formatTime?: ((ms: number) => string) | undefined;
  setTimer?: SetTimer | undefined;
}

export class SessionEndingReminder {
  private cancel: (() => void) | undefined;
  private readonly reminded = new Set<string>();

  constructor(private readonly deps: SessionEndingReminderDeps) {}

  /** Plan the next reminder from the sessions as they are now. */
  schedule(): void {
    this.stop();
    const minutes = this.deps.minutesBefore();
    if (minutes <= 0) return;
    const now = this.deps.clock.now().getTime();
    const next = nextToRemind(this.sessions(), now, this.reminded);
    if (!next) return;
    const at = next.endsAt - minutes * 60_000;
    const setTimer = this.deps.setTimer ?? realTimer;
    this.cancel = setTimer(() => this.due(next, at), at - now);
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  private due(planned: EndingSession, at: number): void {
    this.cancel = undefined;
    const now = this.deps.clock.now().getTime();
    // A timer can fire early (the machine slept, the clock was set back): plan again instead.
    const still = this.sessions().find((s) => reminderKey(s) === reminderKey(planned));
    if (!still || now < at) {
      this.schedule();
      return;
    }
    this.reminded.add(reminderKey(still));
    const formatTime = this.deps.formatTime ?? ((ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
    const { title, body } = reminderText(still, now, formatTime);
    this.deps.notifier.notify(title, body, { onClick: () => this.deps.renew() });
    this.schedule();
  }

  private sessions(): EndingSession[] {
    const vault = this.deps.vault();
    if (!vault) return [];
    const { mfa } = vault.sessionMetadata();
    return Object.entries(mfa).flatMap(([identityId, session]) => {
      const identity = vault.identity(identityId);
      return identity ? [{ identityId, identityLabel: identity.label, endsAt: Date.parse(session.expiration), issuedAt: session.issuedAt }] : [];
    });
  }
}
