import { UserFacingError } from '../user-facing-error.js';
import { invalidEndpointSentence } from './sts-endpoint.js';

/**
 * Turns what AWS STS (or the network) said into a sentence a person can act on, per the error
 * table of the design. The sentence names the key id, device, role or endpoint involved, never a
 * secret, and never the SDK's or OpenSSL's own words where they would only confuse (a TypeError,
 * an OpenSSL error string, advice to "inspect the hidden field {error}.$response").
 */
export interface StsCallContext {
  /** The AWS service called (default STS): IAM's calls (iam-gateway.ts) fail on the network the same way. */
  service?: 'STS' | 'IAM' | undefined;
  operation: 'GetSessionToken' | 'AssumeRole' | 'GetCallerIdentity' | IamOperation;
  /** The endpoint the call went to, for network errors. */
  endpoint: string;
  /** The setting the endpoint came from (AWS_ENDPOINT_URL_STS, ...); undefined for AWS's own. */
  endpointSource?: string | undefined;
  /** The request's overall deadline, every attempt included, for the sentence once it has passed. */
  deadlineMs?: number | undefined;
  accessKeyId?: string | undefined;
  /** True when the call was made with temporary (session) credentials. */
  temporaryCredentials?: boolean | undefined;
  roleArn?: string | undefined;
  mfaSerial?: string | undefined;
  durationSeconds?: number | undefined;
}

/** The IAM actions the app calls (iam-gateway.ts). */
export type IamOperation =
  | 'GetUser'
  | 'ListAccessKeys'
  | 'CreateAccessKey'
  | 'UpdateAccessKey'
  | 'DeleteAccessKey'
  | 'GetAccessKeyLastUsed'
  | 'ListMFADevices';

function svc(ctx: StsCallContext): string {
  return ctx.service ?? 'STS';
}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  /** The raw HTTP response the SDK could not read as STS's answer. */
  $response?: { headers?: Record<string, string | undefined> };
}

/** The name the gateway gives a request stopped by its overall deadline. */
export const DEADLINE_ERROR_NAME = 'StsDeadlineExceeded';
/** The name the gateway gives an answer that parsed but lacks what STS always sends. */
export const INCOMPLETE_ANSWER_ERROR_NAME = 'IncompleteStsAnswer';

/** Node's codes for a TLS certificate that this computer does not trust. */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function attempts(count: number | undefined): string {
  if (count === undefined) return 'several attempts';
  return `${count} attempt${count === 1 ? '' : 's'}`;
}

/** "20 seconds", "1 second", "700 ms". */
function duration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms} ms`;
  return `${ms / 1000} second${ms === 1000 ? '' : 's'}`;
}

function tlsSentence(code: string, message: string, ctx: StsCallContext): string | undefined {
  if (CERTIFICATE_CODES.has(code)) {
    return `The ${svc(ctx)} endpoint ${ctx.endpoint} presented a TLS certificate this computer does not trust (${code}). If your network inspects TLS with its own certificate authority, ask its administrators how to trust it; otherwise do not use this network for AWS.`;
  }
  if (code !== 'EPROTO' && !code.startsWith('ERR_SSL_')) return undefined;
  // OpenSSL reading a plain-HTTP answer as a TLS record: "wrong version number" (or, on older
  // OpenSSL, "packet length too long" / "http request").
  if (/wrong version number|packet length too long|http request/i.test(message)) {
    return `Cannot make a secure (https) connection to the ${svc(ctx)} endpoint ${ctx.endpoint}: the server there does not speak TLS. If it is a plain-HTTP server, such as the local STS emulator, write its address with http:// instead; otherwise a proxy or firewall is in the way.`;
  }
  return `Cannot make a secure (https) connection to the ${svc(ctx)} endpoint ${ctx.endpoint}: the TLS handshake failed. A proxy or firewall may be in the way; check it, then try again.`;
}

/**
 * An HTTP answer that carries no STS error the SDK could read: a web page, an empty or plain-text
 * body, or XML without the fields STS always sends. Something other than STS answered (a proxy,
 * a Wi-Fi sign-in page, a wrong endpoint), or a server failed without saying why.
 */
