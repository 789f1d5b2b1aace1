/**
 * Which cached session each access key id handed out came from, so that when AWS refuses one of
 * them (in any later call, made by anyone: verification's GetCallerIdentity, an AssumeRole from
 * the MFA session) the session manager knows which cache entry to drop.
 *
 * Kept in memory only, one key per place: a place's new session replaces its old key, so the
 * table stays as small as the number of identities and profiles, however long the app runs.
 */
export type SessionPlace = { kind: 'mfa'; identityId: string } | { kind: 'role'; profile: string; identityId: string };

function placeKey(place: SessionPlace): string {
  return place.kind === 'mfa' ? `mfa:${place.identityId}` : `role:${place.profile}`;
}

export class IssuedSessions {
  private readonly byKeyId = new Map<string, SessionPlace>();
  private readonly keyIdByPlace = new Map<string, string>();

  /** Remember that `accessKeyId` was handed out from `place`. */
  record(accessKeyId: string, place: SessionPlace): void {
    const key = placeKey(place);
    const previous = this.keyIdByPlace.get(key);
    if (previous !== undefined && previous !== accessKeyId) this.byKeyId.delete(previous);
    this.keyIdByPlace.set(key, accessKeyId);
    this.byKeyId.set(accessKeyId, place);
  }

  /** Where `accessKeyId` came from, if this process handed it out. */
  placeOf(accessKeyId: string): SessionPlace | undefined {
    return this.byKeyId.get(accessKeyId);
  }
}
