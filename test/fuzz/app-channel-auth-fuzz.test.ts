/**
 * Fuzzing the app channel's mutual authentication (issue: property-based fuzzing, part
 * "endpoint request handling"), main/core/endpoint/app-channel-auth.ts.
 *
 * What this proves, 10,000 generated inputs per property:
 *
 * 1. No arbitrary Authorization header (random text, and headers shaped like the scheme with
 *    random time, nonce and MAC) is accepted by `ChannelRequestVerifier.verify`, for any request.
 * 2. A genuinely signed request verifies exactly once (a replay is refused), and every mutation
 *    of it (of the header: characters changed, inserted, deleted, case, spaces, fields reordered,
 *    duplicated or cut; of the request: method, path, body; of the signing token or the time
 *    beyond the allowed skew) is refused, unless the mutation is only another spelling of the
 *    very same signed request (method in another case, the body as a string rather than the
 *    same bytes, the time with leading zeros), which the model below recognizes and counts.
 *    The time window is exact: accepted within ±MAX_SKEW_MS, refused beyond.
 * 3. An answer's proof (`signResponse`) verifies (`verifyResponse`) for exactly the nonce, status,
 *    body and token it was made for: any change to one of them, or to the proof, is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_AUTH_SCHEME, ChannelRequestVerifier, MAX_SKEW_MS, signRequest, signResponse, verifyResponse, type ChannelRequest } from '../../main/core/endpoint/app-channel-auth.js';
import { Tally } from './fuzz-support.js';

const RUNS = 10_000;
const TOKEN = 'channel-token-fuzz-0123456789abcdefghijklmnopq';
const NOW = 1_800_000_000_000;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64 = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...B64.split('')), minLength: min, maxLength: max });

const channelRequest: fc.Arbitrary<ChannelRequest> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })),
  path: fc.oneof(fc.constantFrom('/profiles/dev', '/profiles/prod', '/verify', '/'), fc.string({ unit: 'binary', maxLength: 60 })),
  body: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 80 }), fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes))),
});

const bytesOf = (body: string | Buffer): Buffer => (typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
/** The same request as far as the signature goes: the method is signed upper-cased, the body as bytes. */
const sameRequest = (a: ChannelRequest, b: ChannelRequest): boolean => a.method.toUpperCase() === b.method.toUpperCase() && a.path === b.path && bytesOf(a.body).equals(bytesOf(b.body));

/** The header read the way the verifier must read it: the exact scheme, three fields in order. */
function fieldsOf(header: string): { time: number; nonce: string; mac: string } | undefined {
  const match = /^AAT-HMAC-SHA256 t=(\d{1,16}),n=([A-Za-z0-9_-]{16,64}),m=([A-Za-z0-9_-]{43})$/.exec(header);
  return match ? { time: Number(match[1]), nonce: match[2] ?? '', mac: match[3] ?? '' } : undefined;
}

