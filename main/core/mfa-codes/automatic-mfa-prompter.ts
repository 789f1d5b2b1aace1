import type { MfaOutcome, MfaPromptRequest, MfaPrompter } from '../sessions/mfa-prompter.js';
import { UserFacingError } from '../user-facing-error.js';
import { HardwareCodes } from './mfa-code-source.js';
import { describeMfaProcess } from './mfa-process-command.js';

/**
 * Codes from the identity's `mfa_process`, before anyone is asked: for a request whose identity
 * has one, the command is run once per sign-in (mfa-process.ts) and its code returned, so
 * signing in needs no typing, in the command line, `serve` and the app alike. When the command
 * fails, or AWS rejects its code, the inner prompter (the popup, the terminal) is asked instead,
 * with the reason as `previousError`; the command is not run again in that sign-in (a rejected
 * code from a program would only be rejected again).
 */
export interface AutomaticMfaPrompterOptions {
  /** Runs mfa_process (and finds the programs it names on this environment's PATH). */
  codes?: HardwareCodes | undefined;
  /** The command's stderr (the command line shows it; the app passes nothing, so none is kept). */
  onStderr?: ((text: string) => void) | undefined;
  /** Told when the command starts, as a sentence (the command line prints it). */
  onProgress?: ((sentence: string) => void) | undefined;
}

export class AutomaticMfaPrompter implements MfaPrompter {
  private readonly codes: HardwareCodes;
  /** Sign-ins (one signal each) whose mfa_process has run. */
  private readonly ran = new WeakSet<AbortSignal>();
  /** Requests answered by mfa_process: their outcome is ours, not the inner prompter's. */
  private readonly answered = new WeakSet<MfaPromptRequest>();
  /** Sign-ins whose last code came from mfa_process (so a rejection is said to be its code's). */
  private readonly lastWasAutomatic = new WeakSet<AbortSignal>();
  /** What the inner prompter was given for each request (an outcome goes to the same object). */
  private readonly forwarded = new WeakMap<MfaPromptRequest, MfaPromptRequest>();

  constructor(
    private readonly inner: MfaPrompter,
    private readonly options: AutomaticMfaPrompterOptions = {},
  ) {
    this.codes = options.codes ?? new HardwareCodes();
  }

  async prompt(request: MfaPromptRequest): Promise<string> {
    const command = request.mfaProcess;
    if (command && !this.ran.has(request.signal)) {
      this.ran.add(request.signal);
      this.options.onProgress?.(`Reading the MFA code for ${request.identityLabel} from its mfa_process ${describeMfaProcess(command)}…`);
      try {
        const code = await this.codes.runMfaProcess(command, { signal: request.signal, onStderr: this.options.onStderr });
        this.answered.add(request);
        this.lastWasAutomatic.add(request.signal);
        return code;
      } catch (error) {
        if (request.signal.aborted || !(error instanceof UserFacingError)) throw error;
        return this.ask(request, `${error.message} Type the code instead.`);
      }
    }
    if (this.lastWasAutomatic.has(request.signal)) {
      this.lastWasAutomatic.delete(request.signal);
      const why = request.previousError ?? 'AWS rejected it.';
      return this.ask(request, `The code from mfa_process ${describeMfaProcess(command ?? '')} did not work: ${why} Type the code instead.`);
    }
    return this.ask(request, request.previousError);
  }

  private ask(request: MfaPromptRequest, previousError: string | undefined): Promise<string> {
    const forward: MfaPromptRequest = previousError === request.previousError ? request : { ...request, ...(previousError !== undefined ? { previousError } : {}) };
    this.forwarded.set(request, forward);
    return this.inner.prompt(forward);
  }

  outcome(request: MfaPromptRequest, outcome: MfaOutcome): void {
    if (this.answered.has(request)) return;
    this.inner.outcome?.(this.forwarded.get(request) ?? request, outcome);
  }
}
