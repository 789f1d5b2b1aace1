import { useEffect, useState } from 'preact/hooks';
import type { IdentityView, RotationStepView, RotationView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, moveFocus, Progress } from '../shared/components';
import { plural } from '../shared/format';
import { CheckCircleIcon, ClockIcon, RefreshIcon, WarningIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';
import './key-hygiene.css';

/**
 * An identity's access key in its card: its age (warned past the setting's limit), when it was
 * last used, the user's other key, and "Rotate access key…" with a confirm step that says what
 * will happen, the rotation's progress step by step, and how it ended. Everything shown comes
 * from main's state (AccessKeyView, RotationView): metadata, never a secret.
 */

/** "AKIA…MCG7": enough to tell keys apart; the full id is in the title and the facts above. */
export function shortKeyId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id;
}

/** "just now", "12 minutes ago", "3 hours ago", "5 days ago". */
export function agoText(minutes: number): string {
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

function daysText(days: number): string {
  return days === 0 ? 'today' : `${plural(days, 'day')} ago`;
}

const STEPS: { step: RotationStepView; label: string }[] = [
  { step: 'signing-in', label: 'Sign in with MFA' },
  { step: 'creating', label: 'Create the new key' },
  { step: 'storing', label: 'Store it, encrypted' },
  { step: 'proving', label: 'Check that AWS accepts it' },
  { step: 'retiring-old', label: 'Retire the old key' },
];

function RotationSteps({ rotation }: { rotation: RotationView }) {
  const current = STEPS.findIndex((s) => s.step === rotation.step);
  return (
    <ol class="rotation-steps" aria-label="Rotation steps">
      {STEPS.map((s, index) => {
        const state = rotation.step === 'done' || index < current ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li key={s.step} class={`rotation-step rotation-step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span class="rotation-step-mark" aria-hidden="true">
              {state === 'done' ? <CheckCircleIcon size={13} /> : index + 1}
            </span>
            <span>
              {s.label}
              <span class="visually-hidden">{state === 'done' ? ' (done)' : state === 'current' ? ' (in progress)' : ''}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function AccessKeySection({
  identity,
  deactivateOldKey,
  confirmRequested,
  onConfirmRequestHandled,
}: {
  identity: IdentityView;
  deactivateOldKey: boolean;
  /** The tray asked for this identity's rotation: open the confirm (once). */
  confirmRequested: boolean;
  onConfirmRequestHandled: () => void;
}) {
  const key = identity.key ?? null;
  const rotation = identity.rotation ?? null;
  const [confirming, setConfirming] = useState(false);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const check = useAction(() => api().checkAccessKey({ id: identity.id }));
  const rotate = useAction((deleteInactiveKey: boolean) => api().rotateAccessKey({ id: identity.id, ...(deleteInactiveKey ? { deleteInactiveKey } : {}) }));
  const base = `identity-${identity.id}`;
  const rotateButtonId = `${base}-rotate`;
  const cancelId = `${base}-rotate-cancel`;
  const confirmTextId = `${base}-rotate-confirm-text`;
  const running = rotation?.status === 'running';

  useEffect(() => {
    if (!confirmRequested) return;
    setConfirming(true);
    onConfirmRequestHandled();
  }, [confirmRequested]);

  // The confirmation takes the focus on its safe choice; closing it gives the focus back.
  useEffect(() => {
    if (confirming) {
      const cancel = document.getElementById(cancelId);
      cancel?.scrollIntoView({ block: 'nearest' });
      cancel?.focus();
    }
  }, [confirming]);

  if (!key && !rotation) return null;

  const close = (): void => {
    setConfirming(false);
    moveFocus(rotateButtonId, cancelId);
  };
  const start = async (deleteInactiveKey = false): Promise<void> => {
    setConfirming(false);
    setDismissed(null);
    moveFocus(`${base}-rotation-status`, cancelId);
    await rotate.run(deleteInactiveKey);
  };
  const others = key?.otherKeys ?? [];
  const other = others[0];
  const full = others.length > 0;
  const outcome = rotation && rotation.status !== 'running' && rotation.sentence !== dismissed ? rotation : null;

  return (
    <div class={`key-health${key?.old ? ' key-health-old' : ''}`}>
      {key ? (
        <>
          <p class="key-age">
            {key.old ? <WarningIcon size={15} /> : <ClockIcon size={15} />}
            <span>
              Access key{' '}
              <span class="mono" title={key.accessKeyId}>
                {shortKeyId(key.accessKeyId)}
              </span>
              {key.createdAt && key.ageDays !== null ? (
                <>
                  {' '}
                  · created <span class="key-date">{key.createdAt.slice(0, 10)}</span> ({daysText(key.ageDays)})
                </>
              ) : (
                <> · age not known yet</>
              )}
              {key.old ? (
                <strong class="key-old-badge">
                  {' '}
                  Older than {plural(key.warnDays, 'day')}: rotate it
                </strong>
              ) : null}
            </span>
          </p>
          {key.lastUsed ? (
            <p class="key-used">
              {key.lastUsed.at && key.lastUsed.agoMinutes !== null ? (
                <>
                  Last used <span title={key.lastUsed.at}>{agoText(key.lastUsed.agoMinutes)}</span>
                  {key.lastUsed.service ? ` (${[key.lastUsed.service, key.lastUsed.region].filter(Boolean).join(', ')})` : ''}
                </>
              ) : (
                'Never used, as far as IAM knows.'
              )}
            </p>
          ) : null}
          {key.note ? <p class="key-note">{key.note}</p> : null}
          {full && other ? (
            <p class="key-other">
              This user also has the key <span class="mono">{other.accessKeyId}</span> ({other.status === 'Inactive' ? 'inactive' : 'active'}
              {other.ageDays !== null ? `, ${plural(other.ageDays, 'day')} old` : ''}).
            </p>
          ) : null}
        </>
      ) : null}

      <div class="key-actions">
        {key ? (
          <Button size="small" icon={<RefreshIcon size={13} />} busy={key.checking || check.pending} onClick={() => void check.run()} aria-describedby={`${base}-title`}>
            {key.checking || check.pending ? 'Checking with IAM…' : 'Check again'}
          </Button>
        ) : null}
        {key && identity.hasSecret ? (
          <Button
            size="small"
            id={rotateButtonId}
            variant={key.old ? 'primary' : 'secondary'}
            busy={running}
            aria-describedby={`${base}-title`}
            aria-expanded={confirming}
            onClick={() => (confirming ? close() : setConfirming(true))}
          >
            Rotate access key…
          </Button>
        ) : null}
      </div>
      {check.error ? <Callout tone="error">{check.error}</Callout> : null}

      {confirming && key ? (
        <div
          class="confirm confirm-rotate"
          role="alertdialog"
          aria-labelledby={confirmTextId}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
            }
          }}
        >
          {full && other ? (
            <>
              <p id={confirmTextId}>
                IAM allows two access keys per user, and <strong>{identity.label}</strong> has two already: the one in use and{' '}
                <span class="mono">{other.accessKeyId}</span> ({other.status === 'Inactive' ? 'inactive' : 'active'}
                {other.createdAt ? (
                  <>
                    , created <span class="key-date">{other.createdAt.slice(0, 10)}</span>
                  </>
                ) : null}
                ). A rotation needs room for a new key.
              </p>
              <p>
                {other.status === 'Inactive'
                  ? 'It is inactive, so nothing can be using it: delete it, then rotate.'
                  : `It is active: something may still use it (another computer, a CI job). If nothing does, deactivate and delete it in the IAM console (your user → Security credentials), or with: aws iam delete-access-key --access-key-id ${other.accessKeyId}. Then rotate.`}
              </p>
            </>
          ) : (
            <p id={confirmTextId}>
              Rotate the access key of <strong>{identity.label}</strong>? AWS Auth Tray signs in with MFA (asking for a code if needed), creates a new access key, stores it
              encrypted, checks that AWS accepts it, then{' '}
              {deactivateOldKey ? (
                <>
                  <strong>deactivates</strong> the old key <span class="mono">{key.accessKeyId}</span> and keeps it in IAM (delete it there once nothing needs it).
                </>
              ) : (
                <>
                  <strong>deletes</strong> the old key <span class="mono">{key.accessKeyId}</span>.
                </>
              )}{' '}
              Anything else that uses the old key (~/.aws/credentials, another computer) stops working.
            </p>
          )}
          <div class="confirm-actions">
            <Button size="small" id={cancelId} onClick={close}>
              Cancel
            </Button>
            {full && other?.status === 'Inactive' ? (
              <Button size="small" variant="danger" class="btn-solid" onClick={() => void start(true)}>
                Delete {shortKeyId(other.accessKeyId)} and rotate
              </Button>
            ) : full ? null : (
              <Button size="small" variant="primary" onClick={() => void start()}>
                {deactivateOldKey ? 'Rotate and deactivate the old key' : 'Rotate and delete the old key'}
              </Button>
            )}
          </div>
        </div>
      ) : null}

      <div id={`${base}-rotation-status`} class="rotation-status" tabIndex={-1} aria-live="polite">
        {running && rotation ? (
          <div class="rotation-progress">
            <Progress>{rotation.attempt && rotation.attempt > 1 ? `${rotation.sentence} (attempt ${rotation.attempt})` : rotation.sentence}</Progress>
            <RotationSteps rotation={rotation} />
          </div>
        ) : null}
        {rotate.error && rotate.error !== rotation?.sentence ? <Callout tone="error">{rotate.error}</Callout> : null}
        {outcome ? (
          <Callout
            tone={outcome.status === 'rotated' ? 'success' : 'error'}
            actions={
              <Button size="small" variant="ghost" onClick={() => setDismissed(outcome.sentence)}>
                Dismiss
              </Button>
            }
          >
            {outcome.sentence}
          </Callout>
        ) : null}
      </div>
    </div>
  );
}