describe('app channel authentication fuzzing', () => {
  it(
    `no arbitrary Authorization header verifies (${RUNS})`,
    () => {
      const verifier = new ChannelRequestVerifier(() => TOKEN, () => NOW);
      const shaped = fc
        .tuple(
          fc.constantFrom(CHANNEL_AUTH_SCHEME, 'aat-hmac-sha256', 'Bearer', `${CHANNEL_AUTH_SCHEME} `, ''),
          fc.oneof(fc.integer({ min: NOW - MAX_SKEW_MS, max: NOW + MAX_SKEW_MS }).map(String), fc.string({ unit: 'grapheme-ascii', maxLength: 18 })),
          fc.oneof(b64(16, 64), fc.string({ maxLength: 70 })),
          fc.oneof(b64(43, 43), fc.string({ maxLength: 50 })),
        )
        .map(([scheme, t, n, m]) => `${scheme} t=${t},n=${n},m=${m}`);
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ maxLength: 200 }), shaped, fc.constant(TOKEN), fc.constant(`Bearer ${TOKEN}`)), channelRequest, (header, request) => {
          expect(verifier.verify(header, request)).toBeUndefined();
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );

  type HeaderEdit =
    | { kind: 'replace'; at: number; char: string }
    | { kind: 'insert'; at: number; text: string }
    | { kind: 'delete'; at: number; length: number }
    | { kind: 'lowercase-scheme' | 'double-space' | 'trailing-space' | 'leading-space' | 'reorder' | 'duplicate-nonce' | 'zero-pad-time' | 'drop-mac' | 'tab' }
    | { kind: 'truncate'; length: number };
  type Mutation =
    | { on: 'header'; edit: HeaderEdit }
    | { on: 'method'; method: string }
    | { on: 'path'; path: string }
    | { on: 'body'; body: string | Buffer }
    | { on: 'body-flip'; at: number }
    | { on: 'token'; token: string }
    | { on: 'time'; offset: number };

  const headerEdit: fc.Arbitrary<HeaderEdit> = fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom(...B64.split(''), '0', '9', ',', '=', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('0', 'A', ',', ' ', '=', '\t'), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
    fc.constantFrom<HeaderEdit>({ kind: 'lowercase-scheme' }, { kind: 'double-space' }, { kind: 'trailing-space' }, { kind: 'leading-space' }, { kind: 'reorder' }, { kind: 'duplicate-nonce' }, { kind: 'zero-pad-time' }, { kind: 'drop-mac' }, { kind: 'tab' }),
    fc.record({ kind: fc.constant('truncate' as const), length: fc.nat() }),
  );
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ on: fc.constant('header' as const), edit: headerEdit }) },
    { weight: 1, arbitrary: fc.record({ on: fc.constant('method' as const), method: fc.oneof(fc.constantFrom('GET', 'get', 'POST', 'post', 'PUT', 'Get'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 })) }) },
    { weight: 1, arbitrary: fc.record({ on: fc.constant('path' as const), path: fc.oneof(fc.constantFrom('/profiles/dev', '/profiles/prod', '/verify', '/profiles/dev/', '/profiles/DEV'), fc.string({ unit: 'binary', maxLength: 40 })) }) },
    { weight: 1, arbitrary: fc.record({ on: fc.constant('body' as const), body: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))) }) },
    { weight: 1, arbitrary: fc.record({ on: fc.constant('body-flip' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ on: fc.constant('token' as const), token: fc.oneof(fc.constantFrom(`${TOKEN}x`, TOKEN.slice(1), TOKEN.toUpperCase(), ''), fc.string({ maxLength: 50 })) }) },
    { weight: 2, arbitrary: fc.record({ on: fc.constant('time' as const), offset: fc.oneof(fc.integer({ min: -3 * MAX_SKEW_MS, max: 3 * MAX_SKEW_MS }), fc.constantFrom(MAX_SKEW_MS, -MAX_SKEW_MS, MAX_SKEW_MS + 1, -MAX_SKEW_MS - 1)) }) },
  );

  function editHeader(header: string, edit: HeaderEdit): string {
    const at = (n: number): number => n % (header.length + 1);
    switch (edit.kind) {
      case 'replace':
        return header.slice(0, at(edit.at)) + edit.char + header.slice(at(edit.at) + 1);
      case 'insert':
        return header.slice(0, at(edit.at)) + edit.text + header.slice(at(edit.at));
      case 'delete':
        return header.slice(0, at(edit.at)) + header.slice(at(edit.at) + edit.length);
      case 'truncate':
        return header.slice(0, edit.length % header.length);
      case 'lowercase-scheme':
        return header.replace(CHANNEL_AUTH_SCHEME, CHANNEL_AUTH_SCHEME.toLowerCase());
      case 'double-space':
        return header.replace(' ', '  ');
      case 'trailing-space':
        return `${header} `;
      case 'leading-space':
        return ` ${header}`;
      case 'tab':
        return header.replace(' ', '\t');
      case 'reorder': {
        const [scheme, fields = ''] = header.split(' ');
        const [t, n, m] = fields.split(',');
        return `${scheme} ${[n, t, m].join(',')}`;
      }
      case 'duplicate-nonce':
        return header.replace(/,m=/, `,${/n=[^,]+/.exec(header)?.[0] ?? ''},m=`);
      case 'zero-pad-time':
        return header.replace('t=', 't=0');
      case 'drop-mac':
        return header.replace(/,m=.*$/, '');
    }
  }

  const tally = new Tally();

  it(
    `a signed request verifies exactly once; every mutation that changes what was signed is refused (${RUNS})`,
    () => {
      fc.assert(
        fc.property(channelRequest, fc.integer({ min: -MAX_SKEW_MS, max: MAX_SKEW_MS }), mutation, (request, skew, m) => {
          const started = performance.now();
          const verifier = new ChannelRequestVerifier(() => TOKEN, () => NOW);
          const signedAt = NOW + skew;
          const { authorization, nonce } = signRequest(TOKEN, request, signedAt);
          expect(authorization).not.toContain(TOKEN);

          let header = authorization;
          let presented: ChannelRequest = request;
          let genuine = true; // still a correct signature by the right token, at an acceptable time
          switch (m.on) {
            case 'header':
              header = editHeader(authorization, m.edit);
              break;
            case 'method':
              presented = { ...request, method: m.method };
              break;
            case 'path':
              presented = { ...request, path: m.path };
              break;
            case 'body':
              presented = { ...request, body: m.body };
              break;
            case 'body-flip': {
              const bytes = Buffer.from(bytesOf(request.body));
              if (bytes.length > 0) bytes[m.at % bytes.length] = (bytes[m.at % bytes.length] ?? 0) ^ 1;
              presented = { ...request, body: bytes.length > 0 ? bytes : 'x' };
              break;
            }
            case 'token':
              header = signRequest(m.token, request, signedAt).authorization;
              genuine = m.token === TOKEN;
              break;
            case 'time':
              header = signRequest(TOKEN, request, NOW + m.offset).authorization;
              genuine = Math.abs(m.offset) <= MAX_SKEW_MS;
              break;
          }
          const original = fieldsOf(authorization);
          const given = fieldsOf(header);
          const sameSignature = m.on === 'token' || m.on === 'time' ? genuine : given !== undefined && original !== undefined && given.time === original.time && given.nonce === original.nonce && given.mac === original.mac;
          const equivalent = sameSignature && sameRequest(presented, request);
          tally.count(equivalent ? `equivalent-${m.on}${m.on === 'header' ? `-${m.edit.kind}` : ''}` : `refused-${m.on}`);

          const first = verifier.verify(header, presented);
          if (equivalent) expect(first).toBe(m.on === 'token' || m.on === 'time' ? fieldsOf(header)?.nonce : nonce);
          else expect(first).toBeUndefined();
          // The genuine request verifies once (unless an equivalent spelling used its nonce), never twice.
          const second = verifier.verify(authorization, request);
          if (equivalent && m.on !== 'token' && m.on !== 'time') expect(second).toBeUndefined();
          else expect(second).toBe(nonce);
          expect(verifier.verify(authorization, request)).toBeUndefined();
          expect(verifier.verify(header, presented)).toBeUndefined();
          tally.time(performance.now() - started);
        }),
        { numRuns: RUNS },
      );
      console.info(tally.summary('app channel request signatures'));
    },
    60_000,
  );

  it(
    `an answer's proof verifies for exactly its nonce, status, body and token (${RUNS})`,
    () => {
      type Change = { what: 'nonce' | 'token' | 'proof'; text: string } | { what: 'status'; status: number } | { what: 'body'; body: string | Buffer } | { what: 'none' } | { what: 'body-as-bytes' };
      const change: fc.Arbitrary<Change> = fc.oneof(
        fc.record({ what: fc.constantFrom('nonce' as const, 'token' as const, 'proof' as const), text: fc.string({ unit: 'binary', maxLength: 50 }) }),
        fc.record({ what: fc.constant('status' as const), status: fc.integer({ min: 100, max: 599 }) }),
        fc.record({ what: fc.constant('body' as const), body: fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b))) }),
        fc.constantFrom<Change>({ what: 'none' }, { what: 'body-as-bytes' }),
      );
      fc.assert(
        fc.property(b64(16, 64), fc.integer({ min: 100, max: 599 }), fc.string({ unit: 'binary', maxLength: 120 }), change, (nonce, status, body, c) => {
          const proof = signResponse(TOKEN, nonce, status, body);
          expect(proof).not.toContain(TOKEN);
          expect(verifyResponse(TOKEN, nonce, status, body, proof)).toBe(true);
          expect(verifyResponse(TOKEN, nonce, status, body, undefined)).toBe(false);
          switch (c.what) {
            case 'none':
              return;
            case 'body-as-bytes':
              expect(verifyResponse(TOKEN, nonce, status, Buffer.from(body, 'utf8'), proof)).toBe(true);
              return;
            case 'nonce':
              expect(verifyResponse(TOKEN, c.text, status, body, proof)).toBe(c.text === nonce);
              return;
            case 'token':
              expect(verifyResponse(c.text, nonce, status, body, proof)).toBe(c.text === TOKEN);
              return;
            case 'proof':
              expect(verifyResponse(TOKEN, nonce, status, body, c.text)).toBe(c.text === proof);
              return;
            case 'status':
              expect(verifyResponse(TOKEN, nonce, c.status, body, proof)).toBe(c.status === status);
              return;
            case 'body':
              expect(verifyResponse(TOKEN, nonce, status, c.body, proof)).toBe(bytesOf(c.body).equals(Buffer.from(body, 'utf8')));
              return;
          }
        }),
        { numRuns: RUNS },
      );
    },
    60_000,
  );
});
