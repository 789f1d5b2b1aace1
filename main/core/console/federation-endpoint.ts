import { resolveStsEndpoint } from '../sts/sts-endpoint.js';
import { UserFacingError } from '../user-facing-error.js';
import { CONSOLE_HOSTS, type ConsolePartition } from './console-partitions.js';

/**
 * Which federation endpoint signs a console session in: AWS's own for the partition
 * (https://signin.aws.amazon.com/federation), unless
 *
 * - AWS_AUTH_TRAY_FEDERATION_URL names one: the partition's own sign-in endpoint, or one on this
 *   machine (http or https on 127.0.0.1, ::1 or localhost: the STS emulator); or
 * - the STS endpoint is on this machine (the emulator, through AWS_ENDPOINT_URL_STS or a profile's
 *   endpoint_url): then `/federation` on that same origin, where the emulator serves it. The role
 *   session's credentials already go to that origin, so sending them there again exposes nothing new.
 *
 * Anything else (another host, a path or query added, credentials in the URL) is refused with a
 * sentence: this endpoint receives the role session's secret key.
 */

export const FEDERATION_URL_VARIABLE = 'AWS_AUTH_TRAY_FEDERATION_URL';
export const FEDERATION_PATH = '/federation';

export interface FederationEndpoint {
  /** Origin and path, no query: e.g. https://signin.aws.amazon.com/federation. */
  url: string;
  /** What chose it, for sentences. */
  source: typeof FEDERATION_URL_VARIABLE | 'the STS endpoint on this machine' | undefined;
  /** On this machine (the emulator): its origin may be opened in demo mode only. */
  loopback: boolean;
}

/** 127.0.0.0/8, ::1 and localhost: this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function checkConfigured(text: string, partition: ConsolePartition): FederationEndpoint {
  const signin = CONSOLE_HOSTS[partition].signin;
  const url = parse(text);
  const loopback = url !== undefined && isLoopbackHost(url.hostname);
  const shapeOk =
    url !== undefined &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash &&
    url.pathname === FEDERATION_PATH &&
    (loopback ? url.protocol === 'http:' || url.protocol === 'https:' : url.protocol === 'https:' && url.hostname === signin && !url.port);
  if (!url || !shapeOk) {
    throw new UserFacingError(
      'federation-url-invalid',
      `${FEDERATION_URL_VARIABLE} must be https://${signin}${FEDERATION_PATH}, or an http(s) address on this machine ending in ${FEDERATION_PATH} (the local STS emulator, e.g. http://127.0.0.1:4599${FEDERATION_PATH}); it is something else. Fix or unset it.`,
    );
  }
  return { url: `${url.origin}${FEDERATION_PATH}`, source: FEDERATION_URL_VARIABLE, loopback };
}

export function resolveFederationEndpoint(partition: ConsolePartition, region: string, env: NodeJS.ProcessEnv, stsEndpoint?: string): FederationEndpoint {
  const configured = env[FEDERATION_URL_VARIABLE];
  if (configured) return checkConfigured(configured, partition);
  const sts = parse(resolveStsEndpoint(stsEndpoint, env, region).url);
  if (sts && (sts.protocol === 'http:' || sts.protocol === 'https:') && isLoopbackHost(sts.hostname) && !sts.username && !sts.password) {
    return { url: `${sts.origin}${FEDERATION_PATH}`, source: 'the STS endpoint on this machine', loopback: true };
  }
  return { url: `https://${CONSOLE_HOSTS[partition].signin}${FEDERATION_PATH}`, source: undefined, loopback: false };
}

/**
 * The federation origins on this machine that this process's own settings name
 * (AWS_AUTH_TRAY_FEDERATION_URL, or the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL):
 * what a sign-in link made elsewhere (by the app, or serve) may point at besides AWS's own
 * sign-in hosts. A link to another origin on this machine is refused, whoever made it.
 */
export function loopbackFederationOrigins(env: NodeJS.ProcessEnv): string[] {
  const origins = new Set<string>();
  for (const text of [env[FEDERATION_URL_VARIABLE], env.AWS_ENDPOINT_URL_STS, env.AWS_ENDPOINT_URL]) {
    const url = text ? parse(text) : undefined;
    if (url && (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname) && !url.username && !url.password) origins.add(url.origin);
  }
  return [...origins];
}
