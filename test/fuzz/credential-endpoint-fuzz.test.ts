/**
 * Fuzzing the local credential endpoint's request handling (issue: property-based fuzzing,
 * part "endpoint request handling"), main/core/endpoint/credential-server.ts.
 *
 * What this proves:
 *
 * 1. Over real sockets (10,000 raw requests per run, one TCP connection each, against one
 *    server started with `startCredentialEndpoint`): arbitrary request lines, methods, versions,
 *    paths (percent-encoding valid and broken, dot segments, absolute form, control characters,
 *    huge), Host variants and duplicates, Authorization variants and duplicates (tokens of other
 *    profiles, of another master, flipped, truncated, `Bearer`), Origin, odd and huge headers,
 *    bodies, bare LF, and random byte edits of all of it:
 *    - every exchange ends within 2 s and the server keeps answering (a valid request is served
 *      every 200 inputs and after the last one);
 *    - every answer the handler writes is JSON with a `message` string (Node's HTTP parser
 *      itself refuses malformed HTTP with a bodiless 400/431 and closes; those are counted);
 *    - credentials come back (and `sessions.getCredentials` is called) only for a GET whose
 *      first Authorization header is exactly the token of that very profile (optionally after
 *      `Bearer `), whose first Host is the endpoint's own, and that has no Origin header; a
 *      well-formed request of that kind is always served;
 *    - no answer other than a 200 contains a credential secret, the token master or any
 *      profile's token (unless the request itself carried that text, which the "wrong token
 *      for profile <name>" sentence echoes), and no 200 contains the master or a token;
 *    - no message contains a control character;
 *    - a 500 happens only where the session layer failed unexpectedly (its own words never
 *      come back) or for the one bug pinned below.
 * 2. Over a keep-alive `http.Agent` (2,000 sequences of 1 to 5 well-formed requests, on reused
 *    connections): every answer has exactly the status an independent restatement of the
 *    endpoint's rules gives (403 Origin, 403 Host, 404 path or method, 403 token, 404 name,
 *    200 / 403 / 404 / 500 from the session layer), and a 200 holds that very profile's credentials.
 * 3. In memory (10,000 requests straight into `credentialRequestHandler` and into the app
 *    channel's `answerBytes`): what the HTTP parser would never deliver (control characters in
 *    the URL, no method, no URL) is handled too; a token made from a rotated-away master never
 *    opens anything; and on the app channel a request that is not one well-formed frame is
 *    refused (400) before its signature is looked at, only a genuine, fresh, unreplayed
 *    signature is answered, every answer to it carries a proof that verifies, and nothing else
 *    reaches the sessions.
 *
 * Regression, found by this fuzzer: a request target that `new URL()` cannot parse (e.g. `//[`)
 * threw before the handler's try block and was answered 500 before the Host and token checks;
 * it is now an unknown path (404), tested at the end.
 */
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelRequestVerifier, PROOF_HEADER, signRequest, verifyResponse } from '../../main/core/endpoint/app-channel-auth.js';
import { UNSIGNED } from '../../main/core/endpoint/app-channel-frames.js';
import { answerBytes, channelAnswerer } from '../../main/core/endpoint/app-channel-server.js';
import { credentialRequestHandler, startCredentialEndpoint, type CredentialServerOptions, type RunningServer } from '../../main/core/endpoint/credential-server.js';
import { profileToken } from '../../main/core/endpoint/profile-token.js';
import { PROFILE_NAME } from '../../main/core/vault/vault-schema.js';
import type { SessionManager } from '../../main/core/sessions/session-manager.js';
import { UserFacingError } from '../../main/core/user-facing-error.js';
import { CONTROL_CHARACTER, Tally, within } from './fuzz-support.js';

const RAW_RUNS = 10_000;
const MEMORY_RUNS = 10_000;
const ANSWER_BOUND_MS = 2_000;
const HEALTH_EVERY = 200;

const MASTER = 'fuzzMaster-Kx8vQ2pLm9ZrT4wYc7NbH3sJd6Fg';
const OLD_MASTER = 'fuzzOldMaster-Qw3eR5tY7uI9oP1aS2dF4gH6';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** Profiles the fake session layer serves. */
const SERVED = ['dev', 'prod', 'break-glass', 'a.b+c@d-e_f'] as const;
/** `explodes` fails with an unexpected error quoting a secret; `cancelled` with a user-facing one. */
const KNOWN = [...SERVED, 'explodes', 'cancelled'] as const;

const credentialsOf = (profile: string, index: number) => ({
  accessKeyId: `ASIAFUZZ${String(index).padStart(12, '0')}`,
  secretAccessKey: `${SECRET}-${profile}`,
  sessionToken: `IQoJb3JpZ2luX2VjFUZZsessionToken//${profile}`,
  expiration: new Date(Date.now() + 3_600_000),
  region: 'eu-west-1',
});
const servedByKeyId = new Map<string, string>(SERVED.map((profile, i) => [credentialsOf(profile, i).accessKeyId, profile]));
const tokenFor = (profile: string, master = MASTER): string => profileToken(master, profile);

/** Text no answer but a 200 may hold (unless the request itself carried it). */
const NEVER_ECHOED = [
  MASTER,
  OLD_MASTER,
  SECRET,
  ...KNOWN.flatMap((p, i) => [credentialsOf(p, i).secretAccessKey, credentialsOf(p, i).sessionToken, tokenFor(p), tokenFor(p, OLD_MASTER)]),
  ...['ghost', 'DEV', 'constructor'].map((p) => tokenFor(p)),
];

