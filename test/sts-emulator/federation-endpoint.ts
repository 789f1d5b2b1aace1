import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorClock } from './emulator-clock.js';
import { assumedRoleArn, type IamDirectory } from './iam-directory.js';
import type { IssuedCredentials, IssuedCredentialStore } from './issued-credentials.js';
import { readBody } from './query-protocol.js';

/**
 * AWS's console federation endpoint (https://signin.aws.amazon.com/federation), as
 * `aws-vault login` and the AWS documentation use it, on the emulator's own port:
 *
 *   GET /federation?Action=getSigninToken&Session={"sessionId","sessionKey","sessionToken"}[&SessionDuration=N]
 *       -> 200 {"SigninToken": "..."}: the session JSON must be a role session the emulator issued
 *          (its key id, secret and token, unexpired on the emulator's clock); an MFA session from
 *          GetSessionToken or a long-term key is refused, as AWS refuses them; SessionDuration is
 *          refused for a role session reached by role chaining (AWS refuses it too).
 *   GET /federation?Action=login&Issuer=..&Destination=<console URL>&SigninToken=..
 *       -> 302 to /console/<id>: the token must be one this endpoint issued, less than 15 minutes
 *          old, unused (the emulator accepts each token once), and its session still unexpired;
 *          the destination an https console URL of the fixture's partition.
 *   GET /console/<id>
 *       -> an HTML page that says whom it signed in (ARN, account) and where it would go.
 *
 * Nothing here logs: the session JSON, the tokens and the URLs are secrets.
 */

export const FEDERATION_PATH = '/federation';
export const CONSOLE_PATH_PREFIX = '/console/';
/** How long AWS honours a sign-in token. */
export const SIGNIN_TOKEN_VALIDITY_MS = 15 * 60 * 1000;

/** Each partition's console host (the emulator's own table, independent of the app's). */
const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

export interface ConsoleSignIn {
  id: string;
  arn: string;
  account: string;
  /** The access key id of the role session it was made from. */
  accessKeyId: string;
  destination: string;
  issuer: string | null;
  at: string;
}

export interface FederationContext {
  issued: IssuedCredentialStore;
  clock: EmulatorClock;
  directory: IamDirectory;
}

interface IssuedToken {
  credentials: IssuedCredentials;
  issuedAt: number;
  used: boolean;
}

class FederationError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function isFederationPath(pathname: string): boolean {
  return pathname === FEDERATION_PATH || pathname.startsWith(CONSOLE_PATH_PREFIX);
}

export class FederationEndpoint {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly signIns = new Map<string, ConsoleSignIn>();
  /** Role sessions assumed with temporary credentials (role chaining), by access key id. */
  private readonly chained = new Set<string>();

  constructor(private readonly ctx: FederationContext) {}

  /** Told by AssumeRole that a role session came from session credentials. */
  recordChainedSession(accessKeyId: string): void {
    this.chained.add(accessKeyId);
  }

  /** Every console sign-in so far, oldest first. */
  consoleSignIns(): ConsoleSignIn[] {
    return [...this.signIns.values()];
  }

  /** Every sign-in token handed out (tests use it to prove none leaked). */
  issuedTokens(): string[] {
    return [...this.tokens.keys()];
  }

  reset(): void {
    this.tokens.clear();
    this.signIns.clear();
    this.chained.clear();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://sts.emulator');
      if (req.method !== 'GET' && req.method !== 'POST') throw new FederationError(405, 'The federation endpoint answers GET and POST.');
      const params = new URLSearchParams(url.search);
      const body = await readBody(req);
      if (req.method === 'POST' && body.length > 0) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);

