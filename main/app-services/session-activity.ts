import type { VerificationResult } from '../core/verification/verify-accounts.js';

/**
 * What sign-in and verification are doing and have found: whether a sign-in is running, which
 * profiles are being verified now, and the last verification result of each profile.
 */
export class SessionActivity {
  signingIn = false;
  private readonly results = new Map<string, VerificationResult>();
  private readonly verifying = new Set<string>();

  result(profile: string): VerificationResult | undefined {
    return this.results.get(profile);
  }

  record(result: VerificationResult): void {
    this.results.set(result.profile, result);
  }

  /** The profile is gone: its result goes with it. */
  forget(profile: string): void {
    this.results.delete(profile);
  }

  /** Signed out: no result holds any longer. */
  forgetAll(): void {
    this.results.clear();
  }

  startVerifying(profiles: readonly string[]): void {
    for (const name of profiles) this.verifying.add(name);
  }

  finishVerifying(profiles: readonly string[]): void {
    for (const name of profiles) this.verifying.delete(name);
  }

  isVerifying(profile: string): boolean {
    return this.verifying.has(profile);
  }

  get anyVerifying(): boolean {
    return this.verifying.size > 0;
  }
}
