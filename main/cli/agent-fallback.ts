import { ABSENT, OUTDATED } from '../core/endpoint/app-channel-client.js';
import { isUserFacingError } from '../core/user-facing-error.js';

/**
 * What the command line does when asking the agent (the app or `serve`) failed before it
 * answered, and what it says: nobody listens (a stale socket: its own vault, without a word),
 * something that cannot prove it is the agent (say so, believe none of it, its own vault), the
 * agent went away mid-request or is a version without what was asked (say so, its own vault).
 * Undefined: not such a failure (the agent's own answer, e.g. a refusal, which the command
 * reports as it is).
 */
export function agentFallback(error: unknown): { warning: string | undefined } | undefined {
  if (!isUserFacingError(error)) return undefined;
  if (error.code === ABSENT) return { warning: undefined };
  if (error.code === 'app-channel-impostor') return { warning: error.message };
  if (error.code === 'app-channel-gone' || error.code === OUTDATED) return { warning: `${error.message} Using this command line's own vault instead.` };
  return undefined;
}
