import type { AccessKeyInfo } from '../iam/iam-gateway.js';

/**
 * What a rotation says to the person, at each step and when something stops it: key ids, labels,
 * ages and what to do; never a secret. One place, so the app and the command line say the same.
 */

const DAY_MS = 24 * 3600_000;

/** `created 212 days ago (2025-03-02)`. */
export function keyAge(createdAt: Date | undefined, now: Date): string {
  if (!createdAt) return 'of unknown age';
  const days = Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS);
  const date = createdAt.toISOString().slice(0, 10);
  if (days <= 0) return `created today (${date})`;
  return days === 1 ? `created yesterday (${date})` : `created ${days} days ago (${date})`;
}

function retired(oldKeyId: string, how: 'deleted' | 'deactivated'): string {
  return how === 'deleted' ? `the old key ${oldKeyId} was deleted` : `the old key ${oldKeyId} was deactivated and kept in IAM (delete it there once you are sure nothing else uses it)`;
}

// ---- progress ----

export const progress = {
  signingIn: (label: string, withMfa: boolean) =>
    withMfa
      ? `Signing in as ${label} with MFA: IAM lets you change your own access keys only in an MFA session.`
      : `Checking ${label}'s access key with AWS (the identity has no MFA device).`,
  listing: (label: string) => `Asking IAM which access keys ${label} has, and creating a new one.`,
  deletedInactive: (keyId: string) => `Deleted the inactive key ${keyId} to make room for the new one.`,
  storing: (newKeyId: string) => `IAM created the key ${newKeyId}; storing it, encrypted, in the vault before using it.`,
  proving: (newKeyId: string, attempt: number) =>
    attempt === 1 ? `Proving the new key ${newKeyId} with sts get-caller-identity.` : `AWS does not accept ${newKeyId} yet (IAM takes a few seconds to spread a new key); trying again (attempt ${attempt}).`,
  retiring: (oldKeyId: string, deactivate: boolean) => (deactivate ? `Deactivating the old key ${oldKeyId} (it stays in IAM, inactive).` : `Deleting the old key ${oldKeyId}.`),
  done: (label: string, newKeyId: string, oldKeyId: string, how: 'deleted' | 'deactivated') => `Rotated: ${label} now uses ${newKeyId}, which AWS accepted; ${retired(oldKeyId, how)}.`,
  recovering: (label: string) => `Finishing the access key rotation of ${label} that was interrupted.`,
};

// ---- refusals ----

export function twoKeys(label: string, userName: string, currentKeyId: string, other: AccessKeyInfo, now: Date): string {
  const head =
    `The IAM user ${userName} (identity ${label}) already has two access keys, the most IAM allows, so there is no room for a new one: ` +
    `${currentKeyId}, the one this vault uses, and ${other.accessKeyId}, ${other.status === 'Active' ? 'active' : 'inactive'}, ${keyAge(other.createdAt, now)}.`;
  if (other.status === 'Inactive') {
    return `${head} It is inactive, so nothing can be using it: delete it and rotate in one go (the app offers to; on the command line: aws-auth-tray rotate --delete-inactive), or delete it in IAM yourself (aws iam delete-access-key --access-key-id ${other.accessKeyId}) and rotate again.`;
  }
  return `${head} It is active, so something may still use it (another machine, a CI job). If nothing does, deactivate it (aws iam update-access-key --access-key-id ${other.accessKeyId} --status Inactive) or delete it in IAM (IAM console → your user → Security credentials), then rotate again.`;
}

export function needsMfaDevice(label: string): string {
  return `IAM lets ${label} change its own access keys only when signed in with MFA, and the identity has no MFA device. Add your MFA device to the identity (the identity form in the app, or: aws-auth-tray add-user --replace --label ${label} --mfa-serial arn:aws:iam::<account>:mfa/<name>), then rotate again.`;
}

export function notAnIamUser(label: string, arn: string): string {
  return `The keys of ${label} belong to ${arn}, not an IAM user: only an IAM user's access keys can be rotated here.`;
}

export function keyNotListed(label: string, keyId: string, userArn: string): string {
  return `IAM does not list ${keyId}, the key the vault holds for ${label}, among the access keys of ${userArn}, so it cannot be rotated. Check the identity's key (aws-auth-tray list), and replace it if it was changed elsewhere.`;
}

