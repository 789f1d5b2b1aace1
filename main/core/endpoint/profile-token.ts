import { createHmac, randomBytes } from 'node:crypto';

/**
 * One token per profile for the credential endpoint: a terminal set up for `dev` can fetch `dev`
 * and nothing else (not `prod`, not `break-glass`). Each is derived from one secret master kept
 * in the vault, so nothing per profile needs storing, and rotating the master (Settings, or
 * `serve --rotate-token`) invalidates every terminal's token at once.
 */
const LABEL = 'aws-auth-tray endpoint profile token v1';

export function newTokenMaster(): string {
  return randomBytes(32).toString('base64url');
}

export function profileToken(master: string, profile: string): string {
  return createHmac('sha256', master).update(`${LABEL}\n${profile}`).digest('base64url');
}
