import type { ServiceName } from './query-services.js';

/**
 * What the emulator was asked and how it answered, for tests to assert on ("exactly one
 * GetSessionToken", "no IAM call"). It holds no secrets: no keys' secrets, tokens or MFA codes.
 */
export interface RequestLogEntry {
  requestId: string;
  /** The emulator clock's time when the request arrived (ISO 8601). */
  at: string;
  /** The service that answered: the one the request was signed for (`sts` or `iam`). */
  service: ServiceName;
  /** The action (STS or IAM), or null when the request named none. */
  action: string | null;
  /** The authenticated caller's ARN, or null when authentication failed or never happened. */
  callerArn: string | null;
  accessKeyId: string | null;
  status: number;
  /** `Success`, the AWS error code answered, or `ConnectionDropped`. */
  outcome: string;
}

export interface RequestLogFilter {
  service?: ServiceName;
  action?: string;
  outcome?: string;
}

/** Enough for any test; a long demo session drops the oldest entries. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  private readonly list: RequestLogEntry[] = [];

  record(entry: RequestLogEntry): void {
    this.list.push(entry);
    if (this.list.length > MAX_ENTRIES) this.list.splice(0, this.list.length - MAX_ENTRIES);
  }

  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.list
      .filter(
        (e) =>
          (filter.service === undefined || e.service === filter.service) &&
          (filter.action === undefined || e.action === filter.action) &&
          (filter.outcome === undefined || e.outcome === filter.outcome),
      )
      .map((e) => ({ ...e }));
  }

  clear(): void {
    this.list.length = 0;
  }
}
