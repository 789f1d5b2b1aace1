import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * One deadline for everything STS does on behalf of one user action: getting a profile's
 * credentials (GetSessionToken, then AssumeRole, each with its retries), one account's row of
 * `verify`, one request to the credential endpoint. Without it a frozen STS costs each request's
 * own deadline in turn before the person hears anything.
 *
 * The clock starts at the action's first STS request (unlocking the vault is not waiting on STS)
 * and stops while a person is typing an MFA code: the deadline is about the network, never about
 * how fast someone finds their phone. Its length is the gateway's: the first request sets it.
 *
 * The action travels with the async context (AsyncLocalStorage), so the session manager, the
 * verifier and the gateway share it without threading it through every call.
 */

const currentAction = new AsyncLocalStorage<ActionDeadline>();

/** The reason an action's signal is aborted with once its time on STS is used up. */
export class ActionDeadlineExceeded extends Error {
  override readonly name = 'ActionDeadlineExceeded';
  constructor(readonly budgetMs: number) {
    super(`no answer from STS within ${budgetMs} ms for this action`);
  }
}

export class ActionDeadline {
  private readonly controller = new AbortController();
  private budget: number | undefined;
  private remainingMs = 0;
  /** When the current stretch of waiting on STS began (monotonic ms), while the clock runs. */
  private stretchStart = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pauses = 0;
  private finished = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * The deadline one call goes by: the user action's when it runs inside one (its budget set by
   * the first call), else `fallbackMs` of its own. Read before the call's first await, so a call
   * started beside another of the same action shares its deadline.
   */
  static forCall(fallbackMs: number): { deadlineMs: number; signal: AbortSignal } {
    const action = ActionDeadline.current();
    const deadlineMs = action?.budgetMs ?? fallbackMs;
    return { deadlineMs, signal: action ? action.signal(deadlineMs) : AbortSignal.timeout(deadlineMs) };
  }

  /** The action this code runs in, if any. */
  static current(): ActionDeadline | undefined {
    return currentAction.getStore();
  }

  /** Run `work` as part of the action already under way, or as a new action if there is none. */
  static join<T>(work: () => Promise<T>): Promise<T> {
    return currentAction.getStore() ? work() : ActionDeadline.begin(work);
  }

  /** Run `work` as a new action of its own, even inside another (each endpoint request, each account verified). */
  static async begin<T>(work: () => Promise<T>, action: ActionDeadline = new ActionDeadline()): Promise<T> {
    try {
      return await currentAction.run(action, work);
    } finally {
      action.finish();
    }
  }

  /**
   * A person is being asked for something (an MFA code): the action's clock stands still until
   * `wait` settles. Outside an action, `wait` simply runs.
   */
  static excludingTyping<T>(wait: () => Promise<T>): Promise<T> {
    const action = currentAction.getStore();
    return action ? action.excluding(wait) : wait();
  }

  /** The budget, once the first request has set it. */
  get budgetMs(): number | undefined {
    return this.budget;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * The signal an STS request of this action honours. The first call sets the budget and starts
   * the clock; later calls share what is left of it.
   */
  signal(budgetMs: number): AbortSignal {
    if (this.budget === undefined) {
      this.budget = budgetMs;
      this.remainingMs = budgetMs;
      this.run();
    }
    return this.controller.signal;
  }

  /** Milliseconds of STS time left (the full budget before the first request). */
  remaining(): number | undefined {
    if (this.budget === undefined) return undefined;
    return this.timer === undefined ? this.remainingMs : Math.max(0, this.remainingMs - (this.now() - this.stretchStart));
  }

  async excluding<T>(wait: () => Promise<T>): Promise<T> {
    this.stop();
    this.pauses += 1;
    try {
      return await wait();
    } finally {
      this.pauses -= 1;
      this.run();
    }
  }

  private run(): void {
    if (this.finished || this.budget === undefined || this.pauses > 0 || this.timer !== undefined || this.expired) return;
    if (this.remainingMs <= 0) {
      this.expire();
      return;
    }
    this.stretchStart = this.now();
    this.timer = setTimeout(() => this.expire(), this.remainingMs);
    // A command that has finished its work does not wait for a deadline it no longer needs.
    this.timer.unref?.();
  }

  private stop(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.remainingMs = Math.max(0, this.remainingMs - (this.now() - this.stretchStart));
  }

  private expire(): void {
    this.timer = undefined;
    this.remainingMs = 0;
    this.controller.abort(new ActionDeadlineExceeded(this.budget ?? 0));
  }

  private finish(): void {
    this.stop();
    this.finished = true;
  }
}
