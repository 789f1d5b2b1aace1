import { useEffect, useState } from 'preact/hooks';
import type { AppState, MfaPromptView } from '../../main/ipc/ipc-contract';
import { api, settle } from '../shared/api';
import { Callout, Progress } from '../shared/components';
import { useNow } from '../shared/use-now';
import { AccountsPanel } from './accounts-panel';
import { Header } from './header';
import { IdentityPanel } from './identity-panel';
import { ImportPanel } from './import-panel';
import { LockScreen } from './lock-screen';
import { Notices } from './notices';
import { SettingsPanel } from './settings-panel';
import { Tabs, type TabId } from './tabs';

/**
 * The main window: the session, every account's verified identity, the source identity,
 * importing ~/.aws/config, settings. It renders main's AppState as it arrives (state:changed)
 * and never holds a secret beyond what the user is typing into a field.
 */
export function App() {
  const [state, setState] = useState<AppState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<MfaPromptView | null>(null);
  const [tab, setTab] = useState<TabId>('accounts');
  /** Which identity the Identity tab should open for editing (from "Add access key…" elsewhere). */
  const [editIdentity, setEditIdentity] = useState<string | null>(null);
  const now = useNow();

  useEffect(() => {
    const bridge = api();
    const offState = bridge.onStateChanged(setState);
    const offPrompt = bridge.onMfaPrompt(setPrompt);
    // The tray's "All accounts…": the accounts tab, its search box focused (accounts-panel.tsx
    // focuses it on #search, when it mounts or the hash changes).
    const offFocusSearch = bridge.onFocusSearch(() => {
      setTab('accounts');
      history.replaceState(null, '', '#');
      requestAnimationFrame(() => (window.location.hash = 'search'));
    });
    void settle(() => bridge.getState()).then((result) => {
      if (result.ok) setState((current) => current ?? result.value);
      else setLoadError(result.error.message);
    });
    void settle(() => bridge.currentMfaPrompt()).then((result) => {
      if (result.ok) setPrompt(result.value);
    });
    return () => {
      offState();
      offPrompt();
      offFocusSearch();
    };
  }, []);

  // The tray's "Rotate access key for …" opens the Identity tab (the card opens its confirm).
  const rotationRequest = state?.rotationRequest?.requestId;
  useEffect(() => {
    if (rotationRequest !== undefined) setTab('identity');
  }, [rotationRequest]);

  if (!state) {
    return (
      <main class="app app-loading">
        {loadError ? <Callout tone="error">{loadError}</Callout> : <Progress>Loading AWS Auth Tray…</Progress>}
      </main>
    );
  }

  if (state.storage.locked) return <LockScreen storage={state.storage} />;

  const openIdentity = (id: string | null): void => {
    setEditIdentity(id);
    setTab('identity');
  };

  return (
    <div class="app">
      <Header state={state} prompt={prompt} now={now} />
      <Tabs current={tab} onSelect={setTab} counts={{ accounts: state.accounts.length, identity: state.identities.length }} />
      <main class="content">
        <Notices notices={state.notices} />
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'accounts' ? (
          <AccountsPanel state={state} now={now} onAddKey={openIdentity} onImport={() => setTab('import')} />
        ) : tab === 'identity' ? (
          <IdentityPanel state={state} editRequest={editIdentity} onEditRequestHandled={() => setEditIdentity(null)} onShowAccounts={() => setTab('accounts')} />
        ) : tab === 'import' ? (
          <ImportPanel identities={state.identities} onAddKey={openIdentity} onShowAccounts={() => setTab('accounts')} />
        ) : (
          <SettingsPanel settings={state.settings} endpoint={state.endpoint} />
        )}
        </div>
      </main>
    </div>
  );
}
