import { UserFacingError } from '../user-facing-error.js';
import { CONSOLE_HOSTS } from './console-partitions.js';
import { FEDERATION_PATH } from './federation-endpoint.js';

/**
 * The last check before a URL leaves the app for the browser (Electron's shell.openExternal, or
 * xdg-open / open / rundll32 from the command line): only a console sign-in link, i.e.
 * `https://<a partition's sign-in host>/federation?Action=login&...` on the default port, with no
 * credentials in it. In demo mode (and in tests) the STS emulator's own origin is allowed too,
 * given exactly (`http://127.0.0.1:4599`).
 *
 * The sentence never quotes the URL: it carries a sign-in token.
 */

const SIGNIN_HOSTS: ReadonlySet<string> = new Set(Object.values(CONSOLE_HOSTS).map((h) => h.signin));

export interface ConsoleUrlAllowlist {
  /** Origins allowed besides AWS's sign-in hosts (the emulator's, in demo mode). */
  extraOrigins?: readonly string[] | undefined;
}

export function isAllowedConsoleUrl(text: string, allow: ConsoleUrlAllowlist = {}): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password || url.hash || url.pathname !== FEDERATION_PATH) return false;
  if (url.searchParams.get('Action') !== 'login' || !url.searchParams.get('SigninToken')) return false;
  const aws = url.protocol === 'https:' && !url.port && SIGNIN_HOSTS.has(url.hostname);
  const extra = (allow.extraOrigins ?? []).includes(url.origin);
  return aws || extra;
}

export function checkConsoleUrl(text: string, allow: ConsoleUrlAllowlist = {}): string {
  if (!isAllowedConsoleUrl(text, allow)) {
    throw new UserFacingError(
      'console-url-refused',
      `AWS Auth Tray opens only AWS console sign-in links (https://${[...SIGNIN_HOSTS].join(', https://')}), and this one is not; nothing was opened. If you set AWS_AUTH_TRAY_FEDERATION_URL, unset it.`,
    );
  }
  return text;
}
