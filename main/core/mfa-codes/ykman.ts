import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { UserFacingError } from '../user-facing-error.js';
import { quotedLine, runChild, sixDigits } from './child-run.js';
import { parseOathAccountList } from './oath-accounts.js';

/**
 * YubiKey Manager's command line (`ykman`), for OATH codes on a YubiKey: found on PATH (the
 * environment given, so tests point it at a stand-in), never through a shell.
 *
 * - `ykman oath accounts list`: the accounts (names only; no touch needed).
 * - `ykman oath accounts code --single <name>`: one account's code. ykman prefers an account
 *   whose whole name is the query, so a name that is part of another's is still read alone.
 *   For an account that requires touch, ykman first prints "Touch your YubiKey..." on stderr
 *   and waits; `onTouch` is called then, so the person is told while it waits.
 *
 * Each failure is a sentence: no YubiKey inserted, the account gone, a password on the OATH
 * application, no touch within the time limit, ykman missing or failing.
 */
export const YKMAN_LIST_TIMEOUT_MS = 15_000;
/** Long enough to find the key and touch it; then the person types the code instead. */
export const YKMAN_CODE_TIMEOUT_MS = 60_000;

export class YkmanFailed extends UserFacingError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** `ykman` (or `ykman.exe` on Windows) in a directory of PATH, as an absolute path. */
export function findYkman(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const path = env.PATH ?? env.Path ?? '';
  const names = platform === 'win32' ? ['ykman.exe', 'ykman.cmd', 'ykman.bat'] : ['ykman'];
  for (const dir of path.split(delimiter)) {
    // A relative PATH entry would make the current directory decide what runs.
    if (dir === '' || !isAbsolute(dir)) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (platform !== 'win32') accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** What ykman's error output means, as a sentence; undefined when it is none of the known failures. */
function knownFailure(stderr: string, account: string | undefined): YkmanFailed | undefined {
  const text = stderr.toLowerCase();
  if (text.includes('no yubikey detected') || text.includes('failed connecting to the yubikey') || text.includes('no yubikey found')) {
    return new YkmanFailed('yubikey-missing', 'No YubiKey is connected (ykman found none). Insert your YubiKey and try again, or type the code.');
  }
  if (text.includes('no matching account')) {
    return new YkmanFailed('yubikey-account-gone', `The YubiKey has no OATH account "${account ?? ''}" (any more). Check the accounts with: ykman oath accounts list; or type the code.`);
  }
  if (text.includes('multiple matches') || text.includes('more specific')) {
    return new YkmanFailed('yubikey-account-ambiguous', `More than one OATH account on the YubiKey matches "${account ?? ''}". Choose the identity's OATH account by its whole name, or type the code.`);
  }
  if (text.includes('password')) {
    return new YkmanFailed(
      'yubikey-password',
      "The YubiKey's OATH accounts are protected by a password, which AWS Auth Tray does not type for ykman. Run ykman oath access remember once on this computer, or type the code.",
    );
  }
  return undefined;
}

function unexpected(what: string, exitCode: number | null, stderr: string): YkmanFailed {
  const said = quotedLine(stderr);
  return new YkmanFailed('ykman-failed', `ykman could not ${what} (exit code ${exitCode ?? 'none'}${said ? `: "${said}"` : ''}). Type the code instead.`);
}

export interface YkmanOptions {
  env?: NodeJS.ProcessEnv | undefined;
  /** The ykman to run; by default the one on the environment's PATH. */
  path?: string | undefined;
}

export class Ykman {
  private constructor(
    readonly path: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** ykman on the environment's PATH; undefined when it is not installed. */
  static find(options: YkmanOptions = {}): Ykman | undefined {
    const env = options.env ?? process.env;
    const path = options.path ?? findYkman(env);
    return path === undefined ? undefined : new Ykman(path, env);
  }

  private async run(args: string[], what: string, timeoutMs: number, signal: AbortSignal | undefined, onStderr?: (text: string) => void) {
    try {
      return await runChild(this.path, args, { env: this.env, timeoutMs, signal, onStderr });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new YkmanFailed('ykman-missing', `ykman (YubiKey Manager) could not be started to ${what} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}). Install it, or type the code.`);
    }
  }

  /** The names of the key's OATH accounts. */
  async listAccounts(signal?: AbortSignal): Promise<string[]> {
    const run = await this.run(['oath', 'accounts', 'list'], 'list the OATH accounts', YKMAN_LIST_TIMEOUT_MS, signal);
    if (run.timedOut) throw new YkmanFailed('ykman-timeout', `ykman did not list the YubiKey's OATH accounts within ${YKMAN_LIST_TIMEOUT_MS / 1000} s. Type the code instead.`);
    if (run.exitCode !== 0) throw knownFailure(run.stderr, undefined) ?? unexpected('list the OATH accounts', run.exitCode, run.stderr);
    return parseOathAccountList(run.stdout);
  }

  /** The account's current code; `onTouch` when the key waits to be touched. */
  async readCode(account: string, options: { signal?: AbortSignal | undefined; onTouch?: (() => void) | undefined; timeoutMs?: number | undefined } = {}): Promise<string> {
    let asked = false;
    let heard = '';
    const timeoutMs = options.timeoutMs ?? YKMAN_CODE_TIMEOUT_MS;
    const run = await this.run(['oath', 'accounts', 'code', '--single', account], 'read a code', timeoutMs, options.signal, (text) => {
      heard += text;
      if (!asked && /touch your yubikey/i.test(heard)) {
        asked = true;
        options.onTouch?.();
      }
    });
    if (run.timedOut) {
      throw new YkmanFailed(
        'yubikey-timeout',
        asked ? `The YubiKey was not touched within ${timeoutMs / 1000} s. Try again and touch it when it blinks, or type the code.` : `ykman gave no code within ${timeoutMs / 1000} s. Type the code instead.`,
      );
    }
    if (run.exitCode !== 0) throw knownFailure(run.stderr, account) ?? unexpected('read a code', run.exitCode, run.stderr);
    // `--single` prints the code alone; without a code there is nothing to send to AWS.
    const code = sixDigits(run.stdout);
    if (code === undefined) throw new YkmanFailed('ykman-output', `ykman printed no six-digit code for "${account}". Type the code instead.`);
    return code;
  }
}
