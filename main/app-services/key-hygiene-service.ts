import type { Clock } from '../core/clock.js';
import { ageInDays, knownAccessKeyStatus, readAccessKeyStatus, SIGN_IN_FOR_LAST_USED, type AccessKeyStatus } from '../core/iam/access-key-status.js';
import { partitionOfRegion } from '../core/console/console-partitions.js';
import { isIamPartition } from '../core/iam/iam-endpoint.js';
import type { IamGateway } from '../core/iam/iam-gateway.js';
import { KeyRotation, type KeyRotationDeps, type RotationProgress } from '../core/rotation/key-rotation.js';
import type { Requester } from '../core/sessions/mfa-prompter.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { StsGateway } from '../core/sts/sts-gateway.js';
import { isUserFacingError, UserFacingError } from '../core/user-facing-error.js';
import type { IdentitySummary } from '../core/vault/vault.js';
import type { AccessKeyView, MfaDeviceView, RotationResultView, RotationView } from '../ipc/ipc-contract.js';
import type { NoticesStore } from './notices-store.js';
import type { ChangeSignal } from './state-feed.js';
import type { VaultAccess } from './vault-access.js';

/**
 * Key hygiene in the app: each identity's access key age, last use and other keys (asked of IAM
 * after each sign-in and on demand, never on a state push), rotating the key from the window
 * (KeyRotation, main/core/rotation, with the vault's deactivateOldKey setting, its progress in
 * the state), finishing or rolling back a rotation a crash interrupted (right after the vault is
 * unlocked, its sentences as notices), deleting the user's inactive second key to make room, and
 * listing the user's MFA devices for the identity form.
 */

export interface KeyHygieneDeps {
  vaultAccess: VaultAccess;
  sessions: SessionManager;
  sts: StsGateway;
  /** IAM for the user's own keys; absent: only what the vault remembers is shown, and nothing can be rotated. */
  iam: IamGateway | undefined;
  notices: NoticesStore;
  changes: ChangeSignal;
  clock: Clock;
  /** How the rotation's proof waits and where it may be stopped (tests: the emulator's clock, a simulated crash). */
  rotation?: Pick<KeyRotationDeps, 'sleep' | 'proofBoundMs' | 'afterStep'> | undefined;
}

/** An MFA session with less than this left is not used for IAM (it would expire mid-call). */
const SESSION_MARGIN_MS = 60_000;

function requester(from: Requester['kind'], what: string): Requester {
  const where = from === 'tray' ? 'the tray menu' : 'the AWS Auth Tray window';
  return { kind: from, description: `${what} (${where})` };
}

function noIam(): UserFacingError {
  return new UserFacingError('iam-unavailable', 'This build of AWS Auth Tray cannot reach IAM, so access keys cannot be managed here. Use the command line: aws-auth-tray rotate');
}

function iso(date: Date | undefined): string | null {
  return date ? date.toISOString() : null;
}

export class KeyHygieneService {
  private readonly statuses = new Map<string, AccessKeyStatus>();
  private readonly checking = new Map<string, Promise<AccessKeyView | null>>();
  private readonly rotations = new Map<string, RotationView>();
  /** The MFA session (its issuedAt) each identity's status was last read after. */
  private readonly seenSessions = new Map<string, string>();
  private readonly rotation: KeyRotation | undefined;
  private request: { identityId: string; requestId: number } | null = null;
  private requests = 0;

  constructor(private readonly deps: KeyHygieneDeps) {
    const { vaultAccess, sessions, sts, iam, clock } = deps;
    this.rotation = iam ? new KeyRotation({ vault: vaultAccess.vault, sessions, sts, iam, clock, ...deps.rotation }) : undefined;
  }

  private get warnDays(): number {
    return this.deps.vaultAccess.vault.settings().keyAgeWarningDays;
  }

  // ---- what the state shows ----

  /** The identity's key and rotation, as the window shows them; ages on the clock now. */
  view(identity: IdentitySummary): { key: AccessKeyView | null; rotation: RotationView | null } {
    const now = this.deps.clock.now();
    const warnDays = this.warnDays;
    const stored = this.statuses.get(identity.id);
    // A status read for another key (the identity was edited, or rotated) no longer applies.
    const status = stored && stored.accessKeyId === identity.accessKeyId ? stored : knownAccessKeyStatus(identity, now, warnDays, this.deps.iam ? undefined : noIam().message);
    const rotation = this.rotations.get(identity.id) ?? null;
    if (!status) return { key: null, rotation };
    const ageDays = status.createdAt ? ageInDays(status.createdAt, now) : null;
    const signedIn = this.liveSessionIssuedAt(identity.id) !== undefined;
    // "Sign in to see…" only while signed out; once signed in, the check after sign-in replaces it.
    const note = status.note ?? (signedIn ? null : SIGN_IN_FOR_LAST_USED);
    return {
      key: {
        accessKeyId: status.accessKeyId,
        createdAt: iso(status.createdAt),
        ageDays,
        old: ageDays !== null && ageDays >= warnDays,
        warnDays,
        lastUsed: status.lastUsed
          ? {
              at: iso(status.lastUsed.at),
              agoMinutes: status.lastUsed.at ? Math.max(0, Math.floor((now.getTime() - status.lastUsed.at.getTime()) / 60_000)) : null,
              service: status.lastUsed.service ?? null,
              region: status.lastUsed.region ?? null,
            }
          : null,
        otherKeys: status.otherKeys
          ? status.otherKeys.map((k) => ({ accessKeyId: k.accessKeyId, status: k.status, createdAt: iso(k.createdAt), ageDays: k.createdAt ? ageInDays(k.createdAt, now) : null }))
          : null,
        note,
        checking: this.checking.has(identity.id),
      },
      rotation,
    };
  }

