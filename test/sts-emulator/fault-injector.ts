/**
 * Failures a test can ask for: injected latency on every STS and IAM request, and a queue of faults
 * that the next matching requests meet instead of an answer: `Throttling` 400 "Rate exceeded",
 * `InternalFailure` 500, or a connection dropped without a response.
 */
export const FAULT_KINDS = ['throttle', 'internal-failure', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRequest {
  kind: FaultKind;
  /** How many requests meet the fault (default 1). */
  count?: number;
  /** Only requests for this action, STS's or IAM's (default: any). */
  action?: string;
}

export interface PendingFault {
  kind: FaultKind;
  remaining: number;
  action: string | null;
}

export class FaultInjector {
  private latency = 0;
  private readonly queue: PendingFault[] = [];

  get latencyMs(): number {
    return this.latency;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('Latency is a number of milliseconds, 0 or more.');
    this.latency = ms;
  }

  inject(fault: FaultRequest): void {
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError('A fault applies to a whole number of requests, 1 or more.');
    this.queue.push({ kind: fault.kind, remaining: count, action: fault.action ?? null });
  }

  /** The fault this request meets, if any; consumes one use of it. */
  take(action: string | null): FaultKind | undefined {
    const index = this.queue.findIndex((f) => f.action === null || f.action === action);
    const fault = this.queue[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return fault.kind;
  }

  pending(): PendingFault[] {
    return this.queue.map((f) => ({ ...f }));
  }

  clear(): void {
    this.queue.length = 0;
  }

  reset(): void {
    this.clear();
    this.latency = 0;
  }
}
