import { UserFacingError } from '../core/user-facing-error.js';
import type { MfaPromptView } from '../ipc/ipc-contract.js';
import type { WindowsPort } from './app-ports.js';
import type { MfaPromptBroker } from './mfa-prompt-broker.js';

/**
 * The MFA popup's side of the prompt broker: the popup window is shown while a prompt waits and
 * hidden when none does; the popup reads the current prompt and answers it with a code or a cancel.
 */
export class MfaPopup {
  constructor(private readonly broker: MfaPromptBroker, windows: WindowsPort) {
    broker.onChange((view) => (view ? windows.showMfaPopup() : windows.hideMfaPopup()));
  }

  onChange(listener: (view: MfaPromptView | null) => void): () => void {
    return this.broker.onChange(listener);
  }

  current(): MfaPromptView | null {
    return this.broker.current();
  }

  submit(requestId: string, code: string): void {
    if (!this.broker.submit(requestId, code)) {
      throw new UserFacingError('mfa-request-gone', 'That sign-in request is no longer waiting for a code.');
    }
  }

  cancel(requestId: string): void {
    this.broker.cancel(requestId);
  }

  /** "Use YubiKey": the code read with ykman and submitted; a sentence when it cannot be read. */
  useYubikey(requestId: string): Promise<void> {
    return this.broker.useYubikey(requestId);
  }

  /** Sign-out or quit: every waiting prompt is cancelled. */
  cancelAll(): void {
    this.broker.cancelAll();
  }
}
