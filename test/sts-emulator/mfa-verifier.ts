import { Secret, TOTP } from 'otpauth';
import type { FixtureMfaDevice } from './fixture.js';

/**
 * Virtual MFA devices as AWS checks them: RFC 6238 TOTP (SHA-1, 30-second steps, 6 digits),
 * accepting one step of drift either way, and refusing a code that was already accepted for the
 * same device (AWS does this; users meet it when two tools race for one code).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_DRIFT_STEPS = 1;

function totpFor(device: Pick<FixtureMfaDevice, 'seed'>): TOTP {
  return new TOTP({
    secret: Secret.fromBase32(device.seed),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The code a device shows at a given time: what a test or the demo "reads off the phone". */
export function totpCode(device: Pick<FixtureMfaDevice, 'seed'>, at: Date): string {
  return totpFor(device).generate({ timestamp: at.getTime() });
}

/** Milliseconds until the device shows its next code. */
export function totpRemainingMs(at: Date): number {
  return TOTP.remaining({ period: TOTP_PERIOD_SECONDS, timestamp: at.getTime() });
}

export class MfaVerifier {
  /** serial number -> TOTP steps whose code has been accepted */
  private readonly usedSteps = new Map<string, Set<number>>();

  /** True when the code is valid now and has not been used for this device before. */
  accept(device: FixtureMfaDevice, code: string, now: Date): boolean {
    const totp = totpFor(device);
    const delta = totp.validate({ token: code, timestamp: now.getTime(), window: TOTP_DRIFT_STEPS });
    if (delta === null) return false;
    const step = totp.counter({ timestamp: now.getTime() }) + delta;
    let used = this.usedSteps.get(device.serialNumber);
    if (!used) {
      used = new Set();
      this.usedSteps.set(device.serialNumber, used);
    }
    if (used.has(step)) return false;
    // Kept for the emulator's lifetime (a few bytes per sign-in), so that even a clock moved
    // backwards with setOffset cannot make a used code valid again.
    used.add(step);
    return true;
  }

  reset(): void {
    this.usedSteps.clear();
  }
}