  /** The tray's request to open an identity's rotation confirm, until the window has seen it. */
  get rotationRequest(): { identityId: string; requestId: number } | null {
    return this.request;
  }

  requestRotation(identityId: string): void {
    this.requests += 1;
    this.request = { identityId, requestId: this.requests };
    this.deps.changes.changed();
  }

  rotationRequestSeen(requestId: number): void {
    if (this.request?.requestId !== requestId) return;
    this.request = null;
    this.deps.changes.changed();
  }

  // ---- status ----

  private liveSessionIssuedAt(identityId: string): string | undefined {
    const session = this.deps.vaultAccess.vault.sessionMetadata().mfa[identityId];
    if (!session) return undefined;
    return Date.parse(session.expiration) - this.deps.clock.now().getTime() > SESSION_MARGIN_MS ? session.issuedAt : undefined;
  }

  /**
   * Called on every state change: an identity with an MFA session it has not been read after
   * (a sign-in, here or through the command line's agent) gets its key read from IAM, later.
   * Cheap: it compares metadata; IAM is asked only after a new sign-in.
   */
  noticeSignIns(): void {
    if (!this.deps.iam || !this.deps.vaultAccess.unlocked) return;
    for (const identity of this.deps.vaultAccess.vault.identities()) {
      const issuedAt = this.liveSessionIssuedAt(identity.id);
      if (!issuedAt || !identity.accessKeyId || this.seenSessions.get(identity.id) === issuedAt) continue;
      this.seenSessions.set(identity.id, issuedAt);
      // Not inside the state listener: the check reports its own changes.
      setTimeout(() => void this.refresh(identity.id).catch(() => undefined), 0);
    }
  }

  /**
   * Reads the identity's key from IAM now, with its MFA session (never asking for a code: without
   * a session, what the vault remembers, and a note to sign in). One check per identity at a time.
   */
  refresh(identityId: string): Promise<AccessKeyView | null> {
    const running = this.checking.get(identityId);
    if (running) return running;
    const work = this.check(identityId).finally(() => {
      this.checking.delete(identityId);
      this.deps.changes.changed();
    });
    this.checking.set(identityId, work);
    this.deps.changes.changed();
    return work;
  }

  private async check(identityId: string): Promise<AccessKeyView | null> {
    const { vaultAccess, iam, clock } = this.deps;
    vaultAccess.requireUnlocked();
    const vault = vaultAccess.vault;
    const identity = vault.identity(identityId);
    if (!identity) throw new UserFacingError('identity-missing', 'That identity no longer exists; reload the window.');
    if (!iam) throw noIam();
    const issuedAt = this.liveSessionIssuedAt(identityId);
    const session = issuedAt ? await vault.mfaSession(identityId) : undefined;
    let status: AccessKeyStatus | undefined;
    if (session) {
      this.seenSessions.set(identityId, issuedAt ?? '');
      status = await readAccessKeyStatus({ vault, iam, clock }, identity, session, { warnDays: this.warnDays });
    }
    if (status) this.statuses.set(identityId, status);
    else this.statuses.delete(identityId);
    const now = vault.identity(identityId);
    return now ? this.view(now).key : null;
  }

  // ---- rotation ----

