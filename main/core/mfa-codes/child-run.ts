import { spawn } from 'node:child_process';

/**
 * Runs a program for a code (mfa_process, ykman): never through a shell, stdin closed (nothing
 * may wait for typing the person cannot see), a time limit, and bounded output. stdout is kept
 * (a code is a line); stderr is handed to `onStderr` as it arrives (a touch request must show
 * while the program waits) and its start is kept for the caller's sentence.
 */
export interface ChildRunOptions {
  env?: NodeJS.ProcessEnv | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  onStderr?: ((text: string) => void) | undefined;
}

export interface ChildRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  /** Stopped after `timeoutMs`. */
  timedOut: boolean;
}

/**
 * The environment a program for a code gets: the caller's, without AWS Auth Tray's own variables
 * (the vault's passphrase among them, when the command line was given it that way). The program
 * is the user's, but it has no use for them, and a code helper that logs its environment would
 * write the passphrase down. `aws-auth-tray exec` strips them for the same reason.
 */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_AUTH_TRAY_')));
}

/** More than any code or account list; the rest is dropped. */
const MAX_OUTPUT = 64 * 1024;

export function runChild(program: string, args: readonly string[], options: ChildRunOptions): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason instanceof Error ? options.signal.reason : new Error('aborted'));
      return;
    }
    const child = spawn(program, [...args], { env: childEnvironment(options.env ?? process.env), stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.slice(0, MAX_OUTPUT - stdout.length);
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.slice(0, MAX_OUTPUT - stderr.length);
      options.onStderr?.(chunk);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const onAbort = (): void => {
      child.kill('SIGKILL');
      finish(() => reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('aborted')));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (then: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      then();
    };
    child.on('error', (error) => finish(() => reject(error)));
    child.on('close', (exitCode) => finish(() => resolve({ stdout, stderr, exitCode, timedOut })));
  });
}

/** A line of a program's output as a sentence may quote it: the first non-empty line, controls removed, at most `max` characters. */
export function quotedLine(text: string, max = 60): string {
  const line =
    text
      .split(/\r?\n|\r/)
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const clean = line.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '');
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 3).join('')}...` : clean;
}

/** Exactly six digits after trimming, else undefined. */
export function sixDigits(text: string): string | undefined {
  const trimmed = text.trim();
  return /^\d{6}$/.test(trimmed) ? trimmed : undefined;
}
