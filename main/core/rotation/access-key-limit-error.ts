import type { AccessKeyInfo } from '../iam/iam-gateway.js';
import { UserFacingError } from '../user-facing-error.js';

/**
 * The IAM user already has two access keys (IAM's limit), so a rotation has no room for a new
 * one. Found from ListAccessKeys before anything is created; the sentence names the other key,
 * its status and age, and what to do. `otherKey` lets a window offer the way out: when it is
 * Inactive, rotating again with `deleteInactiveKey` deletes it first.
 */
export class AccessKeyLimitError extends UserFacingError {
  override name = 'AccessKeyLimitError';

  constructor(
    message: string,
    readonly otherKey: AccessKeyInfo,
  ) {
    super('access-key-limit', message);
  }
}
