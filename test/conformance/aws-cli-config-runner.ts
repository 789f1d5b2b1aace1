import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AwsCliV2 } from '../support/aws-cli.js';
import { mapBounded } from '../../main/core/verification/bounded-parallel.js';

/**
 * Asks the real AWS CLI v2 many `aws configure ...` questions, fast enough for CI.
 *
 * When the CLI is a Python script (Debian's /usr/bin/aws, a pip install), the calls go in
 * batches through its own entry point inside its own interpreter (aws-cli-batch.py): each call
 * gets a fresh driver and session, exactly as `aws` does, minus ~0.35 s of start-up. Otherwise
 * (the official installer's frozen binary) every call starts the executable. Either way the CLI
 * sees nothing of this machine's AWS setup: a throwaway HOME and only the variables given.
 */

export interface CliCall {
  /** AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ... for this call. */
  env: Record<string, string>;
  argv: string[];
}

export interface CliAnswer {
  rc: number;
  stdout: string;
  stderr: string;
}

export interface ConfigCli {
  /** How the calls are made, for the test's printed summary. */
  mode: string;
  /** Whether calls share one interpreter (fast) or each starts the executable (~0.4 s of CPU each). */
  batched: boolean;
  run(calls: readonly CliCall[]): Promise<CliAnswer[]>;
  /** Calls through the executable itself (a few side by side), to prove the batches answer as it does. */
  runExecutable(calls: readonly CliCall[]): Promise<CliAnswer[]>;
}

const BATCH_SCRIPT = new URL('./aws-cli-batch.py', import.meta.url).pathname;
/** Batches run side by side: the machine has two cores, and the CLI is single-threaded. */
const PARALLEL_BATCHES = 2;
const PARALLEL_PROCESSES = 4;
const TIMEOUT_MS = 230_000;

/** The interpreter from a `#!` line that names Python (`#!/usr/bin/python3`, `#!/usr/bin/env python3`). */
function pythonOf(path: string): string[] | undefined {
  let head: string;
  try {
    head = readFileSync(path).subarray(0, 256).toString('latin1');
  } catch {
    return undefined;
  }
  const shebang = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head);
  if (!shebang?.[1]) return undefined;
  const words = [shebang[1], ...(shebang[2] ? [shebang[2]] : [])];
  return words.some((w) => /python[\d.]*$/.test(w)) ? words : undefined;
}

function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}


function runExecutable(cli: AwsCliV2, home: string, call: CliCall): Promise<CliAnswer> {
  return new Promise((resolve, reject) => {
    execFile(cli.path, call.argv, { env: { ...baseEnv(home), ...call.env }, cwd: home, encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code === 'string') reject(new Error(`Could not run ${cli.path}: ${error.message}`));
      else resolve({ rc: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function runBatch(python: string[], home: string, calls: readonly CliCall[]): Promise<{ version: string; results: CliAnswer[] }> {
  return new Promise((resolve, reject) => {
    const [command = 'python3', ...prefix] = python;
    const child = spawn(command, [...prefix, BATCH_SCRIPT], { env: baseEnv(home), cwd: home, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`The AWS CLI batch (${python.join(' ')}) exited with ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(stdout) as { version: string; results: CliAnswer[] });
    });
    child.stdin.end(JSON.stringify({ calls }));
  });
}

export function configCli(cli: AwsCliV2, home: string): ConfigCli {
  const python = pythonOf(cli.path);
  const executable = (calls: readonly CliCall[]): Promise<CliAnswer[]> => mapBounded(calls, PARALLEL_PROCESSES, (call) => runExecutable(cli, home, call));
  if (!python) {
    return { mode: `${cli.path}, one process per question`, batched: false, run: executable, runExecutable: executable };
  }
  return {
    mode: `${PARALLEL_BATCHES} batches through the entry point of ${cli.path} in ${python.join(' ')}`,
    batched: true,
    async run(calls) {
      if (calls.length === 0) return [];
      const size = Math.ceil(calls.length / PARALLEL_BATCHES);
      const chunks = Array.from({ length: Math.ceil(calls.length / size) }, (_, i) => calls.slice(i * size, (i + 1) * size));
      const answers = await Promise.all(chunks.map((chunk) => runBatch(python, home, chunk)));
      for (const answer of answers) {
        if (answer.version !== cli.version) throw new Error(`${python.join(' ')} loads awscli ${answer.version}, not the ${cli.version} that ${cli.path} reports`);
      }
      return answers.flatMap((a) => a.results);
    },
    runExecutable: executable,
  };
}
