import { systemClock, type Clock } from '../clock.js';
import { isIamPartition } from '../iam/iam-endpoint.js';
import type { AccessKeyInfo, IamGateway, IamTarget, NewAccessKey } from '../iam/iam-gateway.js';
import { parseArn, principalKind } from '../profiles/arn.js';
import type { Requester } from '../sessions/mfa-prompter.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { isSessionRefusal, type CallerIdentity, type StsCredentials, type StsGateway } from '../sts/sts-gateway.js';
import { UserFacingError } from '../user-facing-error.js';
import type { IdentitySummary, Vault } from '../vault/vault.js';
import { AccessKeyLimitError } from './access-key-limit-error.js';
import { DEFAULT_PROOF_BOUND_MS, proveKey, timerSleeper, type KeyProof, type Sleeper } from './key-proof.js';
import { rotationCrashPoint } from './rotation-crash-points.js';
import * as say from './rotation-sentences.js';

/**
 * Rotating an identity's access key, as `aws-vault rotate` does, but crash-safe:
 *
 * 1. signing-in: the identity's MFA session (IAM self-management policies in these layouts, AWS's
 *    "force MFA" statement, refuse key changes without MFA); GetCallerIdentity says which user
 *    and partition.
 * 2. creating: ListAccessKeys first (two keys already: say which other key exists and what to
 *    do), then a record in the vault, written to disk, then CreateAccessKey.
 * 3. storing: the new key, secret sealed to its place, into that record.
 * 4. proving: GetCallerIdentity with the new key, retried with growing waits within a bound (IAM
 *    is eventually consistent); accepted, the identity takes the new key (one vault write);
 *    never accepted, the new key is deleted and the old one kept (rolled back).
 * 5. retiring-old: DeleteAccessKey of the old key, or UpdateAccessKey Inactive (the
 *    deactivateOldKey setting); then the record is forgotten.
 *
 * At every point the identity's key in the vault is one IAM accepts: the old key until the new
 * one is proven, the new one from then on, and the old one is retired only after that. A crash
 * (or a kill) between any two steps leaves the record, and `recover()` (the app after unlocking,
 * the command line before any command that unlocks the vault) finishes or rolls it back:
 *
 * - record at `creating` (killed around CreateAccessKey): IAM may have made a key whose secret
 *   was never saved. A key ListAccessKeys shows that is neither the identity's nor one listed
 *   before the rotation, and that IAM dated after the rotation started, is deleted (nobody can
 *   ever use it); any other unknown key is named and left alone.
 * - `created` (the new key saved, not proven): proven and adopted, or deleted if AWS never
 *   accepts it.
 * - `proven` (the identity uses the new key): the old key is retired (already gone is fine).
 *
 * Sessions are kept. AWS documents that temporary credentials stay valid until they expire and
 * cannot be revoked by deleting or deactivating the access key that obtained them ("Disabling
 * permissions for temporary security credentials", IAM User Guide; AWS's advice on exposed keys:
 * rotating the key does not invalidate temporary credentials made with it). The STS emulator does
 * the same (sessions outlive their key; tested). So the MFA session made with the old key keeps
 * working after the rotation, and the person is not asked for another code; the vault's
 * adoptRotatedKey keeps them, where updateIdentity (a key replaced by hand) forgets them.
 */

export type RotationStep = 'signing-in' | 'creating' | 'storing' | 'proving' | 'retiring-old' | 'done';

export interface RotationProgress {
  step: RotationStep;
  sentence: string;
  /** proving: attempt n */
  attempt?: number;
}

