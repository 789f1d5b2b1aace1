import type { AppState, MfaPromptView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout } from '../shared/components';
import { clockTime, fullTime } from '../shared/format';
import { FlaskIcon, KeyIcon, LogoIcon, PhoneIcon, RefreshIcon, SignOutIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';

/** The title bar of the window: who is signed in until when, and the three session actions. */
export function Header({ state, prompt, now }: { state: AppState; prompt: MfaPromptView | null; now: number }) {
  const signIn = useAction(() => api().signIn());
  const verifyAll = useAction(() => api().verifyAccounts({}));
  const signOut = useAction(() => api().signOut());
  const { session, busy } = state;
  const signingIn = busy.signingIn || signIn.pending;
  const hasKeys = state.identities.some((i) => i.hasSecret);
  const who = session.userName ?? session.identityLabel ?? 'your IAM user';
  const errors = [signIn.error, verifyAll.error, signOut.error].filter((e): e is string => e !== null);

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
        <div class="session-status" role="status" aria-live="polite">
          {session.signedIn ? (
            <span class="status-pill status-on" title={session.expiresAt ? `MFA session expires ${fullTime(session.expiresAt)}` : undefined}>
              <span class="status-dot" aria-hidden="true" />
              Signed in as <strong>{who}</strong>
              {session.expiresAt ? <span class="status-until"> · until {clockTime(session.expiresAt, now)}</span> : null}
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
            variant="primary"
            icon={<KeyIcon size={15} />}
            busy={signingIn}
            disabled={!hasKeys}
            title={hasKeys ? 'Ask for one MFA code and sign in to every account' : 'Add your IAM user\u2019s access key first'}
            onClick={() => void signIn.run()}
          >
            {signingIn ? 'Signing in…' : 'Sign in with MFA…'}
          </Button>
          <Button icon={<RefreshIcon size={15} />} busy={busy.verifying} disabled={state.accounts.length === 0} onClick={() => void verifyAll.run()}>
            {busy.verifying ? 'Verifying…' : 'Verify all'}
          </Button>
          <Button icon={<SignOutIcon size={15} />} busy={signOut.pending} disabled={!session.signedIn && !signingIn} onClick={() => void signOut.run()}>
            Sign out
          </Button>
        </div>
      </div>
      {prompt ? (
        <div class="header-note" role="status">
          <PhoneIcon size={15} />
          <span>
            Waiting for the MFA code for <strong>{prompt.identityLabel}</strong>: enter the code from your device in the small AWS Auth Tray window.
          </span>
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
