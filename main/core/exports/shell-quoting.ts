import { CONTROL_CHARACTERS } from '../control-characters.js';
import { UserFacingError } from '../user-facing-error.js';

/**
 * One escaping per output format, used by every place that writes that format (exports, the
 * auto-refresh setup, `serve`): a value read from a config file (a region, say) must come out of
 * the shell, tool or file exactly as it went in, or be refused with a sentence, never run.
 */

/** Control characters no cmd, dotenv or ini value of ours may carry (C0, DEL, C1). */
export { CONTROL_CHARACTERS };

function refuse(name: string, format: string, what: string): never {
  throw new UserFacingError('unsafe-value', `The value of ${name} contains ${what}, which ${format} cannot take literally; check where it came from (a region in ~/.aws/config, say) and correct it.`);
}

function noNul(name: string, value: string, format: string): void {
  if (value.includes('\u0000')) refuse(name, format, 'a NUL character');
}

/** bash and zsh: single quotes keep everything literal (newlines too); a quote becomes '\''. */
export function posixQuote(name: string, value: string): string {
  noNul(name, value, 'a POSIX shell');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** fish: inside single quotes only \ and ' are special, each escaped with a backslash. */
export function fishQuote(name: string, value: string): string {
  noNul(name, value, 'fish');
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell: single-quoted strings are literal, but any of the five single quotes (' ‘ ’ ‚ ‛)
 * ends one; each is doubled to stand for itself.
 */
export const POWERSHELL_SINGLE_QUOTES = /['\u2018\u2019\u201a\u201b]/g;
export function powershellQuote(name: string, value: string): string {
  noNul(name, value, 'PowerShell');
  return `'${value.replace(POWERSHELL_SINGLE_QUOTES, (c) => c + c)}'`;
}

/**
 * cmd.exe has no literal quoting: inside `set "NAME=value"`, % (and ! with delayed expansion)
 * still expand, a " ends the quotes and a line break ends the command. Such values are refused;
 * AWS's own values (key ids, secrets, tokens, dates, regions) never contain them.
 */
export function cmdSet(name: string, value: string): string {
  if (/["%!^]/.test(value) || CONTROL_CHARACTERS.test(value)) refuse(name, 'cmd.exe', 'a quote, %, !, ^ or a control character');
  return `set "${name}=${value}"`;
}

/**
 * dotenv (as the dotenv package, docker --env-file and most loaders read it): plain when the
 * value is plainly safe, else single-quoted (literal there); a value with a single quote or a
 * control character has no spelling every loader reads the same way, so it is refused.
 */
export function dotenvAssign(name: string, value: string): string {
  if (/^[A-Za-z0-9+/=:._-]*$/.test(value)) return `${name}=${value}`;
  if (value.includes("'") || CONTROL_CHARACTERS.test(value)) refuse(name, 'a dotenv file', 'a single quote or a control character');
  return `${name}='${value}'`;
}

/**
 * ini (~/.aws/config and credentials, read by botocore's parser): one line per value, so a
 * line break (a carriage return too: botocore splits on it) would start a new key or section.
 */
export function iniValue(name: string, value: string): string {
  if (CONTROL_CHARACTERS.test(value)) refuse(name, 'an AWS config file', 'a line break or another control character');
  return value;
}
