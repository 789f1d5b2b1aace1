/**
 * Shared pieces of the fuzz suites (test/fuzz): leak checks over errors and answers, a time
 * bound for one run, and a small tally the suites print so a CI log shows what was exercised.
 */
import { execFileSync } from 'node:child_process';
import { inspect } from 'node:util';
import fc from 'fast-check';

/**
 * The seed every property of a run uses: FUZZ_SEED when set (to replay a failure), else one
 * derived from the commit under test. So each commit explores new inputs, yet a CI run of a
 * commit is the run its author already saw, and a failure is replayed with FUZZ_SEED=<seed>
 * (fast-check prints the seed and the path of a failure either way).
 */
function commitSeed(): number | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd: import.meta.dirname }).trim();
    return /^[0-9a-f]{8}/.test(head) ? Number.parseInt(head.slice(0, 8), 16) | 0 : undefined;
  } catch {
    return undefined;
  }
}
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : commitSeed();
if (FUZZ_SEED !== undefined && Number.isInteger(FUZZ_SEED)) fc.configureGlobal({ seed: FUZZ_SEED });

/** Every message an error carries: its own, its stack, and those of its cause chain. */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && current !== null && !seen.has(current)) {
    seen.add(current);
    if (current instanceof Error) {
      texts.push(current.message, current.stack ?? '');
      if (current instanceof AggregateError) for (const inner of current.errors as unknown[]) texts.push(...errorTexts(inner));
      current = current.cause;
    } else {
      texts.push(inspect(current));
      break;
    }
  }
  return texts;
}

/**
 * Finds fragments of secrets in a text: every window of `size` characters of each secret
 * counts (a text holding any of them holds a piece of a secret); a secret shorter than `size`
 * counts whole. One pass over the text, so checking long texts (stacks) stays cheap.
 */
export class SecretFragments {
  private readonly windows = new Set<string>();
  private readonly short: string[] = [];

  constructor(
    secrets: readonly string[],
    private readonly size = 12,
  ) {
    for (const secret of secrets) {
      if (secret.length <= size) this.short.push(secret);
      else for (let i = 0; i + size <= secret.length; i += 1) this.windows.add(secret.slice(i, i + size));
    }
  }

  /** The first fragment found in `text`, if any. */
  find(text: string): string | undefined {
    for (let i = 0; i + this.size <= text.length; i += 1) {
      const window = text.slice(i, i + this.size);
      if (this.windows.has(window)) return window;
    }
    return this.short.find((secret) => text.includes(secret));
  }
}

/** Rejects with a clear message when `work` takes longer than `ms`. */
export async function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms (a hang)`)), ms);
  });
  try {
    return await Promise.race([work(), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts outcomes by name and keeps the slowest run, for the summary line each suite prints. */
export class Tally {
  private readonly counts = new Map<string, number>();
  runs = 0;
  slowestMs = 0;
  /** Time spent inside the runs (the rest is generating inputs and fast-check's own work). */
  inRunsMs = 0;
  private readonly started = performance.now();

  count(outcome: string): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  /** How many runs ended with `outcome`. */
  get(outcome: string): number {
    return this.counts.get(outcome) ?? 0;
  }

  time(ms: number): void {
    this.runs += 1;
    this.inRunsMs += ms;
    if (ms > this.slowestMs) this.slowestMs = ms;
  }

  summary(name: string): string {
    const outcomes = [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([outcome, n]) => `${outcome}=${n}`)
      .join(' ');
    const total = (performance.now() - this.started) / 1000;
    return `[fuzz] ${name} (seed ${String(FUZZ_SEED ?? 'random')}): ${this.runs} runs in ${total.toFixed(1)} s (${(this.inRunsMs / 1000).toFixed(1)} s in the timed part of the runs), slowest run ${this.slowestMs.toFixed(1)} ms; ${outcomes}`;
  }
}

/** C0 and C1 control characters (and DEL): none may come back raw in a message. */
export { CONTROL_CHARACTERS as CONTROL_CHARACTER } from '../../main/core/control-characters.js';
