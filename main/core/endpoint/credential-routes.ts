import { controlCharactersGlobal } from '../control-characters.js';
import type { Requester } from '../sessions/mfa-prompter.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { isUserFacingError, UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import { PROFILE_NAME } from '../vault/profile-name.js';
import { UNKNOWN_PATH_CODE, UNKNOWN_PATH_MESSAGE } from './unknown-path.js';

/**
 * What the running app (or `aws-auth-tray serve`) answers, whichever way the question came: the
 * TCP endpoint for SDKs (credential-server.ts, HTTP) or the app channel for the command line
 * (app-channel-server.ts). Each transport authenticates first; these routes then answer:
 * - GET /profiles/<name>: the profile's credentials in the AWS container credentials format;
 * - POST /verify (the app channel only): verify accounts for `aws-auth-tray verify`;
 * - POST /console (the app channel only): a console sign-in link for `aws-auth-tray console`.
 * Every answer is a JSON object; a failure is `{ message, code }` with a sentence.
 */
export interface CredentialServerOptions {
  sessions: SessionManager;
  /** Where the MFA code is asked for, for the sentence a waiting SDK gets ("the AWS Auth Tray popup"). */
  promptPlace?: string | undefined;
  /**
   * The TCP endpoint answers a request that waits for a person to type an MFA code after this
   * long (default 700 ms), with a sentence, instead of holding it past the client's patience.
   */
  mfaAnswerAfterMs?: number | undefined;
  /** Who is asking, for the MFA prompt. */
  requester: (profile: string) => Requester;
  /** The app channel also verifies accounts for `aws-auth-tray verify`. */
  verify?: ((profiles: string[] | undefined, requester: Requester) => Promise<VerificationReport>) | undefined;
  /**
   * The app channel also makes console sign-in links for `aws-auth-tray console`: the link,
   * checked against the console allowlist by whoever makes it. It is a secret (anyone who has it
   * is signed in for about 15 minutes), as the credentials this channel carries are.
   */
  consoleLink?: ((profile: string, request: ConsoleLinkRequest, requester: Requester) => Promise<string>) | undefined;
}

/** Where the console opens, as `aws-auth-tray console` was asked (each checked by core/console). */
export interface ConsoleLinkRequest {
  region?: string | undefined;
  destination?: string | undefined;
}

/** The /console request's body: a profile, and optional region and destination strings. */
function consoleRequest(body: Buffer): { profile: string; request: ConsoleLinkRequest } {
  const { profile, region, destination } = parseJsonObject(body);
  const optional = (value: unknown): value is string | undefined => value === undefined || (typeof value === 'string' && value.length <= 2048);
  if (typeof profile !== 'string' || !PROFILE_NAME.test(profile) || !optional(region) || !optional(destination)) {
    throw new UserFacingError('bad-request', 'The console request names no profile, or its region or destination is not text.');
  }
  return { profile, request: { region, destination } };
}

/** The credential_process / container-credentials answer (plus Region, which clients ignore). */
export interface ContainerCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
  Region: string;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
}

export const UNKNOWN_PATH: RouteAnswer = { status: 404, body: { message: UNKNOWN_PATH_MESSAGE, code: UNKNOWN_PATH_CODE } };

/** The request target as a URL, or undefined when it is not one (`GET //[ HTTP/1.1` reaches us). */
export function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://local');
  } catch {
    return undefined;
  }
}

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
export function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The profile a `/profiles/<name>` path names (still encoded), or undefined for another path. */
export function profileSegment(url: URL): string | undefined {
  return /^\/profiles\/([^/]+)$/.exec(url.pathname)?.[1];
}

/** A value from a request, safe to echo in a sentence: no control characters, bounded. */
export function printable(value: string): string {
  return value.replace(controlCharactersGlobal(), '?').slice(0, 100);
}

/** Status for a failure a person must act on. */
function statusOf(error: UserFacingError): number {
  switch (error.code) {
    case 'profile-missing':
      return 404;
    case 'bad-request':
      return 400;
    case 'mfa-cancelled':
    case 'vault-locked':
    case 'MfaCodeRejected':
    case 'no-terminal':
      return 403;
    default:
      return 502;
  }
}

