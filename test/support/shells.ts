import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Real POSIX-ish shells (bash, zsh, fish) for testing the export formats: each runs with no
 * user configuration (`zsh -f`, `fish --no-config`), a throwaway HOME and a UTF-8 locale, sources
 * a file and prints its environment NUL-separated (`env -0`), so values with newlines survive.
 *
 * Debian puts bash at /bin/bash and zsh and fish (packages `zsh`, `fish`) in /usr/bin. A shell
 * that is not there is reported as missing with the reason, so its tests skip and say why.
 */

export type ShellName = 'bash' | 'zsh' | 'fish';

export const SHELL_PATHS: Readonly<Record<ShellName, string>> = {
  bash: '/bin/bash',
  zsh: '/usr/bin/zsh',
  fish: '/usr/bin/fish',
};

export type ShellLookup = { path: string } | { missing: string };

export function findShell(name: ShellName): ShellLookup {
  const path = SHELL_PATHS[name];
  try {
    accessSync(path, constants.X_OK);
    return { path };
  } catch {
    return { missing: `${path} is not installed (Debian package \`${name}\`: apt-get install -y --no-install-recommends ${name})` };
  }
}

const execFileAsync = promisify(execFile);

/** The shell's arguments to run `script` without reading any user or system configuration. */
function scriptArgs(name: ShellName, script: string): string[] {
  switch (name) {
    case 'bash':
      return ['--noprofile', '--norc', '-c', script];
    case 'zsh':
      return ['-f', '-c', script];
    case 'fish':
      return ['--no-config', '-c', script];
  }
}

/** Single-quotes a path for any of the three shells (a path with `'` or `\` is refused). */
function quotePath(path: string): string {
  if (/['\\]/.test(path)) throw new Error(`Refusing to quote the path ${path} for a shell`);
  return `'${path}'`;
}

/**
 * Sets AWS_PROFILE (as a user's shell would have it), sources `file` with the shell in `cwd`, and
 * returns the environment the shell then passes to a child process.
 */
export async function sourceAndPrintEnv(name: ShellName, shellPath: string, file: string, options: { home: string; cwd: string; awsProfile: string }): Promise<Map<string, string>> {
  const setProfile = name === 'fish' ? `set -gx AWS_PROFILE ${quotePath(options.awsProfile)}` : `export AWS_PROFILE=${quotePath(options.awsProfile)}`;
  const script = `${setProfile}; source ${quotePath(file)}; env -0`;
  const { stdout } = await execFileAsync(shellPath, scriptArgs(name, script), {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', XDG_CONFIG_HOME: options.home, XDG_DATA_HOME: options.home },
    timeout: 20_000,
  });
  const env = new Map<string, string>();
  for (const entry of stdout.split('\0')) {
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}
