import { UserFacingError } from '../user-facing-error.js';

/**
 * How the core asks a person for an MFA code. The app shows its popup, the command line asks on
 * the terminal; tests answer with codes computed from the fixture's seeds. The core asks only
 * when it has to, once for any number of concurrent callers.
 */

/** Who wants the credentials, shown in the prompt ("asked by: terminal, credential-process dev"). */
export interface Requester {
  kind: 'tray' | 'window' | 'notification' | 'terminal' | 'command-line' | 'test';
  description: string;
}

export type MfaPurpose =
  /** Sign in: one MFA session (GetSessionToken) that unlocks every account of the identity. */
  | { kind: 'mfa-session' }
  /** One profile that assumes its role with its own code (longer sessions). */
  | { kind: 'assume-role'; profile: string; roleArn: string };

export interface MfaPromptRequest {
  identityLabel: string;
  accessKeyId: string;
  mfaSerial: string;
  requester: Requester;
  purpose: MfaPurpose;
  /** 1 for the first ask; more after a rejected code. */
  attempt: number;
  /** Set after a rejected code: the sentence to show beside the field. */
  previousError?: string;
  /** Aborted when the answer is no longer wanted (sign-out); the prompt should close. */
  signal: AbortSignal;
  /** The identity's `mfa_process`: a command that prints the code (mfa-codes/automatic-mfa-prompter.ts runs it first). */
  mfaProcess?: string | undefined;
  /** The identity's chosen YubiKey OATH account, when several on the key match its device. */
  oathAccount?: string | undefined;
}

export type MfaOutcome =
  /** AWS accepted the code. */
  | { kind: 'accepted' }
  /** AWS rejected the code; the prompter is asked again with the reason (unless attempts ran out). */
  | { kind: 'rejected'; message: string }
  /** Something else failed (network, AWS error); the caller reports it. */
  | { kind: 'failed'; message: string };

export interface MfaPrompter {
  /** Resolves with the code as typed; rejects (MfaPromptCancelled) when the user cancels. */
  prompt(request: MfaPromptRequest): Promise<string>;
  /**
   * Told what became of a code it returned, so a window can stay open ("checking...") while
   * the code is in flight and close only once there is an answer.
   */
  outcome?(request: MfaPromptRequest, outcome: MfaOutcome): void;
}

export class MfaPromptCancelled extends UserFacingError {
  constructor(message = 'Sign-in cancelled: no MFA code was entered.') {
    super('mfa-cancelled', message);
  }
}

/** `123 456`, `123-456` -> `123456`; undefined when it is not six digits. */
export function normalizeMfaCode(text: string): string | undefined {
  const digits = text.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}
