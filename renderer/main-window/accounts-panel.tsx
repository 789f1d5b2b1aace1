import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppState } from '../../main/ipc/ipc-contract';
import { Button, Callout } from '../shared/components';
import { plural } from '../shared/format';
import { CheckCircleIcon } from '../shared/icons';
import { AccountRowView } from './account-row';
import { EmptyState } from './empty-state';

/** The accounts table: every profile, what AWS says it is, and how to get its credentials. */
export function AccountsPanel({ state, now, onAddKey, onImport }: { state: AppState; now: number; onAddKey: (identityId: string | null) => void; onImport: () => void }) {
  const [toast, setToast] = useState<{ text: string; serial: number } | null>(null);
  const serial = useRef(0);

  useEffect(() => {
    if (!toast) return undefined;
    const timer = window.setTimeout(() => setToast(null), 5000);
    return () => window.clearTimeout(timer);
  }, [toast]);

  if (state.identities.length === 0 && state.profiles.length === 0) {
    return <EmptyState onImport={onImport} onAddKey={() => onAddKey(null)} />;
  }

  const rows = state.accounts;
  const verified = rows.filter((r) => r.verdict === 'ok').length;
  const failing = rows.filter((r) => r.verdict === 'error' || r.verdict === 'mismatch').length;
  const withoutKeys = state.identities.filter((i) => !i.hasSecret);
  const counts = [verified > 0 ? `${verified} verified` : '', failing > 0 ? `${failing} need attention` : ''].filter(Boolean);
  const summary = state.busy.verifying
    ? `${plural(rows.length, 'account')} · checking each one with sts get-caller-identity…`
    : counts.length > 0
      ? [plural(rows.length, 'account'), ...counts].join(' · ')
      : state.session.signedIn
        ? `${plural(rows.length, 'account')} · not verified yet: choose Verify all`
        : `${plural(rows.length, 'account')} · sign in to verify each one with sts get-caller-identity`;

  return (
    <section class="panel accounts-panel" aria-labelledby="accounts-title">
      <div class="panel-head">
        <div>
          <h2 id="accounts-title">Accounts</h2>
          <p class="muted">{summary}</p>
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

      <div class="table-wrap">
        <table class="accounts">
          <colgroup>
            <col class="col-profile" />
            <col class="col-arn" />
            <col class="col-verdict" />
            <col class="col-actions" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Profile · Account</th>
              <th scope="col">Arn · UserId</th>
              <th scope="col">Status · Expires</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {rows.map((row) => (
            <AccountRowView
              key={row.profile}
              row={row}
              profile={state.profiles.find((p) => p.name === row.profile)}
              defaultShell={state.settings.defaultShell}
              now={now}
              onCopied={(text) => {
                serial.current += 1;
                setToast({ text, serial: serial.current });
              }}
            />
          ))}
        </table>
      </div>

      <div class="toast-region" aria-live="polite">
        {toast ? (
          <div class="toast" key={toast.serial}>
            <CheckCircleIcon size={15} />
            <span>{toast.text}</span>
          </div>
        ) : null}
      </div>
    </section>
  );
}
