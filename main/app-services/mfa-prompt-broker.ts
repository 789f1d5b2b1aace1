import { randomUUID } from 'node:crypto';
import { MfaPromptCancelled, type MfaOutcome, type MfaPromptRequest, type MfaPrompter } from '../core/sessions/mfa-prompter.js';
import type { MfaPromptView } from '../ipc/ipc-contract.js';

/**
 * The core's MFA prompter, answered by a window: each prompt becomes a view the popup shows;
 * the popup submits a code or cancels. After a code is submitted the prompt stays, marked
 * `checking`, until AWS has answered: accepted (it closes), rejected (the core asks again with
 * the reason, in the same popup) or failed. The core asks once for any number of concurrent
 * callers (single flight); the broker shows the oldest waiting prompt.
 */
interface Pending {
  request: MfaPromptRequest;
  view: MfaPromptView;
  resolve: (code: string) => void;
  reject: (error: Error) => void;
  answered: boolean;
}

export class MfaPromptBroker implements MfaPrompter {
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(view: MfaPromptView | null) => void>();

  /** @param demoCode demo mode only: the code the emulator's device shows now. */
  constructor(private readonly demoCode?: (serialNumber: string) => Promise<string | null>) {}

  onChange(listener: (view: MfaPromptView | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  current(): MfaPromptView | null {
    return this.pending[0]?.view ?? null;
  }

  private emit(): void {
    const view = this.current();
    for (const listener of this.listeners) listener(view);
  }

  private remove(entry: Pending, emit: 'now' | 'soon'): void {
    const index = this.pending.indexOf(entry);
    if (index === -1) return;
    this.pending.splice(index, 1);
    // After a rejected code the core asks again within this turn of the event loop; emitting
    // on the next turn lets that new prompt replace this one without the popup closing between.
    if (emit === 'now') this.emit();
    else setImmediate(() => this.emit());
  }

  prompt(request: MfaPromptRequest): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (request.signal.aborted) {
        reject(request.signal.reason instanceof Error ? request.signal.reason : new MfaPromptCancelled());
        return;
      }
      const entry: Pending = {
        request,
        view: {
          requestId: randomUUID(),
          identityLabel: request.identityLabel,
          accessKeyId: request.accessKeyId,
          mfaSerial: request.mfaSerial,
          requester: { kind: request.requester.kind, description: request.requester.description },
          purpose: request.purpose.kind === 'mfa-session' ? { kind: 'mfa-session' } : { ...request.purpose },
          attempt: request.attempt,
          previousError: request.previousError ?? null,
          status: 'waiting',
          demoCode: null,
        },
        resolve,
        reject,
        answered: false,
      };
      const onAbort = (): void => {
        this.remove(entry, 'now');
        if (!entry.answered) reject(request.signal.reason instanceof Error ? request.signal.reason : new MfaPromptCancelled());
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.pending.push(entry);
      this.emit();
      if (this.demoCode) {
        void this.demoCode(request.mfaSerial).then(
          (code) => {
            entry.view = { ...entry.view, demoCode: code };
            if (this.pending.includes(entry)) this.emit();
          },
          () => undefined,
        );
      }
    });
  }

  outcome(request: MfaPromptRequest, outcome: MfaOutcome): void {
    const entry = this.pending.find((p) => p.request === request);
    if (!entry) return;
    this.remove(entry, outcome.kind === 'rejected' ? 'soon' : 'now');
  }

  /** The popup's code for a request; false when that request is no longer waiting. */
  submit(requestId: string, code: string): boolean {
    const entry = this.pending.find((p) => p.view.requestId === requestId);
    if (!entry || entry.answered) return false;
    entry.answered = true;
    entry.view = { ...entry.view, status: 'checking' };
    this.emit();
    entry.resolve(code);
    return true;
  }

  cancel(requestId: string): boolean {
    const entry = this.pending.find((p) => p.view.requestId === requestId);
    if (!entry || entry.answered) return false;
    entry.answered = true;
    this.remove(entry, 'now');
    entry.reject(new MfaPromptCancelled());
    return true;
  }

  /** Sign-out or quit: every waiting prompt is cancelled. */
  cancelAll(): void {
    for (const entry of [...this.pending]) {
      this.remove(entry, 'now');
      if (!entry.answered) {
        entry.answered = true;
        entry.reject(new MfaPromptCancelled());
      }
    }
  }
}
