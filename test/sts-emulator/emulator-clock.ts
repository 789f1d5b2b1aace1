/**
 * The emulator's clock. Tests move it instead of sleeping, so that session expiry and MFA code
 * windows are deterministic.
 *
 * Two separate knobs, because callers sign requests with their own (real) clock:
 *
 * - `offsetMs` is the clock offset between the emulator and its callers: the emulator's clock is
 *   this far ahead of theirs. It moves everything, including the SigV4 five-minute window, so a
 *   large offset makes correctly signed requests fail with "Signature expired", exactly as a
 *   skewed laptop clock does against AWS. The `Date` response header follows it, which is what
 *   the AWS SDKs use to correct their own clock.
 * - `advance(ms)` and `freeze()` make time pass (or stop) for everything the emulator decides
 *   about time (issued credentials expiring, which TOTP step is current) as if the callers'
 *   clocks moved along with it, so signatures stay valid. This is how a test expires a 1-hour
 *   role session without waiting an hour.
 */
export interface ClockState {
  /** What the emulator considers "now" for sessions and MFA codes. */
  now: string;
  /** The emulator's clock as callers see it in the `Date` header and the signature window. */
  signatureNow: string;
  offsetMs: number;
  advancedMs: number;
  frozen: boolean;
}

export class EmulatorClock {
  private offset = 0;
  private advanced = 0;
  private frozenAtWallMs: number | null = null;

  constructor(private readonly wallClock: () => number = Date.now) {}

  /** Time for sessions, expiry and MFA codes. */
  now(): Date {
    const wall = this.frozenAtWallMs ?? this.wallClock();
    return new Date(wall + this.offset + this.advanced);
  }

  /** Time against which a request's signing time is judged, and the `Date` header. */
  signatureNow(): Date {
    return new Date(this.wallClock() + this.offset);
  }

  get offsetMs(): number {
    return this.offset;
  }

  setOffset(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('The clock offset is a finite number of milliseconds.');
    this.offset = ms;
  }

  /** Make `ms` milliseconds pass for sessions and MFA codes at once. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The emulator clock only moves forward; use setOffset for a clock behind the caller.');
    this.advanced += ms;
  }

  /** Stop time for sessions and MFA codes, so a test's TOTP step cannot roll over under it. */
  freeze(): void {
    this.frozenAtWallMs ??= this.wallClock();
  }

  unfreeze(): void {
    if (this.frozenAtWallMs === null) return;
    // Keep "now" continuous: the time that was frozen stays, wall time resumes from here.
    this.advanced -= this.wallClock() - this.frozenAtWallMs;
    this.frozenAtWallMs = null;
  }

  reset(): void {
    this.offset = 0;
    this.advanced = 0;
    this.frozenAtWallMs = null;
  }

  state(): ClockState {
    return {
      now: this.now().toISOString(),
      signatureNow: this.signatureNow().toISOString(),
      offsetMs: this.offset,
      advancedMs: this.advanced,
      frozen: this.frozenAtWallMs !== null,
    };
  }
}
