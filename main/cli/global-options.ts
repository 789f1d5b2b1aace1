/**
 * The options every command takes, wherever they are written: `aws-auth-tray --vault-dir X list`
 * and `aws-auth-tray list --vault-dir X` mean the same. Only arguments before a `--` are looked
 * at: after it they belong to the command that `exec` runs.
 */

export interface GlobalOptions {
  vaultDir: string | undefined;
  /** The arguments without the global options, in their order. */
  rest: string[];
}

export class GlobalOptionError extends Error {
  override name = 'GlobalOptionError';
}

const VAULT_DIR = '--vault-dir';

export function takeGlobalOptions(args: readonly string[]): GlobalOptions {
  const rest: string[] = [];
  let vaultDir: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === VAULT_DIR || arg.startsWith(`${VAULT_DIR}=`)) {
      const value = arg === VAULT_DIR ? args[(i += 1)] : arg.slice(VAULT_DIR.length + 1);
      if (!value || value === '--') throw new GlobalOptionError(`${VAULT_DIR} needs a directory.`);
      vaultDir = value;
      continue;
    }
    rest.push(arg);
  }
  return { vaultDir, rest };
}
