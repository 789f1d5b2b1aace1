import { describe, expect, it } from 'vitest';
import { MfaPromptBroker } from '../../../main/app-services/mfa-prompt-broker.js';
import type { MfaPromptRequest } from '../../../main/core/sessions/mfa-prompter.js';
import type { MfaPromptView } from '../../../main/ipc/ipc-contract.js';

/** The popup's side of the MFA prompt: shown, checked, retried, cancelled. */
function request(overrides: Partial<MfaPromptRequest> = {}): MfaPromptRequest {
  return {
    identityLabel: 'security',
    accessKeyId: 'AKIAEXAMPLEEXAMPLE00',
    mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
    requester: { kind: 'tray', description: 'the tray menu' },
    purpose: { kind: 'mfa-session' },
    attempt: 1,
    signal: new AbortController().signal,
    ...overrides,
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('MfaPromptBroker', () => {
  it('shows the prompt, stays open as "checking" after a code, closes when AWS accepts it', async () => {
    const broker = new MfaPromptBroker();
    const seen: (MfaPromptView | null)[] = [];
    broker.onChange((v) => seen.push(v));
    const req = request();
    const code = broker.prompt(req);
    const view = broker.current();
    expect(view).toMatchObject({ identityLabel: 'security', mfaSerial: 'arn:aws:iam::111111111111:mfa/alice', requester: { description: 'the tray menu' }, status: 'waiting', previousError: null, demoCode: null });
    expect(broker.submit(view?.requestId ?? '', '123456')).toBe(true);
    expect(await code).toBe('123456');
    expect(broker.current()?.status).toBe('checking');
    broker.outcome(req, { kind: 'accepted' });
    expect(broker.current()).toBeNull();
    expect(seen.map((v) => v?.status ?? null)).toEqual(['waiting', 'checking', null]);
  });

  it('a rejected code is replaced by the retry prompt without the popup closing in between', async () => {
    const broker = new MfaPromptBroker();
    const seen: (string | null)[] = [];
    broker.onChange((v) => seen.push(v ? `${v.status}:${v.attempt}:${v.previousError ?? ''}` : null));
    const first = request();
    void broker.prompt(first);
    broker.submit(broker.current()?.requestId ?? '', '000000');
    broker.outcome(first, { kind: 'rejected', message: 'AWS rejected the MFA code.' });
    void broker.prompt(request({ attempt: 2, previousError: 'AWS rejected the MFA code.' }));
    await nextTurn();
    expect(seen).toEqual(['waiting:1:', 'checking:1:', 'waiting:2:AWS rejected the MFA code.', 'waiting:2:AWS rejected the MFA code.']);
    expect(seen).not.toContain(null);
  });

  it('a rejected code with no retry closes the popup on the next turn', async () => {
    const broker = new MfaPromptBroker();
    const first = request();
    void broker.prompt(first);
    broker.submit(broker.current()?.requestId ?? '', '000000');
    broker.outcome(first, { kind: 'rejected', message: 'no more attempts' });
    await nextTurn();
    expect(broker.current()).toBeNull();
  });

  it('cancel rejects with the cancellation sentence; a second answer is refused', async () => {
    const broker = new MfaPromptBroker();
    const code = broker.prompt(request());
    const id = broker.current()?.requestId ?? '';
    expect(broker.cancel(id)).toBe(true);
    await expect(code).rejects.toMatchObject({ code: 'mfa-cancelled', message: 'Sign-in cancelled: no MFA code was entered.' });
    expect(broker.submit(id, '123456')).toBe(false);
    expect(broker.current()).toBeNull();
  });

  it('an aborted request (sign-out) closes its prompt', async () => {
    const broker = new MfaPromptBroker();
    const controller = new AbortController();
    const code = broker.prompt(request({ signal: controller.signal }));
    controller.abort(new Error('Signed out while waiting for the MFA code.'));
    await expect(code).rejects.toThrow('Signed out while waiting for the MFA code.');
    expect(broker.current()).toBeNull();
  });

  it('demo mode adds the emulator device code once it is read', async () => {
    const broker = new MfaPromptBroker(() => Promise.resolve('654321'));
    void broker.prompt(request());
    expect(broker.current()?.demoCode).toBeNull();
    await nextTurn();
    expect(broker.current()?.demoCode).toBe('654321');
  });
});
