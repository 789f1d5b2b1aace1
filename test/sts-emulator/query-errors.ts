/**
 * The errors of AWS's Query protocol front door, shared by STS and IAM (authentication, action,
 * parameter validation, throttling), worded and numbered as AWS words and numbers them. Each
 * becomes `ErrorResponse/Error/{Type,Code,Message}` with the HTTP status given here, in the
 * answering service's XML namespace. Service-specific errors live in sts-errors.ts and
 * iam-errors.ts.
 */
export class QueryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'QueryError';
  }

  /** AWS's `Type`: `Sender` for the caller's mistakes, `Receiver` for the service's. */
  get type(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

const CALCULATED_SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const queryErrors = {
  missingAuthenticationToken: () =>
    new QueryError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
  incompleteSignature: (message: string) => new QueryError('IncompleteSignature', message, 400),
  invalidClientTokenId: () =>
    new QueryError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  signatureDoesNotMatch: (message: string = CALCULATED_SIGNATURE_MISMATCH) =>
    new QueryError('SignatureDoesNotMatch', message, 403),
  /** A credential scope naming another service than the one answering (AWS's wording, trailing space included). */
  wrongScopeService: (service: string) =>
    new QueryError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `, 403),
  /** A credential scope naming a region a global service does not sign for (IAM: us-east-1). */
  wrongScopeRegion: (region: string) =>
    new QueryError('SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${region}'. `, 403),
  // 403, as AWS STS answers it (aws/aws-sdk-java-v2#1649, pulumi/pulumi-aws#2560). The model's ExpiredTokenException
  // (400) is a different error, for expired web identity tokens.
  expiredToken: () => new QueryError('ExpiredToken', 'The security token included in the request is expired', 403),
  invalidAction: (action: string, version: string) =>
    new QueryError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400),
  missingAction: () => new QueryError('MissingAction', 'Missing Action', 400),
  validation: (message: string) => new QueryError('ValidationError', message, 400),
  accessDenied: (message: string) => new QueryError('AccessDenied', message, 403),
  throttling: () => new QueryError('Throttling', 'Rate exceeded', 400),
  internalFailure: () =>
    new QueryError(
      'InternalFailure',
      'The request processing has failed because of an unknown error, exception or failure.',
      500,
    ),
  methodNotAllowed: (method: string) =>
    new QueryError('MethodNotAllowed', `The HTTP method ${method} is not allowed; the Query protocol accepts GET and POST.`, 405),
  requestTooLarge: () => new QueryError('RequestEntityTooLarge', 'Request body is too large.', 413),
} as const;
