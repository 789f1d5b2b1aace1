import { describe, expect, it } from 'vitest';
import { stsErrorSentence, stsUserFacingError, type StsCallContext } from '../../../main/core/sts/sts-error-sentence.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';

/**
 * Every row of the design's "STS errors a person must understand" table, with errors shaped as
 * the AWS SDK v3 and Node's network stack throw them. Each sentence says what to do and names
 * the key id, device, role or endpoint involved; AWS's own message is quoted only where it adds
 * something the person needs (the clock times, a refusal the app cannot interpret).
 */

const ENDPOINT = 'https://sts.eu-west-1.amazonaws.com';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
const ROLE = 'arn:aws:iam::222222222222:role/engineer';
const USER = 'arn:aws:iam::111111111111:user/alice';
/** Stands for anything in AWS's message that the sentence should not repeat. */
const CANARY = 'CANARY-wJalrXUtnFEMI/K7MDENG';

const gst: StsCallContext = { operation: 'GetSessionToken', endpoint: ENDPOINT, accessKeyId: KEY_ID, mfaSerial: DEVICE, durationSeconds: 43_200 };
const assume: StsCallContext = { operation: 'AssumeRole', endpoint: ENDPOINT, accessKeyId: 'ASIAQEXAMPLE7SESSION', temporaryCredentials: true, roleArn: ROLE, durationSeconds: 7200 };
const whoami: StsCallContext = { operation: 'GetCallerIdentity', endpoint: ENDPOINT, accessKeyId: KEY_ID };

/** An error as @aws-sdk/client-sts throws it for an STS error response. */
function sdkError(name: string, message: string, httpStatusCode = 400, attempts = 1): Error & { $metadata: { httpStatusCode: number; attempts: number } } {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode, attempts } });
}

/** A Node network error as the SDK's HTTP handler passes it on. */
function networkError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

interface Row {
  row: string;
  error: unknown;
  ctx: StsCallContext;
  code: string;
  sentence: string;
  /** Whether AWS's own message is meant to be part of the sentence. */
  quotesMessage?: boolean;
}

const SIGNATURE_EXPIRED = 'Signature expired: 20260102T030000Z is now earlier than 20260102T031000Z (20260102T031500Z - 5 min.)';

