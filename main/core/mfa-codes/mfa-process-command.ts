import { shellWords } from '../profiles/shell-words.js';

/**
 * aws-vault's `mfa_process`: a command that prints the current MFA code (for example
 * `ykman oath accounts code --single arn:aws:iam::111111111111:mfa/alice`, or a password
 * manager's `op item get aws --otp`). AWS Auth Tray runs it WITHOUT a shell: the text is split into
 * words the way botocore splits `credential_process` (Python's shlex, POSIX rules: quotes and
 * backslashes group words; no variables, pipes, globs or `;`), and the first word is the program.
 * aws-vault runs it with `sh -c` (`cmd /C` on Windows) instead; a command that needs a shell must
 * say so itself: `sh -c '…'`.
 *
 * The rules here decide what may be stored (the config import and the vault check every value
 * with them): at most 1024 characters, no control or invisible formatting characters (a line
 * break could hide a second command from a person reading the setting), and text that splits
 * into at least one word.
 */
export const MFA_PROCESS_MAX_LENGTH = 1024;

/** Controls, format characters (bidirectional overrides, zero-width), line and paragraph separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNSAFE_GLOBAL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** Undefined when `command` can be stored and run; else why not, as the end of a sentence. */
export function mfaProcessProblem(command: string): string | undefined {
  if (command.trim() === '') return 'mfa_process is empty; give the command that prints your MFA code, or remove the line.';
  if (command.length > MFA_PROCESS_MAX_LENGTH) return `mfa_process is ${command.length} characters long; AWS Auth Tray runs commands of up to ${MFA_PROCESS_MAX_LENGTH}.`;
  if (UNSAFE.test(command)) return 'mfa_process contains control characters (a line break, an escape, an invisible character); write the command on one line of plain text.';
  const words = shellWords(command);
  if (words === undefined) return `mfa_process ${describeMfaProcess(command)} has an unclosed quote or ends with a backslash, so it cannot be split into words.`;
  if (words.length === 0 || words[0] === '') return `mfa_process ${describeMfaProcess(command)} does not name a program to run.`;
  return undefined;
}

/** The program and its arguments; throws (with the sentence) for a command mfaProcessProblem refuses. */
export function mfaProcessWords(command: string): [string, ...string[]] {
  const problem = mfaProcessProblem(command);
  const words = shellWords(command);
  if (problem !== undefined || words === undefined || words[0] === undefined) throw new Error(problem ?? 'mfa_process cannot be split into words.');
  const [program, ...args] = words;
  return [program, ...args];
}

/** The command quoted for a sentence: one line, control characters removed, at most 80 characters. */
export function describeMfaProcess(command: string): string {
  const clean = command.replace(UNSAFE_GLOBAL, ' ').trim();
  const chars = [...clean];
  return `"${chars.length > 80 ? `${chars.slice(0, 77).join('')}...` : clean}"`;
}
