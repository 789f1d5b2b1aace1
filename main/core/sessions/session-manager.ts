import { userInfo } from 'node:os';
import { systemClock, type Clock } from '../clock.js';
import { parseArn } from '../profiles/arn.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { mfaDeviceProblem } from '../sts/mfa-device.js';
import { isSessionRefusal, type StsGateway } from '../sts/sts-gateway.js';
import { UserFacingError } from '../user-facing-error.js';
import type { IdentitySummary, SessionCredentials, Vault } from '../vault/vault.js';
import type { StoredProfile } from '../vault/vault-schema.js';
import { IssuedSessions, type SessionPlace } from './issued-sessions.js';
import { MfaPromptCancelled, normalizeMfaCode, type MfaPromptRequest, type MfaPrompter, type MfaPurpose, type Requester } from './mfa-prompter.js';
import { SingleFlight, untilAborted } from './single-flight.js';

/**
 * Credentials for any profile, asking for an MFA code only when there is no usable MFA session:
 *
 * - The MFA session (GetSessionToken with the identity's device) is cached encrypted and reused
 *   until `refreshMarginMs` before it expires; then the next caller is prompted once.
 * - Role sessions are derived from it without a prompt (AWS caps these chained sessions at
 *   1 hour) and re-derived silently when they near expiry.
 * - A profile in `direct` mode assumes its role with its own code instead (longer sessions).
 * - Concurrent callers share one prompt and one STS call (single flight).
 * - Signing in on purpose (`renew`) always makes a new MFA session; role sessions derived from
 *   an older one are derived again from it, so nothing from before the sign-in is handed out.
 * - A cached session AWS refuses (ExpiredToken, InvalidClientTokenId) in any call, the
 *   gateway's or a caller's, is dropped: the next request derives or asks again, once, instead
 *   of handing the dead credentials out until this machine's clock says they expired.
 */

/** Like the AWS SDKs, treat credentials as expired a few minutes early. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** AWS's limit for role sessions assumed with session credentials (role chaining). */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
/** Rejected codes before giving up (the user may retype after each). */
const MAX_CODE_ATTEMPTS = 5;

export interface ProfileCredentials extends SessionCredentials {
  profile: string;
  region: string;
}

export interface SessionManagerOptions {
  vault: Vault;
  sts: StsGateway;
  prompter: MfaPrompter;
  clock?: Clock | undefined;
  refreshMarginMs?: number | undefined;
  /** Region for identities and profiles that name none. */
  defaultRegion?: string | undefined;
}

export interface MfaSessionOptions {
  /** Make a new MFA session even if a fresh one is cached (what signing in on purpose means). */
  renew?: boolean | undefined;
}

export interface CredentialRequest {
  requester: Requester;
  /** Stop waiting (this caller only; a shared prompt stays open for the others). */
  signal?: AbortSignal | undefined;
}

export class SessionManager {
  private readonly flights = new SingleFlight<SessionCredentials>();
  private readonly vault: Vault;
  private readonly sts: StsGateway;
  private readonly prompter: MfaPrompter;
  private readonly clock: Clock;
  private readonly marginMs: number;
  private readonly defaultRegion: string;
  /** Prompts waiting for a person right now (a popup or a terminal asking for a code). */
  private promptsWaiting = 0;
  private readonly issued = new IssuedSessions();

  constructor(options: SessionManagerOptions) {
    this.vault = options.vault;
    this.sts = options.sts;
    this.prompter = options.prompter;
    this.clock = options.clock ?? systemClock;
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
    this.defaultRegion = options.defaultRegion ?? 'us-east-1';
    this.sts.onSessionRejected?.((accessKeyId) => this.dropRejected(accessKeyId));
  }

  /** Whether a person is being asked for an MFA code right now (the endpoint answers early then). */
  get waitingForMfaCode(): boolean {
    return this.promptsWaiting > 0;
  }

  /** AWS's idea of now: this machine's clock corrected by the offset the SDK measured. */
  private now(): number {
    return this.clock.now().getTime() + this.sts.clockOffsetMs;
  }

  private fresh(credentials: SessionCredentials | undefined): credentials is SessionCredentials {
    return credentials !== undefined && credentials.expiration.getTime() - this.now() > this.marginMs;
  }

  private requireProfile(name: string): { profile: StoredProfile; identity: IdentitySummary } {
    const profile = this.vault.profile(name);
    if (!profile) {
      throw new UserFacingError('profile-missing', `There is no profile "${name}". List the profiles with: aws-auth-tray list`);
    }
    const identity = this.vault.identity(profile.identityId);
    if (!identity) throw new UserFacingError('identity-missing', `Profile ${name} refers to an identity that no longer exists; edit the profile.`);
    return { profile, identity };
  }

  regionOf(profile: StoredProfile, identity: IdentitySummary): string {
    return profile.region ?? identity.region ?? this.defaultRegion;
  }

