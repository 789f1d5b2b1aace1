import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';

/**
 * Where the aws-auth-tray command line is installed, found from the app for the Auto-refresh
 * panel's `~/.aws/config` section: `credential_process` must name Node.js and the command line's
 * bundle by absolute paths (a command found on PATH breaks where PATH differs, as it does for IDEs
 * and cron; npx costs seconds a call), and the app itself is Electron, not Node.js.
 *
 * `aws-auth-tray` on PATH is npm's link to the package's `bin/aws-auth-tray.js`, which runs
 * `dist/cli/aws-auth-tray.js` beside it; Node.js is the `node` on the same PATH, the one the link's
 * `#!/usr/bin/env node` runs. Only a bundle that is a regular file of that name beside a launcher
 * of ours is taken: a file named aws-auth-tray elsewhere on PATH is not the command line.
 */
export interface InstalledCommandLine {
  nodePath: string;
  bundlePath: string;
}

export interface FindOptions {
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

/** The launcher's own words (bin/aws-auth-tray.js): how a launcher of ours is told from another program. */
const LAUNCHER_MARK = "new URL('../dist/cli/aws-auth-tray.js', import.meta.url)";

function executableOnPath(name: string, options: FindOptions): string | undefined {
  const windows = (options.platform ?? process.platform) === 'win32';
  const names = windows ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const folder of (options.env.PATH ?? options.env.Path ?? '').split(delimiter)) {
    if (!folder || !isAbsolute(folder)) continue; // a relative PATH entry depends on the directory the tool runs in
    for (const file of names) {
      const candidate = join(folder, file);
      try {
        if (!statSync(candidate).isFile()) continue;
        if (!windows) accessSync(candidate, constants.X_OK);
        return realpathSync(candidate);
      } catch {
        // not there, or not executable: the next folder
      }
    }
  }
  return undefined;
}

/** The installed command line, or undefined when there is none on PATH (or no Node.js beside it). */
export function findInstalledCommandLine(options: FindOptions): InstalledCommandLine | undefined {
  const launcher = executableOnPath('aws-auth-tray', options);
  if (!launcher?.endsWith('.js')) return undefined;
  let text: string;
  try {
    text = readFileSync(launcher, 'utf8').slice(0, 4096);
  } catch {
    return undefined;
  }
  if (!text.includes(LAUNCHER_MARK)) return undefined;
  const bundlePath = join(dirname(dirname(launcher)), 'dist', 'cli', 'aws-auth-tray.js');
  if (!existsSync(bundlePath)) return undefined;
  const nodePath = executableOnPath('node', options);
  return nodePath ? { nodePath, bundlePath } : undefined;
}
