import { ActionDeadline } from '../sts/action-deadline.js';
import { DEFAULT_STS_DEADLINE_MS } from '../sts/sts-gateway.js';
import { UserFacingError } from '../user-facing-error.js';
import type { FederationEndpoint } from './federation-endpoint.js';

/**
 * The federation endpoint's getSigninToken: the role session's credentials (as the session JSON
 * {sessionId, sessionKey, sessionToken}) for a sign-in token, over HTTPS with Node's fetch.
 *
 * No SessionDuration: the role sessions the app hands out are reached from the MFA session (role
 * chaining), for which AWS refuses it; without it the console session lasts as long as the role
 * session does.
 *
 * The request honours the action's deadline (action-deadline.ts) when there is one, so getting the
 * credentials and the token share one limit; otherwise it has the default STS deadline to itself.
 * Failures are sentences naming the endpoint; none quotes the request, the answer or the token.
 */

export interface SigninCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export type FetchLike = (url: string, init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal; redirect: 'error' }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** Sign-in tokens are long but not that long; a bigger answer is not one. */
const MAX_ANSWER_CHARS = 16_384;

export async function requestSigninToken(
  endpoint: FederationEndpoint,
  credentials: SigninCredentials,
  options: { profile: string; fetch?: FetchLike | undefined; deadlineMs?: number | undefined },
): Promise<string> {
  const { deadlineMs, signal } = ActionDeadline.forCall(options.deadlineMs ?? DEFAULT_STS_DEADLINE_MS);
  const session = JSON.stringify({ sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
  // A GET with the session in the query string, exactly as aws-vault and AWS's documentation call
  // it (the endpoint is AWS's own, over HTTPS); the URL is never logged here.
  const query = new URLSearchParams({ Action: 'getSigninToken', Session: session }).toString();
  const fetcher: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const where = `the AWS sign-in endpoint ${endpoint.url}${endpoint.source ? ` (from ${endpoint.source})` : ''}`;
  let status: number;
  let text: string;
  try {
    const response = await fetcher(`${endpoint.url}?${query}`, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      signal,
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch {
    if (signal.aborted) {
      throw new UserFacingError('federation-timeout', `No answer from ${where} within ${deadlineMs >= 1000 ? `${Math.round(deadlineMs / 1000)} seconds` : `${deadlineMs} ms`}; check your network (or proxy) and try again.`);
    }
    throw new UserFacingError('federation-unreachable', `Cannot reach ${where}; check your network (or proxy) and try again.`);
  }
  if (status !== 200) {
    const hint =
      status === 400 || status === 403
        ? `it refused the role session for ${options.profile} (HTTP ${status}). Verify the profile, sign in again if its session ended early, and try again.`
        : `it answered HTTP ${status}. Try again in a minute.`;
    throw new UserFacingError('federation-refused', `Could not sign in to the AWS console at ${where}: ${hint}`);
  }
  let token: unknown;
  try {
    token = text.length <= MAX_ANSWER_CHARS ? (JSON.parse(text) as { SigninToken?: unknown }).SigninToken : undefined;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || !/^[\w.~+/=-]{1,8192}$/.test(token)) {
    throw new UserFacingError('federation-answer-invalid', `${where[0]?.toUpperCase() ?? ''}${where.slice(1)} answered without a sign-in token; is that address really AWS's sign-in endpoint?`);
  }
  return token;
}
