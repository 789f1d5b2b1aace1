import { QueryError, queryErrors } from './query-errors.js';

/**
 * STS's errors: the Query protocol front door's (query-errors.ts) plus STS's own AssumeRole and
 * MFA refusals, worded as AWS STS words them. `StsError` is the historical name of QueryError.
 */
export { QueryError as StsError } from './query-errors.js';

export const stsErrors = {
  ...queryErrors,
  notAuthorizedToAssume: (callerArn: string, roleArn: string) =>
    new QueryError(
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      403,
    ),
  invalidMfaCode: () =>
    new QueryError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403),
  mfaDeviceNotCallers: () =>
    new QueryError(
      'AccessDenied',
      'MultiFactorAuthentication failed, unable to validate MFA code. ' +
        'Please verify your MFA serial number is valid and associated with this user.',
      403,
    ),
  getSessionTokenWithSession: () => new QueryError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403),
  malformedPolicy: () => new QueryError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400),
} as const;
