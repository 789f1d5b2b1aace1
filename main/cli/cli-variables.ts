/** The environment variables the command line reads (its own; AWS's are the AWS SDK's). */
export const PASSPHRASE_VARIABLE = 'AWS_AUTH_TRAY_PASSPHRASE';
export const HOME_VARIABLE = 'AWS_AUTH_TRAY_HOME';
/** Set to 1 to ignore a running app and use the command line's own vault. */
export const STANDALONE_VARIABLE = 'AWS_AUTH_TRAY_STANDALONE';
/** How long one user action may wait on STS, every request and attempt included, in milliseconds (default 20 s). */
export const STS_DEADLINE_VARIABLE = 'AWS_AUTH_TRAY_STS_DEADLINE_MS';
