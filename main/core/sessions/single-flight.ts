/**
 * Concurrent callers asking for the same key share one run: one MFA prompt and one
 * GetSessionToken however many terminals and accounts want credentials at once.
 */
interface Run<T> {
  controller: AbortController;
  promise?: Promise<T>;
}

export class SingleFlight<T> {
  private readonly running = new Map<string, Run<T>>();

  run(key: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing?.promise) return existing.promise;
    const run: Run<T> = { controller: new AbortController() };
    // Registered before `work` starts, so even a synchronous throw frees the key afterwards.
    this.running.set(key, run);
    const promise = (async () => {
      try {
        return await work(run.controller.signal);
      } finally {
        if (this.running.get(key) === run) this.running.delete(key);
      }
    })();
    run.promise = promise;
    return promise;
  }

  /** Abort every run in progress (their prompts close; their callers get the reason). */
  abortAll(reason: unknown): void {
    for (const { controller } of this.running.values()) controller.abort(reason);
  }

  get size(): number {
    return this.running.size;
  }
}

/** Wait for `promise`, but stop waiting (reject with the signal's reason) if `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the original rejection through unchanged
        reject(error);
      },
    );
  });
}
