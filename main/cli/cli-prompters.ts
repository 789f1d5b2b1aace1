import { MfaPromptCancelled, type MfaPromptRequest, type MfaPrompter } from '../core/sessions/mfa-prompter.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { ask, openTerminal, TerminalAnswerCancelled } from './terminal.js';
import { printable } from './terminal-text.js';

export interface TerminalMfaPrompterOptions {
  /**
   * The sentence when there is no terminal to ask on. By default it says to sign in first with
   * `aws-auth-tray login`; `login` itself says how to give the code instead.
   */
  noTerminal?: ((request: MfaPromptRequest) => string) | undefined;
}

function signInFirst(request: MfaPromptRequest): string {
  return `An MFA code is needed for ${request.identityLabel}, but there is no terminal to ask on. Sign in first with: aws-auth-tray login (or start the AWS Auth Tray app).`;
}

/** Asks for MFA codes on the terminal (/dev/tty), so it works while stdout is taken. */
export class TerminalMfaPrompter implements MfaPrompter {
  constructor(private readonly options: TerminalMfaPrompterOptions = {}) {}

  async prompt(request: MfaPromptRequest): Promise<string> {
    const terminal = openTerminal();
    if (!terminal) throw new UserFacingError('no-terminal', (this.options.noTerminal ?? signInFirst)(request));
    try {
      if (request.previousError) terminal.output.write(`${printable(request.previousError)}\n`);
      const forWhat = request.purpose.kind === 'assume-role' ? ` to assume ${request.purpose.roleArn} (profile ${request.purpose.profile})` : '';
      const question = printable(`MFA code for ${request.identityLabel} (${request.mfaSerial})${forWhat}, asked by ${request.requester.description}: `);
      return await ask(terminal, question, { signal: request.signal });
    } catch (error) {
      if (error instanceof TerminalAnswerCancelled) throw new MfaPromptCancelled();
      throw error;
    } finally {
      terminal.close();
    }
  }
}

/** `--mfa-code N`: that code once; if AWS rejects it there is no one to ask again. */
export class GivenCodePrompter implements MfaPrompter {
  constructor(private readonly code: string) {}

  prompt(request: MfaPromptRequest): Promise<string> {
    if (request.previousError) return Promise.reject(new UserFacingError('MfaCodeRejected', request.previousError));
    return Promise.resolve(this.code);
  }
}
