import { UserFacingError } from '../user-facing-error.js';
import { quotedLine, runChild, sixDigits } from './child-run.js';
import { describeMfaProcess, mfaProcessWords } from './mfa-process-command.js';

/**
 * Runs an identity's `mfa_process` (mfa-process-command.ts: split into words, no shell) and
 * returns the six-digit code it printed. It may wait for a touch or a password manager's
 * unlock, so it gets a minute. Its stderr goes to `onStderr` (the command line shows it to the
 * person; the app drops it: nothing a program prints reaches the app's logs). Every failure is
 * a sentence naming the command; of what it printed, never more than the first line.
 */
export const MFA_PROCESS_TIMEOUT_MS = 60_000;

export interface MfaProcessOptions {
  env?: NodeJS.ProcessEnv | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onStderr?: ((text: string) => void) | undefined;
}

export class MfaProcessFailed extends UserFacingError {
  constructor(message: string) {
    super('mfa-process-failed', message);
  }
}

export async function runMfaProcess(command: string, options: MfaProcessOptions = {}): Promise<string> {
  const named = `mfa_process ${describeMfaProcess(command)}`;
  let words: [string, ...string[]];
  try {
    words = mfaProcessWords(command);
  } catch (error) {
    throw new MfaProcessFailed(`${error instanceof Error ? error.message : String(error)} Fix the identity's mfa_process.`);
  }
  const [program, ...args] = words;
  const timeoutMs = options.timeoutMs ?? MFA_PROCESS_TIMEOUT_MS;
  let run;
  try {
    run = await runChild(program, args, { env: options.env, timeoutMs, signal: options.signal, onStderr: options.onStderr });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MfaProcessFailed(`${named} could not start: there is no program ${quotedLine(program, 80)} on PATH. Fix the identity's mfa_process, or install the program.`);
    if (code === 'EACCES') throw new MfaProcessFailed(`${named} could not start: ${quotedLine(program, 80)} is not executable.`);
    throw new MfaProcessFailed(`${named} could not start (${code ?? 'unknown error'}).`);
  }
  if (run.timedOut) throw new MfaProcessFailed(`${named} printed no code within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`} and was stopped.`);
  if (run.exitCode !== 0) {
    throw new MfaProcessFailed(`${named} failed (exit code ${run.exitCode ?? 'none: it was killed'}) without printing a code.`);
  }
  const code = sixDigits(run.stdout);
  if (code === undefined) {
    const first = quotedLine(run.stdout, 40);
    throw new MfaProcessFailed(first === '' ? `${named} printed nothing; it must print the six-digit code.` : `${named} printed "${first}", not a six-digit code.`);
  }
  return code;
}
