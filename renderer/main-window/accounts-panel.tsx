import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AppState } from '../../main/ipc/ipc-contract';
import { Button, Callout } from '../shared/components';
import { CheckCircleIcon } from '../shared/icons';
import { AccountRowView } from './account-row';
import { accountEntries, arrangeAccounts, DEFAULT_LIST_OPTIONS, matchesQuery, sectionAccounts, summaryText, type AccountEntry, type ListOptions } from './accounts/account-list';
import { AccountsToolbar } from './accounts/accounts-toolbar';
import type { Feedback } from './accounts/feedback';
import { LiveAnnouncer, useRunEndAnnouncement } from './accounts/live-announcer';
import { RootCauseBanner } from './accounts/root-cause-banner';
import { findRootCauses } from './accounts/root-causes';
import { SearchBar } from './accounts/search-bar';
import { EmptyState } from './empty-state';

/** Whether a key press happens while the person is typing somewhere (then `/` is a character, not a shortcut). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * The accounts table: every profile, what AWS says it is, and how to get its credentials;
 * searchable (`/` or Ctrl+F), sorted, accounts needing attention and favourites first,
 * grouped, and each failure shared by several rows shown once above the table.
 */
export function AccountsPanel({ state, now, onAddKey, onImport }: { state: AppState; now: number; onAddKey: (identityId: string | null) => void; onImport: () => void }) {
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [options, setOptions] = useState<ListOptions>(DEFAULT_LIST_OPTIONS);
  const search = useRef<HTMLInputElement>(null);
  const announcement = useRunEndAnnouncement(state.accounts, state.session.signedIn);

  useEffect(() => {
    if (feedback?.kind !== 'toast') return undefined;
    const timer = window.setTimeout(() => setFeedback((current) => (current === feedback ? null : current)), 5000);
    return () => window.clearTimeout(timer);
  }, [feedback]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const ctrlF = (event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f';
      const slash = event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingIn(event.target);
      if (!ctrlF && !slash) return;
      event.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    // Opened (or shown again) from the tray's "All accounts…" with #search: start in the search box.
    const onHash = (): void => {
      if (window.location.hash === '#search') search.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    onHash();
    return () => {
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  const entries = useMemo(() => accountEntries(state.accounts, state.profiles), [state.accounts, state.profiles]);
  // Every row stays mounted in its place; the search only hides rows (see account-row.tsx).
  const arranged = useMemo(() => arrangeAccounts(entries, { query: '', sort: options.sort, attentionFirst: options.attentionFirst }), [entries, options.sort, options.attentionFirst]);
  const sections = useMemo(() => sectionAccounts(arranged, options.grouping), [arranged, options.grouping]);
  const query = options.query.trim();
  const shown = useMemo(() => (query ? new Set(entries.filter((e) => matchesQuery(e, query)).map((e) => e.row.profile)) : null), [entries, query]);
  const isShown = (entry: AccountEntry): boolean => shown === null || shown.has(entry.row.profile);
  const shownCount = shown === null ? entries.length : shown.size;

  const rootCauses = useMemo(() => findRootCauses(state.accounts), [state.accounts]);

  if (state.identities.length === 0 && state.profiles.length === 0) {
    return <EmptyState onImport={onImport} onAddKey={() => onAddKey(null)} />;
  }

  const rows = state.accounts;
  const withoutKeys = state.identities.filter((i) => !i.hasSecret);
  const summary = summaryText(rows, { verifying: state.busy.verifying, signedIn: state.session.signedIn });
  const change = (patch: Partial<ListOptions>): void => setOptions((current) => ({ ...current, ...patch }));

  return (
    <section class="panel accounts-panel" aria-labelledby="accounts-title">
      <div class="panel-head">
        <div>
          <h2 id="accounts-title">Accounts</h2>
          <p class="muted accounts-summary">{summary}</p>
        </div>
      </div>

      {withoutKeys.map((identity) => (
        <Callout
          key={identity.id}
          tone="warning"
          actions={
            <Button size="small" onClick={() => onAddKey(identity.id)}>
              Add access key…
            </Button>
          }
        >
          <strong>{identity.label}</strong> has no access key yet. Add the IAM user’s access key and secret to sign in.
        </Callout>
      ))}

      <RootCauseBanner causes={rootCauses.causes} identityIdOf={(label) => state.identities.find((i) => i.label === label)?.id} onEditIdentity={onAddKey} />

      <div class="accounts-controls">
        <SearchBar value={options.query} onChange={(query) => change({ query })} shown={shownCount} total={rows.length} inputRef={search} />
        <AccountsToolbar options={options} onChange={change} />
      </div>

      <a class="skip-link" href="#accounts-end">
        Skip the list of {rows.length} accounts
      </a>
      <div class="table-wrap">
        {/* Explicit roles: the table lays out as a grid (accounts-table.css), its semantics stay a table's. */}
        <table class="accounts" role="table" aria-describedby="account-search-count">
          <caption class="visually-hidden">Accounts{options.query.trim() ? ` matching “${options.query.trim()}”` : ''}</caption>
          <colgroup>
            <col class="col-profile" />
            <col class="col-arn" />
            <col class="col-verdict" />
            <col class="col-actions" />
          </colgroup>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                Profile · Account
              </th>
              <th scope="col" role="columnheader">
                Arn · UserId
              </th>
              <th scope="col" role="columnheader">
                Status · Expires
              </th>
              <th scope="col" role="columnheader">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {sections.map((section) => {
            const visible = section.entries.filter(isShown).length;
            return [
              section.label !== null ? (
                <tbody key={`head-${section.key}`} class="group-head" role="rowgroup" data-group={section.key} hidden={visible === 0}>
                  <tr role="row">
                    <th scope="colgroup" role="rowheader" colSpan={4}>
                      {section.label} <span class="group-count">· {visible}</span>
                    </th>
                  </tr>
                </tbody>
              ) : null,
              ...section.entries.map((entry) => (
                <AccountRowView
                  key={entry.row.profile}
                  hidden={!isShown(entry)}
                  entry={entry}
                  defaultShell={state.settings.defaultShell}
                  now={now}
                  rootCause={rootCauses.causeOf.get(entry.row.profile)}
                  actionError={feedback?.kind === 'error' && feedback.profile === entry.row.profile ? feedback.text : null}
                  onFeedback={setFeedback}
                />
              )),
            ];
          })}
        </table>
        {shownCount === 0 ? (
          <p class="no-match">
            No account matches “{options.query.trim()}”. Search looks in profile names, account ids and aliases, roles, identities and groups.{' '}
            <button type="button" class="link-button" onClick={() => change({ query: '' })}>
              Clear the search
            </button>
          </p>
        ) : null}
      </div>
      <p id="accounts-end" class="accounts-end" tabIndex={-1}>
        End of the account list.{' '}
        <a
          href="#account-search"
          onClick={(event) => {
            event.preventDefault();
            search.current?.focus();
          }}
        >
          Back to search
        </a>
      </p>

      <LiveAnnouncer text={announcement} />
      <div class="toast-region" aria-live="polite">
        {feedback?.kind === 'toast' ? (
          <div class="toast">
            <CheckCircleIcon size={15} />
            <span>{feedback.text}</span>
          </div>
        ) : null}
      </div>
    </section>
  );
}
