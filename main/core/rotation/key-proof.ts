import type { CallerIdentity, StsGateway } from '../sts/sts-gateway.js';
import { UserFacingError } from '../user-facing-error.js';
import type { LongTermKeys } from '../vault/vault.js';

/**
 * Proving a new access key: STS GetCallerIdentity signed with it, again and again with growing
 * waits, until AWS accepts it or a bound is reached. IAM is eventually consistent: a key that
 * CreateAccessKey just returned is refused (InvalidClientTokenId) for a few seconds, sometimes
 * longer, before every endpoint knows it. Only that refusal is waited out; any other failure
 * (network, a wrong secret, a policy) is the caller's to handle at once.
 *
 * The waits go through an injected sleeper: the app and the command line wait on a timer, tests
 * move the STS emulator's clock instead (the emulator's propagation delay runs on that clock), so
 * no test sleeps on the wall clock. The bound counts the time waited between attempts.
 */

/** Waits `ms`, or rejects with the signal's reason when it aborts. */
export type Sleeper = (ms: number, signal?: AbortSignal) => Promise<void>;

/** How long a new key may take to be accepted before the rotation gives up on it and rolls back. */
export const DEFAULT_PROOF_BOUND_MS = 60_000;
const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 10_000;

export const timerSleeper: Sleeper = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export type KeyProof =
  | { valid: true; caller: CallerIdentity; attempts: number }
  /** AWS still refused the key when the bound was reached. */
  | { valid: false; attempts: number; waitedMs: number };

export interface KeyProofOptions {
  region: string;
  boundMs: number;
  sleep: Sleeper;
  signal?: AbortSignal | undefined;
  /** Told before each attempt (1, 2, ...), for progress. */
  onAttempt?: ((attempt: number) => void) | undefined;
}

/** Whether AWS does not (yet) know the key: the one refusal worth waiting out. */
function notKnownYet(error: unknown): boolean {
  return error instanceof UserFacingError && error.code === 'InvalidClientTokenId';
}

export async function proveKey(sts: StsGateway, keys: LongTermKeys, options: KeyProofOptions): Promise<KeyProof> {
  let waited = 0;
  let wait = FIRST_WAIT_MS;
  for (let attempt = 1; ; attempt += 1) {
    options.onAttempt?.(attempt);
    try {
      const caller = await sts.getCallerIdentity({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }, options.region, { signal: options.signal });
      return { valid: true, caller, attempts: attempt };
    } catch (error) {
      if (!notKnownYet(error)) throw error;
      if (waited >= options.boundMs) return { valid: false, attempts: attempt, waitedMs: waited };
      // The last wait is cut short so the final attempt lands on the bound.
      const next = Math.min(wait, options.boundMs - waited);
      await options.sleep(next, options.signal);
      waited += next;
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}
