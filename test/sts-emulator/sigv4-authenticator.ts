import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Caller } from './caller.js';
import type { EmulatorClock } from './emulator-clock.js';
import { assumedRoleArn, type IamDirectory } from './iam-directory.js';
import type { IssuedCredentialStore } from './issued-credentials.js';
import { queryErrors } from './query-errors.js';

/**
 * Authenticates a request as AWS does: AWS Signature Version 4 in the Authorization header or in
 * a presigned query string, against the IAM users' access keys (as they are now: deleted,
 * inactive and not yet propagated keys are unknown) and the temporary credentials the emulator
 * issued (which also need their session token). The credential scope must name the answering
 * service (`sts`, `iam`) and, for a global service such as IAM, its signing region. Signatures
 * are recomputed with the AWS SDK's own signer (@smithy/signature-v4), restricted to exactly the
 * headers the caller signed, and compared in constant time.
 */

export interface SignedRequest {
  method: string;
  /** The path as sent, percent-encoded, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface AuthenticationContext {
  directory: IamDirectory;
  issued: IssuedCredentialStore;
  clock: EmulatorClock;
}

/** What the answering service requires of the credential scope. */
export interface ScopeRequirement {
  /** The service name the request must be signed for: `sts`, `iam`. */
  service: string;
  /** The regions it may be signed for; undefined: any (STS has regional endpoints). */
  regions?: readonly string[] | undefined;
}

/** An authenticated request: who sent it and the credential scope it was signed for. */
export interface Authenticated {
  caller: Caller;
  service: string;
  region: string;
}

/** AWS accepts a signing time up to five minutes either side of its own clock. */
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;
/**
 * STS accepts a presigned URL for 15 minutes after its X-Amz-Date whatever X-Amz-Expires says
 * (EKS tokens rely on this: kubernetes-sigs/aws-iam-authenticator signs with X-Amz-Expires=60).
 */
export const PRESIGNED_VALIDITY_MS = 15 * 60 * 1000;
const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const TOKEN_HEADER = 'x-amz-security-token';
const CONTENT_SHA256_HEADER = 'x-amz-content-sha256';
const QUERY_AUTH_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
];

class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

interface SignatureClaim {
  location: 'header' | 'query';
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  amzDate: string;
  signingDate: Date;
  signedHeaders: string[];
  signature: string;
  sessionToken: string | undefined;
  expiresSeconds: number | undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261126T150000Z` -> Date, or undefined when it is not that format. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseCredentialScope(credential: string, requirement: ScopeRequirement): Pick<SignatureClaim, 'accessKeyId' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p.length === 0)) {
    throw queryErrors.incompleteSignature(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== 'aws4_request') {
    throw queryErrors.signatureDoesNotMatch(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `);
  }
  if (service !== requirement.service) throw queryErrors.wrongScopeService(requirement.service);
  if (requirement.regions !== undefined && !requirement.regions.includes(region)) throw queryErrors.wrongScopeRegion(region);
  return { accessKeyId, scopeDate, region, service };
}

/**
 * The service a request was signed for (the credential scope's fourth element), read without
 * judging anything else, so that the emulator can route STS and IAM requests that share a port.
 */
export function signedForService(request: Pick<SignedRequest, 'headers' | 'query'>): string | undefined {
  const authorization = header(request.headers, 'authorization');
  const credential = authorization !== undefined ? /Credential=([^,\s]*)/.exec(authorization)?.[1] : (request.query.get('X-Amz-Credential') ?? undefined);
  const parts = credential?.split('/');
  return parts?.length === 5 ? parts[3] : undefined;
}

