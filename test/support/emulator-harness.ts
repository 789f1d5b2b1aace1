import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Fixture } from '../sts-emulator/fixture.js';
import { totpCode } from '../sts-emulator/mfa-verifier.js';
import { startStsEmulator, type StsEmulator } from '../sts-emulator/sts-emulator.js';
import { referenceFixture } from './reference-fixture.js';

/**
 * One emulator per test file, reset and frozen before every test: no state leaks between
 * tests, and the TOTP step cannot roll over while a test runs. Tests move time with
 * `emulator.clock.advance()`.
 */
export function useEmulator(fixture: () => Fixture = referenceFixture): () => StsEmulator {
  let emulator: StsEmulator | undefined;
  beforeAll(async () => {
    emulator = await startStsEmulator({ fixture: fixture() });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(() => {
    emulator?.reset();
    emulator?.clock.freeze();
  });
  return () => {
    if (!emulator) throw new Error('The emulator has not started (useEmulator must be called at the top of a describe).');
    return emulator;
  };
}

/** The code the device shows on the emulator's clock (what the user reads off their phone). */
export function currentCode(emulator: StsEmulator, seed: string): string {
  return totpCode({ seed }, emulator.clock.now());
}

/** A six-digit code that is not valid for this device anywhere near the emulator's "now". */
export function wrongCode(emulator: StsEmulator, seed: string): string {
  const now = emulator.clock.now().getTime();
  const nearby = new Set([-2, -1, 0, 1, 2].map((step) => totpCode({ seed }, new Date(now + step * 30_000))));
  for (let n = 0; ; n += 1) {
    const candidate = String((123_456 + n * 7_919) % 1_000_000).padStart(6, '0');
    if (!nearby.has(candidate)) return candidate;
  }
}

/**
 * Move the emulator's (frozen) clock forward to a fixed instant, so that codes computed from
 * the fixture's seeds are the same on every run. Signatures stay valid: only session time moves.
 */
export function travelTo(emulator: StsEmulator, iso: string): void {
  const target = Date.parse(iso);
  const now = emulator.clock.now().getTime();
  if (target < now) throw new Error(`travelTo(${iso}) would move the emulator clock backwards; pick a later instant.`);
  emulator.clock.advance(target - now);
}
