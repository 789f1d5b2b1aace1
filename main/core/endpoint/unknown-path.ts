/**
 * The answer to a path the agent does not serve. The command line tells it apart by its code, or,
 * from agents older than the code, by these exact words: then it knows the agent is a version
 * without the route it asked for (`aws-auth-tray console` through an app that predates it), and
 * says so instead of quoting a sentence about paths.
 */
export const UNKNOWN_PATH_CODE = 'unknown-path';
export const UNKNOWN_PATH_MESSAGE = 'Unknown path: ask for /profiles/<profile name>.';

export function isUnknownPath(error: { code?: string; message: string }): boolean {
  return error.code === UNKNOWN_PATH_CODE || error.message === UNKNOWN_PATH_MESSAGE;
}
