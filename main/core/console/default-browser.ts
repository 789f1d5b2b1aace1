import { spawn } from 'node:child_process';
import { UserFacingError } from '../user-facing-error.js';

/**
 * Opens a URL in the person's default browser from the command line, without a shell: the URL is
 * one argument of `xdg-open` (Linux and other Unixes), `open` (macOS) or
 * `rundll32 url.dll,FileProtocolHandler` (Windows), so nothing in it is interpreted by a shell.
 * The opener is started detached and left to run; the sentence on failure never quotes the URL.
 */

export function browserCommand(platform: NodeJS.Platform, url: string): { file: string; args: string[] } {
  if (platform === 'darwin') return { file: 'open', args: [url] };
  if (platform === 'win32') return { file: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  return { file: 'xdg-open', args: [url] };
}

export function openInDefaultBrowser(url: string, options: { platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const { file, args } = browserCommand(options.platform ?? process.platform, url);
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(file, args, { stdio: 'ignore', detached: true, shell: false, windowsHide: true, env: options.env ?? process.env });
    } catch {
      reject(failure(file));
      return;
    }
    child.once('error', () => reject(failure(file)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

function failure(file: string): UserFacingError {
  return new UserFacingError('browser-unavailable', `Could not start ${file} to open your default browser; run the command again with --print-url and open the link yourself.`);
}
