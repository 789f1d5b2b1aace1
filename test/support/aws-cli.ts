import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KeyPair } from './sts-client.js';

/**
 * The real AWS CLI v2, run against the STS emulator with nothing of this machine's AWS setup:
 * no config or credentials files, no inherited AWS_* variables, a throwaway HOME.
 *
 * On this kind of machine `aws` on PATH is often a pyenv shim for AWS CLI v1, while Debian's
 * `awscli` package installs v2 at /usr/bin/aws; so the CLI is looked up as AWS_CLI (when set),
 * else /usr/bin/aws, else `aws` on PATH, and only a CLI that reports `aws-cli/2.` is accepted.
 */

export interface AwsCliV2 {
  /** Absolute path (or the AWS_CLI value) of the executable. */
  path: string;
  /** e.g. `2.9.19` */
  version: string;
  /** The whole first line of `aws --version`, e.g. `aws-cli/2.9.19 Python/3.11.2 Linux/... source/x86_64.debian.12`. */
  banner: string;
}

export type AwsCliLookup = AwsCliV2 | { missing: string };

export const DEBIAN_AWS_CLI_PATH = '/usr/bin/aws';

const INSTALL_HINT = "install Debian's awscli package (it provides AWS CLI v2 as /usr/bin/aws) or point AWS_CLI at an AWS CLI v2 executable";

type Probe = { ok: AwsCliV2 } | { problem: string };

/** Variables for running a program without any AWS configuration of this machine leaking in. */
function withoutAwsVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('AWS_')));
}

/** What a child process printed, as execFileSync's error carries it (string, Buffer or nothing). */
function printedText(value: unknown): string {
  return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : '';
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const { stderr } = error as { stderr?: unknown };
    const detail = printedText(stderr).trim().split('\n')[0] ?? '';
    return detail ? `${error.message.split('\n')[0]}: ${detail}` : (error.message.split('\n')[0] ?? String(error));
  }
  return String(error);
}

/** Runs `<path> --version` and accepts it only when it is AWS CLI v2. */
function probe(path: string, env: NodeJS.ProcessEnv): Probe {
  let output: string;
  try {
    // `aws --version` writes to stdout (v2) or, in old v1 releases, to stderr: read both.
    output = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      env: { ...withoutAwsVariables(env), AWS_PAGER: '', AWS_CLI_AUTO_PROMPT: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
    const printed = `${printedText(stdout)}${printedText(stderr)}`;
    if (!/^aws-cli\//.test(printed.trim())) return { problem: `did not run (${errorText(error)})` };
    output = printed;
  }
  const banner = output.trim().split('\n')[0]?.trim() ?? '';
  const match = /^aws-cli\/(\S+)/.exec(banner);
  if (!match?.[1]) return { problem: `printed ${JSON.stringify(banner.slice(0, 80))} instead of an aws-cli version` };
  if (!banner.startsWith('aws-cli/2.')) return { problem: `is aws-cli/${match[1]}` };
  return { ok: { path, version: match[1], banner } };
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `aws` on PATH, as a shell would find it. */
export function awsOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'aws');
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds AWS CLI v2: AWS_CLI if set (and then only that), else /usr/bin/aws, else `aws` on PATH.
 * When there is none, `missing` says in one sentence what was found instead and what to do.
 */
export function findAwsCliV2(env: NodeJS.ProcessEnv = process.env): AwsCliLookup {
  const chosen = env.AWS_CLI;
  if (chosen !== undefined && chosen !== '') {
    // A path must exist; a bare command name is looked up on PATH when it is run.
    if (chosen.includes('/') && !existsSync(chosen)) return { missing: `AWS CLI v2 not found: AWS_CLI=${chosen} does not exist; ${INSTALL_HINT}` };
    const found = probe(chosen, env);
    return 'ok' in found ? found.ok : { missing: `AWS CLI v2 not found: AWS_CLI=${chosen} ${found.problem}; ${INSTALL_HINT}` };
  }

  const problems: string[] = [];
  if (existsSync(DEBIAN_AWS_CLI_PATH)) {
    const found = probe(DEBIAN_AWS_CLI_PATH, env);
    if ('ok' in found) return found.ok;
    problems.push(`${DEBIAN_AWS_CLI_PATH} ${found.problem}`);
  } else {
    problems.push(`${DEBIAN_AWS_CLI_PATH} is absent`);
  }

  const onPath = awsOnPath(env);
  if (onPath === undefined) {
    problems.push('there is no `aws` on PATH');
  } else if (onPath !== DEBIAN_AWS_CLI_PATH) {
    const found = probe(onPath, env);
    if ('ok' in found) return found.ok;
    problems.push(`\`aws\` on PATH (${onPath}) ${found.problem}`);
  }
  return { missing: `AWS CLI v2 not found: ${problems.join(' and ')}; ${INSTALL_HINT}` };
}

export interface AwsRunOptions {
  /** The emulator's URL; always passed as `--endpoint-url`. */
  endpointUrl: string;
  /** Becomes AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (when present) AWS_SESSION_TOKEN. */
  credentials?: KeyPair;
  /** Extra variables, applied last (e.g. `{ AWS_MAX_ATTEMPTS: '3' }`). */
  env?: Readonly<Record<string, string>>;
  /** Kill the CLI after this long (default 25 s, below vitest's 30 s test timeout). */
  timeoutMs?: number;
}

export interface AwsRunResult {
  /** The CLI's exit status; -1 when it was killed (e.g. by the timeout). */
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The CLI's whole environment for one run, built from nothing but PATH and a throwaway HOME. */
export function isolatedAwsEnv(home: string, options: Pick<AwsRunOptions, 'credentials' | 'env'> = {}): Record<string, string> {
  const credentials = options.credentials;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(credentials
      ? {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
        }
      : {}),
    ...options.env,
  };
}

/**
 * Runs `<cli> <args> --endpoint-url <url> --output json` (no shell) in an isolated environment:
 * empty config and credentials files and HOME in a fresh temporary directory, removed afterwards.
 * Never throws for a non-zero exit status; that is the result's `exitCode`.
 */
export async function runAws(cli: Pick<AwsCliV2, 'path'>, args: readonly string[], options: AwsRunOptions): Promise<AwsRunResult> {
  const home = await mkdtemp(join(tmpdir(), 'aws-cli-interop-'));
  try {
    await writeFile(join(home, 'config'), '');
    await writeFile(join(home, 'credentials'), '');
    const env = isolatedAwsEnv(home, options);
    const argv = [...args, '--endpoint-url', options.endpointUrl, '--output', 'json'];
    return await new Promise<AwsRunResult>((resolve, reject) => {
      execFile(
        cli.path,
        argv,
        { env, cwd: home, encoding: 'utf8', timeout: options.timeoutMs ?? 25_000, maxBuffer: 16 * 1024 * 1024, windowsHide: true },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve({ exitCode: 0, stdout, stderr });
            return;
          }
          // A number: the exit status. A string (ENOENT, EACCES...): the CLI never started.
          const code: unknown = error.code;
          if (typeof code === 'string') {
            reject(new Error(`Could not run the AWS CLI ${cli.path}: ${error.message}`));
            return;
          }
          resolve({ exitCode: typeof code === 'number' ? code : -1, stdout, stderr });
        },
      );
    });
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