/** The fake session layer: records who reached it. */
const reached: string[] = [];
const sessions = {
  getCredentials(profile: string): Promise<ReturnType<typeof credentialsOf>> {
    reached.push(profile);
    const index = (SERVED as readonly string[]).indexOf(profile);
    if (index >= 0) return Promise.resolve(credentialsOf(profile, index));
    if (profile === 'explodes') return Promise.reject(new Error(`internal failure with ${SECRET} and ${MASTER}`));
    if (profile === 'cancelled') return Promise.reject(new UserFacingError('mfa-cancelled', 'The MFA prompt was cancelled.'));
    return Promise.reject(new UserFacingError('profile-missing', `There is no profile "${profile}". List the profiles with: aws-auth-tray list`));
  },
} as unknown as SessionManager;
const verified: (string[] | undefined)[] = [];
/** The profiles a console link was made for (POST /console on the app channel). */
const consoled: string[] = [];
const options: CredentialServerOptions = {
  sessions,
  requester: (profile) => ({ kind: 'terminal', description: `a terminal using ${profile}` }),
  verify: (profiles) => {
    verified.push(profiles);
    return Promise.resolve({ results: [], warnings: [`verified ${profiles?.length ?? 'all'}`] });
  },
  consoleLink: (profile) => {
    consoled.push(profile);
    if ((SERVED as readonly string[]).includes(profile)) return Promise.resolve(`https://signin.aws.amazon.com/federation?Action=login&SigninToken=token-of-${profile}`);
    if (profile === 'explodes') return Promise.reject(new Error(`internal failure with ${SECRET} and ${MASTER}`));
    return Promise.reject(new UserFacingError('profile-missing', `There is no profile "${profile}". List the profiles with: aws-auth-tray list`));
  },
};

// ---- reading raw answers ----

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Splits what the server sent into answers; `head` when the first request was HEAD (no body). */
function parseAnswers(data: Buffer, firstIsHead: boolean): RawAnswer[] {
  const text = data.toString('latin1');
  const answers: RawAnswer[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) throw new Error(`an answer was cut off: ${JSON.stringify(text.slice(at, at + 200))}`);
    const [statusLine = '', ...lines] = text.slice(at, end).split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
    const status = Number(match[1]);
    const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const));
    at = end + 4;
    const noBody = status < 200 || (firstIsHead && answers.every((a) => a.status < 200));
    let body = '';
    if (!noBody && headers.get('transfer-encoding') === 'chunked') {
      // Node's own refusal of an HTTP/1.1 request without Host comes chunked (and empty).
      for (;;) {
        const lineEnd = text.indexOf('\r\n', at);
        const size = lineEnd < 0 ? NaN : parseInt(text.slice(at, lineEnd), 16);
        if (Number.isNaN(size) || lineEnd + 2 + size + 2 > text.length) throw new Error('a chunked body was cut off');
        body += text.slice(lineEnd + 2, lineEnd + 2 + size);
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
    } else {
      const length = noBody ? 0 : Number(headers.get('content-length') ?? 0);
      if (at + length > text.length) throw new Error(`a body was cut off (${length} bytes announced)`);
      body = text.slice(at, at + length);
      at += length;
    }
    // Bodies are UTF-8; the socket text was read as latin1 to keep byte offsets.
    answers.push({ status, headers, body: Buffer.from(body, 'latin1').toString('utf8') });
  }
  return answers;
}

/** One connection: write everything, half-close, collect until the server closes. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may reset a connection it refused while bytes were still arriving.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.end(bytes);
  });
}

// ---- what the request says, read from its bytes the way Node reads them ----

interface RequestModel {
  requestLine: string;
  method: string;
  target: string;
  firstHost: string | undefined;
  firstAuthorization: string | undefined;
  hasOrigin: boolean;
}

function modelOf(bytes: Buffer): RequestModel {
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const [requestLine = '', ...lines] = (end >= 0 ? text.slice(0, end) : text).split('\r\n');
  const fields = lines.filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).replace(/^[ \t]+|[ \t]+$/g, '')] as const);
  const first = (name: string): string | undefined => fields.find(([n]) => n === name)?.[1];
  const [method = '', target = ''] = requestLine.split(' ');
  return { requestLine, method, target, firstHost: first('host'), firstAuthorization: first('authorization'), hasOrigin: fields.some(([n]) => n === 'origin') };
}

/** May this request be served credentials of `profile`? (The only-if direction of the endpoint's rule.) */
function authorizedFor(model: RequestModel, profile: string, allowedHosts: string[]): boolean {
  return (
    model.method === 'GET' &&
    !model.hasOrigin &&
    model.firstHost !== undefined &&
    allowedHosts.includes(model.firstHost) &&
    model.firstAuthorization !== undefined &&
    model.firstAuthorization.replace(/^Bearer /, '') === tokenFor(profile)
  );
}

const urlThrows = (target: string): boolean => {
  try {
    new URL(target, 'http://local');
    return false;
  } catch {
    return true;
  }
};

// ---- generating raw requests ----

