import { randomUUID } from 'node:crypto';
import type { HardwareCodes } from '../core/mfa-codes/mfa-code-source.js';
import { UserFacingError } from '../core/user-facing-error.js';
import { MfaPromptCancelled, type MfaOutcome, type MfaPromptRequest, type MfaPrompter } from '../core/sessions/mfa-prompter.js';
import type { MfaPromptView } from '../ipc/ipc-contract.js';

/**
 * The core's MFA prompter, answered by a window: each prompt becomes a view the popup shows;
 * the popup submits a code or cancels. After a code is submitted the prompt stays, marked
 * `checking`, until AWS has answered: accepted (it closes), rejected (the core asks again with
 * the reason, in the same popup) or failed. The core asks once for any number of concurrent
 * callers (single flight); the broker shows the oldest waiting prompt.
 *
 * With ykman installed, each prompt looks for a YubiKey OATH account that holds the device's
 * codes once it is shown (never delaying the field); when one is there the view offers it, and
 * `useYubikey` reads the code (the view says `touch` while the key waits) and submits it.
 */
interface Pending {
  request: MfaPromptRequest;
  view: MfaPromptView;
  resolve: (code: string) => void;
  reject: (error: Error) => void;
  answered: boolean;
  /** Stops a YubiKey read when the prompt goes away. */
  reading?: AbortController;
}

/** What the broker needs of hardware MFA: finding the YubiKey's account, reading a code. */
export type PromptYubikey = Pick<HardwareCodes, 'yubikey' | 'readYubikey'>;

export class MfaPromptBroker implements MfaPrompter {
  private readonly pending: Pending[] = [];
  private readonly listeners = new Set<(view: MfaPromptView | null) => void>();

  /** @param demoCode demo mode only: the code the emulator's device shows now. */
  constructor(
    private readonly demoCode?: (serialNumber: string) => Promise<string | null>,
    /** ykman, for "Use YubiKey"; absent: never offered. */
    private readonly yubikey?: PromptYubikey,
  ) {}

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
    entry.reading?.abort(new MfaPromptCancelled());
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
          yubikey: null,
          yubikeyNote: null,
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
      this.offerYubikey(entry);
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

  /** Looks for the YubiKey account after the prompt is shown; a failure only means no offer. */
  private offerYubikey(entry: Pending): void {
    if (!this.yubikey) return;
    const { request } = entry;
    void this.yubikey.yubikey({ identityLabel: request.identityLabel, mfaSerial: request.mfaSerial, oathAccount: request.oathAccount }, request.signal).then(
      (found) => {
        if (!this.pending.includes(entry) || entry.answered) return;
        if (found.kind === 'account') entry.view = { ...entry.view, yubikey: { account: found.account, status: 'ready' } };
        // No key inserted: nothing changes. Several matching accounts, or the chosen one gone: said.
        else if (found.kind === 'unavailable' && found.code !== 'yubikey-missing') entry.view = { ...entry.view, yubikeyNote: found.sentence };
        else return;
        this.emit();
      },
      () => undefined,
    );
  }

  /**
   * "Use YubiKey": reads the offered account's code with ykman and submits it. Rejects with the
   * sentence (no key, not touched in time); the prompt stays, for the next try or a typed code.
   */
  async useYubikey(requestId: string): Promise<void> {
    const entry = this.pending.find((p) => p.view.requestId === requestId);
    if (!entry || entry.answered) throw new UserFacingError('mfa-request-gone', 'That sign-in request is no longer waiting for a code.');
    const offered = entry.view.yubikey;
    if (!offered || !this.yubikey) throw new UserFacingError('yubikey-not-offered', 'No YubiKey account is offered for this MFA device; type the code.');
    if (offered.status !== 'ready') throw new UserFacingError('yubikey-busy', 'The code is being read from the YubiKey already.');
    const status = (next: 'ready' | 'reading' | 'touch'): void => {
      if (!this.pending.includes(entry) || entry.answered) return;
      entry.view = { ...entry.view, yubikey: { account: offered.account, status: next } };
      this.emit();
    };
    const reading = new AbortController();
    entry.reading = reading;
    status('reading');
    let code: string;
    try {
      code = await this.yubikey.readYubikey(offered.account, { signal: AbortSignal.any([reading.signal, entry.request.signal]), onTouch: () => status('touch') });
    } catch (error) {
      status('ready');
      // Cancelled or answered meanwhile: nothing to say.
      if (reading.signal.aborted || entry.request.signal.aborted) return;
      throw error;
    } finally {
      if (entry.reading === reading) delete entry.reading;
    }
    // A code typed while the key was read went first; this one is not needed.
    if (entry.answered || !this.pending.includes(entry)) return;
    this.submit(requestId, code);
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
