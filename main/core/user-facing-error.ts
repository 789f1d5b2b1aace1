/**
 * An error a person can act on: `message` is a complete sentence that says what happened and
 * what to do. It never contains a secret. `code` is stable for programs (and tests).
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isUserFacingError(error: unknown): error is UserFacingError {
  return error instanceof UserFacingError;
}