const profileName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN) },
  { weight: 2, arbitrary: fc.constantFrom('ghost', 'DEV', 'dev ', ' dev', 'dev\u0000', 'de/v', '../prod', '', 'x'.repeat(64), 'x'.repeat(65), 'é', '💥', 'constructor', '__proto__', '%', '%2F', 'dev%00', 'dev\r\nX: y', '\u202e') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

const percentAll = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
type PathForm = 'plain' | 'encoded' | 'percent-all' | 'query' | 'dot-segment' | 'fragment' | 'trailing-slash' | 'double-slash' | 'encoded-slash' | 'upper' | 'absolute' | 'absolute-evil' | 'backslash' | 'broken-percent' | 'huge' | 'random' | 'unparsable';
const BENIGN_PATHS = new Set<PathForm>(['plain', 'encoded', 'percent-all', 'query', 'dot-segment']);

function pathFor(form: PathForm, profile: string, port: number, extra: string): string {
  switch (form) {
    case 'plain':
      return `/profiles/${profile}`;
    case 'encoded':
      return `/profiles/${encodeURIComponent(profile)}`;
    case 'percent-all':
      return `/profiles/${percentAll(profile)}`;
    case 'query':
      return `/profiles/${encodeURIComponent(profile)}?${encodeURIComponent(extra)}`;
    case 'dot-segment':
      return `/x/../profiles/./${encodeURIComponent(profile)}`;
    case 'fragment':
      return `/profiles/${encodeURIComponent(profile)}#${extra}`;
    case 'trailing-slash':
      return `/profiles/${encodeURIComponent(profile)}/`;
    case 'double-slash':
      return `//profiles/${encodeURIComponent(profile)}`;
    case 'encoded-slash':
      return `/profiles%2F${encodeURIComponent(profile)}`;
    case 'upper':
      return `/PROFILES/${encodeURIComponent(profile)}`;
    case 'absolute':
      return `http://127.0.0.1:${port}/profiles/${encodeURIComponent(profile)}`;
    case 'absolute-evil':
      return `http://evil.example/profiles/${encodeURIComponent(profile)}`;
    case 'backslash':
      return `/profiles\\${encodeURIComponent(profile)}`;
    case 'broken-percent':
      return `/profiles/${encodeURIComponent(profile)}${extra.length % 3 === 0 ? '%' : extra.length % 3 === 1 ? '%G1' : '%C3'}`;
    case 'huge':
      return `/profiles/${'a'.repeat(2_000 + extra.length * 1_000)}`;
    case 'random':
      return extra;
    case 'unparsable':
      return `//[${extra}`;
  }
}

type AuthForm =
  | { kind: 'exact' | 'bearer' | 'ows' | 'bearer-lower' | 'bearer-double-space' | 'master' | 'old-master' | 'empty' }
  | { kind: 'other-profile'; profile: string }
  | { kind: 'flip'; index: number }
  | { kind: 'truncate'; n: number }
  | { kind: 'extend'; text: string }
  | { kind: 'random'; text: string };
const BENIGN_AUTH = new Set(['exact', 'bearer', 'ows']);

const authForm: fc.Arbitrary<AuthForm> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<AuthForm>({ kind: 'exact' }, { kind: 'bearer' }, { kind: 'ows' }) },
  { weight: 2, arbitrary: fc.constantFrom<AuthForm>({ kind: 'bearer-lower' }, { kind: 'bearer-double-space' }, { kind: 'master' }, { kind: 'old-master' }, { kind: 'empty' }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('other-profile' as const), profile: profileName }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), n: fc.integer({ min: 1, max: 43 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('extend' as const), text: fc.string({ unit: fc.oneof(fc.constantFrom('=', '.', ' ', 'A', '_'), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), text: fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })) }) },
);

function authValue(form: AuthForm, profile: string): string {
  const token = tokenFor(profile);
  switch (form.kind) {
    case 'exact':
      return token;
    case 'bearer':
      return `Bearer ${token}`;
    case 'ows':
      return ` \t${token}\t `;
    case 'bearer-lower':
      return `bearer ${token}`;
    case 'bearer-double-space':
      return `Bearer  ${token}`;
    case 'master':
      return MASTER;
    case 'old-master':
      return tokenFor(profile, OLD_MASTER);
    case 'empty':
      return '';
    case 'other-profile':
      return tokenFor(form.profile);
    case 'flip': {
      const i = form.index % token.length;
      const c = token[i] === 'A' ? 'B' : 'A';
      return token.slice(0, i) + c + token.slice(i + 1);
    }
    case 'truncate':
      return token.slice(0, token.length - form.n);
    case 'extend':
      return token + form.text;
    case 'random':
      return form.text;
  }
}

type HostForm = 'ip' | 'localhost' | 'ip-bare' | 'localhost-upper' | 'other-port' | 'evil' | 'ip-suffix' | 'ipv6' | 'empty' | 'padded-port' | 'ows' | 'random';
const BENIGN_HOSTS = new Set<HostForm>(['ip', 'localhost', 'ows']);
function hostValue(form: HostForm, port: number, random: string): string {
  switch (form) {
    case 'ip':
      return `127.0.0.1:${port}`;
    case 'localhost':
      return `localhost:${port}`;
    case 'ows':
      return ` 127.0.0.1:${port}\t`;
    case 'ip-bare':
      return '127.0.0.1';
    case 'localhost-upper':
      return `LOCALHOST:${port}`;
    case 'other-port':
      return `127.0.0.1:${port + 1}`;
    case 'evil':
      return 'evil.example';
    case 'ip-suffix':
      return `127.0.0.1:${port}.evil.example`;
    case 'ipv6':
      return `[::1]:${port}`;
    case 'empty':
      return '';
    case 'padded-port':
      return `127.0.0.1:0${port}`;
    case 'random':
      return random;
  }
}

const BENIGN_EXTRA = ['User-Agent: aws-sdk-js/3.0.0 fuzz', 'Accept: */*', 'Connection: keep-alive', 'Connection: close', 'X-Amz-Fuzz: yes', 'Content-Length: 0'];
const extraHeader = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...BENIGN_EXTRA).map((line) => ({ line, benign: true })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.constantFrom('Transfer-Encoding: chunked', 'Content-Length: 5', 'Content-Length: -1', 'Content-Length: 1, 2', 'Expect: 100-continue', 'Upgrade: websocket\r\nConnection: Upgrade', 'X-Folded: a\r\n b', 'Bad Name: x', ': empty-name', 'X-Ctl: a\u0001b', 'X-Nul: a\u0000b', 'X-Del: \u007f', 'X-High: \u00ff\u0085', 'Cookie: a=b'),
        fc.tuple(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 })).map(([name, value]) => `${name}: ${value}`),
        fc.integer({ min: 1_000, max: 40_000 }).map((n) => `X-Huge: ${'h'.repeat(n)}`),
      )
      .map((line) => ({ line, benign: false })),
  },
);

type ByteEdit = { kind: 'flip' | 'delete'; at: number } | { kind: 'insert'; at: number; byte: number };
const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('flip' as const, 'delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.oneof(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 255 })) }),
);

interface RawRequestSpec {
  method: string;
  pathForm: PathForm;
  profile: string;
  extra: string;
  version: string;
  hosts: HostForm[];
  hostRandom: string;
  auths: AuthForm[];
  origin: string | undefined;
  headers: { line: string; benign: boolean }[];
  lf: boolean;
  body: Uint8Array;
  edits: ByteEdit[];
}

