import { UserFacingError } from '../user-facing-error.js';

/**
 * Turns what AWS STS (or the network) said into a sentence a person can act on, per the error
 * table of the design. The sentence names the key id, device, role or endpoint involved, never a
 * secret.
 */
export interface StsCallContext {
  operation: 'GetSessionToken' | 'AssumeRole' | 'GetCallerIdentity';
  /** The endpoint the call went to, for network errors. */
  endpoint: string;
  accessKeyId?: string | undefined;
  /** True when the call was made with temporary (session) credentials. */
  temporaryCredentials?: boolean | undefined;
  roleArn?: string | undefined;
  mfaSerial?: string | undefined;
  durationSeconds?: number | undefined;
}

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

const NETWORK_CODES: Record<string, (ctx: StsCallContext, host: string) => string> = {
  ECONNREFUSED: (ctx) =>
    `Cannot connect to the STS endpoint ${ctx.endpoint}: the connection was refused. If you point AWS Auth Tray at a custom endpoint (AWS_ENDPOINT_URL_STS or endpoint_url), check that it is running.`,
  ENOTFOUND: (_ctx, host) => `Cannot find the STS endpoint ${host}: the DNS lookup failed. Check your network connection or VPN.`,
  EAI_AGAIN: (_ctx, host) => `Cannot find the STS endpoint ${host}: the DNS lookup failed. Check your network connection or VPN.`,
  ECONNRESET: (ctx) => `AWS STS is not answering at ${ctx.endpoint}: the connection was dropped. Try again in a minute; if it keeps happening, check your network or proxy.`,
  ETIMEDOUT: (ctx) => `AWS STS is not answering at ${ctx.endpoint}: the connection timed out. Check your network connection or VPN.`,
  TimeoutError: (ctx) => `AWS STS is not answering at ${ctx.endpoint}: no response in time. Check your network connection or VPN, then try again.`,
  RequestTimeout: (ctx) => `AWS STS is not answering at ${ctx.endpoint}: no response in time. Check your network connection or VPN, then try again.`,
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

  const network = NETWORK_CODES[code] ?? (typeof e.code === 'string' ? NETWORK_CODES[e.code] : undefined);
  if (network) return { code: 'network', sentence: network(ctx, hostOf(ctx.endpoint)) };

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
      return { code, sentence: `AWS STS is not answering at ${ctx.endpoint}: it kept throttling requests (Rate exceeded) after ${e.$metadata?.attempts ?? 'several'} attempts. Try again in a minute.` };
    default:
      if (status !== undefined && status >= 500) {
        return { code, sentence: `AWS STS is not answering at ${ctx.endpoint}: it failed with ${code} (HTTP ${status}) after ${e.$metadata?.attempts ?? 'several'} attempts. Try again in a minute.` };
      }
      return { code, sentence: `AWS STS answered ${ctx.operation} with ${code}: ${message}` };
  }
}

export function stsUserFacingError(error: unknown, ctx: StsCallContext): UserFacingError {
  const { code, sentence } = stsErrorSentence(error, ctx);
  return new UserFacingError(code, sentence, { cause: error });
}
