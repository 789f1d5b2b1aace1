import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONNECTIONS_CHECKING_INTERVAL_MS, guardConnections } from './connection-guard.js';
import { answerRoute, parseTarget, printable, profileSegment, safeDecode, UNKNOWN_PATH, type CredentialServerOptions } from './credential-routes.js';
import { profileToken } from './profile-token.js';
import type { RunningServer } from './running-server.js';

/**
 * Credentials for terminals from the running app (or `aws-auth-tray serve`), in the format of
 * the AWS container credentials provider that every AWS SDK and the AWS CLI speak: point
 * AWS_CONTAINER_CREDENTIALS_FULL_URI at /profiles/<name> and AWS_CONTAINER_AUTHORIZATION_TOKEN
 * at the token, and each call gets fresh credentials; role sessions renew by themselves, and
 * when an MFA code is needed the app's popup (or the serving terminal) asks once for everyone.
 *
 * This is the TCP endpoint on 127.0.0.1 for SDKs: token required, Host must be the endpoint's
 * own, and no request with an Origin header (a web page) is ever answered. The command line asks
 * through the app channel instead (app-channel-server.ts); both answer with the same routes
 * (credential-routes.ts).
 */

export type { ContainerCredentials, CredentialServerOptions } from './credential-routes.js';
export type { RunningServer } from './running-server.js';

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

export type CredentialRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * How the TCP endpoint authenticates: by bearer token and Host header (SDKs send the token as it
 * is). `master`: the current token master (it may be rotated while running); each profile's
 * token derives from it.
 */
export interface BearerAuthentication {
  allowedHosts: () => string[];
  master: () => string;
}

/** The TCP endpoint's requests: authenticated here, answered by the routes (credential-routes.ts). */
export function credentialRequestHandler(options: CredentialServerOptions, authentication: BearerAuthentication): CredentialRequestHandler {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A browser can reach 127.0.0.1; it must learn nothing here. Any script-made cross-origin
    // request carries Origin; a plain GET (an image, a link) cannot carry the token. (Not
    // Sec-Fetch-*: Node's own fetch sends those too.)
    if (req.headers.origin !== undefined) {
      return send(res, 403, { message: 'AWS Auth Tray does not answer web pages.' });
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined;
    const url = parseTarget(req.url);
    if (!url) return send(res, UNKNOWN_PATH.status, UNKNOWN_PATH.body);
    if (!authentication.allowedHosts().includes(req.headers.host ?? '')) {
      return send(res, 403, { message: 'Wrong Host header: use the address AWS Auth Tray printed (http://127.0.0.1:<port>).' });
    }
    // Each profile has its own token: the one for the path's profile, and no other, opens it.
    const segment = profileSegment(url);
    const profile = segment === undefined ? undefined : safeDecode(segment);
    if (profile === undefined || req.method !== 'GET') return send(res, UNKNOWN_PATH.status, UNKNOWN_PATH.body);
    if (authorization === undefined) {
      return send(res, 403, { message: 'Missing Authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN (copy the auto-refresh setup again from AWS Auth Tray).' });
    }
    if (!sameToken(authorization, profileToken(authentication.master(), profile))) {
      return send(res, 403, {
        message: `Wrong Authorization token for profile "${printable(profile)}": each profile has its own token, and all of them change when the token is rotated. Copy the auto-refresh setup for this profile again from AWS Auth Tray.`,
      });
    }
    const answer = await answerRoute(options, { method: 'GET', url, body: Buffer.alloc(0) }, { patient: false });
    send(res, answer.status, answer.body);
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

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
}

/** The TCP endpoint for SDKs: 127.0.0.1 only; `port` 0 picks a free one. */
export async function startCredentialEndpoint(options: CredentialServerOptions & { master: () => string }, port = 0): Promise<RunningServer> {
  let bound = 0;
  const server = createServer(
    { connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS },
    credentialRequestHandler(options, { master: options.master, allowedHosts: () => [`127.0.0.1:${bound}`, `localhost:${bound}`] }),
  );
  guardConnections(server);
  answerExpectations(server);
  await listen(server, port);
  bound = (server.address() as AddressInfo).port;
  return { address: `http://127.0.0.1:${bound}`, port: bound, close: closer(server) };
}
