import type { JSX, TargetedInputEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MfaPromptView } from '../../main/ipc/ipc-contract';
import { api, settle } from '../shared/api';
import { Button, Callout } from '../shared/components';
import { CloseIcon, ErrorIcon, FlaskIcon, KeyIcon, LogoIcon, Spinner } from '../shared/icons';

/** What the user typed or pasted, as the digits of a code: spaces and dashes (and anything else) dropped. */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}

function purposeText(view: MfaPromptView): JSX.Element {
  return view.purpose.kind === 'mfa-session' ? (
    <>Sign in to every account</>
  ) : (
    <>
      Assume <span class="mono">{view.purpose.roleArn.split(':role/')[1] ?? view.purpose.roleArn}</span> for <strong>{view.purpose.profile}</strong>
    </>
  );
}

/**
 * The MFA popup: a small frameless window. Shows whose code is asked for and why, takes six
 * digits (typed or pasted), submits on Enter or the sixth digit, and stays open while AWS
 * checks the code; a rejected code comes back as a new prompt with the reason. When ykman holds
 * a YubiKey OATH account for the device, "Use YubiKey" reads the code from it (saying so while
 * the key waits to be touched); the field stays usable meanwhile, and a failure is said beside it.
 */
export function MfaPopup() {
  const [view, setView] = useState<MfaPromptView | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [code, setCode] = useState('');
  const [submittedFor, setSubmittedFor] = useState<string | null>(null);
  const [callError, setCallError] = useState<string | null>(null);
  /** "Use YubiKey" pressed and main has not answered yet. */
  const [keyPending, setKeyPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const bridge = api();
    const off = bridge.onMfaPrompt((next) => {
      setView(next);
      setLoaded(true);
    });
    void settle(() => bridge.currentMfaPrompt()).then((result) => {
      setLoaded(true);
      if (result.ok) setView((current) => current ?? result.value);
      else setCallError(result.error.message);
    });
    return off;
  }, []);

  // A new prompt (the first, or again after a rejected code): empty field, focused.
  const requestId = view?.requestId ?? null;
  useEffect(() => {
    setCode('');
    setSubmittedFor(null);
    setCallError(null);
    setKeyPending(false);
    input.current?.focus();
  }, [requestId]);

  const checking = view?.status === 'checking' || (submittedFor !== null && submittedFor === requestId);

  useEffect(() => {
    if (view && !checking) input.current?.focus();
  }, [checking]);

  const submit = async (digits: string): Promise<void> => {
    if (!view || checking) return;
    if (digits.length !== 6) {
      setCallError(
        digits.length === 0 ? 'Type the six digits your MFA device shows now.' : `An MFA code has six digits; ${digits.length === 1 ? 'one is' : `${digits.length} are`} typed so far.`,
      );
      input.current?.focus();
      return;
    }
    setCallError(null);
    setSubmittedFor(view.requestId);
    const result = await settle(() => api().submitMfaCode({ requestId: view.requestId, code: digits }));
    if (!result.ok) {
      setSubmittedFor(null);
      setCallError(result.error.message);
      setCode('');
      input.current?.focus();
    }
  };

  const yubikey = view?.yubikey ?? null;
  const keyReading = yubikey !== null && (yubikey.status !== 'ready' || keyPending);

  /** Reads the code from the YubiKey (main runs ykman) and submits it; a failure is said beside the field. */
  const useYubikey = async (): Promise<void> => {
    if (!view || checking || keyReading) return;
    setCallError(null);
    setKeyPending(true);
    const result = await settle(() => api().useYubikey({ requestId: view.requestId }));
    setKeyPending(false);
    if (!result.ok) {
      setCallError(result.error.message);
      input.current?.focus();
    }
  };

  /** Enter (or Sign in) submits what is typed; fewer than six digits are refused with a sentence. */
  const onSubmit = (event: Event): void => {
    event.preventDefault();
    void submit(code);
  };

  const cancel = (): void => {
    if (!view) return;
    void settle(() => api().cancelMfaPrompt({ requestId: view.requestId })).then((result) => {
      if (!result.ok) setCallError(result.error.message);
    });
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const onInput = (event: TargetedInputEvent<HTMLInputElement>): void => {
    const digits = codeDigits(event.currentTarget.value);
    // Keep the field showing exactly the digits (a pasted "123 456" becomes "123456").
    event.currentTarget.value = digits;
    setCode(digits);
    if (callError) setCallError(null);
    if (digits.length === 6) void submit(digits);
  };

  const error = callError ?? (checking ? null : (view?.previousError ?? null));

  return (
    <div class="popup">
      <header class="titlebar">
        <span class="titlebar-mark">
          <LogoIcon size={15} />
        </span>
        <h1 class="titlebar-title">AWS Auth Tray · MFA code</h1>
        <button type="button" class="titlebar-close" onClick={cancel} aria-label="Cancel and close" title="Cancel (Esc)" disabled={!view}>
          <CloseIcon size={14} />
        </button>
      </header>

      <main class="popup-main">
        {!view ? (
          <div class="popup-idle" role="status">
            {loaded ? 'No sign-in is waiting for a code.' : 'Loading…'}
          </div>
        ) : (
          <form class="popup-body" onSubmit={onSubmit} aria-busy={checking ? 'true' : undefined} noValidate>
            <div class="who">
              <h2 class="purpose">{purposeText(view)}</h2>
              <p class="requester faint">Asked by {view.requester.description}</p>
              <dl class="who-facts">
                <dt>IAM user</dt>
                <dd>
                  <strong>{view.identityLabel}</strong> <span class="mono faint">{view.accessKeyId}</span>
                </dd>
                <dt>MFA device</dt>
                <dd class="mono" title={view.mfaSerial}>
                  {view.mfaSerial}
                </dd>
              </dl>
            </div>

            <label for="mfa-code" class="code-label">
              Code from your MFA device
            </label>
            <div class="code-field">
              {/* Read-only, not disabled, while AWS checks the code: a disabled field would drop the keyboard focus. */}
              <input
                id="mfa-code"
                ref={input}
                class={`code-input mono${error ? ' code-input-error' : ''}`}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                placeholder="000000"
                value={code}
                readOnly={checking}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby="mfa-status"
                autoFocus
                onInput={onInput}
              />
              {view.demoCode ? (
                <div class="demo-code" role="note">
                  <span class="demo-code-value mono">
                    <FlaskIcon size={13} />
                    {view.demoCode}
                  </span>
                  <span class="demo-code-label">Demo only: code from the local STS emulator</span>
                </div>
              ) : null}
            </div>

            <div id="mfa-status" class="popup-status" aria-live="assertive">
              {checking ? (
                <span class="checking" role="status">
                  <Spinner size={14} />
                  Checking with AWS…
                </span>
              ) : yubikey?.status === 'touch' ? (
                <span class="yubikey-touch" role="status">
                  <KeyIcon size={14} />
                  Touch your YubiKey…
                </span>
              ) : keyReading ? (
                <span class="checking" role="status">
                  <Spinner size={14} />
                  Reading the code from your YubiKey…
                </span>
              ) : error ? (
                <span class="code-error" role="alert">
                  <ErrorIcon size={14} />
                  <span>{error}</span>
                </span>
              ) : view.yubikeyNote ? (
                <span class="faint">{view.yubikeyNote}</span>
              ) : view.attempt > 1 ? null : yubikey ? (
                <span class="faint">Type the six digits, or use your YubiKey.</span>
              ) : (
                <span class="faint">Type or paste the six digits; it is sent on the sixth.</span>
              )}
            </div>

            <div class="popup-actions">
              {yubikey ? (
                <Button
                  class="yubikey-button"
                  icon={<KeyIcon size={14} />}
                  busy={keyReading}
                  disabled={checking}
                  title={`Read the code from the OATH account "${yubikey.account}" on your YubiKey`}
                  onClick={() => void useYubikey()}
                >
                  Use YubiKey
                </Button>
              ) : null}
              <Button onClick={cancel}>Cancel</Button>
              <Button type="submit" variant="primary" busy={checking}>
                {checking ? 'Checking…' : 'Sign in'}
              </Button>
            </div>
          </form>
        )}
        {callError && !view ? <Callout tone="error">{callError}</Callout> : null}
      </main>
    </div>
  );
}