const rawRequestSpec: fc.Arbitrary<RawRequestSpec> = fc.record({
  method: fc.oneof({ weight: 20, arbitrary: fc.constant('GET') }, { weight: 2, arbitrary: fc.constantFrom('POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'get', 'TRACE', 'CONNECT', 'PRI', 'GETX', '', 'G\u0000T') }, { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) }),
  pathForm: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom<PathForm>('plain', 'encoded', 'percent-all', 'query', 'dot-segment') },
    { weight: 4, arbitrary: fc.constantFrom<PathForm>('fragment', 'trailing-slash', 'double-slash', 'encoded-slash', 'upper', 'absolute', 'absolute-evil', 'backslash', 'broken-percent', 'huge', 'random', 'unparsable') },
  ),
  profile: profileName,
  extra: fc.string({ unit: 'binary', maxLength: 30 }),
  version: fc.oneof({ weight: 16, arbitrary: fc.constantFrom('HTTP/1.1', 'HTTP/1.0') }, { weight: 1, arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'http/1.1', '', 'HTTP/11', 'HTTP/1.1 x') }),
  hosts: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<HostForm>('ip', 'localhost', 'ows').map((h) => [h]) },
    { weight: 3, arbitrary: fc.array(fc.constantFrom<HostForm>('ip', 'localhost', 'ip-bare', 'localhost-upper', 'other-port', 'evil', 'ip-suffix', 'ipv6', 'empty', 'padded-port', 'ows', 'random'), { maxLength: 2 }) },
  ),
  hostRandom: fc.string({ unit: 'binary', maxLength: 20 }),
  auths: fc.oneof({ weight: 6, arbitrary: authForm.map((a) => [a]) }, { weight: 2, arbitrary: fc.array(authForm, { maxLength: 3 }) }),
  origin: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('', 'null', 'http://evil.example', 'app://aws-auth-tray', 'http://127.0.0.1') }),
  headers: fc.array(extraHeader, { maxLength: 3 }),
  lf: fc.oneof({ weight: 30, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  body: fc.oneof({ weight: 12, arbitrary: fc.constant(new Uint8Array()) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) }),
  edits: fc.oneof({ weight: 12, arbitrary: fc.constant([] as ByteEdit[]) }, { weight: 2, arbitrary: fc.array(byteEdit, { minLength: 1, maxLength: 3 }) }),
});

function serialize(spec: RawRequestSpec, port: number): { bytes: Buffer; benign: boolean } {
  const eol = spec.lf ? '\n' : '\r\n';
  const lines = [`${spec.method} ${pathFor(spec.pathForm, spec.profile, port, spec.extra)} ${spec.version}`];
  for (const host of spec.hosts) lines.push(`Host: ${hostValue(host, port, spec.hostRandom)}`);
  for (const auth of spec.auths) lines.push(`Authorization: ${authValue(auth, spec.profile)}`);
  if (spec.origin !== undefined) lines.push(`Origin: ${spec.origin}`);
  for (const header of spec.headers) lines.push(header.line);
  let bytes = Buffer.concat([Buffer.from(lines.join(eol) + eol + eol, 'utf8'), spec.body]);
  for (const edit of spec.edits) {
    const at = edit.at % Math.max(bytes.length, 1);
    if ('byte' in edit) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(edit.byte), bytes.subarray(at)]);
    else if (edit.kind === 'flip') bytes[at] = (bytes[at] ?? 0) ^ 0x20;
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
  }
  const benign =
    spec.method === 'GET' &&
    BENIGN_PATHS.has(spec.pathForm) &&
    (SERVED as readonly string[]).includes(spec.profile) &&
    (spec.version === 'HTTP/1.1' || spec.version === 'HTTP/1.0') &&
    spec.hosts.length === 1 &&
    BENIGN_HOSTS.has(spec.hosts[0] ?? 'evil') &&
    spec.auths.length === 1 &&
    BENIGN_AUTH.has(spec.auths[0]?.kind ?? 'empty') &&
    spec.origin === undefined &&
    spec.headers.every((h) => h.benign) &&
    new Set(spec.headers.map((h) => h.line)).size === spec.headers.length &&
    !spec.lf &&
    spec.body.length === 0 &&
    spec.edits.length === 0;
  return { bytes, benign };
}

function canonical(profile: string, port: number): Buffer {
  return Buffer.from(`GET /profiles/${encodeURIComponent(profile)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${tokenFor(profile)}\r\n\r\n`);
}

// ---- checks shared by both ways in ----

function assertAnswerBody(status: number, body: string, requestText: string, where: string): { message?: string; keyId?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`${where}: a ${status} answer that is not JSON: ${JSON.stringify(body.slice(0, 200))}`);
  }
  if (parsed === null || typeof parsed !== 'object') throw new Error(`${where}: a ${status} answer that is not a JSON object`);
  const fields = parsed as Record<string, unknown>;
  for (const secret of status === 200 ? [MASTER, OLD_MASTER, ...KNOWN.map((p) => tokenFor(p))] : NEVER_ECHOED) {
    if (body.includes(secret) && !requestText.includes(secret)) throw new Error(`${where}: a ${status} answer leaks ${secret.slice(0, 12)}...: ${body.slice(0, 300)}`);
  }
  if (status === 200 && typeof fields.AccessKeyId === 'string') return { keyId: fields.AccessKeyId };
  if (status === 200 && Array.isArray(fields.results)) return {}; // POST /verify on the app channel
  if (status === 200 && typeof fields.url === 'string') return {}; // POST /console on the app channel
  if (typeof fields.message !== 'string' || fields.message === '') throw new Error(`${where}: a ${status} answer without a message: ${body.slice(0, 200)}`);
  if (CONTROL_CHARACTER.test(fields.message)) throw new Error(`${where}: a control character came back in ${JSON.stringify(fields.message)}`);
  return { message: fields.message };
}

// ---- well-formed HTTP over a keep-alive agent, against an exact model of the rules ----

const KEEP_ALIVE_SEQUENCES = 2_000;

interface KeepAliveSpec {
  method: 'GET' | 'POST' | 'HEAD' | 'DELETE';
  profile: string;
  pathForm: 'encoded' | 'percent-all' | 'query' | 'other' | 'nested';
  host: 'ip' | 'localhost' | 'other-port' | 'evil' | 'none-given';
  auth: AuthForm | undefined;
  origin: string | undefined;
}