function notStsSentence(e: SdkErrorLike, ctx: StsCallContext): { code: string; sentence: string } {
  const status = e.$metadata?.httpStatusCode;
  const source = ctx.endpointSource;
  if (status !== undefined && status >= 500) {
    const after = (e.$metadata?.attempts ?? 1) > 1 ? ` after ${attempts(e.$metadata?.attempts)}` : '';
    const check = source ? `If it is a proxy or a custom endpoint (${source}), check it` : 'If a proxy is in the way, check it';
    return {
      code: 'server-error',
      sentence: `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: the server there failed with HTTP ${status} (${process.getBuiltinModule('node:http').STATUS_CODES[status] ?? 'unknown status'}) and no ${svc(ctx)} error${after}. ${check}; otherwise try again in a minute.`,
    };
  }
  const page = /html/i.test(e.$response?.headers?.['content-type'] ?? '') ? ', a web page' : '';
  const detail = status !== undefined ? ` (HTTP ${status}${page})` : '';
  return {
    code: 'not-sts',
    sentence: source
      ? `The ${svc(ctx)} endpoint ${ctx.endpoint} did not answer like AWS ${svc(ctx)}${detail}: a proxy, a Wi-Fi sign-in page or a wrong ${source} is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.`
      : `The ${svc(ctx)} endpoint ${ctx.endpoint} did not answer like AWS ${svc(ctx)}${detail}: a proxy or a Wi-Fi sign-in page is answering instead. Sign in to the network in a browser, then try again.`,
  };
}

const NETWORK_CODES: Record<string, (ctx: StsCallContext, host: string) => string> = {
  ECONNREFUSED: (ctx) =>
    `Cannot connect to the ${svc(ctx)} endpoint ${ctx.endpoint}: the connection was refused. If you point AWS Auth Tray at a custom endpoint (AWS_ENDPOINT_URL_${svc(ctx)} or endpoint_url), check that it is running.`,
  ENOTFOUND: (ctx, host) => `Cannot find the ${svc(ctx)} endpoint ${host}: the DNS lookup failed. Check your network connection or VPN.`,
  EAI_AGAIN: (ctx, host) => `Cannot find the ${svc(ctx)} endpoint ${host}: the DNS lookup failed. Check your network connection or VPN.`,
  ECONNRESET: (ctx) => `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: the connection was dropped. Try again in a minute; if it keeps happening, check your network or proxy.`,
  ETIMEDOUT: (ctx) => `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: the connection timed out. Check your network connection or VPN.`,
  TimeoutError: (ctx) => `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: no response in time. Check your network connection or VPN, then try again.`,
  RequestTimeout: (ctx) => `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: no response in time. Check your network connection or VPN, then try again.`,
};

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function durationSentence(message: string, ctx: StsCallContext): string {
  if (/role chaining/i.test(message)) {
    return `Roles assumed from an MFA session last at most 1 hour (AWS's role-chaining limit), and ${ctx.durationSeconds ?? 'the requested'} seconds were asked for. Set the profile's duration to 3600 or less, or let the profile assume its role directly with its own MFA code for longer sessions.`;
  }
  if (/MaxSessionDuration/i.test(message)) {
    return `${ctx.roleArn ? `The role ${ctx.roleArn}` : 'The role'} allows shorter sessions than the ${ctx.durationSeconds ?? 'requested'} seconds asked for. Lower the profile's duration, or raise the role's maximum session duration in IAM.`;
  }
  if (ctx.operation === 'GetSessionToken') {
    return `MFA sessions last from 15 minutes to 36 hours (900 to 129600 seconds); ${ctx.durationSeconds ?? 'the requested duration'} is outside that. Change the MFA session duration in settings.`;
  }
  return `Role sessions last from 15 minutes to 12 hours (900 to 43200 seconds, and at most the role's maximum); ${ctx.durationSeconds ?? 'the requested duration'} is outside that. Change the profile's duration.`;
}

