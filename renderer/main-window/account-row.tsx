import { Component } from 'preact';
import { useState } from 'preact/hooks';
import type { Result, ShellChoice } from '../../main/ipc/ipc-contract';
import { api, settle } from '../shared/api';
import { Button } from '../shared/components';
import { arnBreaks, expiresIn, fullTime, SHELLS } from '../shared/format';
import { CheckCircleIcon, ClockIcon, CopyIcon, ErrorIcon, MinusCircleIcon, Spinner, WarningIcon } from '../shared/icons';
import type { AccountEntry } from './accounts/account-list';
import type { Feedback } from './accounts/feedback';
import { GroupEditor } from './accounts/group-editor';
import type { RootCause } from './accounts/root-causes';
import { RowMenu, type RowMenuItem } from './accounts/row-menu';

const VERDICTS = {
  ok: { label: 'Verified', Icon: CheckCircleIcon },
  mismatch: { label: 'Mismatch', Icon: WarningIcon },
  error: { label: 'Error', Icon: ErrorIcon },
  unverified: { label: 'Not verified', Icon: MinusCircleIcon },
} as const;

/** An ARN that wraps at its separators (a <wbr> after each ':' and '/') rather than mid-word: one element, cheap to lay out. */
function Arn({ arn }: { arn: string }) {
  return (
    <span class="arn mono" title={arn}>
      {arnBreaks(arn).map((part, index) => (index === 0 ? part : [<wbr key={index} />, part]))}
    </span>
  );
}

/** The tooltip of a profile's name: the name itself (never cut there), then what it signs in as. */
function profileTooltip(entry: AccountEntry): string {
  const role = entry.profile?.roleArn ? `Assumes ${entry.profile.roleArn}` : 'Your IAM user itself (no role)';
  return `${entry.row.profile}\n${role}\nIdentity ${entry.row.identity}${entry.group ? ` · group ${entry.group}` : ''}`;
}

export interface AccountRowProps {
  entry: AccountEntry;
  defaultShell: ShellChoice;
  now: number;
  /** The shared problem above the table this row's failure belongs to, if any. */
  rootCause: RootCause | undefined;
  /** This row's action error, when the panel's one feedback is an error of this row. */
  actionError: string | null;
  onFeedback: (feedback: Feedback | null) => void;
}

/**
 * One account: its own `<tbody>` (so a row and its details stay together for screen readers and
 * sorting). A row the search leaves out stays mounted and is only hidden, and its content skips
 * re-rendering while its props are the same: a keystroke re-renders nothing but what it shows
 * or hides, even with hundreds of accounts.
 */
export function AccountRowView({ hidden, ...props }: AccountRowProps & { hidden: boolean }) {
  const { row } = props.entry;
  return (
    <tbody class={`account row-${row.verdict}${props.entry.favourite ? ' row-favourite' : ''}`} data-profile={row.profile} role="rowgroup" hidden={hidden}>
      <RowContent {...props} />
    </tbody>
  );
}

function shallowDiffers(a: object, b: object): boolean {
  const before = a as Record<string, unknown>;
  const after = b as Record<string, unknown>;
  for (const key in before) if (before[key] !== after[key]) return true;
  for (const key in after) if (!(key in before)) return true;
  return false;
}

class RowContent extends Component<AccountRowProps> {
  override shouldComponentUpdate(next: AccountRowProps): boolean {
    return shallowDiffers(this.props, next);
  }

  override render() {
    return <AccountRowContent {...this.props} />;
  }
}