/** No lone surrogate (encodeURIComponent refuses those; they are covered by the raw suite). */
function wellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

const printableAuth: fc.Arbitrary<AuthForm> = authForm.filter((a) => a.kind !== 'random' && a.kind !== 'extend');
const keepAliveRequest: fc.Arbitrary<KeepAliveSpec> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('GET' as const) }, { weight: 1, arbitrary: fc.constantFrom('POST' as const, 'HEAD' as const, 'DELETE' as const) }),
  profile: profileName.filter(wellFormed),
  pathForm: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('encoded' as const, 'percent-all' as const, 'query' as const) }, { weight: 1, arbitrary: fc.constantFrom('other' as const, 'nested' as const) }),
  host: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('ip' as const, 'localhost' as const, 'none-given' as const) }, { weight: 1, arbitrary: fc.constantFrom('other-port' as const, 'evil' as const) }),
  auth: fc.oneof({ weight: 8, arbitrary: printableAuth }, { weight: 1, arbitrary: fc.constant(undefined) }),
  origin: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('null', 'http://evil.example') }),
});

/** The path, the headers, and the status the endpoint's rules (credential-server.ts) give, restated. */
function keepAliveModel(spec: KeepAliveSpec, listening: number): { status: number; path: string; headers: Record<string, string> } {
  const segment = spec.pathForm === 'percent-all' ? percentAll(spec.profile) : encodeURIComponent(spec.profile);
  const path = { encoded: `/profiles/${segment}`, 'percent-all': `/profiles/${segment}`, query: `/profiles/${segment}?x=1`, other: `/nope/${segment}`, nested: `/profiles/${segment}/x` }[spec.pathForm];
  const headers: Record<string, string> = {};
  // http.request sends Host: 127.0.0.1:<port> by itself when none is given.
  if (spec.host !== 'none-given') headers.host = { ip: `127.0.0.1:${listening}`, localhost: `localhost:${listening}`, 'other-port': `127.0.0.1:${listening + 1}`, evil: 'evil.example' }[spec.host];
  const authorization = spec.auth === undefined ? undefined : authValue(spec.auth, spec.profile);
  if (authorization !== undefined) headers.authorization = authorization;
  if (spec.origin !== undefined) headers.origin = spec.origin;

  const status = ((): number => {
    if (spec.origin !== undefined) return 403;
    if (spec.host === 'other-port' || spec.host === 'evil') return 403;
    // `/profiles/<one segment>`; `.` and `..` (also percent-encoded) are dot segments, which URL parsing removes.
    const isProfilePath = (spec.pathForm === 'encoded' || spec.pathForm === 'percent-all' || spec.pathForm === 'query') && spec.profile !== '' && spec.profile !== '.' && spec.profile !== '..';
    if (!isProfilePath || spec.method !== 'GET') return 404;
    if (authorization === undefined) return 403;
    if (authorization.replace(/^[ \t]+|[ \t]+$/g, '').replace(/^Bearer /, '') !== tokenFor(spec.profile)) return 403;
    if (!PROFILE_NAME.test(spec.profile)) return 404;
    if ((SERVED as readonly string[]).includes(spec.profile)) return 200;
    if (spec.profile === 'explodes') return 500;
    if (spec.profile === 'cancelled') return 403;
    return 404;
  })();
  return { status, path, headers };
}

