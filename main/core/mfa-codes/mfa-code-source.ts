import { UserFacingError } from '../user-facing-error.js';
import { runMfaProcess } from './mfa-process.js';
import { chooseOathAccount } from './oath-accounts.js';
import { Ykman } from './ykman.js';

/**
 * Where an identity's MFA codes can come from without typing, for the app and the command line
 * alike: its `mfa_process` (run, never through a shell), or an OATH account on a YubiKey that
 * matches its MFA device (oath-accounts.ts), read with ykman. `mfa_process` wins: the person
 * wrote it down. Without either (no ykman installed, no key inserted, no matching account),
 * nothing changes: the code is typed.
 */

/** What the identity brings to it: its device, its mfa_process, its chosen OATH account. */
export interface HardwareMfaIdentity {
  identityLabel: string;
  mfaSerial: string;
  mfaProcess?: string | undefined;
  oathAccount?: string | undefined;
}

export type HardwareCodeSource = { kind: 'mfa-process'; command: string } | { kind: 'yubikey'; account: string };

export type YubikeyLookup =
  /** ykman holds an account for this device: offer it. */
  | { kind: 'account'; account: string }
  /** No ykman, or no account matches: nothing to offer, nothing to say. */
  | { kind: 'absent' }
  /** Something to tell the person: no key inserted, several matches, the chosen account missing. */
  | { kind: 'unavailable'; sentence: string; code: string };

export interface HardwareCodesOptions {
  /** The environment ykman and mfa_process run in (PATH finds them). */
  env?: NodeJS.ProcessEnv | undefined;
}

export class HardwareCodes {
  constructor(private readonly options: HardwareCodesOptions = {}) {}

  /** Looked up on every use: ykman installed while the app runs is found. */
  private ykman(): Ykman | undefined {
    return Ykman.find({ env: this.options.env });
  }

  /** Whether ykman is installed (on the environment's PATH). */
  hasYkman(): boolean {
    return this.ykman() !== undefined;
  }

  /** The YubiKey OATH account for the identity's device, if ykman and a key hold one. */
  async yubikey(identity: HardwareMfaIdentity, signal?: AbortSignal): Promise<YubikeyLookup> {
    const ykman = this.ykman();
    if (!ykman) return { kind: 'absent' };
    let accounts: string[];
    try {
      accounts = await ykman.listAccounts(signal);
    } catch (error) {
      if (signal?.aborted || !(error instanceof UserFacingError)) throw error;
      return { kind: 'unavailable', sentence: error.message, code: error.code };
    }
    const choice = chooseOathAccount(accounts, identity.mfaSerial, identity.oathAccount, identity.identityLabel);
    switch (choice.kind) {
      case 'account':
        return { kind: 'account', account: choice.account };
      case 'none':
        return { kind: 'absent' };
      case 'ambiguous':
        return { kind: 'unavailable', sentence: choice.sentence, code: 'yubikey-account-ambiguous' };
      case 'chosen-missing':
        return { kind: 'unavailable', sentence: choice.sentence, code: 'yubikey-account-missing' };
    }
  }

  /** Where the identity's codes come from without typing, if anywhere. */
  async source(identity: HardwareMfaIdentity, signal?: AbortSignal): Promise<HardwareCodeSource | undefined> {
    if (identity.mfaProcess) return { kind: 'mfa-process', command: identity.mfaProcess };
    const found = await this.yubikey(identity, signal);
    return found.kind === 'account' ? { kind: 'yubikey', account: found.account } : undefined;
  }

  /** The account's code from the YubiKey; `onTouch` while it waits to be touched. */
  readYubikey(account: string, options: { signal?: AbortSignal | undefined; onTouch?: (() => void) | undefined } = {}): Promise<string> {
    const ykman = this.ykman();
    if (!ykman) {
      return Promise.reject(new UserFacingError('ykman-missing', 'ykman (YubiKey Manager) is not installed or not on PATH, so the YubiKey cannot be read. Install it, or type the code.'));
    }
    return ykman.readCode(account, options);
  }

  /** The code the identity's mfa_process prints; its stderr to `onStderr`. */
  runMfaProcess(command: string, options: { signal?: AbortSignal | undefined; onStderr?: ((text: string) => void) | undefined } = {}): Promise<string> {
    return runMfaProcess(command, { env: this.options.env, ...options });
  }
}

/** The identity's source of codes without typing (see HardwareCodes.source). */
export function hardwareCodeSource(identity: HardwareMfaIdentity, options: HardwareCodesOptions & { signal?: AbortSignal } = {}): Promise<HardwareCodeSource | undefined> {
  return new HardwareCodes(options).source(identity, options.signal);
}
