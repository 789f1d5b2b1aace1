import { QueryError, queryErrors } from './query-errors.js';

/**
 * IAM's errors: the Query protocol front door's (query-errors.ts) plus the IAM refusals the
 * emulated actions meet, with the codes and HTTP statuses of the IAM model (NoSuchEntity 404,
 * LimitExceeded 409) and AWS's wording.
 */

/** AWS's quota of access keys per IAM user. */
export const ACCESS_KEYS_PER_USER = 2;

export const iamErrors = {
  ...queryErrors,
  noSuchUser: (userName: string) => new QueryError('NoSuchEntity', `The user with name ${userName} cannot be found.`, 404),
  noSuchAccessKey: (accessKeyId: string) => new QueryError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`, 404),
  accessKeyQuota: () => new QueryError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`, 409),
  /** A user-scoped action without UserName, called with role (non-user) credentials. */
  mustSpecifyUserName: () => new QueryError('ValidationError', 'Must specify userName when calling with non-User credentials', 400),
  /** No policy grants the action: AWS's implicit-deny wording. */
  notAuthorized: (callerArn: string, action: string, resource: string) =>
    new QueryError(
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`,
      403,
    ),
  /** A Deny statement matched (the force-MFA policy): AWS's explicit-deny wording. */
  explicitlyDenied: (callerArn: string, action: string, resource: string) =>
    new QueryError(
      'AccessDenied',
      `User: ${callerArn} is not authorized to perform: iam:${action} on resource: ${resource} with an explicit deny in an identity-based policy`,
      403,
    ),
} as const;
