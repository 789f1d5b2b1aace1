import { partitionOfRegion } from '../console/console-partitions.js';
import type { Clock } from '../clock.js';
import { parseArn } from '../profiles/arn.js';
import type { StsCredentials } from '../sts/sts-gateway.js';
import { isUserFacingError } from '../user-facing-error.js';
import type { IdentitySummary, Vault } from '../vault/vault.js';
import { isIamPartition, type IamPartition } from './iam-endpoint.js';
import type { AccessKeyInfo, IamCallOptions, IamGateway } from './iam-gateway.js';

/**
 * What is known of an identity's access key: its age (IAM ListAccessKeys' CreateDate), when it
 * was last used (GetAccessKeyLastUsed), and the user's other key, if any (IAM allows two, which
 * rotation needs room for).
 *
 * IAM's self-management policies in these layouts (AWS's "force MFA" statement) refuse
 * ListAccessKeys and GetAccessKeyLastUsed without MFA, so IAM is asked with the identity's MFA
 * session only. Without one, what the vault remembers is shown (the CreateDate IAM gave last
 * time, remembered with vault.rememberAccessKeyCreated) and the reason the rest is unknown is a
 * sentence. Ages are whole days on the injected clock (the emulator's in tests).
 */

export const DAY_MS = 24 * 3600_000;

export interface LastUse {
  /** Undefined: IAM says the key was never used. */
  at: Date | undefined;
  service: string | undefined;
  region: string | undefined;
}

export interface OtherAccessKey {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: Date | undefined;
}

export interface AccessKeyStatus {
  identityId: string;
  accessKeyId: string;
  /** When IAM says the key was created (or what the vault remembers of it); undefined when unknown. */
  createdAt: Date | undefined;
  /** Whole days since createdAt on the clock; undefined when createdAt is. */
  ageDays: number | undefined;
  /** When IAM last saw the key used; undefined when IAM was not asked (no MFA session, a failure). */
  lastUsed: LastUse | undefined;
  /** The user's other keys, as IAM listed them; undefined when IAM was not asked. */
  otherKeys: OtherAccessKey[] | undefined;
  /** ageDays >= the warning threshold. */
  old: boolean;
  /** Whether this came from IAM just now (true) or from the vault's memory (false). */
  fromIam: boolean;
  /** Why something is unknown, as a sentence: "Sign in to see when it was last used.", IAM's refusal, ... */
  note: string | undefined;
}

export interface AccessKeyStatusDeps {
  vault: Vault;
  iam: IamGateway;
  clock: Clock;
}

export const SIGN_IN_FOR_LAST_USED = 'Sign in to see when it was last used.';

/** The IAM partition of an identity: its MFA device's ARN says, else its region (aws by default). */
export function identityPartition(identity: Pick<IdentitySummary, 'mfaSerial' | 'region'>): IamPartition {
  const fromArn = identity.mfaSerial ? parseArn(identity.mfaSerial)?.partition : undefined;
  if (fromArn !== undefined && isIamPartition(fromArn)) return fromArn;
  const fromRegion = identity.region ? partitionOfRegion(identity.region) : undefined;
  return fromRegion !== undefined && isIamPartition(fromRegion) ? fromRegion : 'aws';
}

/** Whole days from `from` to `now` (0 for a date still to come: the clock is behind IAM's). */
export function ageInDays(from: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS));
}

function remembered(identity: IdentitySummary): Date | undefined {
  if (!identity.accessKeyCreatedAt) return undefined;
  const date = new Date(identity.accessKeyCreatedAt);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function withAge(
  base: Omit<AccessKeyStatus, 'ageDays' | 'old'>,
  now: Date,
  warnDays: number,
): AccessKeyStatus {
  const ageDays = base.createdAt ? ageInDays(base.createdAt, now) : undefined;
  return { ...base, ageDays, old: ageDays !== undefined && ageDays >= warnDays };
}

/**
 * What is known without asking IAM: the remembered CreateDate, and `note`, why IAM was not asked
 * (e.g. SIGN_IN_FOR_LAST_USED). Undefined for an identity without an access key.
 */
export function knownAccessKeyStatus(identity: IdentitySummary, now: Date, warnDays: number, note?: string): AccessKeyStatus | undefined {
  if (!identity.accessKeyId) return undefined;
  return withAge(
    { identityId: identity.id, accessKeyId: identity.accessKeyId, createdAt: remembered(identity), lastUsed: undefined, otherKeys: undefined, fromIam: false, note },
    now,
    warnDays,
  );
}

/**
 * Asks IAM, with the identity's MFA session, for the key's CreateDate (remembered in the vault),
 * its last use and the user's other keys. IAM's refusals and network failures do not throw: what
 * the vault knows is returned with IAM's sentence as the note. Undefined for an identity without
 * an access key.
 */
export async function readAccessKeyStatus(
  deps: AccessKeyStatusDeps,
  identity: IdentitySummary,
  session: StsCredentials,
  options: IamCallOptions & { warnDays: number },
): Promise<AccessKeyStatus | undefined> {
  const { vault, iam, clock } = deps;
  const accessKeyId = identity.accessKeyId;
  if (!accessKeyId) return undefined;
  const target = { credentials: session, partition: identityPartition(identity) };
  const call = { signal: options.signal };
  let keys: AccessKeyInfo[];
  try {
    keys = await iam.listAccessKeys(target, call);
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    return knownAccessKeyStatus(identity, clock.now(), options.warnDays, error.message);
  }
  const own = keys.find((k) => k.accessKeyId === accessKeyId);
  const otherKeys = keys.filter((k) => k.accessKeyId !== accessKeyId).map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, createdAt: k.createdAt }));
  if (!own) {
    // The stored key is not the signed-in user's: deleted in IAM, or keys of another user pasted in.
    return withAge(
      {
        identityId: identity.id,
        accessKeyId,
        createdAt: remembered(identity),
        lastUsed: undefined,
        otherKeys,
        fromIam: true,
        note: `IAM does not list the stored access key ${accessKeyId} among this user's keys: it was deleted, or it belongs to another user. Create a new access key in IAM and update the identity.`,
      },
      clock.now(),
      options.warnDays,
    );
  }
  if (own.createdAt) vault.rememberAccessKeyCreated(identity.id, accessKeyId, own.createdAt);
  let lastUsed: LastUse | undefined;
  let note: string | undefined;
  try {
    const used = await iam.accessKeyLastUsed(target, accessKeyId, call);
    lastUsed = { at: used.lastUsedAt, service: used.serviceName, region: used.region };
  } catch (error) {
    if (!isUserFacingError(error)) throw error;
    note = error.message;
  }
  return withAge(
    { identityId: identity.id, accessKeyId, createdAt: own.createdAt ?? remembered(identity), lastUsed, otherKeys, fromIam: true, note },
    clock.now(),
    options.warnDays,
  );
}
