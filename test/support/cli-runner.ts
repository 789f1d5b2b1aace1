import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs the built command line (dist/cli) as a user would, in an isolated HOME and vault, with
 * the STS endpoint pointed at the emulator the standard way (AWS_ENDPOINT_URL_STS).
 */
/**
 * The command line's test build (scripts/build-cli.ts, variant 'test'): the same source as the
 * release, bundled the same way, with a cheap vault key derivation so that each of the hundreds
 * of processes the suites start does not spend a second in scrypt.
 */
export const CLI_BUNDLE = new URL('../../dist-test/cli/aws-auth-tray.js', import.meta.url).pathname;
export const CLI_BIN = new URL('../../dist-test/bin/aws-auth-tray.js', import.meta.url).pathname;
/** The release build and the `bin` that package.json installs, for the tests about them. */
export const RELEASE_CLI_BUNDLE = new URL('../../dist/cli/aws-auth-tray.js', import.meta.url).pathname;
export const RELEASE_CLI_BIN = new URL('../../bin/aws-auth-tray.js', import.meta.url).pathname;
export const CLI_PASSPHRASE = 'cli test passphrase';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  home: string;
  vaultDir: string;
  /** A directory with an `aws-auth-tray` executable, to put first on PATH. */
  binDir: string;
  env: Record<string, string>;
  run(args: string[], options?: { env?: Record<string, string | undefined>; input?: string }): Promise<CliResult>;
  cleanup(): void;
}

export function cliSandbox(endpoint: string): CliSandbox {
  const home = mkdtempSync(join(tmpdir(), 'aws-auth-tray-cli-'));
  const vaultDir = join(home, 'vault');
  const binDir = join(home, 'bin');
  mkdirSync(binDir);
  symlinkSync(CLI_BIN, join(binDir, 'aws-auth-tray'));
  chmodSync(CLI_BIN, 0o755);
  writeFileSync(join(home, 'empty'), '');
  const env: Record<string, string> = {
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_AUTH_TRAY_HOME: vaultDir,
    AWS_AUTH_TRAY_PASSPHRASE: CLI_PASSPHRASE,
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_CONFIG_FILE: join(home, 'empty'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'empty'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // No app channel unless a test starts one: a real app on this machine must not answer.
    AWS_AUTH_TRAY_APP_SOCKET: join(home, 'no-app', 'app.sock'),
  };
  return {
    home,
    vaultDir,
    binDir,
    env,
    run(args, options = {}) {
      const merged: Record<string, string> = { ...env };
      for (const [k, v] of Object.entries(options.env ?? {})) {
        if (v === undefined) delete merged[k];
        else merged[k] = v;
      }
      return new Promise((resolve) => {
        const child = execFile(process.execPath, [CLI_BUNDLE, ...args], { env: merged, cwd: home, timeout: 25_000, encoding: 'utf8' }, (error, stdout, stderr) => {
          const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
          resolve({ exitCode: code, stdout, stderr });
        });
        child.stdin?.end(options.input ?? '');
      });
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