  /**
   * Rotates the identity's access key; progress and outcome in the identity's `rotation`. With
   * `deleteInactiveKey`, the user's other key is deleted first when it is inactive (IAM's two-key
   * limit leaves no room otherwise); an active one never is.
   */
  async rotate(identityId: string, from: Requester['kind'] = 'window', options: { deleteInactiveKey?: boolean | undefined } = {}): Promise<RotationResultView> {
    const { vaultAccess, changes } = this.deps;
    vaultAccess.requireUnlocked();
    const identity = vaultAccess.vault.identity(identityId);
    if (!identity) throw new UserFacingError('identity-missing', 'That identity no longer exists; reload the window.');
    if (!this.rotation) throw noIam();
    if (this.rotations.get(identityId)?.status === 'running') {
      throw new UserFacingError('rotation-running', `The access key of ${identity.label} is being rotated already; wait for it to finish.`);
    }
    if (this.request?.identityId === identityId) this.request = null;
    const deactivateOldKey = vaultAccess.vault.settings().deactivateOldKey;
    const show = (progress: RotationProgress): void => {
      this.rotations.set(identityId, { status: 'running', step: progress.step, sentence: progress.sentence, attempt: progress.attempt ?? null });
      changes.changed();
    };
    show({ step: 'signing-in', sentence: 'Signing in with your MFA session (IAM lets you manage your keys only with MFA)…' });
    try {
      const result = await this.rotation.rotate(identityId, {
        deactivateOldKey,
        deleteInactiveKey: options.deleteInactiveKey === true,
        requester: requester(from, `rotating the access key of ${identity.label}`),
        onProgress: show,
      });
      const retired =
        result.oldKey === 'deleted'
          ? `the old key ${result.oldAccessKeyId} was deleted.`
          : `the old key ${result.oldAccessKeyId} was deactivated and kept in IAM: delete it there once you are sure nothing else uses it.`;
      const made = result.deletedInactiveKeyId ? ` (the inactive key ${result.deletedInactiveKeyId} was deleted first, to make room)` : '';
      const sentence = `Rotated: ${identity.label} now uses ${result.newAccessKeyId}, which AWS accepted${made}; ${retired}`;
      this.rotations.set(identityId, { status: 'rotated', step: 'done', sentence, attempt: null });
      this.statuses.delete(identityId);
      changes.changed();
      // What IAM says of the new key (age, other keys), with the MFA session if there still is one.
      void this.refresh(identityId).catch(() => undefined);
      return { oldAccessKeyId: result.oldAccessKeyId, newAccessKeyId: result.newAccessKeyId, oldKey: result.oldKey, sentence };
    } catch (error) {
      const sentence = isUserFacingError(error) ? error.message : `The rotation failed: ${error instanceof Error ? error.message : String(error)}`;
      const before = this.rotations.get(identityId);
      this.rotations.set(identityId, { status: 'failed', step: before?.step ?? null, sentence, attempt: null });
      changes.changed();
      void this.refresh(identityId).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Finishes or rolls back any rotation a crash interrupted; each outcome becomes a notice. Call
   * right after the vault is unlocked. Never throws: a failure is a notice too, and it is tried
   * again at the next start.
   */
  async recover(): Promise<void> {
    const { vaultAccess, notices, changes } = this.deps;
    if (!this.rotation || !vaultAccess.unlocked) return;
    const pending = this.rotation.interrupted();
    if (pending.length === 0) return;
    for (const id of pending) this.rotations.set(id, { status: 'running', step: null, sentence: 'Finishing the access key rotation that was interrupted…', attempt: null });
    changes.changed();
    try {
      const recovered = await this.rotation.recover({ requester: requester('window', 'finishing an access key rotation that was interrupted') });
      for (const r of recovered) {
        // finished: done; rolled back: the old key stays, nothing lost; pending: tried again at the next start.
        notices.add(r.outcome === 'finished' ? 'info' : 'warning', r.sentence);
        this.rotations.set(r.identityId, { status: r.outcome === 'finished' ? 'rotated' : 'failed', step: r.outcome === 'finished' ? 'done' : null, sentence: r.sentence, attempt: null });
      }
    } catch (error) {
      const why = isUserFacingError(error) ? error.message : error instanceof Error ? error.message : String(error);
      notices.add('error', `An access key rotation was interrupted and could not be finished yet: ${why} AWS Auth Tray tries again at its next start.`);
      for (const id of pending) this.rotations.delete(id);
    }
    for (const id of pending) {
      if (this.rotations.get(id)?.status === 'running') this.rotations.delete(id);
      this.statuses.delete(id);
    }
    changes.changed();
  }

  // ---- MFA devices ----

  /**
   * The user's MFA devices (IAM ListMFADevices, which self-management policies allow without
   * MFA), with the keys typed in the identity form, or the stored identity's (its secret never
   * leaves main).
   */
  async mfaDevices(input: { id?: string | undefined; accessKeyId: string; secretAccessKey?: string | undefined; region: string }): Promise<MfaDeviceView[]> {
    const { vaultAccess, iam } = this.deps;
    vaultAccess.requireUnlocked();
    if (!iam) throw noIam();
    let keys: { accessKeyId: string; secretAccessKey: string };
    if (input.secretAccessKey !== undefined) keys = { accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey };
    else {
      const stored = input.id ? vaultAccess.vault.identity(input.id) : undefined;
      if (!stored || !stored.hasSecret || stored.accessKeyId !== input.accessKeyId) {
        throw new UserFacingError('secret-needed', 'Enter the secret access key first: AWS Auth Tray asks IAM for your MFA devices with it.');
      }
      keys = await vaultAccess.vault.longTermKeys(stored.id);
    }
    const fromRegion = partitionOfRegion(input.region);
    const partition = fromRegion !== undefined && isIamPartition(fromRegion) ? fromRegion : 'aws';
    const devices = await iam.listMfaDevices({ credentials: keys, partition });
    return devices.map((d) => ({ serialNumber: d.serialNumber, enabledAt: iso(d.enabledAt) }));
  }
}