  /**
   * Valid credentials for the profile: cached, derived, or after one MFA prompt. One user action:
   * every STS request it makes shares one deadline (action-deadline.ts).
   */
  getCredentials(name: string, request: CredentialRequest): Promise<ProfileCredentials> {
    return ActionDeadline.join(() => this.credentialsOf(name, request));
  }

  private async credentialsOf(name: string, request: CredentialRequest): Promise<ProfileCredentials> {
    const { profile, identity } = this.requireProfile(name);
    const region = this.regionOf(profile, identity);
    const credentials = await untilAborted(
      profile.roleArn ? this.roleSession(profile, identity, request.requester) : this.mfaSession(identity, request.requester),
      request.signal,
    );
    return { ...credentials, profile: name, region };
  }

  /**
   * The identity's MFA session, prompting for a code only when there is no fresh one; with
   * `renew`, always a new one. (A renewal that finds another caller's sign-in already running
   * shares it: that one is new too, unless it found a fresh session, a race of no consequence.)
   */
  mfaSession(identity: IdentitySummary, requester: Requester, options: MfaSessionOptions = {}): Promise<SessionCredentials> {
    return ActionDeadline.join(() => this.signIn(identity, requester, options));
  }

  private async signIn(identity: IdentitySummary, requester: Requester, options: MfaSessionOptions): Promise<SessionCredentials> {
    const place: SessionPlace = { kind: 'mfa', identityId: identity.id };
    const cached = options.renew ? undefined : await this.vault.mfaSession(identity.id);
    if (this.fresh(cached)) return this.handOut(cached, place);
    const session = await this.flights.run(`mfa:${identity.id}`, async (signal) => {
      const again = options.renew ? undefined : await this.vault.mfaSession(identity.id);
      if (this.fresh(again)) return again;
      const keys = await this.vault.longTermKeys(identity.id);
      const region = identity.region ?? this.defaultRegion;
      const durationSeconds = this.vault.settings().mfaSessionSeconds;
      const fresh = identity.mfaSerial
        ? await this.withCode(identity, keys.accessKeyId, requester, { kind: 'mfa-session' }, signal, (tokenCode) =>
            this.sts.getSessionToken(keys, { region, durationSeconds, serialNumber: identity.mfaSerial, tokenCode }, { signal }),
          )
        : await this.sts.getSessionToken(keys, { region, durationSeconds }, { signal });
      await this.vault.saveMfaSession(identity.id, fresh);
      return fresh;
    });
    return this.handOut(session, place);
  }

  private async roleSession(profile: StoredProfile, identity: IdentitySummary, requester: Requester): Promise<SessionCredentials> {
    const place: SessionPlace = { kind: 'role', profile: profile.name, identityId: identity.id };
    const usable = (session: SessionCredentials | undefined): session is SessionCredentials => this.fresh(session) && this.fromCurrentMfaSession(profile);
    const cached = await this.vault.roleSession(profile.name);
    if (usable(cached)) return this.handOut(cached, place);
    const session = await this.flights.run(`role:${profile.name}`, async (signal) => {
      const again = await this.vault.roleSession(profile.name);
      if (usable(again)) return again;
      const fresh = profile.mfaMode === 'direct' ? await this.assumeDirect(profile, identity, requester, signal) : await this.assumeFromMfaSession(profile, identity, requester, signal);
      await this.vault.saveRoleSession(profile.name, identity.id, fresh);
      return fresh;
    });
    return this.handOut(session, place);
  }

  /**
   * Whether a cached role session was derived from the identity's current MFA session (or a
   * later one): one derived before the latest sign-in is derived again, so a sign-in made
   * because things failed replaces everything that came before it. Direct-mode profiles do not
   * derive from the MFA session.
   */
  private fromCurrentMfaSession(profile: StoredProfile): boolean {
    if (profile.mfaMode === 'direct') return true;
    const { mfa, roles } = this.vault.sessionMetadata();
    const role = roles[profile.name];
    const signedIn = mfa[profile.identityId];
    return !role || !signedIn || Date.parse(role.issuedAt) >= Date.parse(signedIn.issuedAt);
  }

  private handOut(session: SessionCredentials, place: SessionPlace): SessionCredentials {
    this.issued.record(session.accessKeyId, place);
    return session;
  }

  /**
   * AWS refused session credentials this manager handed out: drop them from the cache, if they
   * are still what is cached there. Either is forgotten; a role session is then derived again,
   * from the MFA session when that still works, without a code.
   */
  private async dropRejected(accessKeyId: string): Promise<void> {
    const place = this.issued.placeOf(accessKeyId);
    if (!place) return;
    if (place.kind === 'mfa') {
      if ((await this.vault.mfaSession(place.identityId))?.accessKeyId === accessKeyId) this.vault.clearMfaSession(place.identityId);
      return;
    }
    const cached = await this.vault.roleSession(place.profile);
    if (cached?.accessKeyId === accessKeyId) this.vault.clearRoleSession(place.profile);
  }

