import envPaths from 'env-paths';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where the running app listens for the command line: a Unix socket in the user's runtime
 * directory (a named pipe on Windows), with a token file beside it that only the user can read.
 * AWS_AUTH_TRAY_APP_SOCKET overrides the location (tests, several app instances).
 */
export const APP_SOCKET_VARIABLE = 'AWS_AUTH_TRAY_APP_SOCKET';

function safeUserName(): string {
  try {
    return userInfo().username.replace(/[^\w.-]/g, '_');
  } catch {
    return 'user';
  }
}

export function appChannelPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env[APP_SOCKET_VARIABLE];
  if (override) return override;
  if (platform === 'win32') return `\\\\.\\pipe\\aws-auth-tray-${safeUserName()}`;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'aws-auth-tray', 'app.sock');
  // The shared temporary directory: both ends prove the folder in it is the user's own before
  // using it (private-directory.ts), since another user may have created it first.
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : safeUserName();
  return join(env.TMPDIR || tmpdir(), `aws-auth-tray-${uid}`, 'app.sock');
}

/** The token file: beside the socket; for a Windows pipe, in the given private directory. */
export function appChannelTokenPath(socketPath: string, privateDir: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(privateDir, 'app-channel.token') : join(dirname(socketPath), 'app.token');
}

/** The agent's channel as every side finds it: the socket (or pipe) and its token file in the user's config directory. */
export function appChannelLocation(env: NodeJS.ProcessEnv = process.env, socketPath: string = appChannelPath(env)): { socketPath: string; tokenFile: string } {
  // The config directory matters only for a Windows pipe's token (beside the socket elsewhere).
  const privateDir = process.platform === 'win32' ? envPaths('aws-auth-tray', { suffix: '' }).config : dirname(socketPath);
  return { socketPath, tokenFile: appChannelTokenPath(socketPath, privateDir) };
}