function viaAgent(agent: Agent, method: string, path: string, headers: Record<string, string>, sockets: Set<Socket>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      sockets.add(res.socket);
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// ---- the real server ----

let endpoint: RunningServer;
let port = 0;
const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
const rawTally = new Tally();

async function healthy(where: string): Promise<void> {
  const data = await within(ANSWER_BOUND_MS, `the health check ${where}`, () => exchange(port, canonical('dev', port)));
  const [answer] = parseAnswers(data, false);
  if (answer?.status !== 200) throw new Error(`the server stopped answering (${where}): ${data.toString('latin1').slice(0, 200)}`);
}

async function oneRawRequest(spec: RawRequestSpec): Promise<void> {
  const { bytes, benign } = serialize(spec, port);
  const requestText = bytes.toString('latin1');
  const model = modelOf(bytes);
  reached.length = 0;
  const started = performance.now();
  const data = await within(ANSWER_BOUND_MS, 'the exchange', () => exchange(port, bytes));
  rawTally.time(performance.now() - started);
  const answers = parseAnswers(data, model.method === 'HEAD');
  if (answers.length === 0) rawTally.count('closed-without-answer');

  for (const profile of reached) {
    if (!authorizedFor(model, profile, allowedHosts())) throw new Error(`the session layer was asked for ${JSON.stringify(profile)} by an unauthorized request`);
  }
  // Interim answers (100 Continue) do not count: `i` numbers the final ones.
  answers.filter((answer) => answer.status >= 200).forEach((answer, i) => {
    const where = `answer ${i + 1} (${answer.status})`;
    if (answer.headers.get('content-type') !== 'application/json') {
      // Node refused the bytes before the handler saw them (its parser, or its check that an
      // HTTP/1.1 request names a Host): a bare 4xx without a body, then close.
      if (![400, 413, 414, 431, 505].includes(answer.status) || answer.body !== '' || answer.headers.get('connection') !== 'close') {
        throw new Error(`${where}: not JSON and not a parser refusal: ${JSON.stringify([...answer.headers])} ${answer.body.slice(0, 100)}`);
      }
      return rawTally.count(`parser-${answer.status}`);
    }
    if (model.method === 'HEAD' && i === 0) return rawTally.count(`head-${answer.status}`);
    const { keyId } = assertAnswerBody(answer.status, answer.body, requestText, where);
    rawTally.count(String(answer.status));
    if (answer.status === 200) {
      const profile = servedByKeyId.get(keyId ?? '');
      if (profile === undefined) throw new Error(`${where}: credentials of no known profile`);
      if (i !== 0 || !authorizedFor(model, profile, allowedHosts())) throw new Error(`${where}: credentials of ${profile} for a request not authorized for it`);
    }
    if (answer.status === 500 && !(reached.includes('explodes') || urlThrows(model.target))) throw new Error(`${where}: an unexpected 500`);
  });
  if (benign) {
    const first = answers.find((answer) => answer.status >= 200);
    const profile = first?.status === 200 ? servedByKeyId.get((JSON.parse(first.body) as { AccessKeyId?: string }).AccessKeyId ?? '') : undefined;
    if (profile !== spec.profile) throw new Error(`a well-formed request for ${spec.profile} was not served: ${data.toString('latin1').slice(0, 300)}`);
    rawTally.count('well-formed-served');
  }
  if (rawTally.runs % HEALTH_EVERY === 0) await healthy(`after ${rawTally.runs} requests`);
}

describe('credential endpoint over real sockets', () => {
  beforeAll(async () => {
    endpoint = await startCredentialEndpoint({ ...options, master: () => MASTER }, 0);
    port = endpoint.port ?? 0;
  });
  afterAll(() => endpoint.close());

  it(
    `raw requests (${RAW_RUNS}): bounded answers, JSON sentences, credentials only with the exact token of that profile, nothing leaked`,
    async () => {
      await fc.assert(
        fc.asyncProperty(rawRequestSpec, (spec) => oneRawRequest(spec)),
        { numRuns: RAW_RUNS },
      );
      await healthy('after the last request');
      console.info(rawTally.summary('credential endpoint, raw sockets'));
      // Not vacuous: the handler answered most inputs, and well-formed requests were served.
      expect(rawTally.get('well-formed-served')).toBeGreaterThan(50);
      expect(rawTally.get('403') + rawTally.get('404')).toBeGreaterThan(RAW_RUNS / 5);
    },
    120_000,
  );

  it(
    `keep-alive: well-formed requests in sequences on reused connections get exactly the status the endpoint's rules give (${KEEP_ALIVE_SEQUENCES} sequences)`,
    async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 2 });
      const sockets = new Set<Socket>();
      const tally = new Tally();
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(keepAliveRequest, { minLength: 1, maxLength: 5 }), async (sequence) => {
            for (const spec of sequence) {
              const { status: expectedStatus, path, headers } = keepAliveModel(spec, port);
              reached.length = 0;
              const started = performance.now();
              const answer = await within(ANSWER_BOUND_MS, 'a keep-alive request', () => viaAgent(agent, spec.method, path, headers, sockets));
              tally.time(performance.now() - started);
              tally.count(String(answer.status));
              if (answer.status !== expectedStatus) throw new Error(`${spec.method} ${path} ${JSON.stringify(headers)}: expected ${expectedStatus}, got ${answer.status} ${answer.body.slice(0, 200)}`);
              if (spec.method === 'HEAD') continue;
              const { keyId } = assertAnswerBody(answer.status, answer.body, JSON.stringify([path, headers]), `keep-alive ${answer.status}`);
              if (answer.status === 200 && servedByKeyId.get(keyId ?? '') !== spec.profile) throw new Error(`credentials of another profile than ${spec.profile}`);
            }
          }),
          { numRuns: KEEP_ALIVE_SEQUENCES },
        );
      } finally {
        agent.destroy();
      }
      console.info(`${tally.summary('credential endpoint, keep-alive')}; connections used: ${sockets.size}`);
      expect(sockets.size).toBeLessThan(tally.runs / 10);
      expect(tally.get('200')).toBeGreaterThan(100);
    },
    120_000,
  );

  // Regression, found by this fuzzer: `GET //[ HTTP/1.1` (Node's HTTP parser lets it through)
  // made `new URL()` throw before the try block, and the answer was a 500.
  it('a request target the URL parser rejects is answered with a 4xx sentence, not a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom('//[', '//a:b', '//:99999', '//[::1', '//%zz'), fc.string({ unit: 'binary-ascii', maxLength: 6 }).map((s) => `//[${s.replace(/[\s]/g, '')}`)), async (target) => {
        const data = await within(ANSWER_BOUND_MS, 'the exchange', () => exchange(port, Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)));
        const [answer] = parseAnswers(data, false);
        expect(answer?.status).toBeGreaterThanOrEqual(400);
        expect(answer?.status).toBeLessThan(500);
      }),
      { numRuns: 50 },
    );
  }, 30_000);
});

// ---- straight into the handler, both transports ----

interface MemoryAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: string;
}

function callHandler(handler: (req: IncomingMessage, res: ServerResponse) => void, request: { method: string | undefined; url: string | undefined; headers: Record<string, string | undefined>; body: Buffer }): Promise<MemoryAnswer> {
  return new Promise((resolve) => {
    const req = Object.assign(Readable.from(request.body.length > 0 ? [request.body] : []), { method: request.method, url: request.url, headers: request.headers });
    let status = 0;
    let headers: OutgoingHttpHeaders = {};
    const res = {
      headersSent: false,
      writeHead(code: number, sent: OutgoingHttpHeaders) {
        status = code;
        headers = sent;
        this.headersSent = true;
        return this;
      },
      end(text: string) {
        resolve({ status, headers, body: text });
      },
    };
    handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  });
}

/**
 * Whether the app channel must take this as one request (restated here, not read from
 * app-channel-frames.ts): an upper-case method, a target and two authorization words of printable
 * ASCII without spaces, a head line within 1 KiB.
 */
function wellFormedFrame(method: string, url: string, authorization: string | undefined, body: Buffer): boolean {
  const field = /^[\x21-\x7e]+$/;
  const head = `aws-auth-tray/2 ${method} ${url} ${authorization ?? ''} ${body.length}`;
  const words = (authorization ?? '').split(' ');
  return /^[A-Z]{1,10}$/.test(method) && url.startsWith('/') && field.test(url) && words.length === 2 && words.every((w) => field.test(w)) && Buffer.byteLength(head, 'latin1') <= 1024 && /^[\x20-\x7e]*$/.test(head);
}

