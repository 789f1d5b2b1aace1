import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/**
 * Credentials that look like the ones AWS issues, so that clients' parsers, redaction rules and
 * length limits meet realistic values: `ASIA` (temporary) or `AKIA` (an IAM user's access key)
 * + 16 base32 characters, 40-character secrets, and long opaque base64 session tokens.
 */

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export function temporaryAccessKeyId(): string {
  return `ASIA${randomString(KEY_ID_ALPHABET, 16)}`;
}

/** A new long-term access key id, as IAM CreateAccessKey makes them. */
export function longTermAccessKeyId(): string {
  return `AKIA${randomString(KEY_ID_ALPHABET, 16)}`;
}

export function secretAccessKey(): string {
  return randomString(SECRET_ALPHABET, 40);
}

/** AWS's session tokens are opaque base64 blobs of several hundred characters. */
export function sessionToken(): string {
  // "IQoJb3JpZ2luX2Vj" is how every AWS session token of the current format begins.
  return `IQoJb3JpZ2luX2Vj${randomBytes(480 + randomInt(160)).toString('base64')}`;
}

/** A request id in AWS's format (a UUID). */
export function requestId(): string {
  return randomUUID();
}
