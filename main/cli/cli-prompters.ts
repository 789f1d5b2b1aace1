import type * as AutomaticModule from '../core/mfa-codes/automatic-mfa-prompter.js';
import type * as CodeSourceModule from '../core/mfa-codes/mfa-code-source.js';
import { MfaPromptCancelled, type MfaOutcome, type MfaPromptRequest, type MfaPrompter } from '../core/sessions/mfa-prompter.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { ask, openTerminal, TerminalAnswerCancelled } from './terminal.js';
import { printable } from './terminal-text.js';

/**
 * Hardware MFA (main/core/mfa-codes) is loaded only when a code is asked for: a command the
 * agent answers never asks, and must not pay for loading child_process.
 */
function hardwareCodes(env: NodeJS.ProcessEnv): Promise<CodeSourceModule.HardwareCodes> {
  return import('../core/mfa-codes/mfa-code-source.js').then((m) => new m.HardwareCodes({ env }));
}

/** `AWS_VAULT_PROMPT=ykman` (aws-vault's switch): read codes from the YubiKey without asking. */
export const YKMAN_PROMPT_VARIABLE = 'AWS_VAULT_PROMPT';

/** What the person should see while a code is read (a touch request): on stderr, which the terminal shows. */
function tellPerson(sentence: string): void {
  process.stderr.write(`${printable(sentence)}\n`);
}

export interface TerminalMfaPrompterOptions {
  /**
   * The sentence when there is no terminal to ask on. By default it says to sign in first with
   * `aws-auth-tray login`; `login` itself says how to give the code instead.
   */
  noTerminal?: ((request: MfaPromptRequest) => string) | undefined;
  /** Where ykman and mfa_process are found (PATH) and AWS_VAULT_PROMPT is read; default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

function signInFirst(request: MfaPromptRequest): string {
  return `An MFA code is needed for ${request.identityLabel}, but there is no terminal to ask on. Sign in first with: aws-auth-tray login (or start the AWS Auth Tray app).`;
}

/**
 * Asks for MFA codes on the terminal (/dev/tty), so it works while stdout is taken. An identity
 * with `mfa_process` gets its code from that command first (AutomaticMfaPrompter); when ykman
 * holds a YubiKey OATH account for the device, an empty answer (Enter) reads the code from it.
 */
export class TerminalMfaPrompter implements MfaPrompter {
  private readonly asker: TerminalCodeAsker;
  private automatic: AutomaticModule.AutomaticMfaPrompter | undefined;

  constructor(private readonly options: TerminalMfaPrompterOptions = {}) {
    this.asker = new TerminalCodeAsker(options);
  }

  async prompt(request: MfaPromptRequest): Promise<string> {
    if (!request.mfaProcess) return this.asker.prompt(request);
    if (!this.automatic) {
      const { AutomaticMfaPrompter } = await import('../core/mfa-codes/automatic-mfa-prompter.js');
      const codes = await hardwareCodes(this.options.env ?? process.env);
      // Its stderr (a touch request, a password manager's question) goes to the person.
      this.automatic ??= new AutomaticMfaPrompter(this.asker, { codes, onStderr: (text) => process.stderr.write(printable(text).trimEnd() + '\n'), onProgress: tellPerson });
    }
    return this.automatic.prompt(request);
  }

  outcome(request: MfaPromptRequest, outcome: MfaOutcome): void {
    this.automatic?.outcome(request, outcome);
  }
}

/** The terminal's question, with the YubiKey offered when ykman holds an account for the device. */
class TerminalCodeAsker implements MfaPrompter {
  constructor(private readonly options: TerminalMfaPrompterOptions) {}

