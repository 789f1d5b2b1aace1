import type { AccountRow } from '../../../main/ipc/ipc-contract.js';

/**
 * Failures that several rows share for one reason (the identity's key deactivated or unknown,
 * its MFA session expired, STS unreachable, this computer's clock off) are one problem, shown
 * once above the table with its fix; the rows it affects only refer to it.
 *
 * Decided by the error code, and by the identity for the failures that belong to an identity
 * (its key, its session); a failure of the network or of this computer's clock is the same for
 * every identity.
 */

/** Codes whose cause is the identity's key or session: shared by that identity's rows. */
const IDENTITY_CAUSES: Readonly<Record<string, string>> = {
  InvalidClientTokenId: 'AWS refuses the access key',
  ExpiredToken: 'The MFA session has expired',
  'mfa-device-unusable': 'The MFA device cannot be used',
  MfaDeviceMismatch: 'The MFA device does not belong to this user',
  cancelled: 'Signing in was cancelled',
  'secret-needed': 'The identity has no access key',
  'credentials-temporary': 'The identity holds temporary keys',
};

/** Codes whose cause is this computer or its network: shared by every row. */
const MACHINE_CAUSES: Readonly<Record<string, string>> = {
  network: 'AWS STS cannot be reached',
  tls: 'The connection to AWS STS is not trusted',
  'server-error': 'AWS STS is not answering',
  'not-sts': 'Something other than AWS STS answers',
  'endpoint-invalid': 'The STS endpoint is not valid',
  ClockSkew: "This computer's clock is off",
};

export interface RootCause {
  id: string;
  /** A short title: what is wrong. */
  title: string;
  /** The first affected row's sentence: what happened and how to fix it. */
  sentence: string;
  code: string;
  /** The identity it belongs to, or null for a cause on this computer or its network. */
  identity: string | null;
  profiles: string[];
}

export interface RootCauses {
  causes: RootCause[];
  /** The cause each affected profile refers to. */
  causeOf: ReadonlyMap<string, RootCause>;
}

/** Shared failures, in order of first appearance; a cause needs at least `minRows` rows (2) to be one. */
export function findRootCauses(rows: readonly AccountRow[], minRows = 2): RootCauses {
  const candidates = new Map<string, RootCause>();
  for (const row of rows) {
    if (row.verdict !== 'error' || !row.errorCode || !row.reason) continue;
    const code = row.errorCode;
    const identityTitle = IDENTITY_CAUSES[code];
    const machineTitle = MACHINE_CAUSES[code];
    if (identityTitle === undefined && machineTitle === undefined) continue;
    const identity = identityTitle !== undefined ? row.identity : null;
    const id = identity === null ? `machine:${code}` : `identity:${identity}:${code}`;
    const existing = candidates.get(id);
    if (existing) existing.profiles.push(row.profile);
    else
      candidates.set(id, {
        id,
        title: identity === null ? (machineTitle ?? code) : `${identityTitle ?? code} (identity ${identity})`,
        sentence: row.reason,
        code,
        identity,
        profiles: [row.profile],
      });
  }
  const causes = [...candidates.values()].filter((c) => c.profiles.length >= minRows);
  const causeOf = new Map<string, RootCause>();
  for (const cause of causes) for (const profile of cause.profiles) causeOf.set(profile, cause);
  return { causes, causeOf };
}
