/**
 * The errors the emulator answers with, worded and numbered as AWS STS words and numbers them.
 * Each becomes `ErrorResponse/Error/{Type,Code,Message}` with the HTTP status given here.
 */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'StsError';
  }

  /** AWS's `Type`: `Sender` for the caller's mistakes, `Receiver` for the service's. */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

const CALCULATED_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const stsErrors = {
  missingAuthenticationToken: () =>
    new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
  incompleteSignature: (message: string) => new StsError('IncompleteSignature', message, 400),
  invalidClientTokenId: () =>
    new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  signatureDoesNotMatch: (message: string = CALCULATED_SIGNATURE_MISMATCH) =>
    new StsError('SignatureDoesNotMatch', message, 403),
  // 403, as AWS STS answers it (aws/aws-sdk-java-v2#1649, pulumi/pulumi-aws#2560). The model's ExpiredTokenException
  // (400) is a different error, for expired web identity tokens.
  expiredToken: () => new StsError('ExpiredToken', 'The security token included in the request is expired', 403),
  invalidAction: (action: string, version: string) =>
    new StsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400),
  missingAction: () => new StsError('MissingAction', 'Missing Action', 400),
  validation: (message: string) => new StsError('ValidationError', message, 400),
  accessDenied: (message: string) => new StsError('AccessDenied', message, 403),
  notAuthorizedToAssume: (callerArn: string, roleArn: string) =>
    new StsError(
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    ),
  invalidMfaCode: () =>
    new StsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403),
  mfaDeviceNotCallers: () =>
    new StsError(
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code. ' +
        'Please verify your MFA serial number is valid and associated with this user.',
      403,
    ),
  throttling: () => new StsError('Throttling', 'Rate exceeded', 400),
  internalFailure: () =>
    new StsError(
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
      500,
    ),
  methodNotAllowed: (method: string) =>
    new StsError('MethodNotAllowed', `The HTTP method ${method} is not allowed; STS accepts GET and POST.`, 405),
  requestTooLarge: () => new StsError('RequestEntityTooLarge', 'Request body is too large.', 413),
} as const;