  private assumeInput(profile: StoredProfile, identity: IdentitySummary) {
    return {
      region: this.regionOf(profile, identity),
      roleArn: profile.roleArn ?? '',
      roleSessionName: profile.roleSessionName ?? defaultRoleSessionName(identity),
      externalId: profile.externalId,
    };
  }

  private async assumeFromMfaSession(profile: StoredProfile, identity: IdentitySummary, requester: Requester, signal: AbortSignal): Promise<SessionCredentials> {
    const input = { ...this.assumeInput(profile, identity), durationSeconds: Math.min(profile.durationSeconds ?? ROLE_CHAINING_MAX_SECONDS, ROLE_CHAINING_MAX_SECONDS) };
    const mfa = await this.mfaSession(identity, requester);
    try {
      return await this.sts.assumeRole(mfa, input, { signal });
    } catch (error) {
      // AWS no longer honours the cached MFA session (expired early, revoked): sign in again, once.
      // (A gateway that reports refusals has already dropped it; one that does not, has not.)
      if (isSessionRefusal(error)) {
        if ((await this.vault.mfaSession(identity.id))?.accessKeyId === mfa.accessKeyId) this.vault.clearMfaSession(identity.id);
        return this.sts.assumeRole(await this.mfaSession(identity, requester), input, { signal });
      }
      throw error;
    }
  }

  private async assumeDirect(profile: StoredProfile, identity: IdentitySummary, requester: Requester, signal: AbortSignal): Promise<SessionCredentials> {
    const keys = await this.vault.longTermKeys(identity.id);
    const input = { ...this.assumeInput(profile, identity), durationSeconds: profile.durationSeconds };
    if (!identity.mfaSerial) return this.sts.assumeRole(keys, input, { signal });
    return this.withCode(identity, keys.accessKeyId, requester, { kind: 'assume-role', profile: profile.name, roleArn: input.roleArn }, signal, (tokenCode) =>
      this.sts.assumeRole(keys, { ...input, serialNumber: identity.mfaSerial, tokenCode }, { signal }),
    );
  }

  /** Ask for a code and use it; a rejected or malformed code is asked for again with the reason. */
  private async withCode(
    identity: IdentitySummary,
    accessKeyId: string,
    requester: Requester,
    purpose: MfaPurpose,
    signal: AbortSignal,
    use: (code: string) => Promise<SessionCredentials>,
  ): Promise<SessionCredentials> {
    // Asking for a code that STS cannot take from this device would waste the person's time.
    const problem = mfaDeviceProblem(identity.mfaSerial ?? '');
    if (problem) throw new UserFacingError('mfa-device-unusable', `The identity ${identity.label} cannot sign in with its MFA device: ${problem}`);
    let previousError: string | undefined;
    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt += 1) {
      if (signal.aborted) throw signal.reason as Error;
      const request: MfaPromptRequest = {
        identityLabel: identity.label,
        accessKeyId,
        mfaSerial: identity.mfaSerial ?? '',
        requester,
        purpose,
        attempt,
        ...(previousError ? { previousError } : {}),
        signal,
        ...(identity.mfaProcess ? { mfaProcess: identity.mfaProcess } : {}),
        ...(identity.oathAccount ? { oathAccount: identity.oathAccount } : {}),
      };
      this.promptsWaiting += 1;
      let typed: string;
      try {
        // The person's typing is not STS's slowness: the action's deadline waits for them.
        typed = await ActionDeadline.excludingTyping(() => untilAborted(this.prompter.prompt(request), signal));
      } finally {
        this.promptsWaiting -= 1;
      }
      const code = normalizeMfaCode(typed);
      if (!code) {
        previousError = 'An MFA code is the six digits your device shows now.';
        this.prompter.outcome?.(request, { kind: 'rejected', message: previousError });
        continue;
      }
      try {
        const session = await use(code);
        this.prompter.outcome?.(request, { kind: 'accepted' });
        return session;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof UserFacingError) || error.code !== 'MfaCodeRejected') {
          this.prompter.outcome?.(request, { kind: 'failed', message });
          throw error;
        }
        previousError = error.message;
        this.prompter.outcome?.(request, { kind: 'rejected', message });
      }
    }
    throw new UserFacingError('MfaCodeRejected', previousError ?? 'AWS rejected the MFA code.');
  }

  /** Forget every session and close any open prompt. Identities and profiles stay. */
  signOut(): void {
    this.flights.abortAll(new MfaPromptCancelled('Signed out while waiting for the MFA code.'));
    this.vault.clearSessions();
  }
}

/** The role session name when the profile sets none: the MFA device's name (usually the user's), else the OS user's. */
export function defaultRoleSessionName(identity: { mfaSerial?: string | undefined }, osUser: () => string = () => userInfo().username): string {
  const fromDevice = identity.mfaSerial ? parseArn(identity.mfaSerial)?.resource.split('/').at(-1) : undefined;
  let candidate = fromDevice;
  if (!candidate) {
    try {
      candidate = osUser();
    } catch {
      candidate = undefined;
    }
  }
  const clean = (candidate ?? '').replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return clean.length >= 2 ? clean : 'aws-auth-tray';
}

