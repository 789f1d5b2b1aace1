/**
 * Requests leave one after another, each as soon as it is ready, instead of all at the end.
 *
 * Preparing a request (the SDK's middleware: serializing, endpoint, retry token, SigV4 signing) is
 * CPU work split into many small asynchronous steps. Started together, say the AssumeRole of every
 * account the moment the MFA session arrives, the requests take those steps in turns, and Node
 * writes none of them to its socket until every one has been prepared: the first request leaves
 * as late as the last, and every account waits for all the others' preparation before its own
 * round trip even begins (20 accounts: about 20 ms of a sign-in, 100 accounts: far more).
 *
 * A queue of turns keeps the same work in first-come order: a request is prepared once the one
 * before it has been handed to its socket, so the first leaves after one request's preparation,
 * the second after two, and the last no later than before. Nothing waits for an answer, only for
 * the preparation ahead of it, and a turn that is not handed over within `maxTurnMs` (something
 * in the SDK waited, such as the adaptive retry mode's rate limiter) lets the next one go.
 */

/** Long enough for any request's preparation; short enough that a stuck one delays little. */
export const DEFAULT_MAX_TURN_MS = 25;

export interface Turn {
  /** Resolves when this request may be prepared. */
  readonly ready: Promise<void>;
  /** The request was handed to its socket (or failed, or was given up): the next may go. Idempotent. */
  readonly leave: () => void;
}

export class DepartureQueue {
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly maxTurnMs = DEFAULT_MAX_TURN_MS) {}

  /** The next turn: ready when every earlier turn has left. */
  take(): Turn {
    const before = this.last;
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Gone once it has left and every turn before it has too (one that gives up early keeps its place).
    this.last = Promise.all([before, released]).then(() => undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      if (timer !== undefined) clearTimeout(timer);
      release();
    };
    const ready = before.then(() => {
      if (left) return;
      timer = setTimeout(leave, this.maxTurnMs);
      timer.unref();
    });
    return { ready, leave };
  }
}

/**
 * Calls `leave` once the request the SDK's handler was just given is on its way: Node writes a
 * request to a pooled socket in a `process.nextTick` queued while the handler ran, so a tick
 * queued after it runs once that write is done (a new connection's request follows its connect,
 * which needs no CPU of ours to wait for).
 */
export function leaveAfterWrite(leave: () => void): void {
  process.nextTick(leave);
}
