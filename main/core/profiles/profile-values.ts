import { mfaDeviceProblem } from '../sts/mfa-device.js';
import { parseRoleArn } from './arn.js';

/**
 * What a profile value may be, checked where values enter the app (the config import) and
 * where they are stored (the vault schema), so that nothing read from a hostile or damaged
 * `~/.aws/config` can reach a terminal, a shell export, a URL or a log as something else:
 * no control or invisible formatting characters in
 * any name, ARN, region or session name, and each value in the shape AWS gives it.
 *
 * Every check is a predicate plus, for the import, a sentence. The vault applies the same
 * checks on the way in (vault.ts); its schema reads leniently, so a vault written before a rule
 * is never moved aside for a value.
 */

/**
 * Characters that move the cursor, end a line, hide themselves or reorder text when printed:
 * controls (C0, DEL, C1), format characters (bidirectional overrides, zero-width characters,
 * the byte-order mark) and the line and paragraph separators.
 */
const CONTROL_CHARACTER = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** What printable() escapes: control characters, and spaces other than the plain one (they look alike). */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|(?! )\p{Zs}/gu;

export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * A name or value as a message may print it: its first line only (see shown()), control
 * characters escaped as \uXXXX (so a hostile name cannot rewrite the user's terminal), at most
 * 80 characters.
 */
export function printable(text: string): string {
  const first = firstLine(text);
  if (first !== text) return `${printable(first)}…`;
  const chars = [...text];
  const short = chars.length > 80 ? `${chars.slice(0, 77).join('')}...` : text;
  return short.replace(UNPRINTABLE, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/**
 * A value from a file, quoted for a sentence: its first line only. A value continued on indented
 * lines (configparser's rule) may have swallowed the next keys, an `aws_secret_access_key =`
 * among them, and those must never be echoed.
 */
export function shown(text: string): string {
  const first = firstLine(text);
  return first === text ? `"${printable(text)}"` : `"${printable(first)}…" (continued on the lines below it)`;
}

/** A value's first line: what may be quoted of a value from a file (see shown()). */
export function firstLine(text: string): string {
  const lineBreak = text.search(/[\r\n]/);
  return lineBreak === -1 ? text : text.slice(0, lineBreak);
}

/**
 * Profile names (and identity labels) as the vault stores them: they are typed on command
 * lines and become parts of file names and environment values. Kept identical to the vault's
 * PROFILE_NAME (a test checks it) until the vault schema takes it from here.
 */
export const PROFILE_NAME_RULE = /^[A-Za-z0-9][\w.+@-]{0,63}$/;

export function isProfileName(name: string): boolean {
  return PROFILE_NAME_RULE.test(name);
}

export function profileNameProblem(name: string): string | undefined {
  if (isProfileName(name)) return undefined;
  return `this name cannot be a profile name in AWS Auth Tray (letters, digits and . _ + @ -, starting with a letter or digit, up to 64); rename it, e.g. to ${name.replace(/[^\w.+@-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64) || 'profile'}.`;
}

/**
 * An AWS region name: `us-east-1`, `ap-southeast-4`, `us-gov-west-1`, `cn-northwest-1`,
 * `us-isob-east-1`, `eusc-de-east-1`. Anything else (a typo, a stray comment, a second line) is
 * refused rather than sent to an STS endpoint URL.
 */
const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;

export function isRegion(text: string): boolean {
  return REGION.test(text);
}

/** An empty value (`key =`) is kept by the AWS CLI, and is never a valid one. */
function emptyProblem(key: string, text: string): string | undefined {
  return text === '' ? `${key} is empty; give it a value or remove the line.` : undefined;
}

export function identityLabelProblem(label: string): string | undefined {
  return label.length > 0 && label.length <= 64 && !hasControlCharacters(label) ? undefined : 'a label is 1 to 64 characters without control characters.';
}

/**
 * A profile's group (`aws_auth_tray_group` in ~/.aws/config, or set in the window): a label the
 * table groups by, printable, 1 to 64 characters, no control characters, not only spaces.
 */
export const GROUP_MAX_LENGTH = 64;
export function groupProblem(group: string): string | undefined {
  return group.trim().length > 0 && [...group].length <= GROUP_MAX_LENGTH && !hasControlCharacters(group) && printable(group) === group
    ? undefined
    : `a group is 1 to ${GROUP_MAX_LENGTH} printable characters without control characters.`;
}

export function regionProblem(region: string): string | undefined {
  return emptyProblem('region', region) ?? (isRegion(region) ? undefined : `region = ${shown(region)} is not an AWS region name like eu-west-1.`);
}

/** STS RoleSessionName: 2–64 of letters, digits and + = , . @ - (AWS's own rule). */
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function roleSessionNameProblem(name: string): string | undefined {
  return emptyProblem('role_session_name', name) ?? (ROLE_SESSION_NAME.test(name) ? undefined : `role_session_name ${shown(name)} must be 2 to 64 characters of letters, digits and + = , . @ -.`);
}

/** STS ExternalId: 2–1224 of letters, digits and + = , . @ : / - (AWS's own rule). */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export function externalIdProblem(id: string): string | undefined {
  return emptyProblem('external_id', id) ?? (EXTERNAL_ID.test(id) ? undefined : 'external_id must be 2 to 1224 characters of letters, digits and + = , . @ : / -.');
}

/** DurationSeconds as AssumeRole accepts it: a whole number from 15 minutes to 12 hours. */
export function parseDurationSeconds(text: string): number | undefined {
  if (!/^\d{1,9}$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds >= 900 && seconds <= 43_200 ? seconds : undefined;
}

export function durationProblem(text: string): string | undefined {
  return emptyProblem('duration_seconds', text) ?? (parseDurationSeconds(text) === undefined ? `duration_seconds = ${shown(text).slice(1, -1)} is not a whole number of seconds from 900 to 43200.` : undefined);
}

export function roleArnProblem(arn: string): string | undefined {
  return emptyProblem('role_arn', arn) ?? (parseRoleArn(arn) && !hasControlCharacters(arn) ? undefined : `role_arn ${shown(arn)} is not a role ARN like arn:aws:iam::123456789012:role/name.`);
}

/**
 * One rule for MFA devices everywhere (import, add-user, sign-in): mfa-device.ts. A 4-digit
 * account or a security key (u2f, which GetSessionToken cannot use) is refused at import too.
 */
export function mfaSerialProblem(serial: string): string | undefined {
  return (
    emptyProblem('mfa_serial', serial) ??
    (hasControlCharacters(serial) ? `mfa_serial ${shown(serial)} contains control characters.` : undefined) ??
    (mfaDeviceProblem(serial) === undefined ? undefined : `mfa_serial ${mfaDeviceProblem(serial) ?? ''}`)
  );
}
