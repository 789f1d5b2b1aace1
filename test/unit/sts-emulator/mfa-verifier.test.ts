import { describe, expect, it } from 'vitest';
import type { FixtureMfaDevice } from '../../sts-emulator/fixture.js';
import { MfaVerifier, TOTP_PERIOD_SECONDS, totpCode, totpRemainingMs } from '../../sts-emulator/mfa-verifier.js';

const device: FixtureMfaDevice = { serialNumber: 'arn:aws:iam::111111111111:mfa/alice', seed: 'HERCDVG6QMM33BXAGP5E7YY5RPYMVMDI' };
const other: FixtureMfaDevice = { serialNumber: 'arn:aws:iam::111111111111:mfa/bob', seed: '2O7GVOLB3MI7MZ3XCRF25UDFRQT2WLYC' };

/** 10 seconds into a 30-second step, so "now" is well inside one step. */
const T0 = new Date(Date.UTC(2026, 10, 26, 15, 0, 10));
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

function at(steps: number, base: Date = T0): Date {
  return new Date(base.getTime() + steps * STEP_MS);
}

describe('totpCode', () => {
  it('is six digits and the same throughout one 30-second step', () => {
    const code = totpCode(device, T0);
    expect(code).toMatch(/^\d{6}$/);
    expect(totpCode(device, new Date(Date.UTC(2026, 10, 26, 15, 0, 0)))).toBe(code);
    expect(totpCode(device, new Date(Date.UTC(2026, 10, 26, 15, 0, 29, 999)))).toBe(code);
  });

  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: seed "12345678901234567890" (ASCII), T = 59 s -> 94287082 (8 digits); 6 digits: 287082.
    const rfcSeed = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode({ seed: rfcSeed }, new Date(59_000))).toBe('287082');
    expect(totpCode({ seed: rfcSeed }, new Date(1_111_111_109_000))).toBe('081804');
  });

  it('says how long the current code stays on screen', () => {
    expect(totpRemainingMs(T0)).toBe(20_000);
  });
});

describe('MfaVerifier', () => {
  it('these fixed instants give five different codes (so the cases below are meaningful)', () => {
    expect(new Set([-2, -1, 0, 1, 2].map((s) => totpCode(device, at(s)))).size).toBe(5);
  });

  it('accepts the current code', () => {
    expect(new MfaVerifier().accept(device, totpCode(device, T0), T0)).toBe(true);
  });

  it('rejects the same code a second time', () => {
    const verifier = new MfaVerifier();
    const code = totpCode(device, T0);
    expect(verifier.accept(device, code, T0)).toBe(true);
    expect(verifier.accept(device, code, T0)).toBe(false);
    expect(verifier.accept(device, code, new Date(T0.getTime() + 5_000))).toBe(false);
  });

  it('rejects a used code even one step later, while it is still inside the drift window', () => {
    const verifier = new MfaVerifier();
    const code = totpCode(device, T0);
    expect(verifier.accept(device, code, T0)).toBe(true);
    expect(verifier.accept(device, code, at(1))).toBe(false);
  });

  it('accepts the previous step\'s code (one step of drift)', () => {
    expect(new MfaVerifier().accept(device, totpCode(device, at(-1)), T0)).toBe(true);
  });

  it('accepts the next step\'s code (one step of drift)', () => {
    expect(new MfaVerifier().accept(device, totpCode(device, at(1)), T0)).toBe(true);
  });

  it('rejects codes two steps away either way', () => {
    expect(new MfaVerifier().accept(device, totpCode(device, at(-2)), T0)).toBe(false);
    expect(new MfaVerifier().accept(device, totpCode(device, at(2)), T0)).toBe(false);
  });

  it('accepts consecutive codes once each: the current one, then the next step\'s', () => {
    const verifier = new MfaVerifier();
    expect(verifier.accept(device, totpCode(device, T0), T0)).toBe(true);
    expect(verifier.accept(device, totpCode(device, at(1)), at(1))).toBe(true);
  });

  it('keeps used codes per device', () => {
    const verifier = new MfaVerifier();
    expect(verifier.accept(device, totpCode(device, T0), T0)).toBe(true);
    expect(verifier.accept(other, totpCode(other, T0), T0)).toBe(true);
  });

  it('rejects another device\'s code', () => {
    expect(totpCode(other, T0)).not.toBe(totpCode(device, T0));
    expect(new MfaVerifier().accept(device, totpCode(other, T0), T0)).toBe(false);
  });

  it('rejects malformed codes', () => {
    const verifier = new MfaVerifier();
    for (const code of ['', '12345', '1234567', 'abcdef']) expect(verifier.accept(device, code, T0), code).toBe(false);
  });

  it('forgets used codes on reset', () => {
    const verifier = new MfaVerifier();
    const code = totpCode(device, T0);
    expect(verifier.accept(device, code, T0)).toBe(true);
    verifier.reset();
    expect(verifier.accept(device, code, T0)).toBe(true);
  });
});
