import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FederationEndpoint } from '../../../main/core/console/federation-endpoint.js';
import { requestSigninToken } from '../../../main/core/console/signin-token-client.js';
import { ActionDeadline } from '../../../main/core/sts/action-deadline.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';

/**
 * The getSigninToken client against a federation endpoint that misbehaves in the ways a network
 * does (a real HTTP server on 127.0.0.1): every failure is a sentence naming the endpoint, and
 * none quotes the session credentials, the request or the answer.
 */
const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLEEXAMPLE00', secretAccessKey: 'secret/KEY+never+shown+0123456789abcdefgh', sessionToken: 'IQoJb3JpZ2luX2VjSESSIONTOKEN' };
const answers: Record<string, (res: ServerResponse) => void> = {
  '/ok/federation': (res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"SigninToken":"abc-DEF_123"}'),
  '/garbage/federation': (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<html>${CREDENTIALS.secretAccessKey}</html>`),
  '/unavailable/federation': (res) => res.writeHead(503).end(`try later ${CREDENTIALS.sessionToken}`),
  '/redirect/federation': (res) => res.writeHead(302, { Location: 'https://evil.example/' }).end(),
  '/silent/federation': () => undefined,
};

describe('getSigninToken client', () => {
  let server: Server;
  let origin: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push(`${req.method ?? ''} ${url.pathname} ${url.searchParams.get('Action') ?? ''} ${url.searchParams.get('Session') ?? ''} ${url.searchParams.has('SessionDuration')}`);
      answers[url.pathname]?.(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const endpoint = (path: string): FederationEndpoint => ({ url: `${origin}/${path}/federation`, source: 'AWS_AUTH_TRAY_FEDERATION_URL', loopback: true });

  async function failure(path: string, deadlineMs?: number): Promise<string> {
    const error = await requestSigninToken(endpoint(path), CREDENTIALS, { profile: 'dev', deadlineMs }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    const message = (error as UserFacingError).message;
    for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken, encodeURIComponent(CREDENTIALS.secretAccessKey)]) expect(message).not.toContain(secret);
    return message;
  }

  it('sends the session JSON as aws-vault does, without SessionDuration, and reads the token', async () => {
    expect(await requestSigninToken(endpoint('ok'), CREDENTIALS, { profile: 'dev' })).toBe('abc-DEF_123');
    expect(seen.at(-1)).toBe(
      `GET /ok/federation getSigninToken ${JSON.stringify({ sessionId: CREDENTIALS.accessKeyId, sessionKey: CREDENTIALS.secretAccessKey, sessionToken: CREDENTIALS.sessionToken })} false`,
    );
  });

  it('an answer without a token is a sentence asking whether that is AWS', async () => {
    expect(await failure('garbage')).toBe(`The AWS sign-in endpoint ${origin}/garbage/federation (from AWS_AUTH_TRAY_FEDERATION_URL) answered without a sign-in token; is that address really AWS's sign-in endpoint?`);
  });

  it('a 5xx is a sentence to try again', async () => {
    expect(await failure('unavailable')).toBe(
      `Could not sign in to the AWS console at the AWS sign-in endpoint ${origin}/unavailable/federation (from AWS_AUTH_TRAY_FEDERATION_URL): it answered HTTP 503. Try again in a minute.`,
    );
  });

  it('does not follow a redirect elsewhere with the session', async () => {
    expect(await failure('redirect')).toMatch(/^Cannot reach the AWS sign-in endpoint .*\/redirect\/federation/);
  });

  it("gives up at the deadline, or at the action's when it runs inside one", async () => {
    expect(await failure('silent', 300)).toBe(
      `No answer from the AWS sign-in endpoint ${origin}/silent/federation (from AWS_AUTH_TRAY_FEDERATION_URL) within 300 ms; check your network (or proxy) and try again.`,
    );
    const action = new ActionDeadline();
    action.signal(400);
    const inAction = await ActionDeadline.begin(() => requestSigninToken(endpoint('silent'), CREDENTIALS, { profile: 'dev', deadlineMs: 60_000 }), action).catch((e: unknown) => e);
    expect((inAction as UserFacingError).code).toBe('federation-timeout');
  });
});
