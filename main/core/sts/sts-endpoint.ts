import { UserFacingError } from '../user-facing-error.js';

/**
 * Which STS endpoint a call goes to, and where that came from, so a sentence can say both: an
 * explicit endpoint (a profile's endpoint_url), else the AWS SDK's standard overrides
 * AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL, else AWS's regional endpoint for the partition.
 */

export interface StsEndpoint {
  url: string;
  /** The setting it came from, for sentences; undefined for AWS's own endpoint. */
  source: 'endpoint_url' | 'AWS_ENDPOINT_URL_STS' | 'AWS_ENDPOINT_URL' | undefined;
}

function partitionSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  return 'amazonaws.com';
}

export function resolveStsEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv, region: string): StsEndpoint {
  if (explicit) return { url: explicit, source: 'endpoint_url' };
  if (env.AWS_ENDPOINT_URL_STS) return { url: env.AWS_ENDPOINT_URL_STS, source: 'AWS_ENDPOINT_URL_STS' };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  return { url: `https://sts.${region}.${partitionSuffix(region)}`, source: undefined };
}

/** The sentence for an endpoint that is not an http(s) URL (also used when the SDK finds one). */
export function invalidEndpointSentence(url: string, source: string | undefined): string {
  const from = source ? ` (from ${source})` : '';
  const instead = source ? `, or ${source === 'endpoint_url' ? 'remove' : 'unset'} ${source} to use AWS's own endpoint` : '';
  return `The STS endpoint "${url}"${from} is not a web address. Write it in full, like https://sts.eu-west-1.amazonaws.com (or http://127.0.0.1:4599 for the local STS emulator)${instead}.`;
}

/**
 * Refuses an endpoint the SDK could not call before it tries: "not a url" makes it throw
 * "TypeError: Invalid URL", and "localhost:4599" (no scheme) parses as a URL of scheme
 * "localhost:" and goes somewhere else entirely.
 */
export function checkStsEndpoint(endpoint: StsEndpoint): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(endpoint.url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) {
    throw new UserFacingError('endpoint-invalid', invalidEndpointSentence(endpoint.url, endpoint.source));
  }
}
