import envPaths from 'env-paths';
import { HOME_VARIABLE } from './cli-variables.js';

/** The command line's vault directory: AWS_AUTH_TRAY_HOME, else the platform's config directory. */
export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[HOME_VARIABLE] || envPaths('aws-auth-tray', { suffix: '' }).config;
}
