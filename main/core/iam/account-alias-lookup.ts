import type { StsCredentials } from '../sts/sts-gateway.js';
import type { Vault } from '../vault/vault.js';
import type { AccountAliasReader, AliasAnswer } from './account-alias-reader.js';
import { isIamPartition } from './iam-endpoint.js';

/**
 * Learning account aliases while verifying: for one account's row, IAM ListAccountAliases runs
 * beside GetCallerIdentity with the same credentials, and what IAM said is remembered in the
 * vault for that account (vault.ts, 24 hours), so verifying again within a day asks IAM nothing.
 *
 * It never holds verification up for long: once GetCallerIdentity has answered, the alias gets a
 * short grace (1 s) and is then given up for this run (asked again next time); verify moves on
 * to the next account meanwhile and waits for what is still settling once, at its end. Nothing
 * here fails: a question IAM does not answer, or an answer that cannot be written, is simply no
 * alias. An account already being asked (two profiles of one account verified together) is
 * asked once.
 */

/** Starts a timer; returns its cancel. The real one does not keep the process alive. */
export type SetTimer = (callback: () => void, delayMs: number) => () => void;

const realTimer: SetTimer = (callback, delayMs) => {
  const timer = setTimeout(callback, delayMs);
  timer.unref?.();
  return () => clearTimeout(timer);
};

/** How long an alias may still take once GetCallerIdentity has answered for its account. */
export const ALIAS_GRACE_MS = 1_000;

export interface AccountAliasLookupDeps {
  vault: Vault;
  reader: AccountAliasReader;
  graceMs?: number | undefined;
  setTimer?: SetTimer | undefined;
}

/** One account's question to IAM, under way. */
export interface PendingAlias {
  /**
   * GetCallerIdentity said which account these credentials are in: wait (at most the grace) for
   * IAM, and remember a lasting answer for that account. Never rejects.
   */
  settle(accountId: string): Promise<void>;
  /** The verification failed: stop asking, remember nothing. */
  cancel(): void;
}

const NOT_KNOWN: AliasAnswer = Object.freeze({ alias: undefined, lasting: false });

export class AccountAliasLookup {
  private readonly asking = new Set<string>();

  constructor(private readonly deps: AccountAliasLookupDeps) {}

  /**
   * Ask IAM for the alias of `accountId` (the account the profile expects) with `credentials`,
   * unless the vault learned it within 24 hours or it is being asked already; undefined when
   * nothing is asked. Call it in the account's action (action-deadline.ts), right after starting
   * GetCallerIdentity: the question shares the action's deadline.
   */
  begin(accountId: string | undefined, partition: string | undefined, credentials: StsCredentials, signal?: AbortSignal): PendingAlias | undefined {
    const { vault, reader } = this.deps;
    if (accountId === undefined || partition === undefined || !isIamPartition(partition)) return undefined;
    if (this.asking.has(accountId) || !vault.accountAliasDue(accountId)) return undefined;
    this.asking.add(accountId);
    const controller = new AbortController();
    const stop = signal ? AbortSignal.any([controller.signal, signal]) : controller.signal;
    const answer = reader
      .accountAlias(credentials, partition, { signal: stop })
      .catch(() => NOT_KNOWN)
      .finally(() => this.asking.delete(accountId));
    const setTimer = this.deps.setTimer ?? realTimer;
    const graceMs = this.deps.graceMs ?? ALIAS_GRACE_MS;
    return {
      settle: async (answeredFor) => {
        let cancelTimer: (() => void) | undefined;
        const late = new Promise<undefined>((resolve) => {
          cancelTimer = setTimer(() => {
            controller.abort();
            resolve(undefined);
          }, graceMs);
        });
        try {
          const got = await Promise.race([answer, late]);
          if (got?.lasting) vault.rememberAccountAlias(answeredFor, got.alias);
        } catch {
          // A vault that cannot be written now (changed under us, say) says so elsewhere; the alias waits for the next verify.
        } finally {
          cancelTimer?.();
        }
      },
      cancel: () => controller.abort(),
    };
  }
}
