import type { Cipher } from '../crypto/cipher.js';
import { printable } from '../profiles/profile-values.js';
import { UserFacingError } from '../user-facing-error.js';
import { isSessionText } from './stored-session-text.js';
import { CHECK_TEXT, PLACES } from './vault-places.js';
import type { StoredIdentity, StoredSession, VaultDocument } from './vault-schema.js';

/**
 * Format 1 to 2: every envelope of a format 1 vault, opened as written (bound to nothing), and
 * sealed again to its place.
 *
 * A format 1 envelope does not say where it was sealed, so a value moved to another place in an
 * old file would be sealed there for good. What the file itself can tell is refused:
 * - the same envelope in two places: nonces are random, so one of them is a copy;
 * - a value of the wrong kind: the key check or a stored session where an access key or an app
 *   secret belongs, or anything but a session where a session belongs.
 * What it cannot tell: two access keys (or an access key and an app secret) swapped with each
 * other. Only someone who can already write the user's vault file can do that; such a key then
 * fails at AWS, under the identity it was put in, and reveals nothing it did not already hold.
 *
 * A stored session that fails is dropped (sign-in makes a new one). An access key or app secret
 * that fails stops the migration, with the file left as it was.
 */
export interface BoundEnvelopes {
  identities: StoredIdentity[];
  mfa: Record<string, StoredSession>;
  roles: Record<string, StoredSession>;
  secrets: Record<string, string>;
  check: string;
}

function changedOutside(what: string): UserFacingError {
  // Never the decrypted text, nor what it turned out to be.
  return new UserFacingError(
    'vault-tampered',
    `${what} in the vault was changed outside AWS Auth Tray: it holds another stored value or a copy of one. Nothing was changed or decrypted from it; restore the vault file from a backup, or move it aside and add your keys again.`,
  );
}

/** Every envelope of the file, to find one that appears in more than one place. */
function envelopeCounts(doc: Readonly<VaultDocument>): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (envelope: string | undefined): void => {
    if (envelope !== undefined) counts.set(envelope, (counts.get(envelope) ?? 0) + 1);
  };
  count(doc.cipher?.check);
  for (const identity of doc.identities) count(identity.secretAccessKey);
  for (const session of [...Object.values(doc.sessions.mfa), ...Object.values(doc.sessions.roles)]) count(session.ciphertext);
  for (const secret of Object.values(doc.secrets)) count(secret);
  return counts;
}

export async function bindFormatOneEnvelopes(doc: Readonly<VaultDocument>, cipher: Cipher): Promise<BoundEnvelopes> {
  const counts = envelopeCounts(doc);
  const copied = (envelope: string): boolean => (counts.get(envelope) ?? 0) > 1;
  /** A secret (access key or app secret): never the key check, never a session, never a copy. */
  const resealSecret = async (envelope: string, place: string, what: string): Promise<string> => {
    if (copied(envelope)) throw changedOutside(what);
    const text = await cipher.decrypt(envelope, null);
    if (text === CHECK_TEXT || isSessionText(text)) throw changedOutside(what);
    return cipher.encrypt(text, place);
  };
  /** A stored session: only a session, never a copy; anything else is dropped. */
  const resealSession = async (session: StoredSession, place: string): Promise<StoredSession | undefined> => {
    if (copied(session.ciphertext)) return undefined;
    try {
      const text = await cipher.decrypt(session.ciphertext, null);
      return isSessionText(text) ? { ...session, ciphertext: await cipher.encrypt(text, place) } : undefined;
    } catch {
      return undefined;
    }
  };
  const resealSessions = async (sessions: Readonly<Record<string, StoredSession>>, place: (key: string) => string): Promise<Record<string, StoredSession>> =>
    Object.fromEntries(
      (await Promise.all(Object.entries(sessions).map(async ([key, s]) => [key, await resealSession(s, place(key))] as const))).filter(
        (entry): entry is readonly [string, StoredSession] => entry[1] !== undefined,
      ),
    );

  const identities = await Promise.all(
    doc.identities.map(async (i) =>
      i.secretAccessKey === undefined
        ? i
        : { ...i, secretAccessKey: await resealSecret(i.secretAccessKey, PLACES.identitySecret(i.id), `The secret access key of identity "${printable(i.label)}"`) },
    ),
  );
  const secrets = Object.fromEntries(
    await Promise.all(Object.entries(doc.secrets).map(async ([name, v]) => [name, await resealSecret(v, PLACES.secret(name), `The app secret ${printable(name)}`)] as const)),
  );
  return {
    identities,
    mfa: await resealSessions(doc.sessions.mfa, PLACES.mfaSession),
    roles: await resealSessions(doc.sessions.roles, PLACES.roleSession),
    secrets,
    check: await cipher.encrypt(CHECK_TEXT, PLACES.check),
  };
}