/** The app channel's answer to these bytes, as its server computes it (no socket), read as a MemoryAnswer. */
async function callChannel(verifier: ChannelRequestVerifier, request: { method: string; url: string; authorization: string | undefined; body: Buffer }): Promise<MemoryAnswer> {
  // Written as any client could, bytes and all: the server must cope with whatever arrives.
  const head = Buffer.from(`aws-auth-tray/2 ${request.method} ${request.url} ${request.authorization ?? ''} ${request.body.length}\n`, 'utf8');
  const pending = answerBytes(channelAnswerer(options, CHANNEL_TOKEN, verifier), Buffer.concat([head, request.body]));
  // A whole head line and its body are there: waiting for more would leave a client hanging.
  if (pending === undefined) throw new Error(`the app channel waits for more after a whole request (${JSON.stringify(head.toString('utf8'))})`);
  const answer = await pending;
  return { status: answer.status, headers: answer.proof === UNSIGNED ? {} : { [PROOF_HEADER]: answer.proof }, body: answer.body.toString('utf8') };
}

const CHANNEL_TOKEN = 'channel-token-fuzz-Zx9Cv8Bn7Mq6Wl5Ek4Rj3Th2';
const NOW = 1_800_000_000_000;

type SignatureForm = 'valid' | 'replayed' | 'other-token' | 'other-path' | 'other-body' | 'other-method' | 'stale' | 'future' | 'missing' | 'bearer' | 'random' | 'mac-flip';
interface MemoryRequestSpec {
  transport: 'bearer' | 'signed';
  method: string | undefined;
  /** Send no URL at all (`req.url` undefined: the handler reads it as `/`). */
  noUrl: boolean;
  profile: string;
  pathForm: PathForm;
  extra: string;
  host: HostForm;
  auth: AuthForm;
  useOldMaster: boolean;
  origin: string | undefined;
  signature: SignatureForm;
  body: string;
  rawUrl: string | undefined;
}

const memoryRequestSpec: fc.Arbitrary<MemoryRequestSpec> = fc.record({
  transport: fc.constantFrom('bearer' as const, 'signed' as const),
  method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, { weight: 2, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom(undefined, 'HEAD', 'get', '', 'DELETE') }),
  noUrl: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  profile: profileName,
  pathForm: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<PathForm>('plain', 'encoded', 'percent-all', 'query') }, { weight: 3, arbitrary: fc.constantFrom<PathForm>('fragment', 'double-slash', 'encoded-slash', 'broken-percent', 'random', 'unparsable', 'absolute-evil') }),
  extra: fc.string({ unit: 'binary', maxLength: 30 }),
  host: fc.oneof({ weight: 6, arbitrary: fc.constant<HostForm>('ip') }, { weight: 1, arbitrary: fc.constantFrom<HostForm>('localhost', 'evil', 'empty', 'random', 'ows') }),
  auth: authForm,
  useOldMaster: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  origin: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('', 'null', 'http://evil.example') }),
  signature: fc.oneof({ weight: 6, arbitrary: fc.constant<SignatureForm>('valid') }, { weight: 4, arbitrary: fc.constantFrom<SignatureForm>('replayed', 'other-token', 'other-path', 'other-body', 'other-method', 'stale', 'future', 'missing', 'bearer', 'random', 'mac-flip') }),
  body: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 2, arbitrary: fc.constantFrom('{"profiles":["dev","prod"]}', '{"profiles":"dev"}', '{}', 'not json', '{"profiles":["../x",1,null]}', '{"__proto__":{"polluted":true}}', '{"profile":"dev"}', '{"profile":"explodes"}', '{"profile":"dev","region":"eu-west-1","destination":"/ec2/home"}', '{"profile":"../x"}', '{"profile":"dev","region":5}', 'null') }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) }),
  // What Node's parser never delivers: control characters and raw non-ASCII in the URL.
  rawUrl: fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/profiles/${s}`) }),
});

const memoryTally = new Tally();
const FAKE_PORT = 47_999;

interface UsedRequest {
  method: string | undefined;
  url: string;
  body: Buffer;
  authorization: string;
}
interface MemoryState {
  master: string;
  verifier: ChannelRequestVerifier;
  /** The last genuine signed request the verifier accepted: replayed byte for byte later. */
  used: UsedRequest | undefined;
}

async function oneMemoryRequest(spec: MemoryRequestSpec, state: MemoryState): Promise<void> {
  reached.length = 0;
  verified.length = 0;
  consoled.length = 0;
  let method = spec.method;
  const posted = spec.extra.length % 3 === 0 ? '/verify' : spec.extra.length % 3 === 1 ? '/console' : undefined;
  let url = spec.noUrl ? '/' : spec.rawUrl ?? (spec.method === 'POST' && posted !== undefined ? posted : pathFor(spec.pathForm, spec.profile, FAKE_PORT, spec.extra));
  const headers: Record<string, string | undefined> = { host: hostValue(spec.host, FAKE_PORT, spec.extra).trim() };
  if (spec.origin !== undefined) headers.origin = spec.origin;
  let body: Buffer = Buffer.from(spec.transport === 'signed' ? spec.body : '');
  /** Set for a genuine, fresh signature: the nonce its answer must be proven with. */
  let nonce: string | undefined;
  if (spec.transport === 'bearer') {
    headers.authorization = spec.useOldMaster ? tokenFor(spec.profile, OLD_MASTER) : authValue(spec.auth, spec.profile).trim();
  } else {
    const signed = { method: method ?? 'GET', path: url, body };
    const sign = (token: string, request: typeof signed, at = NOW): string => signRequest(token, request, at).authorization;
    let authorization: string | undefined;
    switch (spec.signature) {
      case 'valid': {
        const made = signRequest(CHANNEL_TOKEN, signed, NOW);
        [authorization, nonce] = [made.authorization, made.nonce];
        break;
      }
      case 'replayed':
        if (state.used) ({ method, url, body, authorization } = state.used);
        else {
          const made = signRequest(CHANNEL_TOKEN, signed, NOW);
          [authorization, nonce] = [made.authorization, made.nonce];
        }
        break;
      case 'other-token':
        authorization = sign(`${CHANNEL_TOKEN}x`, signed);
        break;
      case 'other-path':
        authorization = sign(CHANNEL_TOKEN, { ...signed, path: `${url}x` });
        break;
      case 'other-body':
        authorization = sign(CHANNEL_TOKEN, { ...signed, body: Buffer.concat([body, Buffer.from(' ')]) });
        break;
      case 'other-method':
        authorization = sign(CHANNEL_TOKEN, { ...signed, method: signed.method.toUpperCase() === 'GET' ? 'POST' : 'GET' });
        break;
      case 'stale':
        authorization = sign(CHANNEL_TOKEN, signed, NOW - 60_001);
        break;
      case 'future':
        authorization = sign(CHANNEL_TOKEN, signed, NOW + 60_001);
        break;
      case 'missing':
        break;
      case 'bearer':
        authorization = `Bearer ${CHANNEL_TOKEN}`;
        break;
      case 'random':
        authorization = spec.extra;
        break;
      case 'mac-flip': {
        const good = sign(CHANNEL_TOKEN, signed);
        authorization = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
        break;
      }
    }
    if (authorization !== undefined) headers.authorization = authorization;
    // Refused before the signature is looked at (not one well-formed request of the channel): the nonce stays unused.
    if (!wellFormedFrame(method ?? '', url, authorization, body)) nonce = undefined;
    if (nonce !== undefined && authorization !== undefined) state.used = { method, url, body, authorization };
  }
  const started = performance.now();
  const answer =
    spec.transport === 'bearer'
      ? await within(ANSWER_BOUND_MS, 'the handler', () =>
          callHandler(credentialRequestHandler(options, { allowedHosts: () => [`127.0.0.1:${FAKE_PORT}`, `localhost:${FAKE_PORT}`], master: () => state.master }), {
            method,
            url: spec.noUrl && url === '/' ? undefined : url,
            headers,
            body,
          }),
        )
      : await within(ANSWER_BOUND_MS, 'the app channel', () => callChannel(state.verifier, { method: method ?? '', url, authorization: headers.authorization, body }));
  memoryTally.time(performance.now() - started);
  memoryTally.count(`${spec.transport}-${answer.status}`);

  const requestText = JSON.stringify([url, headers, body.toString('utf8')]);
  const { keyId } = assertAnswerBody(answer.status, answer.body, requestText, `${spec.transport} ${answer.status}`);
  const proof = answer.headers[PROOF_HEADER];
  if (spec.transport === 'bearer') {
    const authorized = (profile: string): boolean => spec.origin === undefined && method === 'GET' && allowedHostsFake().includes(headers.host ?? '') && (headers.authorization ?? '').replace(/^Bearer /, '') === tokenFor(profile);
    for (const profile of reached) if (!authorized(profile)) throw new Error(`the session layer was asked for ${JSON.stringify(profile)} without that profile's token`);
    if (answer.status === 200) {
      const profile = servedByKeyId.get(keyId ?? '');
      if (profile === undefined || !authorized(profile)) throw new Error('credentials without the right token');
    }
    if (proof !== undefined) throw new Error('a bearer answer carries an app channel proof');
  } else {
    // The first use of a genuine signature is answered and proven; anything else is refused unproven.
    const accepted = nonce !== undefined;
    if (!wellFormedFrame(method ?? '', url, headers.authorization, body)) {
      // Not one well-formed request of the channel: refused before any signature check.
      if (answer.status !== 400 || proof !== undefined || reached.length > 0 || verified.length > 0 || consoled.length > 0) throw new Error(`a malformed app channel request was answered ${answer.status}`);
    } else if (!accepted) {
      if (answer.status !== 403 || proof !== undefined || reached.length > 0 || verified.length > 0 || consoled.length > 0) throw new Error(`an unsigned/forged/replayed request was answered ${answer.status} (proof: ${String(proof)})`);
    } else if (typeof proof !== 'string' || nonce === undefined || !verifyResponse(CHANNEL_TOKEN, nonce, answer.status, answer.body, proof)) {
      throw new Error(`a genuine request got an answer without a valid proof (${answer.status})`);
    } else if (urlThrows(url) && answer.status !== 404) {
      // A genuine request for a target that does not parse: an unknown path, proven.
      throw new Error(`an unparsable URL was answered ${answer.status}`);
    }
  }
  // A console link is made only for a profile name, and only for the app channel.
  if (consoled.some((profile) => !PROFILE_NAME.test(profile)) || (consoled.length > 0 && spec.transport === 'bearer')) throw new Error(`a console link was made for ${JSON.stringify(consoled)} (${spec.transport})`);
  if (answer.status === 500 && !reached.includes('explodes') && !consoled.includes('explodes')) throw new Error('an unexpected 500');
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('Object.prototype was polluted');
}