function claimFromHeader(request: SignedRequest, authorization: string, requirement: ScopeRequirement): SignatureClaim {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  if (algorithm !== ALGORITHM) {
    throw queryErrors.incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'; the service requires Signature Version 4 (${ALGORITHM}).`);
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders']
    .filter((name) => !fields.get(name))
    .map((name) => `Authorization header requires '${name}' parameter.`);
  const amzDate = header(request.headers, 'x-amz-date');
  if (!amzDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw queryErrors.incompleteSignature(missing.join(' '));
  return finishClaim('header', fields.get('Credential') ?? '', amzDate ?? '', fields.get('SignedHeaders') ?? '', fields.get('Signature') ?? '', header(request.headers, TOKEN_HEADER), undefined, requirement);
}

function claimFromQuery(request: SignedRequest, requirement: ScopeRequirement): SignatureClaim {
  const q = request.query;
  const required = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  if (required.some((name) => !q.get(name))) {
    throw queryErrors.incompleteSignature(
      `AWS query-string parameters must include ${required.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`,
    );
  }
  if (q.get('X-Amz-Algorithm') !== ALGORITHM) {
    throw queryErrors.incompleteSignature(`Unsupported AWS 'algorithm': '${q.get('X-Amz-Algorithm')}'; the service requires Signature Version 4 (${ALGORITHM}).`);
  }
  const expires = Number(q.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1) {
    throw queryErrors.incompleteSignature('X-Amz-Expires must be a whole number of seconds, 1 or more.');
  }
  return finishClaim('query', q.get('X-Amz-Credential') ?? '', q.get('X-Amz-Date') ?? '', q.get('X-Amz-SignedHeaders') ?? '', q.get('X-Amz-Signature') ?? '', q.get('X-Amz-Security-Token') ?? undefined, expires, requirement);
}

function finishClaim(
  location: SignatureClaim['location'],
  credential: string,
  amzDate: string,
  signedHeaders: string,
  signature: string,
  sessionToken: string | undefined,
  expiresSeconds: number | undefined,
  requirement: ScopeRequirement,
): SignatureClaim {
  const scope = parseCredentialScope(credential, requirement);
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    throw queryErrors.incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (scope.scopeDate !== amzDate.slice(0, 8)) {
    throw queryErrors.signatureDoesNotMatch(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  return {
    location,
    ...scope,
    amzDate,
    signingDate,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean),
    signature,
    sessionToken,
    expiresSeconds,
  };
}

function checkSigningTime(claim: SignatureClaim, clock: EmulatorClock): void {
  const now = clock.signatureNow();
  const signedAt = claim.signingDate.getTime();
  const nowText = formatAmzDate(now);
  if (signedAt > now.getTime() + SIGNATURE_WINDOW_MS) {
    throw queryErrors.signatureDoesNotMatch(
      `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + SIGNATURE_WINDOW_MS))} (${nowText} + 5 min.)`,
    );
  }
  const validity = claim.location === 'header' ? SIGNATURE_WINDOW_MS : PRESIGNED_VALIDITY_MS;
  if (signedAt < now.getTime() - validity) {
    throw queryErrors.signatureDoesNotMatch(
      `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - validity))} (${nowText} - ${validity / 60_000} min.)`,
    );
  }
}

/** Whom the access key id belongs to, with the checks AWS makes before it looks at the signature. */
function resolveCaller(claim: SignatureClaim, ctx: AuthenticationContext): { caller: Caller; secretAccessKey: string } {
  const longTerm = ctx.directory.findAccessKey(claim.accessKeyId);
  if (longTerm) {
    // An inactive key, or one IAM created moments ago and not yet propagated, is as good as
    // unknown; a session token makes no sense with long-term keys.
    if (longTerm.key.status !== 'Active' || claim.sessionToken !== undefined || !ctx.directory.isPropagated(longTerm.key, ctx.clock.now())) {
      throw queryErrors.invalidClientTokenId();
    }
    return {
      caller: {
        kind: 'user',
        user: longTerm.user,
        arn: ctx.directory.userArn(longTerm.user),
        account: longTerm.user.account,
        accessKeyId: claim.accessKeyId,
        mfaPresent: false,
      },
      secretAccessKey: longTerm.key.secretAccessKey,
    };
  }
  const issued = ctx.issued.find(claim.accessKeyId);
  if (!issued || claim.sessionToken === undefined || !constantTimeEqual(claim.sessionToken, issued.sessionToken)) {
    throw queryErrors.invalidClientTokenId();
  }
  if (issued.expiration.getTime() <= ctx.clock.now().getTime()) throw queryErrors.expiredToken();
  const { principal } = issued;
  const caller: Caller =
    principal.kind === 'user-session'
      ? {
          kind: 'user-session',
          user: principal.user,
          arn: ctx.directory.userArn(principal.user),
          account: principal.user.account,
          accessKeyId: claim.accessKeyId,
          mfaPresent: issued.mfaPresent,
          credentials: issued,
        }
      : {
          kind: 'role-session',
          role: principal.role,
          roleSessionName: principal.roleSessionName,
          arn: assumedRoleArn(principal.role, principal.roleSessionName),
          account: principal.role.arn.split(':')[4] ?? '',
          accessKeyId: claim.accessKeyId,
          mfaPresent: issued.mfaPresent,
          credentials: issued,
        };
  return { caller, secretAccessKey: issued.secretAccessKey };
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function safeDecodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Recompute the signature with the SDK's signer for each payload hash the caller may have used. */
async function signatureMatches(request: SignedRequest, claim: SignatureClaim, secretAccessKey: string): Promise<boolean> {
  const signed = new Set(claim.signedHeaders);
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.query) {
    if (claim.location === 'query' && QUERY_AUTH_PARAMS.includes(key)) continue;
    const existing = query[key];
    query[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const hostHeader = header(request.headers, 'host') ?? '';
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedPayloadHash = header(request.headers, CONTENT_SHA256_HEADER);

  // The payload hash the caller signed: the body's own hash (what SDKs send over HTTP), or
  // UNSIGNED-PAYLOAD. A claimed x-amz-content-sha256 that is neither can never match.
  const payloadHashes = signed.has(CONTENT_SHA256_HEADER)
    ? [claimedPayloadHash === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : bodyHash]
    : [bodyHash, UNSIGNED_PAYLOAD];

  const signer = new SignatureV4({
    credentials: {
      accessKeyId: claim.accessKeyId,
      secretAccessKey,
      // The signer adds the token (header or query) itself; only when the caller signed it.
      ...(claim.sessionToken !== undefined && (claim.location === 'query' || signed.has(TOKEN_HEADER))
        ? { sessionToken: claim.sessionToken }
        : {}),
    },
    region: claim.region,
    service: claim.service,
    sha256: Sha256,
    applyChecksum: false,
    uriEscapePath: true,
  });

  for (const payloadHash of payloadHashes) {
    const requestHeaders = { ...headers, [CONTENT_SHA256_HEADER]: payloadHash };
    const unsignable = new Set(signed.has(CONTENT_SHA256_HEADER) ? [] : [CONTENT_SHA256_HEADER]);
    const httpRequest = new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: hostHeader.replace(/:\d+$/, ''),
      path: safeDecodePath(request.path),
      query,
      headers: requestHeaders,
      body: request.body.length > 0 ? request.body : undefined,
    });
    let expected: string | undefined;
    if (claim.location === 'header') {
      const out = await signer.sign(httpRequest, {
        signingDate: claim.signingDate,
        signingRegion: claim.region,
        signingService: claim.service,
        signableHeaders: signed,
        unsignableHeaders: unsignable,
      });
      expected = /Signature=([0-9a-f]+)/.exec(String(out.headers.authorization))?.[1];
    } else {
      const out = await signer.presign(httpRequest, {
        signingDate: claim.signingDate,
        expiresIn: claim.expiresSeconds,
        signingRegion: claim.region,
        signingService: claim.service,
        signableHeaders: signed,
        unsignableHeaders: unsignable,
        unhoistableHeaders: new Set(Object.keys(requestHeaders)),
      });
      const value = out.query?.['X-Amz-Signature'];
      expected = typeof value === 'string' ? value : undefined;
    }
    if (expected !== undefined && constantTimeEqual(expected, claim.signature)) return true;
  }
  return false;
}

/** True when the request carries any form of AWS authentication at all. */
export function hasAuthentication(request: Pick<SignedRequest, 'headers' | 'query'>): boolean {
  return (
    request.headers.authorization !== undefined ||
    request.query.has('X-Amz-Algorithm') ||
    request.query.has('X-Amz-Credential') ||
    request.query.has('X-Amz-Signature')
  );
}

/** The caller behind a request signed for the required scope, or the QueryError AWS would answer with. */
export async function authenticate(request: SignedRequest, ctx: AuthenticationContext, requirement: ScopeRequirement = { service: 'sts' }): Promise<Authenticated> {
  const authorization = header(request.headers, 'authorization');
  if (!hasAuthentication(request)) throw queryErrors.missingAuthenticationToken();
  const claim = authorization !== undefined ? claimFromHeader(request, authorization, requirement) : claimFromQuery(request, requirement);
  const { caller, secretAccessKey } = resolveCaller(claim, ctx);
  checkSigningTime(claim, ctx.clock);
  if (!(await signatureMatches(request, claim, secretAccessKey))) throw queryErrors.signatureDoesNotMatch();
  return { caller, service: claim.service, region: claim.region };
}