export interface RotationOptions {
  /** Deactivate the old key and keep it, instead of deleting it (vault setting deactivateOldKey). */
  deactivateOldKey: boolean;
  /**
   * When the user already has two keys and the other one (not the vault's) is Inactive, delete
   * it first to make room: nothing can be using an inactive key. Without it (the default) the
   * rotation stops with an AccessKeyLimitError naming that key. An Active other key is never
   * deleted.
   */
  deleteInactiveKey?: boolean | undefined;
  /** Who asked, for the MFA prompt (mfa-prompter.ts). */
  requester: Requester;
  onProgress?: ((progress: RotationProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export interface RotationResult {
  identityId: string;
  oldAccessKeyId: string;
  newAccessKeyId: string;
  oldKey: 'deleted' | 'deactivated';
  newKeyCreatedAt: Date | undefined;
  /** The inactive key deleted first to make room (deleteInactiveKey), if any. */
  deletedInactiveKeyId?: string | undefined;
}

export interface RecoveredRotation {
  identityId: string;
  identityLabel: string;
  /**
   * finished: the identity uses the new key and the old one is retired; rolled-back: the
   * identity keeps its old key and IAM has no key of the rotation; pending: it could not be
   * done now (no MFA session and no one to ask, the network, ...), the record is kept and the
   * identity's key works; the sentence says why.
   */
  outcome: 'finished' | 'rolled-back' | 'pending';
  sentence: string;
}

export interface KeyRotationDeps {
  vault: Vault;
  sessions: SessionManager;
  sts: StsGateway;
  iam: IamGateway;
  clock?: Clock | undefined;
  /** Region for STS calls of identities that name none (default us-east-1). */
  defaultRegion?: string | undefined;
  /** How long AWS may take to accept the new key, in time waited between tries, before the rotation is rolled back (default 60 s). */
  proofBoundMs?: number | undefined;
  /** How the proof waits between tries (default a timer); tests move the emulator's clock instead. */
  sleep?: Sleeper | undefined;
  /**
   * Told after each step, where a crash could land. If it throws, the rotation stops right
   * there as a crash would (nothing is rolled back, the record stays) and rotate() rejects with
   * what it threw: tests use it to interrupt a rotation after any step.
   */
  afterStep?: ((step: RotationStep) => void | Promise<void>) | undefined;
}

/** A rotation stopped by the afterStep hook: passes every clean-up untouched. */
class StoppedAfterStep extends Error {
  constructor(readonly reason: unknown) {
    super('stopped after a rotation step');
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** IAM said the key is not there (already deleted). */
function isGone(error: unknown): boolean {
  return error instanceof UserFacingError && error.code === 'NoSuchEntity';
}

/** Refusals after which IAM certainly made no key (an answer came, and it was no). */
const CREATE_REFUSALS = new Set(['access-key-limit', 'LimitExceeded', 'iam-needs-mfa', 'rotation-needs-mfa-device', 'AccessDenied', 'NoSuchEntity', 'InvalidClientTokenId', 'ExpiredToken', 'SignatureDoesNotMatch', 'ClockSkew']);

/** A key IAM dated up to this long before the rotation started may still be ours (clocks differ; AWS accepts signatures 5 minutes off). */
const CLOCK_MARGIN_MS = 5 * 60_000;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface IamAccess {
  target: IamTarget;
  userArn: string;
  userName: string;
}

type Progress = (step: RotationStep, sentence: string, attempt?: number) => void;

export class KeyRotation {
  private readonly vault: Vault;
  private readonly sessions: SessionManager;
  private readonly sts: StsGateway;
  private readonly iam: IamGateway;
  private readonly clock: Clock;
  /** Identities being rotated or recovered by this object right now: one at a time each. */
  private readonly running = new Set<string>();

  constructor(private readonly deps: KeyRotationDeps) {
    this.vault = deps.vault;
    this.sessions = deps.sessions;
    this.sts = deps.sts;
    this.iam = deps.iam;
    this.clock = deps.clock ?? systemClock;
  }

  /** Identity ids with an interrupted rotation on record. */
  interrupted(): string[] {
    return this.vault.interruptedRotations();
  }

  async rotate(identityIdOrLabel: string, options: RotationOptions): Promise<RotationResult> {
    const identity = this.requireIdentity(identityIdOrLabel);
    if (this.running.has(identity.id)) throw new UserFacingError('rotation-running', `The access key of ${identity.label} is being rotated already; wait for it to finish.`);
    this.running.add(identity.id);
    try {
      return await this.rotateOnce(identity.id, options);
    } catch (error) {
      throw error instanceof StoppedAfterStep ? error.reason : error;
    } finally {
      this.running.delete(identity.id);
    }
  }

  /** Rotations a crash interrupted (recorded in the vault), finished or rolled back; call after unlock. */
  async recover(options: { requester: Requester; signal?: AbortSignal | undefined }): Promise<RecoveredRotation[]> {
    const outcomes: RecoveredRotation[] = [];
    for (const identityId of this.interrupted()) {
      if (this.running.has(identityId)) continue;
      this.running.add(identityId);
      try {
        outcomes.push((await this.recoverOne(identityId, options.requester, options.signal, () => undefined)).recovered);
      } catch (error) {
        if (error instanceof StoppedAfterStep) throw error.reason;
        const identity = this.vault.identity(identityId);
        const label = identity?.label ?? identityId;
        outcomes.push({ identityId, identityLabel: label, outcome: 'pending', sentence: say.recovered.pending(label, identity?.accessKeyId, reasonOf(error)) });
      } finally {
        this.running.delete(identityId);
      }
    }
    return outcomes;
  }

  // ---- the steps ----

  private async afterStep(step: RotationStep): Promise<void> {
    try {
      await this.deps.afterStep?.(step);
    } catch (error) {
      throw new StoppedAfterStep(error);
    }
    rotationCrashPoint(step);
  }

  private requireIdentity(idOrLabel: string): IdentitySummary {
    const identity = this.vault.identity(idOrLabel);
    if (!identity) throw new UserFacingError('identity-missing', `There is no identity "${idOrLabel}". List them with: aws-auth-tray list`);
    return identity;
  }

  private region(identity: IdentitySummary): string {
    return identity.region ?? this.deps.defaultRegion ?? 'us-east-1';
  }

  private async rotateOnce(identityIdOrLabel: string, options: RotationOptions): Promise<RotationResult> {
    const progress: Progress = (step, sentence, attempt) => options.onProgress?.({ step, sentence, ...(attempt !== undefined ? { attempt } : {}) });
    const { requester, signal } = options;
    let identity = this.requireIdentity(identityIdOrLabel);

    // A rotation interrupted earlier comes first: finished, it is the answer; rolled back, a new one starts.
    if (this.vault.rotationRecord(identity.id)) {
      progress('signing-in', say.progress.recovering(identity.label));
      const { recovered, result } = await this.recoverOne(identity.id, requester, signal, progress);
      if (result) return result;
      progress('signing-in', recovered.sentence);
      identity = this.requireIdentity(identity.id);
    }

    const oldKeyId = (await this.vault.longTermKeys(identity.id)).accessKeyId;
    progress('signing-in', say.progress.signingIn(identity.label, identity.mfaSerial !== undefined));
    const access = await this.iamAccess(identity, requester, signal);
    await this.afterStep('signing-in');

    progress('creating', say.progress.listing(identity.label));
    const listed = await this.iamCall(identity, () => this.iam.listAccessKeys(access.target, { signal }));
    if (!listed.some((k) => k.accessKeyId === oldKeyId)) throw new UserFacingError('rotation-key-not-listed', say.keyNotListed(identity.label, oldKeyId, access.userArn));
    let deletedInactiveKeyId: string | undefined;
    const other = listed.find((k) => k.accessKeyId !== oldKeyId);
    if (listed.length >= 2 && other) {
      if (other.status !== 'Inactive' || !options.deleteInactiveKey) {
        throw new AccessKeyLimitError(say.twoKeys(identity.label, access.userName, oldKeyId, other, this.clock.now()), other);
      }
      await this.deleteKey(identity, access, other.accessKeyId, signal);
      deletedInactiveKeyId = other.accessKeyId;
      progress('creating', say.progress.deletedInactive(other.accessKeyId));
    }
    const keysBefore = listed.map((k) => k.accessKeyId).filter((id) => id !== deletedInactiveKeyId);
    this.vault.beginRotation(identity.id, { oldAccessKeyId: oldKeyId, keysBefore, deactivateOldKey: options.deactivateOldKey });
    let created: NewAccessKey;
    try {
      created = await this.iamCall(identity, () => this.iam.createAccessKey(access.target, { signal }));
    } catch (error) {
      throw await this.afterFailedCreate(identity, access, keysBefore, oldKeyId, error);
    }
    await this.afterStep('creating');

    progress('storing', say.progress.storing(created.accessKeyId));
    try {
      await this.vault.recordRotatedKey(identity.id, created);
    } catch (error) {
      // The secret exists only in memory: the key cannot be kept, delete it.
      throw await this.rollBack(identity, access, created.accessKeyId, oldKeyId, error);
    }
    await this.afterStep('storing');

    const result = await this.proveAndRetire(identity, access, progress, signal);
    return { ...result, ...(deletedInactiveKeyId ? { deletedInactiveKeyId } : {}) };
  }

  /**
   * The credentials IAM calls are made with, and whose user they act on: the identity's MFA
   * session (a cached fresh one, else one code), or its long-term key when it has no MFA device
   * (AWS refuses IAM calls from a GetSessionToken session made without MFA).
   */
  private async iamAccess(identity: IdentitySummary, requester: Requester, signal: AbortSignal | undefined): Promise<IamAccess> {
    const region = this.region(identity);
    const sign = async (renew: boolean): Promise<StsCredentials> =>
      identity.mfaSerial ? this.sessions.mfaSession(identity, requester, { renew }) : this.vault.longTermKeys(identity.id);
    let credentials = await sign(false);
    let caller: CallerIdentity;
    try {
      caller = await this.sts.getCallerIdentity(credentials, region, { signal });
    } catch (error) {
      // AWS no longer honours the cached MFA session (the gateway has dropped it): sign in again, once.
      if (!identity.mfaSerial || !isSessionRefusal(error)) throw error;
      credentials = await sign(true);
      caller = await this.sts.getCallerIdentity(credentials, region, { signal });
    }
    const arn = parseArn(caller.arn);
    if (!arn || principalKind(arn) !== 'user' || !isIamPartition(arn.partition)) throw new UserFacingError('rotation-not-a-user', say.notAnIamUser(identity.label, caller.arn));
    return { target: { credentials, partition: arn.partition }, userArn: caller.arn, userName: arn.resource.slice(arn.resource.lastIndexOf('/') + 1) };
  }

  /** An IAM call, with IAM's MFA refusal said for an identity that has no MFA device. */
  private async iamCall<T>(identity: IdentitySummary, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!identity.mfaSerial && error instanceof UserFacingError && error.code === 'iam-needs-mfa') {
        throw new UserFacingError('rotation-needs-mfa-device', say.needsMfaDevice(identity.label), { cause: error });
      }
      throw error;
    }
  }

  /** DeleteAccessKey; a key already gone is fine. */
  private async deleteKey(identity: IdentitySummary, access: IamAccess, accessKeyId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.iamCall(identity, () => this.iam.deleteAccessKey(access.target, accessKeyId, { signal }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  /**
   * CreateAccessKey failed. After a refusal IAM made nothing: the record goes. Without an answer
   * (the network, a deadline, a cancel) IAM may have made a key all the same: look for it now
   * and delete it; if that cannot be done, the record stays for the next start.
   */
  private async afterFailedCreate(identity: IdentitySummary, access: IamAccess, keysBefore: readonly string[], oldKeyId: string, error: unknown): Promise<Error> {
    if (error instanceof StoppedAfterStep) return error;
    if (error instanceof UserFacingError && CREATE_REFUSALS.has(error.code)) {
      this.vault.endRotation(identity.id);
      return error;
    }
    try {
      const now = await this.iam.listAccessKeys(access.target);
      for (const key of now) {
        if (key.accessKeyId !== oldKeyId && !keysBefore.includes(key.accessKeyId)) await this.deleteKey(identity, access, key.accessKeyId);
      }
      this.vault.endRotation(identity.id);
      return asError(error);
    } catch {
      return new UserFacingError(error instanceof UserFacingError ? error.code : 'rotation-create-unclear', say.createUnclear(reasonOf(error)), { cause: error });
    }
  }

  /**
   * Something failed before the new key was adopted: delete it (without the caller's signal: a
   * cancel must not leave it behind), forget the record, and say both. If the delete fails too,
   * the record stays, the new key sealed in it: the next start finishes or rolls back.
   */
  private async rollBack(identity: IdentitySummary, access: IamAccess, newKeyId: string, oldKeyId: string, error: unknown, sentence?: string): Promise<Error> {
    if (error instanceof StoppedAfterStep) return error;
    const why = sentence ?? reasonOf(error);
    try {
      await this.deleteKey(identity, access, newKeyId);
    } catch (cleanup) {
      return new UserFacingError('rotation-rollback-failed', say.rollbackFailed(identity.label, newKeyId, oldKeyId, why, reasonOf(cleanup)), { cause: error });
    }
    this.vault.endRotation(identity.id);
    if (sentence === undefined && asError(error).name === 'AbortError') return asError(error);
    const code = sentence !== undefined ? 'rotation-new-key-not-valid' : error instanceof UserFacingError ? error.code : 'rotation-failed';
    return new UserFacingError(code, sentence ?? say.rolledBackAfter(identity.label, newKeyId, oldKeyId, why), { cause: error });
  }

  /** From a record at `created`: prove the new key, adopt it, retire the old one. */
  private async proveAndRetire(identity: IdentitySummary, access: IamAccess, progress: Progress, signal: AbortSignal | undefined): Promise<RotationResult> {
    const record = this.vault.rotationRecord(identity.id);
    const keys = await this.vault.rotatedKey(identity.id);
    if (!record || !keys) throw new UserFacingError('rotation-missing', `The access key rotation of ${identity.label} is no longer on record; nothing more was changed.`);
    const newKeyId = keys.accessKeyId;
    let proof: KeyProof;
    try {
      proof = await proveKey(this.sts, keys, {
        region: this.region(identity),
        boundMs: this.deps.proofBoundMs ?? DEFAULT_PROOF_BOUND_MS,
        sleep: this.deps.sleep ?? timerSleeper,
        signal,
        onAttempt: (attempt) => progress('proving', say.progress.proving(newKeyId, attempt), attempt),
      });
    } catch (error) {
      throw await this.rollBack(identity, access, newKeyId, record.oldAccessKeyId, error);
    }
    if (!proof.valid) {
      throw await this.rollBack(identity, access, newKeyId, record.oldAccessKeyId, undefined, say.neverValid(identity.label, newKeyId, record.oldAccessKeyId, proof.waitedMs));
    }
    if (proof.caller.arn !== access.userArn) {
      throw await this.rollBack(identity, access, newKeyId, record.oldAccessKeyId, undefined, say.otherUser(newKeyId, proof.caller.arn, access.userArn));
    }
    await this.vault.adoptRotatedKey(identity.id);
    await this.afterStep('proving');
    return this.retireOld(identity, access, progress, signal);
  }

  /** From a record at `proven` (the identity uses the new key): retire the old key, forget the record. */
  private async retireOld(identity: IdentitySummary, access: IamAccess, progress: Progress, signal: AbortSignal | undefined): Promise<RotationResult> {
    const record = this.vault.rotationRecord(identity.id);
    if (!record?.newAccessKeyId) throw new UserFacingError('rotation-missing', `The access key rotation of ${identity.label} is no longer on record; nothing more was changed.`);
    const { oldAccessKeyId, newAccessKeyId, deactivateOldKey } = record;
    progress('retiring-old', say.progress.retiring(oldAccessKeyId, deactivateOldKey));
    let oldKey: RotationResult['oldKey'] = deactivateOldKey ? 'deactivated' : 'deleted';
    try {
      if (deactivateOldKey) await this.iamCall(identity, () => this.iam.setAccessKeyStatus(access.target, oldAccessKeyId, 'Inactive', { signal }));
      else await this.iamCall(identity, () => this.iam.deleteAccessKey(access.target, oldAccessKeyId, { signal }));
    } catch (error) {
      if (!isGone(error)) {
        throw new UserFacingError('rotation-old-key-kept', say.oldKeyKept(identity.label, newAccessKeyId, oldAccessKeyId, reasonOf(error)), { cause: error });
      }
      oldKey = 'deleted';
    }
    await this.afterStep('retiring-old');
    this.vault.endRotation(identity.id);
    const newKeyCreatedAt = record.newKeyCreatedAt !== undefined ? new Date(record.newKeyCreatedAt) : undefined;
    if (newKeyCreatedAt) this.vault.rememberAccessKeyCreated(identity.id, newAccessKeyId, newKeyCreatedAt);
    progress('done', say.progress.done(identity.label, newAccessKeyId, oldAccessKeyId, oldKey));
    await this.afterStep('done');
    return { identityId: identity.id, oldAccessKeyId, newAccessKeyId, oldKey, newKeyCreatedAt };
  }

  // ---- recovery ----

  private async recoverOne(
    identityId: string,
    requester: Requester,
    signal: AbortSignal | undefined,
    progress: Progress,
  ): Promise<{ recovered: RecoveredRotation; result?: RotationResult }> {
    const record = this.vault.rotationRecord(identityId);
    const identity = this.vault.identity(identityId);
    const outcome = (o: RecoveredRotation['outcome'], sentence: string, result?: RotationResult) => ({
      recovered: { identityId, identityLabel: identity?.label ?? identityId, outcome: o, sentence },
      ...(result ? { result } : {}),
    });
    if (!record) return outcome('rolled-back', 'No access key rotation was on record.');
    if (!identity) {
      this.vault.endRotation(identityId);
      return outcome('rolled-back', say.recovered.identityGone(record.newAccessKeyId));
    }
    const label = identity.label;
    switch (record.step) {
      case 'creating': {
        const access = await this.iamAccess(identity, requester, signal);
        const listed = await this.iamCall(identity, () => this.iam.listAccessKeys(access.target, { signal }));
        const startedAt = Date.parse(record.startedAt);
        const strays = listed.filter((k) => k.accessKeyId !== identity.accessKeyId && k.accessKeyId !== record.oldAccessKeyId && !record.keysBefore.includes(k.accessKeyId));
        const ours = strays.filter((k) => k.createdAt !== undefined && !Number.isNaN(startedAt) && k.createdAt.getTime() >= startedAt - CLOCK_MARGIN_MS);
        const others: AccessKeyInfo[] = strays.filter((k) => !ours.includes(k));
        for (const key of ours) await this.deleteKey(identity, access, key.accessKeyId, signal);
        this.vault.endRotation(identityId);
        const kept = identity.accessKeyId ?? record.oldAccessKeyId;
        const head = ours.length > 0 ? say.recovered.strayDeleted(label, kept, ours.map((k) => k.accessKeyId)) : say.recovered.nothingCreated(label, kept);
        return outcome('rolled-back', others.length > 0 ? head + say.recovered.strayLeft(others, this.clock.now()) : head);
      }
      case 'created': {
        const newKeyId = record.newAccessKeyId ?? '';
        const access = await this.iamAccess(identity, requester, signal);
        if (identity.accessKeyId !== record.oldAccessKeyId) {
          await this.deleteKey(identity, access, newKeyId, signal);
          this.vault.endRotation(identityId);
          return outcome('rolled-back', say.recovered.identityChanged(label, newKeyId));
        }
        const listed = await this.iamCall(identity, () => this.iam.listAccessKeys(access.target, { signal }));
        if (!listed.some((k) => k.accessKeyId === newKeyId)) {
          this.vault.endRotation(identityId);
          return outcome('rolled-back', say.recovered.newKeyGone(label, newKeyId, record.oldAccessKeyId));
        }
        try {
          const result = await this.proveAndRetire(identity, access, progress, signal);
          return outcome('finished', say.recovered.finished(label, result.newAccessKeyId, result.oldAccessKeyId, result.oldKey), result);
        } catch (error) {
          // Rolled back (the record is gone): that is the outcome. Otherwise it is still pending.
          if (!(error instanceof StoppedAfterStep) && !this.vault.rotationRecord(identityId)) return outcome('rolled-back', reasonOf(error));
          throw error;
        }
      }
      case 'proven': {
        // The identity's key was replaced by hand since: retiring the old key could take the vault's key away.
        if (identity.accessKeyId !== record.newAccessKeyId) {
          this.vault.endRotation(identityId);
          return outcome('rolled-back', say.recovered.identityReplaced(label, record.oldAccessKeyId, record.newAccessKeyId ?? ''));
        }
        const access = await this.iamAccess(identity, requester, signal);
        const result = await this.retireOld(identity, access, progress, signal);
        return outcome('finished', say.recovered.finished(label, result.newAccessKeyId, result.oldAccessKeyId, result.oldKey), result);
      }
      default:
        throw new UserFacingError('rotation-unknown-step', say.recovered.unknownStep(record.step));
    }
  }
}