  async prompt(request: MfaPromptRequest): Promise<string> {
    const env = this.options.env ?? process.env;
    const automaticYubikey = env[YKMAN_PROMPT_VARIABLE] === 'ykman';
    const terminal = openTerminal();
    if (!terminal) {
      // AWS_VAULT_PROMPT=ykman needs no terminal: the YubiKey answers (once; a rejected code cannot be retyped).
      if (automaticYubikey) return new YubikeyMfaPrompter({ env }).prompt(request);
      // Why nobody could be spared the question (mfa_process failed), then why nobody can be asked.
      throw new UserFacingError('no-terminal', [request.previousError, (this.options.noTerminal ?? signInFirst)(request)].filter(Boolean).join(' '));
    }
    try {
      if (request.previousError) terminal.output.write(`${printable(request.previousError)}\n`);
      const codes = await hardwareCodes(env);
      const found = await codes.yubikey(yubikeyIdentity(request), request.signal);
      // No key inserted is no news (nothing changes without a YubiKey); several matches, or a chosen account gone, are said.
      if (found.kind === 'unavailable' && found.code !== 'yubikey-missing') terminal.output.write(`${printable(found.sentence)}\n`);
      const account = found.kind === 'account' ? found.account : undefined;
      const say = (line: string): void => void terminal.output.write(`${printable(line)}\n`);
      if (account !== undefined && automaticYubikey && request.attempt === 1) {
        try {
          return await readYubikey(codes, account, request.signal, say);
        } catch (error) {
          if (request.signal.aborted || !(error instanceof UserFacingError)) throw error;
          say(error.message);
        }
      }
      const forWhat = request.purpose.kind === 'assume-role' ? ` to assume ${request.purpose.roleArn} (profile ${request.purpose.profile})` : '';
      const offer = account !== undefined ? ` — press Enter to use YubiKey "${account}"` : '';
      const question = printable(`MFA code for ${request.identityLabel} (${request.mfaSerial})${forWhat}, asked by ${request.requester.description}${offer}: `);
      for (;;) {
        const answer = await ask(terminal, question, { signal: request.signal });
        if (account === undefined || answer.trim() !== '') return answer;
        try {
          return await readYubikey(codes, account, request.signal, say);
        } catch (error) {
          if (request.signal.aborted || !(error instanceof UserFacingError)) throw error;
          say(error.message);
        }
      }
    } catch (error) {
      if (error instanceof TerminalAnswerCancelled) throw new MfaPromptCancelled();
      throw error;
    } finally {
      terminal.close();
    }
  }
}

function yubikeyIdentity(request: MfaPromptRequest): CodeSourceModule.HardwareMfaIdentity {
  return { identityLabel: request.identityLabel, mfaSerial: request.mfaSerial, oathAccount: request.oathAccount };
}

async function readYubikey(codes: CodeSourceModule.HardwareCodes, account: string, signal: AbortSignal, say: (line: string) => void): Promise<string> {
  say(`Reading the MFA code from YubiKey "${account}"…`);
  return codes.readYubikey(account, { signal, onTouch: () => say('Touch your YubiKey…') });
}

export interface YubikeyMfaPrompterOptions {
  env?: NodeJS.ProcessEnv | undefined;
  /** The OATH account to read (login --oath-account); default the identity's, else the one that matches. */
  account?: string | undefined;
  /** Where progress goes (default stderr). */
  say?: ((line: string) => void) | undefined;
}

/**
 * `login --yubikey` and `AWS_VAULT_PROMPT=ykman` without a terminal: the code comes from the
 * YubiKey, nobody is asked. If AWS rejects it there is no one to ask again.
 */
export class YubikeyMfaPrompter implements MfaPrompter {
  constructor(private readonly options: YubikeyMfaPrompterOptions = {}) {}

  async prompt(request: MfaPromptRequest): Promise<string> {
    if (request.previousError) throw new UserFacingError('MfaCodeRejected', request.previousError);
    const codes = await hardwareCodes(this.options.env ?? process.env);
    if (!codes.hasYkman()) {
      throw new UserFacingError(
        'ykman-missing',
        `Reading the MFA code from a YubiKey needs ykman (YubiKey Manager), which is not installed or not on PATH. Install it (https://developers.yubico.com/yubikey-manager/), or give the code: aws-auth-tray login --mfa-code <code>`,
      );
    }
    const found = await codes.yubikey({ ...yubikeyIdentity(request), ...(this.options.account !== undefined ? { oathAccount: this.options.account } : {}) }, request.signal);
    if (found.kind === 'unavailable') throw new UserFacingError(found.code, found.sentence);
    if (found.kind === 'absent') {
      throw new UserFacingError(
        'yubikey-no-account',
        `The YubiKey holds no OATH account for ${request.mfaSerial} (an account named after the device's ARN, its name, or name@account matches). Name one with --oath-account "<name>" (see ykman oath accounts list), or give the code with --mfa-code.`,
      );
    }
    return readYubikey(codes, found.account, request.signal, this.options.say ?? tellPerson);
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
