import { parseArn, parseRoleArn, principalKind, type PrincipalKind } from '../profiles/arn.js';
import type { Requester } from '../sessions/mfa-prompter.js';
import { defaultRoleSessionName, type ProfileCredentials, type SessionManager } from '../sessions/session-manager.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { isSessionRefusal, type CallerIdentity, type StsGateway } from '../sts/sts-gateway.js';
import { isUserFacingError } from '../user-facing-error.js';
import type { Vault } from '../vault/vault.js';
import type { StoredProfile } from '../vault/vault-schema.js';
import { mapBounded } from './bounded-parallel.js';

/**
 * Proves every account works: GetCallerIdentity with exactly the credentials the user would
 * get, for all profiles at once (bounded), compared with what the profile says it should be.
 * One account's failure is reported on its row and never hides the others.
 */

export type Verdict = 'ok' | 'mismatch' | 'error';

export interface ExpectedIdentity {
  /** From the role ARN, or the MFA device ARN for the identity's own profile; undefined if unknown. */
  account: string | undefined;
  kind: Extract<PrincipalKind, 'user' | 'assumed-role'>;
  roleName?: string | undefined;
  /** The full ARN when it can be known in advance (assumed-role sessions). */
  arn?: string | undefined;
}

export interface VerificationResult {
  profile: string;
  identity: string;
  expected: ExpectedIdentity;
  account?: string;
  arn?: string;
  userId?: string;
  verdict: Verdict;
  /** Why it is a mismatch, or the error as a sentence. */
  reason?: string;
  errorCode?: string;
  /** When the verified credentials expire (ISO 8601). */
  expiration?: string;
}

export interface VerificationReport {
  results: VerificationResult[];
  /** Sentences about the whole run, e.g. this machine's clock being off. */
  warnings: string[];
}

export interface VerifyOptions {
  requester: Requester;
  /** Profiles to verify (default: all). */
  profiles?: readonly string[] | undefined;
  /** Concurrent accounts (default 32: an organisation's accounts verified in one round). */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
}

const CLOCK_WARNING_MS = 5 * 60 * 1000;

export function expectedIdentity(profile: StoredProfile, identity: { mfaSerial?: string | undefined; label: string }): ExpectedIdentity {
  if (profile.roleArn) {
    const role = parseRoleArn(profile.roleArn);
    const session = profile.roleSessionName ?? defaultRoleSessionName(identity);
    return {
      account: role?.account,
      kind: 'assumed-role',
      roleName: role?.roleName,
      arn: role ? `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/${session}` : undefined,
    };
  }
  const device = identity.mfaSerial ? parseArn(identity.mfaSerial) : undefined;
  return { account: device?.account || undefined, kind: 'user' };
}

/** Compares what AWS says with what was expected; undefined when it matches. */
export function mismatchReason(expected: ExpectedIdentity, actual: { account: string; arn: string }): string | undefined {
  const arn = parseArn(actual.arn);
  const kind = arn ? principalKind(arn) : 'other';
  if (expected.account !== undefined && actual.account !== expected.account) {
    return `Expected account ${expected.account}, but these credentials belong to account ${actual.account}.`;
  }
  if (kind !== expected.kind) {
    const wanted = expected.kind === 'user' ? 'your IAM user' : expected.roleName ? `a session of role ${expected.roleName}` : 'a role session';
    return `Expected ${wanted}, but AWS identifies these credentials as ${actual.arn}.`;
  }
  if (expected.kind === 'assumed-role' && expected.roleName !== undefined) {
    const roleName = arn?.resource.split('/')[1];
    if (roleName !== expected.roleName) return `Expected a session of role ${expected.roleName}, but AWS says ${actual.arn}.`;
  }
  return undefined;
}

export function clockWarning(offsetMs: number): string | undefined {
  if (Math.abs(offsetMs) <= CLOCK_WARNING_MS) return undefined;
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  return `This computer's clock is ${minutes} minutes ${offsetMs > 0 ? 'behind' : 'ahead of'} AWS's. AWS Auth Tray compensates, but the AWS CLI and other tools will fail with "Signature expired" until you turn on automatic date and time.`;
}

/**
 * The profile's credentials and who AWS says they are. Credentials AWS refuses although they
 * looked fresh here were dropped from the cache by the session manager as the call failed: get
 * them once more (a role session is derived again from the MFA session; a dead MFA session asks
 * for a code), so one run of verify ends with the truth about the account, not a stale session.
 */
async function verifiedCredentials(
  deps: { sessions: SessionManager; sts: StsGateway },
  profile: string,
  options: VerifyOptions,
): Promise<{ credentials: ProfileCredentials; who: CallerIdentity }> {
  const request = { requester: options.requester, signal: options.signal };
  const credentials = await deps.sessions.getCredentials(profile, request);
  try {
    return { credentials, who: await deps.sts.getCallerIdentity(credentials, credentials.region, { signal: options.signal }) };
  } catch (error) {
    if (!isSessionRefusal(error)) throw error;
    const again = await deps.sessions.getCredentials(profile, request);
    if (again.accessKeyId === credentials.accessKeyId) throw error;
    return { credentials: again, who: await deps.sts.getCallerIdentity(again, again.region, { signal: options.signal }) };
  }
}

export async function verifyAccounts(deps: { vault: Vault; sessions: SessionManager; sts: StsGateway }, options: VerifyOptions): Promise<VerificationReport> {
  const all = deps.vault.profiles();
  const wanted = options.profiles ? all.filter((p) => options.profiles?.includes(p.name)) : all;
  const results = await mapBounded(wanted, options.concurrency ?? 32, async (profile): Promise<VerificationResult> => {
    const identity = deps.vault.identity(profile.identityId);
    const expected = identity ? expectedIdentity(profile, identity) : { account: undefined, kind: 'user' as const };
    const base = { profile: profile.name, identity: identity?.label ?? '(missing identity)', expected };
    try {
      // Each account is its own action: one slow account uses up its own deadline, not the others'.
      const { credentials, who } = await ActionDeadline.begin(() => verifiedCredentials(deps, profile.name, options));
      const reason = mismatchReason(expected, who);
      return {
        ...base,
        account: who.account,
        arn: who.arn,
        userId: who.userId,
        verdict: reason ? 'mismatch' : 'ok',
        ...(reason ? { reason } : {}),
        expiration: credentials.expiration.toISOString(),
      };
    } catch (error) {
      if (isUserFacingError(error)) return { ...base, verdict: 'error', reason: error.message, errorCode: error.code };
      return { ...base, verdict: 'error', reason: `Verification failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`, errorCode: 'unexpected' };
    }
  });
  const warning = clockWarning(deps.sts.clockOffsetMs);
  return { results, warnings: warning ? [warning] : [] };
}
