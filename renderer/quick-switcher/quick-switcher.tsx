import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AppState } from '../../main/ipc/ipc-contract';
import { api, settle } from '../shared/api';
import { SHELLS } from '../shared/format';
import { CheckCircleIcon, ErrorIcon, MinusCircleIcon, Spinner, WarningIcon } from '../shared/icons';
import { rankAccounts, type SwitcherAccount } from './rank-accounts';

/**
 * The quick switcher: a small window the global shortcut opens near the tray. Type a few
 * letters of an account; Enter copies its export commands in the default shell, Ctrl+O (⌘O)
 * opens its AWS console, Ctrl+Enter (⌘↩) verifies it; Esc clears, then closes. Fully keyboard-
 * driven: the field keeps the focus, the arrows move through the list (a combobox with a listbox).
 */

const VERDICT = {
  ok: { label: 'Verified', Icon: CheckCircleIcon },
  mismatch: { label: 'Mismatch', Icon: WarningIcon },
  error: { label: 'Error', Icon: ErrorIcon },
  unverified: { label: 'Not verified', Icon: MinusCircleIcon },
  verifying: { label: 'Verifying…', Icon: Spinner },
} as const;

const LIST_ID = 'switcher-results';
const optionId = (profile: string): string => `switcher-option-${profile}`;

function roleNameOf(roleArn: string | null): string | null {
  return roleArn ? (roleArn.split(':role/')[1] ?? null) : null;
}

export function QuickSwitcher() {
  const [state, setState] = useState<AppState | null>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const bridge = api();
    const off = bridge.onStateChanged(setState);
    void settle(() => bridge.getState()).then((result) => {
      if (result.ok) setState((current) => current ?? result.value);
      else setMessage({ tone: 'error', text: result.error.message });
    });
    // Opened again by the shortcut: start from an empty field.
    const reset = (): void => {
      if (document.visibilityState !== 'visible') return;
      setQuery('');
      setActive(0);
      setMessage(null);
      input.current?.focus();
    };
    document.addEventListener('visibilitychange', reset);
    input.current?.focus();
    return () => {
      off();
      document.removeEventListener('visibilitychange', reset);
    };
  }, []);

  const accounts = useMemo<SwitcherAccount[]>(() => {
    if (!state) return [];
    const profiles = new Map(state.profiles.map((p) => [p.name, p]));
    return state.accounts.map((row) => {
      const profile = profiles.get(row.profile);
      return { row, favourite: profile?.favourite ?? false, roleName: roleNameOf(profile?.roleArn ?? null) };
    });
  }, [state]);
  const results = useMemo(() => rankAccounts(accounts, query), [accounts, query]);
  const current = results[Math.min(active, results.length - 1)];
  const shell = state?.settings.defaultShell ?? 'bash';
  const shellLabel = SHELLS.find((s) => s.value === shell)?.label ?? shell;

  const close = (): void => {
    void settle(() => api().closeQuickSwitcher());
  };

  const run = async (what: 'copy' | 'console' | 'verify', profile: string): Promise<void> => {
    setMessage(what === 'verify' ? { tone: 'info', text: `Verifying ${profile}…` } : null);
    const bridge = api();
    const result =
      what === 'copy'
        ? await settle(() => bridge.copyExport({ profile, format: shell }))
        : what === 'console'
          ? await settle(() => bridge.openConsole({ profile }))
          : await settle(() => bridge.verifyAccounts({ profiles: [profile] }));
    if (!result.ok) {
      setMessage({ tone: 'error', text: result.error.message });
      return;
    }
    if (what === 'verify') {
      const row = Array.isArray(result.value) ? result.value[0] : undefined;
      setMessage(row?.verdict === 'ok' ? { tone: 'info', text: `${profile} is verified: ${row.arn ?? ''}` } : { tone: 'error', text: row?.reason ?? `${profile} could not be verified.` });
      return;
    }
    close();
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    const command = event.ctrlKey || event.metaKey;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (results.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (Math.min(index, results.length - 1) + step + results.length) % results.length);
      return;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      if (query !== '') {
        setQuery('');
        setActive(0);
      } else close();
      return;
    }
    if (!current) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      void run(command ? 'verify' : 'copy', current.row.profile);
    } else if (command && event.key.toLowerCase() === 'o') {
      event.preventDefault();
      void run('console', current.row.profile);
    }
  };

  return (
    <main class="switcher" aria-labelledby="switcher-title">
      <h1 id="switcher-title" class="visually-hidden">
        Quick switcher
      </h1>
      <div class="switcher-search">
        <label for="switcher-query" class="visually-hidden">
          Find an account
        </label>
        <input
          id="switcher-query"
          ref={input}
          class="input switcher-input"
          type="text"
          role="combobox"
          aria-expanded={results.length > 0 ? 'true' : 'false'}
          aria-controls={LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current.row.profile) : undefined}
          aria-describedby="switcher-keys"
          placeholder="Find an account: name, alias, account id or role"
          autocomplete="off"
          spellcheck={false}
          value={query}
          onInput={(event) => {
            setQuery(event.currentTarget.value);
            setActive(0);
            setMessage(null);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <ul id={LIST_ID} class="switcher-results" role="listbox" aria-label="Accounts">
        {results.map((account, index) => {
          const verdict = VERDICT[account.row.verdict];
          const selected = account === current;
          return (
            <li
              key={account.row.profile}
              id={optionId(account.row.profile)}
              role="option"
              aria-selected={selected ? 'true' : 'false'}
              class={`switcher-option${selected ? ' is-active' : ''}`}
              onMouseMove={() => setActive(index)}
              onClick={() => void run('copy', account.row.profile)}
            >
              <span class="switcher-name">
                {account.favourite ? <span aria-label="Favourite">★ </span> : null}
                {account.row.profile}
              </span>
              <span class="switcher-detail mono">
                {account.row.account ?? account.row.expectedAccount ?? ''}
                {account.row.accountAlias ? ` · ${account.row.accountAlias}` : ''}
              </span>
              <span class="switcher-detail">{account.roleName ?? 'IAM user'}</span>
              <span class={`switcher-verdict verdict-${account.row.verdict}`}>
                <verdict.Icon size={13} />
                {verdict.label}
              </span>
            </li>
          );
        })}
      </ul>
      {state && results.length === 0 ? (
        <p class="switcher-empty">{state.accounts.length === 0 ? 'No accounts yet: import your ~/.aws/config in the main window.' : `No account matches “${query}”.`}</p>
      ) : null}
      <div class={`switcher-message${message?.tone === 'error' ? ' is-error' : ''}`} role={message?.tone === 'error' ? 'alert' : 'status'}>
        {message?.text ?? ''}
      </div>
      <p id="switcher-keys" class="switcher-keys">
        <kbd>↵</kbd> copy export ({shellLabel}) · <kbd>Ctrl</kbd>+<kbd>O</kbd> open console · <kbd>Ctrl</kbd>+<kbd>↵</kbd> verify · <kbd>Esc</kbd> close
      </p>
    </main>
  );
}
