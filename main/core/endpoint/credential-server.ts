import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { createConnection, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { controlCharactersGlobal } from '../control-characters.js';
import { ChannelRequestVerifier, PROOF_HEADER, signResponse } from './app-channel-auth.js';
import { CONNECTIONS_CHECKING_INTERVAL_MS, guardConnections } from './connection-guard.js';
import { ensurePrivateDirectory, removeStaleSocket, writePrivateFile } from './private-directory.js';
import { profileToken } from './profile-token.js';
import type { Requester } from '../sessions/mfa-prompter.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { ActionDeadline } from '../sts/action-deadline.js';
import { isUserFacingError, UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import { PROFILE_NAME } from '../vault/profile-name.js';

/**
 * Credentials for terminals from the running app (or `aws-auth-tray serve`), in the format of
 * the AWS container credentials provider that every AWS SDK and the AWS CLI speak: point
 * AWS_CONTAINER_CREDENTIALS_FULL_URI at /profiles/<name> and AWS_CONTAINER_AUTHORIZATION_TOKEN
 * at the token, and each call gets fresh credentials; role sessions renew by themselves, and
 * when an MFA code is needed the app's popup (or the serving terminal) asks once for everyone.
 *
 * Two transports share these routes:
 * - the TCP endpoint on 127.0.0.1 for SDKs: token required, Host must be the endpoint's own,
 *   and no request with an Origin header (a web page) is ever answered;
 * - the app channel, a Unix socket (mode 0600, in a directory proven to be the user's own, mode
 *   0700) or a Windows named pipe, for the command line: every request signed with the channel
 *   token and every answer signed back (app-channel-auth.ts), plus POST /verify.
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
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>` for TCP; the socket path for the app channel. */
  address: string;
  port: number | undefined;
  close(): Promise<void>;
}

/** The credential_process / container-credentials answer (plus Region, which clients ignore). */
export interface ContainerCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
  Region: string;
}

function send(res: ServerResponse, status: number, body: unknown, sign?: (status: number, text: string) => OutgoingHttpHeaders): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...sign?.(status, text) });
  res.end(text);
}

/** The request target as a URL, or undefined when it is not one (`GET //[ HTTP/1.1` reaches us). */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://local');
  } catch {
    return undefined;
  }
}

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** A value from a request, safe to echo in a sentence: no control characters, bounded. */
function printable(value: string): string {
  return value.replace(controlCharactersGlobal(), '?').slice(0, 100);
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected.length === 0) return false;
  const a = Buffer.from(given.replace(/^Bearer /, ''));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Status for a failure a person must act on. */
function statusOf(error: UserFacingError): number {
  switch (error.code) {
    case 'profile-missing':
      return 404;
    case 'mfa-cancelled':
    case 'vault-locked':
    case 'MfaCodeRejected':
    case 'no-terminal':
      return 403;
    default:
      return 502;
  }
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new UserFacingError('too-large', 'The request is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserFacingError('bad-request', 'The request body is not JSON.');
  }
}

export type CredentialRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

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

/**
 * How a transport authenticates: the TCP endpoint by bearer token and Host header (SDKs send
 * the token as it is); the app channel by signed requests and signed answers.
 */
export type RequestAuthentication =
  /** `master`: the current token master (it may be rotated while running); each profile's token derives from it. */
  | { kind: 'bearer'; allowedHosts: () => string[]; master: () => string }
  | { kind: 'signed'; verifier: ChannelRequestVerifier; token: string };