export function neverValid(label: string, newKeyId: string, oldKeyId: string, waitedMs: number): string {
  return `AWS did not accept the new key ${newKeyId} within ${Math.round(waitedMs / 1000)} seconds, so the rotation was rolled back: ${newKeyId} was deleted and ${label} keeps ${oldKeyId}, which still works. Try again in a few minutes; if it happens again, IAM may be having trouble (https://health.aws.amazon.com).`;
}

export function otherUser(newKeyId: string, arn: string, userArn: string): string {
  return `The new key ${newKeyId} belongs to ${arn}, not ${userArn}; it was deleted and nothing else changed. Check AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_STS point at the same AWS.`;
}

export function rolledBackAfter(label: string, newKeyId: string, oldKeyId: string, why: string): string {
  return `${why} The rotation was rolled back: the new key ${newKeyId} was deleted and ${label} keeps ${oldKeyId}, which still works.`;
}

export function rollbackFailed(label: string, newKeyId: string, oldKeyId: string, why: string, cleanup: string): string {
  return `${why} ${label} keeps ${oldKeyId}, which still works. Deleting the new key ${newKeyId} failed too (${cleanup}); it is kept, encrypted, in the vault, and the rotation is finished or rolled back the next time AWS Auth Tray starts (or with aws-auth-tray rotate).`;
}

export function createUnclear(why: string): string {
  return `${why} IAM may have created a key all the same; the next start (or aws-auth-tray rotate) looks and deletes it if so.`;
}

export function oldKeyKept(label: string, newKeyId: string, oldKeyId: string, why: string): string {
  return `${label} now uses the new key ${newKeyId}, which AWS accepted, but retiring the old key ${oldKeyId} failed: ${why} It is retried the next time AWS Auth Tray starts (or with aws-auth-tray rotate); until then ${oldKeyId} still works.`;
}

// ---- recovery ----

export const recovered = {
  identityGone: (keyId: string | undefined) =>
    `An access key rotation was interrupted for an identity that no longer exists, so it was forgotten.${keyId ? ` If IAM still has the key ${keyId}, delete it in IAM.` : ''}`,
  nothingCreated: (label: string, oldKeyId: string) => `The access key rotation of ${label} was interrupted before IAM created a new key; nothing changed: ${label} keeps ${oldKeyId}.`,
  strayDeleted: (label: string, oldKeyId: string, strays: readonly string[]) =>
    `The access key rotation of ${label} was interrupted just after IAM created ${strays.join(' and ')}, before its secret was saved; a key without its secret can never be used, so it was deleted. ${label} keeps ${oldKeyId}.`,
  strayLeft: (keys: readonly AccessKeyInfo[], now: Date) =>
    ` IAM also lists ${keys.map((k) => `${k.accessKeyId} (${k.status === 'Active' ? 'active' : 'inactive'}, ${keyAge(k.createdAt, now)})`).join(' and ')}, which this rotation did not make, so it was left alone: delete it in IAM if you do not use it.`,
  newKeyGone: (label: string, newKeyId: string, oldKeyId: string) =>
    `The access key rotation of ${label} was interrupted, and IAM no longer has its new key ${newKeyId} (it was deleted elsewhere), so the rotation was rolled back: ${label} keeps ${oldKeyId}.`,
  identityChanged: (label: string, newKeyId: string) =>
    `The access key rotation of ${label} was interrupted, and the identity's key has been replaced since, so the rotation's new key ${newKeyId} was deleted and the identity left as it is.`,
  identityReplaced: (label: string, oldKeyId: string, newKeyId: string) =>
    `The access key rotation of ${label} was interrupted, and the identity's key has been replaced by hand since, so the rotation was forgotten and IAM left as it is (${oldKeyId} and ${newKeyId} may both still be there): delete in IAM the one you no longer use.`,
  finished: (label: string, newKeyId: string, oldKeyId: string, how: 'deleted' | 'deactivated') =>
    `The access key rotation of ${label} that was interrupted is finished: ${label} now uses ${newKeyId}, which AWS accepted; ${retired(oldKeyId, how)}.`,
  pending: (label: string, keyInUse: string | undefined, why: string) =>
    `The access key rotation of ${label} that was interrupted could not be finished yet: ${why} ${label} still has a working key${keyInUse ? ` (${keyInUse})` : ''}; it is tried again at the next start, or finish it with: aws-auth-tray rotate --label ${label}`,
  unknownStep: (step: string) => `It was recorded by a newer version of AWS Auth Tray (step "${step}"); finish it with that version.`,
};
