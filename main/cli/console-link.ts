import { consoleProfile } from '../core/console/console-profile.js';
import { checkedSignInUrl, consoleSignIn } from '../core/console/console-sign-in.js';
import type { SigninCredentials } from '../core/console/signin-token-client.js';
import type { ConsoleLinkRequest } from '../core/endpoint/credential-routes.js';
import type { SessionManager } from '../core/sessions/session-manager.js';
import type { Vault } from '../core/vault/vault.js';
import { stsDeadlineMs } from './cli-context.js';

/**
 * A console sign-in link from the command line's own vault: `aws-auth-tray console` without an
 * agent, and `serve` answering it for other terminals. What the profile is, and whether the
 * region and destination fit it, is checked before `credentials` is asked (so a mistake costs no
 * passphrase, code or STS call); the link is checked against the console allowlist.
 */
export async function ownConsoleLink(input: {
  vault: Vault;
  sessions: SessionManager;
  env: NodeJS.ProcessEnv;
  profile: string;
  request: ConsoleLinkRequest;
  credentials: () => Promise<SigninCredentials>;
}): Promise<string> {
  const { vault, sessions, env, profile, request } = input;
  const target = consoleProfile(vault, profile, (p, i) => sessions.regionOf(p, i));
  const signIn = await consoleSignIn({
    profile: target,
    region: request.region,
    destination: request.destination,
    env,
    deadlineMs: stsDeadlineMs(env),
    credentials: input.credentials,
  });
  return checkedSignInUrl(signIn);
}