export function stsErrorSentence(error: unknown, ctx: StsCallContext): { code: string; sentence: string } {
  const e = (error ?? {}) as SdkErrorLike;
  const code = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'Unknown';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const status = e.$metadata?.httpStatusCode;
  const key = ctx.accessKeyId ? ` ${ctx.accessKeyId}` : '';

  if (code === DEADLINE_ERROR_NAME) {
    return { code: 'network', sentence: `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: no response within ${ctx.deadlineMs !== undefined ? duration(ctx.deadlineMs) : 'the time allowed'}. Check your network connection or VPN, then try again.` };
  }
  if (e.code === 'ERR_INVALID_URL') return { code: 'endpoint-invalid', sentence: invalidEndpointSentence(ctx.endpoint, ctx.endpointSource) };

  const network = NETWORK_CODES[code] ?? (typeof e.code === 'string' ? NETWORK_CODES[e.code] : undefined);
  if (network) return { code: 'network', sentence: network(ctx, hostOf(ctx.endpoint)) };
  const tls = typeof e.code === 'string' ? tlsSentence(e.code, message, ctx) : undefined;
  if (tls) return { code: 'tls', sentence: tls };

  const unreadable = /XML parse error|Deserialization error/.test(message);
  const withoutStsError = status !== undefined && (code === 'Unknown' || message === 'Unknown');
  if (unreadable || withoutStsError || code === INCOMPLETE_ANSWER_ERROR_NAME) return notStsSentence(e, ctx);

  switch (code) {
    case 'InvalidClientTokenId':
      return ctx.temporaryCredentials
        ? { code, sentence: 'AWS no longer accepts this session. Sign in again with a new MFA code.' }
        : {
            code,
            sentence: `AWS does not know the access key${key}: it was deleted or deactivated, or it belongs to another partition (aws-cn, aws-us-gov). Create a new access key in IAM and update the identity.`,
          };
    case 'SignatureDoesNotMatch':
      if (/Signature (expired|not yet current)/i.test(message)) {
        return {
          code: 'ClockSkew',
          sentence: `Your computer's clock is more than 5 minutes off from AWS's, so AWS rejects the signed request (${message.replace(/\.$/, '')}). Turn on automatic date and time, then try again.`,
        };
      }
      return {
        code,
        sentence: `The secret access key does not match the access key${key}. Enter the secret again, exactly as IAM showed it when the key was created.`,
      };
    case 'ExpiredToken':
      return { code, sentence: 'The session has expired. Sign in again with a new MFA code.' };
    case 'AccessDenied':
      if (/invalid MFA one time pass code/i.test(message)) {
        return {
          code: 'MfaCodeRejected',
          sentence: 'AWS rejected the MFA code. A code works only once and only for about 30 seconds: wait for the next code on your device and enter that one.',
        };
      }
      if (/unable to validate MFA code/i.test(message)) {
        return {
          code: 'MfaDeviceMismatch',
          sentence: `${ctx.mfaSerial ? `The MFA device ${ctx.mfaSerial}` : 'The MFA device'} does not belong to this IAM user. Copy the device's ARN from the IAM console (your user → Security credentials → MFA) into the identity.`,
        };
      }
      if (/Cannot call GetSessionToken with session credentials/i.test(message)) {
        return { code, sentence: 'These are temporary credentials; signing in needs your IAM user\'s long-term access key. Replace the identity\'s keys with the IAM user\'s own.' };
      }
      if (ctx.operation === 'AssumeRole') {
        const who = /^User: (\S+) is not authorized/.exec(message)?.[1];
        return {
          code,
          sentence: `${who ?? 'You'} may not assume ${ctx.roleArn ?? 'the role'}: the role's trust policy does not trust you (or requires MFA or an external id you did not give), or your IAM policies do not allow sts:AssumeRole on it. Ask the role's owner to check both.`,
        };
      }
      return { code, sentence: `AWS denied ${ctx.operation}: ${message}` };
    case 'ValidationError':
      if (/DurationSeconds|durationSeconds/.test(message)) return { code, sentence: durationSentence(message, ctx) };
      return { code, sentence: `AWS refused the ${ctx.operation} request: ${message}` };
    case 'MalformedPolicyDocument':
    case 'MalformedPolicyDocumentException':
      return { code, sentence: `AWS refused the session policy: ${message}` };
    case 'RegionDisabledException':
      return { code, sentence: `STS is not enabled in this region for the account. Use another region for the profile, or activate STS in the region (IAM → Account settings).` };
    case 'Throttling':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return { code, sentence: `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: it kept throttling requests (Rate exceeded) after ${attempts(e.$metadata?.attempts)}. Try again in a minute.` };
    default:
      if (status !== undefined && status >= 500) {
        return { code, sentence: `AWS ${svc(ctx)} is not answering at ${ctx.endpoint}: it failed with ${code} (HTTP ${status}) after ${attempts(e.$metadata?.attempts)}. Try again in a minute.` };
      }
      return { code, sentence: `AWS ${svc(ctx)} answered ${ctx.operation} with ${code}: ${message}` };
  }
}

export function stsUserFacingError(error: unknown, ctx: StsCallContext): UserFacingError {
  const { code, sentence } = stsErrorSentence(error, ctx);
  return new UserFacingError(code, sentence, { cause: error });
}