/** The routes, behind the transport's authentication. */
export function credentialRequestHandler(options: CredentialServerOptions, authentication: RequestAuthentication): CredentialRequestHandler {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A browser can reach 127.0.0.1; it must learn nothing here. Any script-made cross-origin
    // request carries Origin; a plain GET (an image, a link) cannot carry the token. (Not
    // Sec-Fetch-*: Node's own fetch sends those too.)
    if (req.headers.origin !== undefined) {
      return send(res, 403, { message: 'AWS Auth Tray does not answer web pages.' });
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    const url = parseTarget(req.url);
    if (!url) return send(res, 404, { message: 'Unknown path: ask for /profiles/<profile name>.' });
    const profileMatch = /^\/profiles\/([^/]+)$/.exec(url.pathname);
    let body: Buffer = Buffer.alloc(0);
    let sign: ((status: number, text: string) => OutgoingHttpHeaders) | undefined;
    if (authentication.kind === 'bearer') {
      if (!authentication.allowedHosts().includes(req.headers.host ?? '')) {
        return send(res, 403, { message: 'Wrong Host header: use the address AWS Auth Tray printed (http://127.0.0.1:<port>).' });
      }
      // Each profile has its own token: the one for the path's profile, and no other, opens it.
      const profile = profileMatch ? safeDecode(profileMatch[1] ?? '') : undefined;
      if (profile === undefined || req.method !== 'GET') return send(res, 404, { message: 'Unknown path: ask for /profiles/<profile name>.' });
      if (authorization === undefined) {
        return send(res, 403, { message: 'Missing Authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN (copy the auto-refresh setup again from AWS Auth Tray).' });
      }
      if (!sameToken(authorization, profileToken(authentication.master(), profile))) {
        return send(res, 403, {
          message: `Wrong Authorization token for profile "${printable(profile)}": each profile has its own token, and all of them change when the token is rotated. Copy the auto-refresh setup for this profile again from AWS Auth Tray.`,
        });
      }
    } else {
      body = await readBody(req);
      const nonce = authentication.verifier.verify(authorization, { method: req.method ?? 'GET', path: req.url ?? '/', body });
      if (nonce === undefined) {
        return send(res, 403, { message: 'This request is not signed with the app channel token of the running AWS Auth Tray (or it was replayed); run the command again.' });
      }
      const token = authentication.token;
      sign = (status, text) => ({ [PROOF_HEADER]: signResponse(token, nonce, status, text) });
    }
    const reply = (status: number, payload: unknown): void => send(res, status, payload, sign);
    try {
      if (req.method === 'GET' && profileMatch) {
        const profile = safeDecode(profileMatch[1] ?? '');
        if (profile === undefined || !PROFILE_NAME.test(profile)) return reply(404, { message: `"${printable(profile ?? profileMatch[1] ?? '')}" is not a profile name.` });
        // Each request is a user action of its own, with its own STS deadline, whatever the server runs inside.
        const pending = ActionDeadline.begin(() => options.sessions.getCredentials(profile, { requester: options.requester(profile) }));
        const credentials =
          authentication.kind === 'bearer' ? await withinClientPatience(pending, () => options.sessions.waitingForMfaCode, options.mfaAnswerAfterMs ?? MFA_ANSWER_AFTER_MS) : await pending;
        if (credentials === WAITING_FOR_CODE) {
          return reply(503, {
            code: 'mfa-code-needed',
            message: `An MFA code is needed for profile "${profile}": type it in ${options.promptPlace ?? 'the AWS Auth Tray popup'}, then run the command again.`,
          });
        }
        const credentialsBody: ContainerCredentials = {
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: credentials.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          Region: credentials.region,
        };
        return reply(200, credentialsBody);
      }
      if (req.method === 'POST' && url.pathname === '/verify' && options.verify) {
        const request = parseJson(body) as { profiles?: unknown };
        const profiles = Array.isArray(request.profiles) ? request.profiles.filter((p): p is string => typeof p === 'string' && PROFILE_NAME.test(p)) : undefined;
        return reply(200, await options.verify(profiles, options.requester(profiles?.join(', ') ?? 'every account')));
      }
      return reply(404, { message: 'Unknown path: ask for /profiles/<profile name>.' });
    } catch (error) {
      if (isUserFacingError(error)) return reply(statusOf(error), { message: error.message, code: error.code });
      // Never the error's own words: they may quote decrypted or request data.
      return reply(500, { message: 'AWS Auth Tray failed while answering (an unexpected error inside the app). Try again; if it repeats, restart AWS Auth Tray.' });
    }
  };
  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'AWS Auth Tray failed while answering.' });
    });
  };
}

/**
 * An Expect header other than 100-continue: Node would answer a bare 417 by itself; say it in
 * the endpoint's own words instead (every answer is a JSON sentence).
 */
function answerExpectations(server: Server): void {
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    send(res, 417, { message: 'AWS Auth Tray does not support the Expect header this request sent; send the request without it.' });
  });
}

function listen(server: Server, target: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in target) server.listen(target.path, done);
    else server.listen(target.port, target.host, done);
  });
}

function closer(server: Server, cleanup: () => void = () => undefined): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        cleanup();
        resolve();
      });
      server.closeAllConnections();
    });
}

/** The TCP endpoint for SDKs: 127.0.0.1 only; `port` 0 picks a free one. */
export async function startCredentialEndpoint(options: CredentialServerOptions & { master: () => string }, port = 0): Promise<RunningServer> {
  let bound = 0;
  const server = createServer(
    { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    credentialRequestHandler(options, { kind: 'bearer', master: options.master, allowedHosts: () => [`127.0.0.1:${bound}`, `localhost:${bound}`] }),
  );
  guardConnections(server);
  answerExpectations(server);
  await listen(server, { port, host: '127.0.0.1' });
  bound = (server.address() as AddressInfo).port;
  return { address: `http://127.0.0.1:${bound}`, port: bound, close: closer(server) };
}

/** Whether something accepts connections on the Unix socket at `path` (false for a stale one). */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Where the app channel listens, and where its token is kept for the command line. */
export interface AppChannelLocation {
  socketPath: string;
  tokenFile: string;
}

/**
 * The app channel for the command line: a Unix socket (0600, in a directory proven to be ours,
 * 0700) or a named pipe; a fresh token for this run, written where only the user can read it.
 * Refuses with a sentence when the directory or a file in it belongs to someone else.
 */
export async function startAppChannel(options: CredentialServerOptions, location: AppChannelLocation): Promise<RunningServer> {
  const token = randomBytes(32).toString('base64url');
  const posix = process.platform !== 'win32';
  const taken = (cause?: unknown): UserFacingError =>
    new UserFacingError(
      'app-channel-taken',
      `Another program already listens on ${location.socketPath}, where AWS Auth Tray meets the command line (another AWS Auth Tray app or aws-auth-tray serve, most likely); the command line keeps asking that one. Quit it and start this one again to make this one answer.`,
      cause === undefined ? undefined : { cause },
    );
  if (posix) {
    ensurePrivateDirectory(dirname(location.socketPath));
    // A live listener (the app, or serve in another session) keeps its socket; only a socket left
    // by a crashed run, which nobody answers on, is removed.
    if (await socketAnswers(location.socketPath)) throw taken();
    removeStaleSocket(location.socketPath);
  }
  const server = createServer(
    { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    credentialRequestHandler(options, { kind: 'signed', token, verifier: new ChannelRequestVerifier(() => token) }),
  );
  guardConnections(server);
  answerExpectations(server);
  try {
    await listen(server, { path: location.socketPath });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw taken(error);
    throw error;
  }
  if (posix) chmodSync(location.socketPath, 0o600);
  try {
    writePrivateFile(location.tokenFile, token);
  } catch (error) {
    await closer(server)();
    throw error;
  }
  return {
    address: location.socketPath,
    port: undefined,
    close: closer(server, () => {
      if (posix) rmSync(location.socketPath, { force: true });
      rmSync(location.tokenFile, { force: true });
    }),
  };
}