/** A request body that must be a JSON object (empty: an empty one). `null`, an array or a number is refused, not read as one. */
function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8');
  if (text === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    throw new UserFacingError('bad-request', 'The request body is not JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserFacingError('bad-request', 'The request body is not a JSON object.');
  return json as Record<string, unknown>;
}

/**
 * How long an SDK waits for the container endpoint: the AWS CLI v2 and boto3 (botocore's
 * ContainerMetadataFetcher) give up after 2 s and try 3 times, 1 s apart, printing a non-200
 * answer's body but only "Read timeout" for a timeout; the AWS SDK for JavaScript v3 waits 1 s
 * and does not retry. So a request that is waiting for a person to type an MFA code is answered
 * within that with a sentence (503, `mfa-code-needed`), while the prompt stays up and the sign-in
 * finishes in the background: the command run again (or botocore's next attempt) gets credentials.
 */
export const MFA_ANSWER_AFTER_MS = 700;
const WAITING_FOR_CODE = Symbol('waiting for an MFA code');

async function withinClientPatience<T>(pending: Promise<T>, waitingForCode: () => boolean, afterMs: number): Promise<T | typeof WAITING_FOR_CODE> {
  const settled = pending.then((value) => ({ value }));
  let wait = afterMs;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([settled, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), wait)))]);
    clearTimeout(timer);
    if (outcome) return outcome.value;
    if (waitingForCode()) {
      // The sign-in goes on without this request; its failure (a cancelled popup) is not ours to report.
      pending.catch(() => undefined);
      return WAITING_FOR_CODE;
    }
    // Slow, but nobody is being asked: keep waiting, looking again shortly.
    wait = 250;
  }
}

export interface RouteRequest {
  method: string;
  url: URL;
  body: Buffer;
}

/**
 * Answers an authenticated request. `patient`: the asker waits as long as the person typing an
 * MFA code needs (the command line); otherwise (an SDK) a request waiting for a code is answered
 * within the SDK's patience with a sentence (MFA_ANSWER_AFTER_MS).
 */
export async function answerRoute(options: CredentialServerOptions, { method, url, body }: RouteRequest, { patient }: { patient: boolean }): Promise<RouteAnswer> {
  try {
    const segment = profileSegment(url);
    if (method === 'GET' && segment !== undefined) {
      const profile = safeDecode(segment);
      if (profile === undefined || !PROFILE_NAME.test(profile)) return { status: 404, body: { message: `"${printable(profile ?? segment)}" is not a profile name.` } };
      // Each request is a user action of its own, with its own STS deadline, whatever the server runs inside.
      const pending = ActionDeadline.begin(() => options.sessions.getCredentials(profile, { requester: options.requester(profile) }));
      const credentials = patient ? await pending : await withinClientPatience(pending, () => options.sessions.waitingForMfaCode, options.mfaAnswerAfterMs ?? MFA_ANSWER_AFTER_MS);
      if (credentials === WAITING_FOR_CODE) {
        return {
          status: 503,
          body: { code: 'mfa-code-needed', message: `An MFA code is needed for profile "${profile}": type it in ${options.promptPlace ?? 'the AWS Auth Tray popup'}, then run the command again.` },
        };
      }
      const answer: ContainerCredentials = {
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        Token: credentials.sessionToken,
        Expiration: credentials.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Region: credentials.region,
      };
      return { status: 200, body: answer };
    }
    if (method === 'POST' && url.pathname === '/verify' && options.verify) {
      const request = parseJsonObject(body);
      const profiles = Array.isArray(request.profiles) ? request.profiles.filter((p): p is string => typeof p === 'string' && PROFILE_NAME.test(p)) : undefined;
      return { status: 200, body: await options.verify(profiles, options.requester(profiles?.join(', ') ?? 'every account')) };
    }
    if (method === 'POST' && url.pathname === '/console' && options.consoleLink) {
      const { profile, request } = consoleRequest(body);
      const consoleLink = options.consoleLink;
      // One user action with its own deadline: the role session (if needed) and the sign-in token.
      return { status: 200, body: { url: await ActionDeadline.begin(() => consoleLink(profile, request, options.requester(profile))) } };
    }
    return UNKNOWN_PATH;
  } catch (error) {
    if (isUserFacingError(error)) return { status: statusOf(error), body: { message: error.message, code: error.code } };
    // Never the error's own words: they may quote decrypted or request data.
    return { status: 500, body: { message: 'AWS Auth Tray failed while answering (an unexpected error inside the app). Try again; if it repeats, restart AWS Auth Tray.' } };
  }
}
