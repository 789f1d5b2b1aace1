import { consoleProfile } from '../core/console/console-profile.js';
import { checkedSignInUrl, consoleSignIn } from '../core/console/console-sign-in.js';
import type { FetchLike } from '../core/console/signin-token-client.js';
import type { Requester } from '../core/sessions/mfa-prompter.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import { UserFacingError } from '../core/user-facing-error.js';
import type { ExternalUrlPort } from './app-ports.js';
import type { VaultAccess } from './vault-access.js';

/**
 * "Open console" for a profile (window, tray, quick switcher): the role session's sign-in link
 * (core/console), opened in the default browser through the external-URL port (Electron's
 * shell.openExternal), never in an app window. The link carries a sign-in token: it is checked
 * against the allowlist, handed to the port and forgotten; it never reaches the renderer, a
 * notice or a log, and the action returns nothing.
 *
 * The STS emulator's federation endpoint (on this machine) is used only when `allowLoopback` is
 * set (demo mode and the test harness); otherwise a loopback endpoint is refused.
 */

export interface ConsoleOpenerOptions {
  /** Where AWS_AUTH_TRAY_FEDERATION_URL and AWS_ENDPOINT_URL_STS are read (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** The explicit STS endpoint the app's gateway uses, if any. */
  stsEndpoint?: string | undefined;
  /** Allow a federation endpoint on this machine (the emulator): demo mode and tests only. */
  allowLoopback?: boolean | undefined;
  fetch?: FetchLike | undefined;
}

export interface ConsoleOpenerDeps {
  vaultAccess: VaultAccess;
  sessions: SessionManager;
  externalUrl: ExternalUrlPort | undefined;
  options: ConsoleOpenerOptions;
}

export interface OpenConsoleRequest {
  destination?: string | undefined;
  region?: string | undefined;
}

export class ConsoleOpener {
  constructor(private readonly deps: ConsoleOpenerDeps) {}

  async open(profile: string, from: Requester['kind'] = 'window', request: OpenConsoleRequest = {}): Promise<void> {
    const { vaultAccess, externalUrl } = this.deps;
    vaultAccess.requireUnlocked();
    if (!externalUrl) throw new UserFacingError('console-no-browser', 'There is no browser to open the AWS console in here; use aws-auth-tray console <profile> --print-url instead.');
    const url = await this.link(profile, { kind: from, description: `open the AWS console for ${profile}` }, request);
    try {
      // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK -- the URL is made here, never taken from a page, and checkedSignInUrl() in link() lets through only https://<a partition's sign-in host>/federation?Action=login (or the emulator's origin in demo mode), tested by test/unit/core/console-url-allowlist.test.ts.
      await externalUrl.openExternal(url);
    } catch {
      // Not the OS's words: they may quote the link, which carries the sign-in token.
      throw new UserFacingError('console-open-failed', `Could not open the default browser for the AWS console of ${profile}; check that a default browser is set, or use aws-auth-tray console ${profile} --print-url.`);
    }
  }

  /**
   * The sign-in link itself, checked against the allowlist: for open() above, and for
   * `aws-auth-tray console` in a terminal, which asks the app over the app channel and opens (or
   * prints) the link there. It is a secret; it goes only to the browser or to that channel.
   */
  async link(profile: string, requester: Requester, request: OpenConsoleRequest = {}): Promise<string> {
    const { vaultAccess, sessions, options } = this.deps;
    vaultAccess.requireUnlocked();
    const target = consoleProfile(vaultAccess.vault, profile, (p, i) => sessions.regionOf(p, i));
    const signIn = await consoleSignIn({
      profile: target,
      region: request.region,
      destination: request.destination,
      env: options.env ?? process.env,
      stsEndpoint: options.stsEndpoint,
      fetch: options.fetch,
      allowLoopback: options.allowLoopback === true,
      credentials: () => sessions.getCredentials(profile, { requester }),
    });
    return checkedSignInUrl(signIn);
  }
}
