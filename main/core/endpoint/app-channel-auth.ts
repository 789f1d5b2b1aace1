import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytesOfTheSystem } from './system-random.js';

/**
 * Mutual authentication on the app channel, so that neither end has to trust the socket's
 * location alone (on Windows any process may create the named pipe first). Both ends hold the
 * channel token (a file only the user can read); it never crosses the channel.
 *
 * - The command line signs each request: a fresh nonce, the time, and an HMAC-SHA256 under the
 *   token over the method, path, body digest, time and nonce. The app accepts a request only
 *   within a minute of its time and only once per nonce (no replay).
 * - The app signs each answer: an HMAC over the request's nonce, the status and the body
 *   digest. The command line trusts no byte of an answer without it, so an impostor that
 *   cannot read the token cannot answer, and its words never reach the user's terminal.
 *
 * SHA-256 and HMAC come from `@noble/hashes` (audited, pure JavaScript), not `node:crypto`: the
 * command line signs one request per credential_process call, on every AWS CLI command, and
 * loading `node:crypto` starts OpenSSL, which cost 15 ms of a call that should take as long as
 * starting Node.js (`npm run bench`). The nonce comes from the system's random source
 * (system-random.ts). A test checks both against `node:crypto`'s HMAC.
 */
export const CHANNEL_AUTH_SCHEME = 'AAT-HMAC-SHA256';
export const PROOF_HEADER = 'x-aws-auth-tray-proof';
const REQUEST_LABEL = 'aws-auth-tray app channel v1 request';
const RESPONSE_LABEL = 'aws-auth-tray app channel v1 response';
/** How far a request's time may be from the app's clock. */
export const MAX_SKEW_MS = 60_000;

function bytes(value: string | Buffer): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function base64url(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
}

function digest(body: string | Buffer): string {
  return base64url(sha256(bytes(body)));
}

export function mac(token: string, text: string): string {
  return base64url(hmac(sha256, bytes(token), bytes(text)));
}

/** Equal, compared in time that depends only on the length (which is public: a MAC's is fixed). */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export interface ChannelRequest {
  method: string;
  path: string;
  body: string | Buffer;
}

function requestText(request: ChannelRequest, time: number, nonce: string): string {
  return [REQUEST_LABEL, request.method.toUpperCase(), request.path, digest(request.body), String(time), nonce].join('\n');
}

/** The Authorization header for a request, and the nonce the answer must be signed with. */
export function signRequest(token: string, request: ChannelRequest, now = Date.now()): { authorization: string; nonce: string } {
  const nonce = base64url(randomBytesOfTheSystem(18));
  return { authorization: `${CHANNEL_AUTH_SCHEME} t=${now},n=${nonce},m=${mac(token, requestText(request, now, nonce))}`, nonce };
}

function parseAuthorization(header: string | undefined): { time: number; nonce: string; mac: string } | undefined {
  const match = /^AAT-HMAC-SHA256 t=(\d{1,16}),n=([A-Za-z0-9_-]{16,64}),m=([A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!match) return undefined;
  return { time: Number(match[1]), nonce: match[2] ?? '', mac: match[3] ?? '' };
}

/** The app's side: checks signatures, times and nonces. */
export class ChannelRequestVerifier {
  /** Nonces seen within the skew window, with when they expire. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly token: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The request's nonce when it is genuine, fresh and not a replay; otherwise undefined. */
  verify(header: string | undefined, request: ChannelRequest): string | undefined {
    const parsed = parseAuthorization(header);
    const token = this.token();
    if (!parsed || token === '') return undefined;
    const now = this.now();
    if (Math.abs(now - parsed.time) > MAX_SKEW_MS) return undefined;
    if (!same(parsed.mac, mac(token, requestText(request, parsed.time, parsed.nonce)))) return undefined;
    this.forgetExpired(now);
    if (this.seen.has(parsed.nonce)) return undefined;
    this.seen.set(parsed.nonce, parsed.time + MAX_SKEW_MS);
    return parsed.nonce;
  }

  private forgetExpired(now: number): void {
    // A nonce can be forgotten once its time is too old to be accepted at all.
    for (const [nonce, expires] of this.seen) if (expires < now) this.seen.delete(nonce);
  }
}

/** The app's signature on an answer to the request with `nonce`. */
export function signResponse(token: string, nonce: string, status: number, body: string | Buffer): string {
  return mac(token, [RESPONSE_LABEL, nonce, String(status), digest(body)].join('\n'));
}

/** The command line's check of an answer's signature. */
export function verifyResponse(token: string, nonce: string, status: number, body: string | Buffer, proof: string | undefined): boolean {
  return proof !== undefined && same(proof, signResponse(token, nonce, status, body));
}
