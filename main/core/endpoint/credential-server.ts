import { timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Requester } from '../sessions/mfa-prompter.js';
import type { SessionManager } from '../sessions/session-manager.js';
import { isUserFacingError, UserFacingError } from '../user-facing-error.js';
import type { VerificationReport } from '../verification/verify-accounts.js';
import { PROFILE_NAME } from '../vault/vault-schema.js';

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
 * - the app channel, a Unix socket (mode 0600, in a 0700 directory) or a Windows named pipe,
 *   for the command line: token required, plus POST /verify.
 */

export interface CredentialServerOptions {
  sessions: SessionManager;
  /** The current token (it may be rotated while running). */
  token: () => string;
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

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
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

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new UserFacingError('too-large', 'The request is too large.');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

export type CredentialRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The routes. `allowedHosts` (TCP endpoint only) lists the Host headers that name this
 * endpoint; the app channel has none to check (its socket's permissions guard it).
 */
export function credentialRequestHandler(options: CredentialServerOptions, allowedHosts: () => string[] | undefined): CredentialRequestHandler {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A browser can reach 127.0.0.1; it must learn nothing here. Any script-made cross-origin
    // request carries Origin; a plain GET (an image, a link) cannot carry the token. (Not
    // Sec-Fetch-*: Node's own fetch sends those too.)
    if (req.headers.origin !== undefined) {
      return send(res, 403, { message: 'AWS Auth Tray does not answer web pages.' });
    }
    const hosts = allowedHosts();
    if (hosts && !hosts.includes(req.headers.host ?? '')) {
      return send(res, 403, { message: 'Wrong Host header: use the address AWS Auth Tray printed (http://127.0.0.1:<port>).' });
    }
    const authorization = req.headers.authorization;
    if (!sameToken(typeof authorization === 'string' ? authorization : undefined, options.token())) {
      return send(res, 403, {
        message:
          authorization === undefined
            ? 'Missing Authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN (copy the auto-refresh setup again from AWS Auth Tray).'
            : 'Wrong Authorization token: the token was rotated or mistyped; copy the auto-refresh setup again from AWS Auth Tray.',
      });
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const profileMatch = /^\/profiles\/([^/]+)$/.exec(url.pathname);
    try {
      if (req.method === 'GET' && profileMatch) {
        const profile = decodeURIComponent(profileMatch[1] ?? '');
        if (!PROFILE_NAME.test(profile)) return send(res, 404, { message: `"${profile}" is not a profile name.` });
        const credentials = await options.sessions.getCredentials(profile, { requester: options.requester(profile) });
        const body: ContainerCredentials = {
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: credentials.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          Region: credentials.region,
        };
        return send(res, 200, body);
      }
      if (req.method === 'POST' && url.pathname === '/verify' && options.verify) {
        const body = (await readJson(req)) as { profiles?: unknown };
        const profiles = Array.isArray(body.profiles) ? body.profiles.filter((p): p is string => typeof p === 'string' && PROFILE_NAME.test(p)) : undefined;
        return send(res, 200, await options.verify(profiles, options.requester(profiles?.join(', ') ?? 'every account')));
      }
      return send(res, 404, { message: 'Unknown path: ask for /profiles/<profile name>.' });
    } catch (error) {
      if (isUserFacingError(error)) return send(res, statusOf(error), { message: error.message, code: error.code });
      return send(res, 500, { message: `AWS Auth Tray failed: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
  return (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'AWS Auth Tray failed while answering.' });
    });
  };
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
export async function startCredentialEndpoint(options: CredentialServerOptions, port = 0): Promise<RunningServer> {
  let bound = 0;
  const server = createServer(credentialRequestHandler(options, () => [`127.0.0.1:${bound}`, `localhost:${bound}`]));
  // Requests wait while the user types an MFA code; do not cut them off meanwhile.
  server.requestTimeout = 10 * 60 * 1000;
  await listen(server, { port, host: '127.0.0.1' });
  bound = (server.address() as AddressInfo).port;
  return { address: `http://127.0.0.1:${bound}`, port: bound, close: closer(server) };
}

/** The app channel for the command line: a Unix socket (0600 in a 0700 directory) or a named pipe. */
export async function startAppChannel(options: CredentialServerOptions, path: string): Promise<RunningServer> {
  const server = createServer(credentialRequestHandler(options, () => undefined));
  server.requestTimeout = 10 * 60 * 1000;
  if (process.platform !== 'win32') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    chmodSync(dirname(path), 0o700);
    rmSync(path, { force: true }); // a socket left by a crashed run
  }
  await listen(server, { path });
  if (process.platform !== 'win32') chmodSync(path, 0o600);
  return { address: path, port: undefined, close: closer(server, () => process.platform !== 'win32' && rmSync(path, { force: true })) };
}