      if (url.pathname.startsWith(CONSOLE_PATH_PREFIX)) {
        this.consolePage(decodeURIComponent(url.pathname.slice(CONSOLE_PATH_PREFIX.length)), res);
        return;
      }
      const action = params.get('Action');
      if (action === 'getSigninToken') {
        const token = this.getSigninToken(params);
        const text = JSON.stringify({ SigninToken: token });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
        res.end(text);
        return;
      }
      if (action === 'login') {
        const signIn = this.login(params);
        res.writeHead(302, { Location: `${CONSOLE_PATH_PREFIX}${signIn.id}`, 'Content-Length': 0, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      throw new FederationError(400, 'Action must be getSigninToken or login.');
    } catch (error) {
      const status = error instanceof FederationError ? error.status : 400;
      const message = error instanceof FederationError ? error.message : 'Bad request.';
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message), 'Cache-Control': 'no-store' });
      res.end(message);
    }
  }

  private getSigninToken(params: URLSearchParams): string {
    const sessionText = params.get('Session');
    if (!sessionText) throw new FederationError(400, 'getSigninToken needs the Session parameter.');
    let session: unknown;
    try {
      session = JSON.parse(sessionText);
    } catch {
      throw new FederationError(400, 'The Session parameter is not JSON.');
    }
    const fields = session as Record<string, unknown> | null;
    const sessionId = fields?.sessionId;
    const sessionKey = fields?.sessionKey;
    const sessionToken = fields?.sessionToken;
    if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
      throw new FederationError(400, 'The Session JSON needs sessionId, sessionKey and sessionToken.');
    }
    const issued = this.ctx.issued.find(sessionId);
    // An unknown key, a long-term key, a wrong secret or token: AWS says no more than this.
    if (!issued || !constantTimeEqual(sessionKey, issued.secretAccessKey) || !constantTimeEqual(sessionToken, issued.sessionToken)) {
      throw new FederationError(400, 'The session credentials are not valid.');
    }
    if (issued.expiration.getTime() <= this.ctx.clock.now().getTime()) throw new FederationError(400, 'The session credentials have expired.');
    if (issued.principal.kind !== 'role-session') {
      throw new FederationError(400, 'Only role sessions (AssumeRole) and federated users can sign in to the console; GetSessionToken credentials cannot.');
    }
    const durationText = params.get('SessionDuration');
    if (durationText !== null) {
      if (this.chained.has(sessionId)) {
        throw new FederationError(400, 'SessionDuration cannot be used with credentials from role chaining.');
      }
      const duration = Number(durationText);
      if (!/^\d+$/.test(durationText) || duration < 900 || duration > 43_200) {
        throw new FederationError(400, 'SessionDuration must be 900 to 43200 seconds.');
      }
    }
    const token = randomBytes(96).toString('base64url');
    this.tokens.set(token, { credentials: issued, issuedAt: this.ctx.clock.now().getTime(), used: false });
    return token;
  }

  private login(params: URLSearchParams): ConsoleSignIn {
    const token = params.get('SigninToken') ?? '';
    const entry = this.tokens.get(token);
    const now = this.ctx.clock.now().getTime();
    if (!entry || entry.used || now - entry.issuedAt > SIGNIN_TOKEN_VALIDITY_MS) {
      throw new FederationError(400, 'The sign-in token is not valid (unknown, already used, or older than 15 minutes).');
    }
    if (entry.credentials.expiration.getTime() <= now) throw new FederationError(400, 'The session behind this sign-in token has expired.');
    const destination = params.get('Destination') ?? '';
    this.checkDestination(destination);
    entry.used = true;
    const principal = entry.credentials.principal;
    if (principal.kind !== 'role-session') throw new FederationError(400, 'The sign-in token is not for a role session.');
    const signIn: ConsoleSignIn = {
      id: randomUUID(),
      arn: assumedRoleArn(principal.role, principal.roleSessionName),
      account: principal.role.arn.split(':')[4] ?? '',
      accessKeyId: entry.credentials.accessKeyId,
      destination,
      issuer: params.get('Issuer'),
      at: new Date(now).toISOString(),
    };
    this.signIns.set(signIn.id, signIn);
    return signIn;
  }

  private checkDestination(destination: string): void {
    const consoleHost = CONSOLE_HOSTS[this.ctx.directory.partition];
    let url: URL | undefined;
    try {
      url = new URL(destination);
    } catch {
      url = undefined;
    }
    const host = url?.hostname ?? '';
    const subdomain = consoleHost !== undefined && host.endsWith(`.${consoleHost}`) ? host.slice(0, -consoleHost.length - 1) : undefined;
    const hostOk = consoleHost !== undefined && (host === consoleHost || (subdomain !== undefined && /^[a-z0-9-]+$/.test(subdomain)));
    if (!url || url.protocol !== 'https:' || url.username || url.password || url.port || !hostOk) {
      throw new FederationError(400, `Destination must be an https URL of the ${this.ctx.directory.partition} console (${consoleHost ?? 'no console host known'}).`);
    }
  }

  private consolePage(id: string, res: ServerResponse): void {
    const signIn = this.signIns.get(id);
    if (!signIn) throw new FederationError(404, 'No such console session.');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AWS console (STS emulator)</title></head>
<body><main>
<h1>AWS console (STS emulator)</h1>
<p>Signed in as <code id="arn">${escapeHtml(signIn.arn)}</code> in account <code id="account">${escapeHtml(signIn.account)}</code>.</p>
<p>Destination: <code id="destination">${escapeHtml(signIn.destination)}</code></p>
<p>Issuer: <code id="issuer">${escapeHtml(signIn.issuer ?? '')}</code></p>
</main></body></html>
`;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(html),
      'Content-Security-Policy': "default-src 'none'",
      'Cache-Control': 'no-store',
    });
    res.end(html);
  }
}
