import { UserFacingError } from '../user-facing-error.js';

/** Temporary credentials as the vault stores them (sealed as JSON, the expiration as ISO text). */
export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

export function sessionUnreadable(): UserFacingError {
  // Never the parse error: it would quote the decrypted text.
  return new UserFacingError('vault-tampered', 'A stored session in the vault cannot be read (it was changed or damaged); sign in again to replace it.');
}

/**
 * The session a decrypted envelope holds. Text that is not JSON throws `vault-tampered` (without
 * quoting it); JSON without a session's four fields is `undefined`, as if nothing were stored.
 */
export function sessionFromText(text: string): SessionCredentials | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw sessionUnreadable();
  }
  const fields = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = fields;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || typeof sessionToken !== 'string' || typeof expiration !== 'string') return undefined;
  if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(Date.parse(expiration))) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration) };
}

/** Whether decrypted text is a stored session (used where a session must not be, and where it must). */
export function isSessionText(text: string): boolean {
  try {
    return sessionFromText(text) !== undefined;
  } catch {
    return false;
  }
}