function AccountRowContent({ entry, defaultShell, now, rootCause, actionError, onFeedback }: AccountRowProps) {
  const { row } = entry;
  const [chosenShell, setChosenShell] = useState<ShellChoice | null>(null);
  const [editingGroup, setEditingGroup] = useState(false);
  const shell = chosenShell ?? defaultShell;
  const shellLabel = SHELLS.find((s) => s.value === shell)?.label ?? shell;
  const [pending, setPending] = useState<'copy' | 'auto-refresh' | 'verify' | 'console' | 'preferences' | null>(null);
  const id = `row-${row.profile}`;
  const problem = row.verdict === 'error' || row.verdict === 'mismatch' ? row.reason : null;
  const verifying = row.verdict === 'verifying';
  const verdict = row.verdict === 'verifying' ? null : VERDICTS[row.verdict];
  const expiry = row.expiresAt ? expiresIn(row.expiresAt, now) : null;
  // A role profile's credentials are a one-hour role session; the IAM user's own are the MFA session.
  const session = entry.profile?.roleArn ? 'Role session' : 'MFA session';
  const name = row.profile;

  /** Runs an action; its error (once, in this row) replaces any toast, its success may show one. */
  const perform = async <T,>(what: NonNullable<typeof pending>, call: () => Promise<Result<T>>, success: (value: T) => string | null): Promise<void> => {
    onFeedback(null);
    setPending(what);
    const result = await settle(call);
    setPending(null);
    if (!result.ok) onFeedback({ kind: 'error', profile: row.profile, text: result.error.message });
    else {
      const text = success(result.value);
      if (text) onFeedback({ kind: 'toast', text });
    }
  };
  const setPreferences = (input: { favourite?: boolean; group?: string | null }): Promise<void> =>
    perform('preferences', () => api().setProfilePreferences({ profile: row.profile, ...input }), () => null);

  const doCopy = (): Promise<void> =>
    perform('copy', () => api().copyExport({ profile: row.profile, format: shell }), (result) => `Copied export commands for ${result.profile} (${shellLabel}). The clipboard clears in ${result.clearsInSeconds} s.`);
  const doAutoRefresh = (): Promise<void> =>
    perform(
      'auto-refresh',
      () => api().copyAutoRefreshSetup({ profile: row.profile, format: shell }),
      (result) => `Copied auto-refresh setup for ${result.profile} (${shellLabel}): paste it into a terminal and its credentials renew by themselves. The clipboard clears in ${result.clearsInSeconds} s.`,
    );
  const doOpenConsole = (): Promise<void> => perform('console', () => api().openConsole({ profile: row.profile }), () => `Opened the AWS console for ${name} in your browser.`);
  const doVerify = (): Promise<void> => perform('verify', () => api().verifyAccounts({ profiles: [row.profile] }), () => null);

  const menuItems: RowMenuItem[] = [
    { kind: 'separator', label: 'Shell for Copy export' },
    ...SHELLS.map((s) => ({ kind: 'radio' as const, label: s.label, checked: s.value === shell, onSelect: () => setChosenShell(s.value) })),
    { kind: 'separator' },
    { kind: 'action', label: `Copy auto-refresh setup (${shellLabel})`, onSelect: () => void doAutoRefresh() },
    { kind: 'action', label: `Verify ${name}`, disabled: verifying || pending === 'verify', onSelect: () => void doVerify() },
    { kind: 'separator' },
    { kind: 'checkbox', label: 'Favourite', checked: entry.favourite, onSelect: () => void setPreferences({ favourite: !entry.favourite }) },
    { kind: 'action', label: entry.group ? `Change group (${entry.group})…` : 'Set group…', onSelect: () => setEditingGroup(true) },
  ];

  // An error already shown above the table (the root cause) or in the row's own reason is not shown again.
  const shownProblem = rootCause ? null : problem;
  // An action's error is said once: its sentence, or, when that is the row's own reason or the
  // problem above the table, a short line pointing there (the action still says it failed).
  const extraError =
    actionError === null ? null : actionError === rootCause?.sentence ? 'That did not work, because of the problem above.' : actionError === problem ? 'That did not work, for the reason above.' : actionError;

  return (
    <>
      <tr role="row">
        <th scope="row" role="rowheader" class="cell-profile">
          <span class="profile-name" title={profileTooltip(entry)}>
            {entry.favourite ? (
              <span class="favourite-mark" title="Favourite">
                <span aria-hidden="true">★ </span>
                <span class="visually-hidden">Favourite: </span>
              </span>
            ) : null}
            {name}
          </span>
          <span class="profile-meta">
            {row.account ? (
              <span class="account-id mono" title="Account (what AWS says)">
                {row.account}
              </span>
            ) : row.expectedAccount ? (
              <span class="account-id mono faint" title="Account (expected, from the profile)">
                {row.expectedAccount}
              </span>
            ) : null}
            {row.accountAlias ? (
              <span class="account-alias" title="Account alias (IAM)">
                <span class="visually-hidden">Alias </span>
                {row.accountAlias}
              </span>
            ) : null}
            {entry.group ? (
              <span class="group-tag" title={`Group ${entry.group}`}>
                <span class="visually-hidden">Group </span>
                {entry.group}
              </span>
            ) : null}
          </span>
        </th>
        <td role="cell" class="cell-arn">
          {row.arn ? (
            <>
              <Arn arn={row.arn} />
              {row.userId ? (
                <span class="user-id mono faint" title="UserId">
                  {row.userId}
                </span>
              ) : null}
            </>
          ) : (
            <span class="expected">
              {row.expectedArn ? <Arn arn={row.expectedArn} /> : <span class="arn">An IAM user{row.expectedAccount ? ` in ${row.expectedAccount}` : ''}</span>}
              <span class="expected-label">{row.verdict === 'unverified' ? 'Expected · not verified yet' : 'Expected'}</span>
            </span>
          )}
        </td>
        <td role="cell" class="cell-verdict">
          {verdict ? (
            <span class={`verdict verdict-${row.verdict}`} aria-describedby={shownProblem || rootCause ? `${id}-reason` : undefined}>
              <verdict.Icon size={15} />
              {verdict.label}
            </span>
          ) : (
            <span class="verdict verdict-verifying">
              <Spinner size={14} />
              Verifying…
            </span>
          )}
          {rootCause ? (
            <a class="cause-ref" id={`${id}-reason`} href={`#cause-${rootCause.id}`}>
              See the problem above
            </a>
          ) : null}
          {row.expiresAt ? (
            <span class="expires faint" title={`${session} expires ${fullTime(row.expiresAt)}`}>
              <ClockIcon size={12} />
              <span class="visually-hidden">{session} expires </span>
              <span class="expires-in">{expiry}</span>
            </span>
          ) : null}
        </td>
        <td role="cell" class="cell-actions">
          <div class="row-actions">
            <Button size="small" icon={<CopyIcon size={13} />} busy={pending === 'copy'} title={`Copy export commands for ${name} (${shellLabel}) to the clipboard`} onClick={() => void doCopy()}>
              Copy export{shell !== defaultShell ? ` (${shellLabel})` : ''}
              <span class="visually-hidden"> for {name}</span>
            </Button>
            <Button size="small" variant="ghost" busy={pending === 'console'} title={`Sign in to the AWS console as ${name}, in your browser`} onClick={() => void doOpenConsole()}>
              Open console
              <span class="visually-hidden"> for {name}</span>
            </Button>
            <RowMenu id={id} label={`More actions for ${name}`} items={menuItems}>
              <span aria-hidden="true" class="row-menu-dots">
                ⋯
              </span>
            </RowMenu>
          </div>
        </td>
      </tr>
      {shownProblem || extraError || editingGroup ? (
        <tr role="row" class="reason-row">
          <td role="cell" colSpan={4}>
            {shownProblem ? (
              <p class={`reason reason-${row.verdict}`} id={`${id}-reason`}>
                {shownProblem}
              </p>
            ) : null}
            {extraError ? (
              <p class="reason reason-error action-error" role="alert">
                {extraError}
              </p>
            ) : null}
            {editingGroup ? (
              <GroupEditor
                profile={name}
                group={entry.group}
                onDone={async (group) => {
                  if (group !== undefined) await setPreferences({ group });
                  setEditingGroup(false);
                  document.getElementById(`${id}-button`)?.focus();
                }}
              />
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  );
}
