import { agentCredentials, AppChannelClient } from '../core/endpoint/app-channel-client.js';
import { appChannelLocation } from '../core/endpoint/app-channel-location.js';
import { formatCredentials } from '../core/exports/credential-exports.js';
import { isUserFacingError } from '../core/user-facing-error.js';
import { PROFILE_NAME } from '../core/vault/profile-name.js';
import { agentFallback } from './agent-fallback.js';
import { EXIT_FAILED } from './cli-errors.js';
import { STANDALONE_VARIABLE } from './cli-variables.js';
import { printable } from './terminal-text.js';

/**
 * Without the agent, credential_process unlocks its own vault, and the key derivation is most of
 * its cost: main.ts starts it from here, this file already loaded, before the rest of the command
 * line loads (early-vault-key.ts). Nothing of it runs, or loads node:crypto, when the agent answers.
 */
export { startEarlyVaultKey } from './early-vault-key.js';
export { defaultVaultDir } from './vault-dir.js';
export { PASSPHRASE_VARIABLE } from './cli-variables.js';

/**
 * The hot path of the command line: `aws-auth-tray credential-process <profile>` answered by the
 * running agent (the app or `serve`). The AWS CLI and every SDK run it on each call that needs
 * credentials, so it should cost about what starting Node.js costs. It is bundled with the entry
 * (main.ts) into one CommonJS file (scripts/build-cli.ts), loads no command registry, vault,
 * schema library or AWS SDK, and signs its one request without `node:crypto` (app-channel-auth.ts).
 *
 * It answers only what it can answer exactly as the full command line would: the agent's
 * credentials, or the agent's own refusal in the command line's words (asking again would show
 * the popup twice). Anything else (no agent, a socket nobody answers on, something that cannot
 * prove it is the agent, the agent gone mid-request, a usage question) goes to the full command
 * line, which says what happened and falls back on its own vault.
 */

/** `credential-process <profile>` and nothing else, with the agent allowed: the only shape this path takes. */
export function isAgentFastPath(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.length === 2 && argv[0] === 'credential-process' && PROFILE_NAME.test(argv[1] ?? '') && env[STANDALONE_VARIABLE] !== '1';
}

/** The environment for the full command line once the agent failed (and that was said): its own vault. */
export function withoutAgent(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [STANDALONE_VARIABLE]: '1' };
}

export type FastPathOutcome =
  /** The agent answered (credentials, or its refusal in the command line's words). */
  | { exitCode: number }
  /** The full command line takes over: `withAgent` false when the agent failed (and it was said). */
  | { withAgent: boolean };

export async function credentialProcessFromAgent(profile: string, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<FastPathOutcome> {
  const { socketPath, tokenFile } = appChannelLocation(env);
  // No agent, or refused (another user's directory or token file: the full command line says so).
  const agent = AppChannelClient.connect(socketPath, tokenFile);
  if (!agent) return { withAgent: true };
  try {
    out.write(formatCredentials('json', agentCredentials(await agent.credentials(profile))));
    return { exitCode: 0 };
  } catch (error) {
    const fallback = agentFallback(error);
    if (fallback) {
      if (fallback.warning) err.write(`aws-auth-tray: ${printable(fallback.warning)}\n`);
      return { withAgent: false };
    }
    if (!isUserFacingError(error)) throw error;
    err.write(`aws-auth-tray: ${printable(error.message)}\n`);
    return { exitCode: EXIT_FAILED };
  }
}