const ROWS: Row[] = [
  {
    row: 'InvalidClientTokenId (long-term key)',
    error: sdkError('InvalidClientTokenId', `The security token included in the request is invalid. ${CANARY}`, 403),
    ctx: gst,
    code: 'InvalidClientTokenId',
    sentence: `AWS does not know the access key ${KEY_ID}: it was deleted or deactivated, or it belongs to another partition (aws-cn, aws-us-gov). Create a new access key in IAM and update the identity.`,
  },
  {
    row: 'InvalidClientTokenId (session credentials)',
    error: sdkError('InvalidClientTokenId', `The security token included in the request is invalid. ${CANARY}`, 403),
    ctx: assume,
    code: 'InvalidClientTokenId',
    sentence: 'AWS no longer accepts this session. Sign in again with a new MFA code.',
  },
  {
    row: 'SignatureDoesNotMatch (wrong secret)',
    error: sdkError(
      'SignatureDoesNotMatch',
      `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. ${CANARY}`,
      403,
    ),
    ctx: gst,
    code: 'SignatureDoesNotMatch',
    sentence: `The secret access key does not match the access key ${KEY_ID}. Enter the secret again, exactly as IAM showed it when the key was created.`,
  },
  {
    row: 'SignatureDoesNotMatch "Signature expired" (clock off by more than 5 minutes)',
    error: sdkError('SignatureDoesNotMatch', SIGNATURE_EXPIRED, 403),
    ctx: gst,
    code: 'ClockSkew',
    sentence: `Your computer's clock is more than 5 minutes off from AWS's, so AWS rejects the signed request (${SIGNATURE_EXPIRED}). Turn on automatic date and time, then try again.`,
    quotesMessage: true,
  },
  {
    row: 'SignatureDoesNotMatch "Signature not yet current"',
    error: sdkError('SignatureDoesNotMatch', 'Signature not yet current: 20260102T034000Z is still later than 20260102T032000Z (20260102T031500Z + 5 min.)', 403),
    ctx: whoami,
    code: 'ClockSkew',
    sentence:
      "Your computer's clock is more than 5 minutes off from AWS's, so AWS rejects the signed request (Signature not yet current: 20260102T034000Z is still later than 20260102T032000Z (20260102T031500Z + 5 min.)). Turn on automatic date and time, then try again.",
    quotesMessage: true,
  },
  {
    row: 'AccessDenied "invalid MFA one time pass code"',
    error: sdkError('AccessDenied', `MultiFactorAuthentication failed with invalid MFA one time pass code. ${CANARY}`, 403),
    ctx: gst,
    code: 'MfaCodeRejected',
    sentence: 'AWS rejected the MFA code. A code works only once and only for about 30 seconds: wait for the next code on your device and enter that one.',
  },
  {
    row: 'AccessDenied "unable to validate MFA code"',
    error: sdkError(
      'AccessDenied',
      `MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user. ${CANARY}`,
      403,
    ),
    ctx: gst,
    code: 'MfaDeviceMismatch',
    sentence: `The MFA device ${DEVICE} does not belong to this IAM user. Copy the device's ARN from the IAM console (your user → Security credentials → MFA) into the identity.`,
  },
  {
    row: 'AccessDenied on AssumeRole',
    error: sdkError('AccessDenied', `User: ${USER} is not authorized to perform: sts:AssumeRole on resource: ${ROLE} ${CANARY}`, 403),
    ctx: assume,
    code: 'AccessDenied',
    sentence: `${USER} may not assume ${ROLE}: the role's trust policy does not trust you (or requires MFA or an external id you did not give), or your IAM policies do not allow sts:AssumeRole on it. Ask the role's owner to check both.`,
  },
  {
    row: 'AccessDenied on AssumeRole, message without the caller',
    error: sdkError('AccessDenied', `Access denied ${CANARY}`, 403),
    ctx: assume,
    code: 'AccessDenied',
    sentence: `You may not assume ${ROLE}: the role's trust policy does not trust you (or requires MFA or an external id you did not give), or your IAM policies do not allow sts:AssumeRole on it. Ask the role's owner to check both.`,
  },
  {
    row: 'AccessDenied: GetSessionToken with session credentials',
    error: sdkError('AccessDenied', `Cannot call GetSessionToken with session credentials ${CANARY}`, 403),
    ctx: gst,
    code: 'AccessDenied',
    sentence: "These are temporary credentials; signing in needs your IAM user's long-term access key. Replace the identity's keys with the IAM user's own.",
  },
  {
    row: 'ExpiredToken',
    error: sdkError('ExpiredToken', `The security token included in the request is expired ${CANARY}`, 403),
    ctx: assume,
    code: 'ExpiredToken',
    sentence: 'The session has expired. Sign in again with a new MFA code.',
  },
  {
    row: 'ValidationError on DurationSeconds: role chaining (1 hour)',
    error: sdkError('ValidationError', `The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining. ${CANARY}`),
    ctx: assume,
    code: 'ValidationError',
    sentence:
      "Roles assumed from an MFA session last at most 1 hour (AWS's role-chaining limit), and 7200 seconds were asked for. Set the profile's duration to 3600 or less, or let the profile assume its role directly with its own MFA code for longer sessions.",
  },
  {
    row: "ValidationError on DurationSeconds: the role's maximum",
    error: sdkError('ValidationError', `The requested DurationSeconds exceeds the MaxSessionDuration set for this role. ${CANARY}`),
    ctx: { ...assume, temporaryCredentials: false, durationSeconds: 43_200 },
    code: 'ValidationError',
    sentence: `The role ${ROLE} allows shorter sessions than the 43200 seconds asked for. Lower the profile's duration, or raise the role's maximum session duration in IAM.`,
  },
  {
    row: 'ValidationError on DurationSeconds: MFA sessions 15 min – 36 h',
    error: sdkError('ValidationError', `1 validation error detected: Value '200000' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600 ${CANARY}`),
    ctx: { ...gst, durationSeconds: 200_000 },
    code: 'ValidationError',
    sentence: 'MFA sessions last from 15 minutes to 36 hours (900 to 129600 seconds); 200000 is outside that. Change the MFA session duration in settings.',
  },
  {
    row: 'ValidationError on DurationSeconds: role sessions 15 min – 12 h',
    error: sdkError('ValidationError', `1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900 ${CANARY}`),
    ctx: { ...assume, durationSeconds: 60 },
    code: 'ValidationError',
    sentence: "Role sessions last from 15 minutes to 12 hours (900 to 43200 seconds, and at most the role's maximum); 60 is outside that. Change the profile's duration.",
  },
  {
    row: 'Throttling after the SDK retried',
    error: sdkError('Throttling', `Rate exceeded ${CANARY}`, 400, 3),
    ctx: whoami,
    code: 'Throttling',
    sentence: `AWS STS is not answering at ${ENDPOINT}: it kept throttling requests (Rate exceeded) after 3 attempts. Try again in a minute.`,
  },
  {
    row: 'ThrottlingException without metadata',
    error: Object.assign(new Error(`Rate exceeded ${CANARY}`), { name: 'ThrottlingException' }),
    ctx: whoami,
    code: 'ThrottlingException',
    sentence: `AWS STS is not answering at ${ENDPOINT}: it kept throttling requests (Rate exceeded) after several attempts. Try again in a minute.`,
  },
  {
    row: '5xx (InternalFailure) after the SDK retried',
    error: sdkError('InternalFailure', `The request processing has failed because of an unknown error, exception or failure. ${CANARY}`, 500, 3),
    ctx: gst,
    code: 'InternalFailure',
    sentence: `AWS STS is not answering at ${ENDPOINT}: it failed with InternalFailure (HTTP 500) after 3 attempts. Try again in a minute.`,
  },
  {
    row: '5xx (503 ServiceUnavailable)',
    error: sdkError('ServiceUnavailable', `Service Unavailable ${CANARY}`, 503, 3),
    ctx: assume,
    code: 'ServiceUnavailable',
    sentence: `AWS STS is not answering at ${ENDPOINT}: it failed with ServiceUnavailable (HTTP 503) after 3 attempts. Try again in a minute.`,
  },
  {
    row: 'timeout (the SDK handler\'s TimeoutError)',
    error: Object.assign(new Error(`Request did not complete within 15000 ms ${CANARY}`), { name: 'TimeoutError' }),
    ctx: gst,
    code: 'network',
    sentence: `AWS STS is not answering at ${ENDPOINT}: no response in time. Check your network connection or VPN, then try again.`,
  },
  {
    row: 'timeout (ETIMEDOUT)',
    error: networkError('ETIMEDOUT', `connect ETIMEDOUT 52.94.0.1:443 ${CANARY}`),
    ctx: gst,
    code: 'network',
    sentence: `AWS STS is not answering at ${ENDPOINT}: the connection timed out. Check your network connection or VPN.`,
  },
  {
    row: 'connection reset (ECONNRESET)',
    error: networkError('ECONNRESET', `socket hang up ${CANARY}`),
    ctx: gst,
    code: 'network',
    sentence: `AWS STS is not answering at ${ENDPOINT}: the connection was dropped. Try again in a minute; if it keeps happening, check your network or proxy.`,
  },
  {
    row: 'connection refused (ECONNREFUSED)',
    error: networkError('ECONNREFUSED', `connect ECONNREFUSED 127.0.0.1:4566 ${CANARY}`),
    ctx: { ...gst, endpoint: 'http://127.0.0.1:4566' },
    code: 'network',
    sentence:
      'Cannot connect to the STS endpoint http://127.0.0.1:4566: the connection was refused. If you point AWS Auth Tray at a custom endpoint (AWS_ENDPOINT_URL_STS or endpoint_url), check that it is running.',
  },
  {
    row: 'connection refused on IPv4 and IPv6 (Node 20 AggregateError)',
    error: Object.assign(new AggregateError([networkError('ECONNREFUSED', 'connect ECONNREFUSED ::1:4566'), networkError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4566')], CANARY), {
      code: 'ECONNREFUSED',
    }),
    ctx: { ...gst, endpoint: 'http://localhost:4566' },
    code: 'network',
    sentence:
      'Cannot connect to the STS endpoint http://localhost:4566: the connection was refused. If you point AWS Auth Tray at a custom endpoint (AWS_ENDPOINT_URL_STS or endpoint_url), check that it is running.',
  },
  {
    row: 'DNS failure (ENOTFOUND)',
    error: networkError('ENOTFOUND', `getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com ${CANARY}`),
    ctx: gst,
    code: 'network',
    sentence: 'Cannot find the STS endpoint sts.eu-west-1.amazonaws.com: the DNS lookup failed. Check your network connection or VPN.',
  },
  {
    row: 'DNS failure (EAI_AGAIN), endpoint with a port',
    error: networkError('EAI_AGAIN', `getaddrinfo EAI_AGAIN sts.internal.example ${CANARY}`),
    ctx: { ...gst, endpoint: 'https://sts.internal.example:8443/' },
    code: 'network',
    sentence: 'Cannot find the STS endpoint sts.internal.example:8443: the DNS lookup failed. Check your network connection or VPN.',
  },
  // What answers when the endpoint is not AWS STS, or not answering at all (shapes as probed
  // from @aws-sdk/client-sts 3 and Node 24 against misbehaving local servers).
  {
    row: 'an invalid endpoint URL ("TypeError: Invalid URL")',
    error: Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: CANARY }),
    ctx: { ...gst, endpoint: 'not a url', endpointSource: 'AWS_ENDPOINT_URL_STS' },
    code: 'endpoint-invalid',
    sentence:
      'The STS endpoint "not a url" (from AWS_ENDPOINT_URL_STS) is not a web address. Write it in full, like https://sts.eu-west-1.amazonaws.com (or http://127.0.0.1:4599 for the local STS emulator), or unset AWS_ENDPOINT_URL_STS to use AWS\'s own endpoint.',
  },
  {
    row: 'TLS to a plain-HTTP port (EPROTO wrong version number)',
    error: Object.assign(new Error(`write EPROTO 405DE2BE977F0000:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../deps/openssl/openssl/ssl/record/methods/tlsany_meth.c:77: ${CANARY}`), {
      code: 'EPROTO',
      $metadata: { attempts: 1 },
    }),
    ctx: { ...gst, endpoint: 'https://127.0.0.1:4599' },
    code: 'tls',
    sentence:
      'Cannot make a secure (https) connection to the STS endpoint https://127.0.0.1:4599: the server there does not speak TLS. If it is a plain-HTTP server, such as the local STS emulator, write its address with http:// instead; otherwise a proxy or firewall is in the way.',
  },
  {
    row: 'another TLS handshake failure (EPROTO)',
    error: networkError('EPROTO', `write EPROTO ...:SSL routines::sslv3 alert handshake failure ${CANARY}`),
    ctx: gst,
    code: 'tls',
    sentence: `Cannot make a secure (https) connection to the STS endpoint ${ENDPOINT}: the TLS handshake failed. A proxy or firewall may be in the way; check it, then try again.`,
  },
  {
    row: 'a TLS certificate this computer does not trust (a TLS-inspecting proxy)',
    error: networkError('SELF_SIGNED_CERT_IN_CHAIN', `self-signed certificate in certificate chain ${CANARY}`),
    ctx: gst,
    code: 'tls',
    sentence: `The STS endpoint ${ENDPOINT} presented a TLS certificate this computer does not trust (SELF_SIGNED_CERT_IN_CHAIN). If your network inspects TLS with its own certificate authority, ask its administrators how to trust it; otherwise do not use this network for AWS.`,
  },
  {
    row: 'an HTML page instead of XML ("XML parse error … inspect the hidden field {error}.$response")',
    error: Object.assign(
      new Error(`@aws-sdk XML parse error: mismatched tags <meta> and </head>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object. ${CANARY}`),
      { $metadata: { httpStatusCode: 200, attempts: 1 }, $response: { statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' } } },
    ),
    ctx: { ...gst, endpoint: 'http://127.0.0.1:8080', endpointSource: 'AWS_ENDPOINT_URL_STS' },
    code: 'not-sts',
    sentence:
      'The STS endpoint http://127.0.0.1:8080 did not answer like AWS STS (HTTP 200, a web page): a proxy, a Wi-Fi sign-in page or a wrong AWS_ENDPOINT_URL_STS is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.',
  },
  {
    row: 'a 403 web page from a proxy, at AWS\'s own endpoint',
    error: Object.assign(new Error(`@aws-sdk XML parse error: unexpected content. ${CANARY}`), {
      $metadata: { httpStatusCode: 403, attempts: 1 },
      $response: { statusCode: 403, headers: { 'content-type': 'text/html' } },
    }),
    ctx: gst,
    code: 'not-sts',
    sentence: `The STS endpoint ${ENDPOINT} did not answer like AWS STS (HTTP 403, a web page): a proxy or a Wi-Fi sign-in page is answering instead. Sign in to the network in a browser, then try again.`,
  },
  {
    row: 'an answer without credentials (a page the XML parser accepted)',
    error: Object.assign(new Error(`STS answered without complete credentials ${CANARY}`), { name: 'IncompleteStsAnswer', $metadata: { httpStatusCode: 200 } }),
    ctx: { ...gst, endpointSource: 'AWS_ENDPOINT_URL' },
    code: 'not-sts',
    sentence: `The STS endpoint ${ENDPOINT} did not answer like AWS STS (HTTP 200): a proxy, a Wi-Fi sign-in page or a wrong AWS_ENDPOINT_URL is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.`,
  },
  {
    row: 'a 404 without an STS error ("NotFound: Unknown")',
    error: Object.assign(sdkError('NotFound', 'Unknown', 404), { $response: { statusCode: 404, headers: {} } }),
    ctx: { ...gst, endpointSource: 'AWS_ENDPOINT_URL_STS' },
    code: 'not-sts',
    sentence: `The STS endpoint ${ENDPOINT} did not answer like AWS STS (HTTP 404): a proxy, a Wi-Fi sign-in page or a wrong AWS_ENDPOINT_URL_STS is answering instead. Sign in to the network in a browser, or correct the endpoint, then try again.`,
  },
  {
    row: 'HTTP 501 without an STS error ("Unknown (HTTP 501)")',
    error: sdkError('Unknown', 'Unknown', 501, 1),
    ctx: { ...gst, endpointSource: 'AWS_ENDPOINT_URL_STS' },
    code: 'server-error',
    sentence: `AWS STS is not answering at ${ENDPOINT}: the server there failed with HTTP 501 (Not Implemented) and no STS error. If it is a proxy or a custom endpoint (AWS_ENDPOINT_URL_STS), check it; otherwise try again in a minute.`,
  },
  {
    row: 'HTTP 502 web page after the SDK retried',
    error: Object.assign(new Error(`@aws-sdk XML parse error: mismatched tags. ${CANARY}`), { $metadata: { httpStatusCode: 502, attempts: 3 } }),
    ctx: gst,
    code: 'server-error',
    sentence: `AWS STS is not answering at ${ENDPOINT}: the server there failed with HTTP 502 (Bad Gateway) and no STS error after 3 attempts. If a proxy is in the way, check it; otherwise try again in a minute.`,
  },
  {
    row: '5xx after a single attempt ("1 attempt", not "1 attempts")',
    error: sdkError('InternalFailure', `x ${CANARY}`, 500, 1),
    ctx: gst,
    code: 'InternalFailure',
    sentence: `AWS STS is not answering at ${ENDPOINT}: it failed with InternalFailure (HTTP 500) after 1 attempt. Try again in a minute.`,
  },
  {
    row: 'the overall deadline of one request, every attempt included',
    error: Object.assign(new Error(`Request aborted ${CANARY}`), { name: 'StsDeadlineExceeded' }),
    ctx: { ...gst, deadlineMs: 20_000 },
    code: 'network',
    sentence: `AWS STS is not answering at ${ENDPOINT}: no response within 20 seconds. Check your network connection or VPN, then try again.`,
  },
  {
    row: 'the overall deadline, under a second',
    error: Object.assign(new Error('Request aborted'), { name: 'StsDeadlineExceeded' }),
    ctx: { ...gst, deadlineMs: 700 },
    code: 'network',
    sentence: `AWS STS is not answering at ${ENDPOINT}: no response within 700 ms. Check your network connection or VPN, then try again.`,
  },
  // AWS refusals the app cannot interpret further: AWS's own words are the useful part.
  {
    row: 'AccessDenied on GetCallerIdentity (e.g. an SCP)',
    error: sdkError('AccessDenied', 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:GetCallerIdentity with an explicit deny in a service control policy', 403),
    ctx: whoami,
    code: 'AccessDenied',
    sentence: 'AWS denied GetCallerIdentity: User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:GetCallerIdentity with an explicit deny in a service control policy',
    quotesMessage: true,
  },
  {
    row: 'ValidationError not about the duration',
    error: sdkError('ValidationError', "1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"),
    ctx: assume,
    code: 'ValidationError',
    sentence:
      "AWS refused the AssumeRole request: 1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    quotesMessage: true,
  },
  {
    row: 'RegionDisabledException',
    error: sdkError('RegionDisabledException', `STS is not activated in this region for account:222222222222. ${CANARY}`, 403),
    ctx: assume,
    code: 'RegionDisabledException',
    sentence: 'STS is not enabled in this region for the account. Use another region for the profile, or activate STS in the region (IAM → Account settings).',
  },
  {
    row: 'an unknown 4xx error',
    error: sdkError('IDPRejectedClaim', 'Something new', 400),
    ctx: whoami,
    code: 'IDPRejectedClaim',
    sentence: 'AWS STS answered GetCallerIdentity with IDPRejectedClaim: Something new',
    quotesMessage: true,
  },
];

describe('stsErrorSentence: the design table', () => {
  it.each(ROWS)('$row', ({ error, ctx, code, sentence, quotesMessage }) => {
    const result = stsErrorSentence(error, ctx);
    expect(result).toEqual({ code, sentence });
    // A sentence a person can act on: complete, and never AWS's text where it was not meant to be.
    expect(sentence.length).toBeGreaterThan(30);
    if (!quotesMessage) expect(result.sentence).not.toContain(CANARY);
  });

  it('names what is involved: the access key id, the MFA device, the role, the endpoint', () => {
    const sentence = (error: unknown, ctx: StsCallContext): string => stsErrorSentence(error, ctx).sentence;
    expect(sentence(sdkError('InvalidClientTokenId', 'x', 403), gst)).toContain(KEY_ID);
    expect(sentence(sdkError('SignatureDoesNotMatch', 'x', 403), gst)).toContain(KEY_ID);
    expect(sentence(sdkError('AccessDenied', 'unable to validate MFA code', 403), gst)).toContain(DEVICE);
    expect(sentence(sdkError('AccessDenied', 'denied', 403), assume)).toContain(ROLE);
    expect(sentence(sdkError('ValidationError', 'DurationSeconds exceeds the MaxSessionDuration', 400), assume)).toContain(ROLE);
    for (const error of [sdkError('Throttling', 'Rate exceeded', 400, 3), sdkError('InternalFailure', 'x', 500, 3), networkError('ECONNREFUSED', 'x'), networkError('ETIMEDOUT', 'x')]) {
      expect(sentence(error, gst)).toContain(ENDPOINT);
    }
    expect(sentence(networkError('ENOTFOUND', 'x'), gst)).toContain('sts.eu-west-1.amazonaws.com');
  });

  it('says it plainly when the context lacks the key id, device, role or duration', () => {
    const bare: StsCallContext = { operation: 'AssumeRole', endpoint: ENDPOINT };
    expect(stsErrorSentence(sdkError('InvalidClientTokenId', 'x', 403), bare).sentence).toMatch(/^AWS does not know the access key: /);
    expect(stsErrorSentence(sdkError('SignatureDoesNotMatch', 'x', 403), bare).sentence).toMatch(/^The secret access key does not match the access key\. /);
    expect(stsErrorSentence(sdkError('AccessDenied', 'unable to validate MFA code', 403), bare).sentence).toMatch(/^The MFA device does not belong to this IAM user\. /);
    expect(stsErrorSentence(sdkError('AccessDenied', 'denied', 403), bare).sentence).toMatch(/^You may not assume the role: /);
    expect(stsErrorSentence(sdkError('ValidationError', 'role chaining DurationSeconds', 400), bare).sentence).toContain('and the requested seconds were asked for');
    expect(stsErrorSentence(sdkError('ValidationError', 'DurationSeconds exceeds the MaxSessionDuration', 400), bare).sentence).toMatch(/^The role allows shorter sessions than the requested seconds asked for\. /);
  });

  it('never puts a secret of the context into a sentence (the context carries only ids)', () => {
    // The context type has no secret fields; a caller passing extra properties must not leak them.
    const secret = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';
    for (const row of ROWS) {
      const ctx = { ...row.ctx, secretAccessKey: secret, sessionToken: `${secret}-token`, tokenCode: '123456' } as StsCallContext;
      const { sentence } = stsErrorSentence(row.error, ctx);
      expect(sentence).not.toContain(secret);
      expect(sentence).not.toContain('123456');
    }
  });

  it('copes with things that are not SDK errors', () => {
    expect(stsErrorSentence('boom', whoami)).toEqual({ code: 'Unknown', sentence: 'AWS STS answered GetCallerIdentity with Unknown: boom' });
    expect(stsErrorSentence(undefined, whoami).code).toBe('Unknown');
    expect(stsErrorSentence(null, whoami).code).toBe('Unknown');
    expect(stsErrorSentence(new Error('plain'), whoami)).toEqual({ code: 'Unknown', sentence: 'AWS STS answered GetCallerIdentity with Unknown: plain' });
  });
});

describe('stsUserFacingError', () => {
  it('wraps the sentence in a UserFacingError with the code and the original error as its cause', () => {
    const original = sdkError('ExpiredToken', 'The security token included in the request is expired', 403);
    const error = stsUserFacingError(original, assume);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'ExpiredToken', message: 'The session has expired. Sign in again with a new MFA code.', name: 'UserFacingError' });
    expect(error.cause).toBe(original);
  });
});
