import { HttpRequest } from '@smithy/core/protocols';
import { Hash } from '@smithy/core/serde';
import { SignatureV4 } from '@smithy/signature-v4';
import type { KeyPair } from './sts-client.js';

/**
 * Hand-driven STS requests, signed by the SDK's own signer, for what the SDK client will not do
 * on purpose: sign with a skewed clock, presign a GET, tamper with a signed request.
 */
class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret);
  }
}

/** A request as the signer returns it. */
export type SignedHttpRequest = Awaited<ReturnType<SignatureV4['presign']>>;

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface SignOptions {
  signingDate?: Date;
  region?: string;
  service?: string;
  /** Presign into the query string (GET) instead of the Authorization header (POST). */
  presign?: { expiresIn: number };
}

export function formBody(params: Record<string, string>): string {
  return new URLSearchParams({ Version: '2011-06-15', ...params }).toString();
}

export async function signedStsRequest(endpoint: string, credentials: KeyPair, params: Record<string, string>, options: SignOptions = {}): Promise<SignedHttpRequest> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials,
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'sts',
    sha256: Sha256,
  });
  const signingDate = options.signingDate ?? new Date();
  if (options.presign) {
    const request = new HttpRequest({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: Object.fromEntries(new URLSearchParams(formBody(params))),
      headers: { host: url.host },
    });
    return signer.presign(request, { signingDate, expiresIn: options.presign.expiresIn });
  }
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: formBody(params),
  });
  return signer.sign(request, { signingDate });
}

/** Send a prepared request with fetch and read the answer. */
export async function send(request: SignedHttpRequest): Promise<RawResponse> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== null) query.append(key, v);
  }
  const qs = query.toString();
  const url = `${request.protocol}//${request.hostname}:${request.port}${request.path}${qs ? `?${qs}` : ''}`;
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'host'));
  const response = await fetch(url, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: request.body as string } : {}),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Code and message of an AWS error document. */
export function errorOf(xml: string): { type: string | undefined; code: string | undefined; message: string | undefined; requestId: string | undefined } {
  const pick = (tag: string): string | undefined => new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
  return { type: pick('Type'), code: pick('Code'), message: pick('Message'), requestId: pick('RequestId') };
}
