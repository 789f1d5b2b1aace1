import { partitionOfRegion } from '../console/console-partitions.js';
import type { AccountAliasLookup } from '../iam/account-alias-lookup.js';
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
 *
 * Given `aliases`, each account's alias is learned on the way (IAM ListAccountAliases with the
 * same credentials, beside GetCallerIdentity, at most once a day per account: see
 * iam/account-alias-lookup.ts); it never changes a verdict.
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

export interface VerifyDeps {
  vault: Vault;
  sessions: SessionManager;
  sts: StsGateway;
  /** Learn account aliases while verifying (the app); absent: IAM is not asked. */
  aliases?: AccountAliasLookup | undefined;
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

/** The partition the profile's account is in: its role's (or MFA device's) ARN says, else its region. */
function partitionOf(profile: StoredProfile, identity: { mfaSerial?: string | undefined } | undefined, region: string): string | undefined {
  const arn = profile.roleArn ? parseRoleArn(profile.roleArn) : identity?.mfaSerial ? parseArn(identity.mfaSerial) : undefined;
  return arn?.partition ?? partitionOfRegion(region);
}

/** What the account's row needs to learn its alias on the way. */
interface AliasContext {
  lookup: AccountAliasLookup;
  expectedAccount: string | undefined;
  profile: StoredProfile;
  identity: { mfaSerial?: string | undefined } | undefined;
  /** The aliases still settling (each within its grace), which the run waits for once, at its end. */
  settling: Promise<void>[];
}

/**
 * Who AWS says the credentials are; beside it, when asked to, the account's alias (whose
 * answer, or its absence, never changes this one's). The row does not wait for the alias: the
 * next account starts at once, and the run waits at its end for what is still settling.
 */
async function callerIdentity(deps: { sts: StsGateway }, credentials: ProfileCredentials, options: VerifyOptions, alias: AliasContext | undefined): Promise<CallerIdentity> {
  // GetCallerIdentity first: its request starts the action's deadline, which the alias then shares.
  const who = deps.sts.getCallerIdentity(credentials, credentials.region, { signal: options.signal });
  const pending = alias?.lookup.begin(alias.expectedAccount, partitionOf(alias.profile, alias.identity, credentials.region), credentials, options.signal);
  let identity: CallerIdentity;
  try {
    identity = await who;
  } catch (error) {
    pending?.cancel();
    throw error;
  }
  if (pending && alias) alias.settling.push(pending.settle(identity.account));
  return identity;
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
  alias: AliasContext | undefined,
): Promise<{ credentials: ProfileCredentials; who: CallerIdentity }> {
  const request = { requester: options.requester, signal: options.signal };
  const credentials = await deps.sessions.getCredentials(profile, request);
  try {
    return { credentials, who: await callerIdentity(deps, credentials, options, alias) };
  } catch (error) {
    if (!isSessionRefusal(error)) throw error;
    const again = await deps.sessions.getCredentials(profile, request);
    if (again.accessKeyId === credentials.accessKeyId) throw error;
    return { credentials: again, who: await callerIdentity(deps, again, options, alias) };
  }
}

export async function verifyAccounts(deps: VerifyDeps, options: VerifyOptions): Promise<VerificationReport> {
  const all = deps.vault.profiles();
  const wanted = options.profiles ? all.filter((p) => options.profiles?.includes(p.name)) : all;
  const settling: Promise<void>[] = [];
  const results = await mapBounded(wanted, options.concurrency ?? 32, async (profile): Promise<VerificationResult> => {
    const identity = deps.vault.identity(profile.identityId);
    const expected = identity ? expectedIdentity(profile, identity) : { account: undefined, kind: 'user' as const };
    const base = { profile: profile.name, identity: identity?.label ?? '(missing identity)', expected };
    try {
      // Each account is its own action: one slow account uses up its own deadline, not the others'.
      const alias = deps.aliases ? { lookup: deps.aliases, expectedAccount: expected.account, profile, identity, settling } : undefined;
      const { credentials, who } = await ActionDeadline.begin(() => verifiedCredentials(deps, profile.name, options, alias));
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
  // Aliases still under way: at most their grace after the last GetCallerIdentity (they never fail).
  await Promise.all(settling);
  const warning = clockWarning(deps.sts.clockOffsetMs);
  return { results, warnings: warning ? [warning] : [] };
}