const allowedHostsFake = (): string[] => [`127.0.0.1:${FAKE_PORT}`, `localhost:${FAKE_PORT}`];

describe('credential request handler in memory', () => {
  it(
    `requests no HTTP parser would deliver, tokens of an old master, and app channel signatures (${MEMORY_RUNS})`,
    async () => {
      const state: MemoryState = { master: MASTER, verifier: new ChannelRequestVerifier(() => CHANNEL_TOKEN, () => NOW), used: undefined };
      await fc.assert(
        fc.asyncProperty(memoryRequestSpec, async (spec) => {
          await oneMemoryRequest(spec, state);
        }),
        { numRuns: MEMORY_RUNS },
      );
      console.info(memoryTally.summary('credential handler, in memory'));
      expect(memoryTally.get('signed-200')).toBeGreaterThan(100);
      expect(memoryTally.get('bearer-200')).toBeGreaterThan(100);
    },
    120_000,
  );

  it('a token derived from a rotated-away master opens nothing, whatever the profile', async () => {
    const handler = credentialRequestHandler(options, { allowedHosts: allowedHostsFake, master: () => MASTER });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...KNOWN), profileName), fc.boolean(), async (profile, bearer) => {
        reached.length = 0;
        const token = tokenFor(profile, OLD_MASTER);
        const answer = await callHandler(handler, { method: 'GET', url: `/profiles/${encodeURIComponent(profile)}`, headers: { host: `127.0.0.1:${FAKE_PORT}`, authorization: bearer ? `Bearer ${token}` : token }, body: Buffer.alloc(0) });
        expect(answer.status).not.toBe(200);
        expect(reached).toEqual([]);
      }),
      { numRuns: 500 },
    );
  }, 30_000);
});
