import { useState } from 'preact/hooks';
import type { AccountRow, ProfileView, ShellChoice } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button } from '../shared/components';
import { arnBreaks, expiresIn, fullTime, isShellChoice, SHELLS } from '../shared/format';
import { CheckCircleIcon, ClockIcon, CopyIcon, ErrorIcon, MinusCircleIcon, RefreshIcon, Spinner, TerminalIcon, WarningIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';

const VERDICTS = {
  ok: { label: 'Verified', Icon: CheckCircleIcon },
  mismatch: { label: 'Mismatch', Icon: WarningIcon },
  error: { label: 'Error', Icon: ErrorIcon },
  unverified: { label: 'Not verified', Icon: MinusCircleIcon },
} as const;

/** An ARN that wraps at its separators rather than mid-word. */
function Arn({ arn }: { arn: string }) {
  return (
    <span class="arn mono" title={arn}>
      {arnBreaks(arn).map((part, index) => (
        <span key={index} class="arn-part">
          {part}
        </span>
      ))}
    </span>
  );
}

function roleName(profile: ProfileView | undefined): string {
  if (!profile) return '';
  return profile.roleArn ? `Assumes ${profile.roleArn}` : 'Your IAM user itself (no role)';
}

export function AccountRowView({
  row,
  profile,
  defaultShell,
  now,
  onCopied,
}: {
  row: AccountRow;
  profile: ProfileView | undefined;
  defaultShell: ShellChoice;
  now: number;
  onCopied: (text: string) => void;
}) {
  const [chosenShell, setChosenShell] = useState<ShellChoice | null>(null);
  const shell = chosenShell ?? defaultShell;
  const shellLabel = SHELLS.find((s) => s.value === shell)?.label ?? shell;
  const copy = useAction(() => api().copyExport({ profile: row.profile, format: shell }));
  const autoRefresh = useAction(() => api().copyAutoRefreshSetup({ profile: row.profile, format: shell }));
  const verify = useAction(() => api().verifyAccounts({ profiles: [row.profile] }));
  const id = `row-${row.profile}`;
  const problem = row.verdict === 'error' || row.verdict === 'mismatch' ? row.reason : null;
  const actionError = copy.error ?? autoRefresh.error ?? verify.error;
  const verifying = row.verdict === 'verifying';
  const verdict = row.verdict === 'verifying' ? null : VERDICTS[row.verdict];
  const expiry = row.expiresAt ? expiresIn(row.expiresAt, now) : null;

  const doCopy = async (): Promise<void> => {
    const result = await copy.run();
    if (result) onCopied(`Copied export commands for ${result.profile} (${shellLabel}). The clipboard clears in ${result.clearsInSeconds} s.`);
  };

  const doAutoRefresh = async (): Promise<void> => {
    const result = await autoRefresh.run();
    if (result) onCopied(`Copied auto-refresh setup for ${result.profile} (${shellLabel}): paste it into a terminal and its credentials renew by themselves. The clipboard clears in ${result.clearsInSeconds} s.`);
  };

  return (
    <tbody class={`account row-${row.verdict}`} data-profile={row.profile}>
      <tr>
        <th scope="row" class="cell-profile">
          <span class="profile-name" title={roleName(profile)}>
            {row.profile}
          </span>
          {row.account ? (
            <span class="account-id mono" title="Account (what AWS says)">
              {row.account}
            </span>
          ) : row.expectedAccount ? (
            <span class="account-id mono faint" title="Account (expected, from the profile)">
              {row.expectedAccount}
            </span>
          ) : null}
        </th>
        <td class="cell-arn">
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
        <td class="cell-verdict">
          {verdict ? (
            <span class={`verdict verdict-${row.verdict}`} aria-describedby={problem ? `${id}-reason` : undefined}>
              <verdict.Icon size={15} />
              {verdict.label}
            </span>
          ) : (
            <span class="verdict verdict-verifying">
              <Spinner size={14} />
              Verifying…
            </span>
          )}
          {row.expiresAt ? (
            <span class="expires faint" title={`Expires ${fullTime(row.expiresAt)}`}>
              <ClockIcon size={12} />
              <span class="visually-hidden">Expires </span>
              <span class="expires-in">{expiry}</span>
            </span>
          ) : null}
        </td>
        <td class="cell-actions">
          <div class="row-actions">
            <div class="copy-group">
              <label class="visually-hidden" for={`${id}-shell`}>
                Shell for {row.profile}
              </label>
              <select
                id={`${id}-shell`}
                class="shell-select"
                value={shell}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  if (isShellChoice(value)) setChosenShell(value);
                }}
              >
                {SHELLS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
              <Button size="small" icon={<CopyIcon size={13} />} busy={copy.pending} title={`Copy export commands for ${row.profile} (${shellLabel}) to the clipboard`} onClick={() => void doCopy()}>
                Copy export
              </Button>
              <Button
                size="small"
                icon={<TerminalIcon size={13} />}
                busy={autoRefresh.pending}
                title={`Copy the lines that point a ${shellLabel} terminal at AWS Auth Tray for ${row.profile}: its credentials then renew by themselves`}
                onClick={() => void doAutoRefresh()}
              >
                Auto-refresh
              </Button>
            </div>
            <Button
              size="small"
              variant="ghost"
              class="btn-icon-only"
              icon={<RefreshIcon size={14} />}
              title={`Verify ${row.profile} again (sts get-caller-identity)`}
              disabled={verifying}
              busy={verify.pending && !verifying}
              onClick={() => void verify.run()}
            >
              <span class="visually-hidden">Verify</span>
            </Button>
          </div>
        </td>
      </tr>
      {problem || actionError ? (
        <tr class="reason-row">
          <td colSpan={4}>
            {problem ? (
              <p class={`reason reason-${row.verdict}`} id={`${id}-reason`}>
                {problem}
              </p>
            ) : null}
            {actionError ? (
              <p class="reason reason-error" role="alert">
                {actionError}
              </p>
            ) : null}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}
