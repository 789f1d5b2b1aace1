import type { AppState, MfaPromptView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, moveFocus } from '../shared/components';
import { clockTime, fullTime } from '../shared/format';
import { FlaskIcon, KeyIcon, LogoIcon, PhoneIcon, RefreshIcon, SignOutIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';

/**
 * The title bar of the window: who is signed in until when, and the session actions. The
 * primary button is the next useful thing to do: sign in while signed out, verify once signed in.
 *
 * Two expiries exist and are named so: the header's is the MFA session (what one code bought,
 * hours); each account row shows its role session (at most an hour, renewed from the MFA session
 * without a new code).
 */
export function Header({ state, prompt, now }: { state: AppState; prompt: MfaPromptView | null; now: number }) {
  const signIn = useAction(() => api().signIn());
  const verifyAll = useAction(() => api().verifyAccounts({}));
  const signOut = useAction(() => api().signOut());
  const showPrompt = useAction(() => api().showMfaPrompt());
  const { session, busy } = state;
  const signingIn = busy.signingIn || signIn.pending;
  const hasKeys = state.identities.some((i) => i.hasSecret);
  const who = session.userName ?? session.identityLabel ?? 'your IAM user';
  const errors = [signIn.error, verifyAll.error, signOut.error, showPrompt.error].filter((e): e is string => e !== null);
  const signedIn = session.signedIn && !signingIn;

  const onSignIn = async (): Promise<void> => {
    const done = await signIn.run();
    // Signed in: the status says until when; cancelled or refused: the button, to try again.
    moveFocus(done === undefined ? 'header-sign-in' : 'session-status', 'header-sign-in');
  };
  const onSignOut = async (): Promise<void> => {
    const done = await signOut.run();
    if (done !== undefined) moveFocus('header-sign-in', 'header-sign-out');
  };

  return (
    <header class="header">
      <div class="header-row">
        <div class="brand">
          <span class="brand-mark">
            <LogoIcon size={18} />
          </span>
          <h1 class="brand-name">AWS Auth Tray</h1>
          {state.demo ? (
            <span class="demo-badge" title="Demo mode: nothing here talks to AWS">
              <FlaskIcon size={13} />
              Demo: talking to the local STS emulator
            </span>
          ) : null}
        </div>
        <div class="session-status" id="session-status" tabIndex={-1} role="status" aria-live="polite">
          {session.signedIn ? (
            <span
              class="status-pill status-on"
              title={
                session.expiresAt
                  ? `The MFA session (one code) lasts until ${fullTime(session.expiresAt)}. Each account's role session lasts at most an hour and is renewed from it without a new code.`
                  : undefined
              }
            >
              <span class="status-dot" aria-hidden="true" />
              <span>
                Signed in as <strong>{who}</strong>
                {session.expiresAt ? <span class="status-until"> · MFA session until {clockTime(session.expiresAt, now)}</span> : null}
              </span>
            </span>
          ) : (
            <span class="status-pill status-off">
              <span class="status-dot" aria-hidden="true" />
              Signed out
            </span>
          )}
        </div>
        <div class="header-actions">
          <Button
            id="header-sign-in"
            variant={signedIn ? 'secondary' : 'primary'}
            icon={<KeyIcon size={15} />}
            busy={signingIn}
            disabled={!hasKeys}
            title={hasKeys ? 'Ask for one MFA code and sign in to every account' : 'Add your IAM user\u2019s access key first'}
            onClick={() => void onSignIn()}
          >
            {signingIn ? 'Signing in…' : signedIn ? 'Sign in again…' : 'Sign in with MFA…'}
          </Button>
          <Button
            id="header-verify"
            variant={signedIn ? 'primary' : 'secondary'}
            icon={<RefreshIcon size={15} />}
            busy={busy.verifying}
            disabled={state.accounts.length === 0}
            onClick={() => void verifyAll.run()}
          >
            {busy.verifying ? 'Verifying…' : 'Verify all'}
          </Button>
          <Button id="header-sign-out" icon={<SignOutIcon size={15} />} busy={signOut.pending} disabled={!session.signedIn && !signingIn} onClick={() => void onSignOut()}>
            Sign out
          </Button>
        </div>
      </div>
      {prompt ? (
        <div class="header-note" role="status">
          <PhoneIcon size={15} />
          <span class="header-note-text">
            Waiting for the MFA code for <strong>{prompt.identityLabel}</strong>: enter the code from your device in the small AWS Auth Tray window.
          </span>
          <Button size="small" id="header-show-prompt" busy={showPrompt.pending} onClick={() => void showPrompt.run()}>
            Show the MFA prompt
          </Button>
        </div>
      ) : null}
      {errors.length > 0 ? (
        <div class="header-errors">
          {errors.map((error) => (
            <Callout
              key={error}
              tone="error"
              actions={
                <Button
                  variant="ghost"
                  size="small"
                  onClick={() => {
                    signIn.clearError();
                    verifyAll.clearError();
                    signOut.clearError();
                    showPrompt.clearError();
                    moveFocus('header-sign-in');
                  }}
                >
                  Dismiss
                </Button>
              }
            >
              {error}
            </Callout>
          ))}
        </div>
      ) : null}
    </header>
  );
}
