import { useEffect, useState } from 'preact/hooks';
import type { AppState, IdentitySavedView, IdentityView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, moveFocus } from '../shared/components';
import { plural } from '../shared/format';
import { KeyIcon, PlusIcon, UserIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';
import { IdentityForm } from './identity-form';
import { AccessKeySection } from './access-key-section';

type Mode = { kind: 'list' } | { kind: 'add' } | { kind: 'edit'; id: string };

/** The source identities: the IAM user's access key (encrypted in main), MFA device, region. */
export function IdentityPanel({
  state,
  editRequest,
  onEditRequestHandled,
  onShowAccounts,
}: {
  state: AppState;
  editRequest: string | null;
  onEditRequestHandled: () => void;
  onShowAccounts: () => void;
}) {
  const [mode, setMode] = useState<Mode>(() => (state.identities.length === 0 ? { kind: 'add' } : { kind: 'list' }));
  const [saved, setSaved] = useState<IdentitySavedView | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);

  useEffect(() => {
    if (editRequest === null) return;
    setMode(state.identities.some((i) => i.id === editRequest) ? { kind: 'edit', id: editRequest } : { kind: 'add' });
    setSaved(null);
    onEditRequestHandled();
  }, [editRequest]);

  // The tray's "Rotate access key for …": back to the list, where that identity's card opens its confirm.
  const rotationRequest = state.rotationRequest ?? null;
  useEffect(() => {
    if (rotationRequest && state.identities.some((i) => i.id === rotationRequest.identityId)) setMode({ kind: 'list' });
  }, [rotationRequest?.requestId]);

  const editing = mode.kind === 'edit' ? state.identities.find((i) => i.id === mode.id) : undefined;
  const formOpen = mode.kind === 'add' || editing !== undefined;

  return (
    <section class="panel identity-panel" aria-labelledby="identity-title">
      <div class="panel-head">
        <div>
          <h2 id="identity-title" tabIndex={-1}>
            Identity
          </h2>
          <p class="muted">Your IAM user in the security account. Its secret access key is encrypted with your system keychain and never shown again.</p>
        </div>
        {!formOpen ? (
          <Button
            icon={<PlusIcon size={15} />}
            onClick={() => {
              setSaved(null);
              setRemoved(null);
              setMode({ kind: 'add' });
            }}
          >
            Add identity
          </Button>
        ) : null}
      </div>

      {removed ? (
        <Callout tone="success" id="identity-removed">
          {removed}
        </Callout>
      ) : null}

      {saved ? (
        <Callout
          tone="success"
          id="identity-saved"
          actions={
            <Button size="small" onClick={onShowAccounts}>
              Show accounts
            </Button>
          }
        >
          Saved <strong>{saved.identity.label}</strong>.{' '}
          {saved.verifiedArn ? (
            <>
              AWS confirmed the key belongs to <span class="mono verified-arn">{saved.verifiedArn}</span>
            </>
          ) : null}
        </Callout>
      ) : null}

      {formOpen ? (
        <IdentityForm
          key={editing?.id ?? 'new'}
          identity={editing}
          firstIdentity={state.identities.length === 0}
          onSaved={(view) => {
            setSaved(view);
            setRemoved(null);
            setMode({ kind: 'list' });
            // The form is gone: the focus goes to what happened (the confirmation, with "Show accounts").
            moveFocus('identity-saved');
          }}
          onCancel={
            state.identities.length > 0
              ? () => {
                  setMode({ kind: 'list' });
                  moveFocus('identity-title');
                }
              : undefined
          }
        />
      ) : null}

      {state.identities.map((identity) =>
        identity.id === editing?.id ? null : (
          <IdentityCard
            key={identity.id}
            identity={identity}
            profiles={state.profiles.filter((p) => p.identityId === identity.id).length}
            deactivateOldKey={state.settings.deactivateOldKey}
            rotationRequestId={rotationRequest?.identityId === identity.id ? rotationRequest.requestId : null}
            onEdit={() => {
              setSaved(null);
              setRemoved(null);
              setMode({ kind: 'edit', id: identity.id });
            }}
            onRemoved={(sentence) => {
              setSaved(null);
              setRemoved(sentence);
              moveFocus('identity-removed');
            }}
          />
        ),
      )}
    </section>
  );
}

/** Rotation requests from the tray this window has opened already (each opens its confirm once). */
const seenRotationRequests = new Set<number>();

function IdentityCard({
  identity,
  profiles,
  deactivateOldKey,
  rotationRequestId,
  onEdit,
  onRemoved,
}: {
  identity: IdentityView;
  profiles: number;
  deactivateOldKey: boolean;
  rotationRequestId: number | null;
  onEdit: () => void;
  onRemoved: (sentence: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = useAction(() => api().removeIdentity({ id: identity.id }));
  const titleId = `identity-${identity.id}-title`;
  const removeButtonId = `identity-${identity.id}-remove`;
  const cancelId = `identity-${identity.id}-remove-cancel`;

  // The confirmation takes the focus on its safe choice; closing it gives the focus back to "Remove…".
  useEffect(() => {
    if (confirming) document.getElementById(cancelId)?.focus();
  }, [confirming]);
  const close = (): void => {
    setConfirming(false);
    remove.clearError();
    moveFocus(removeButtonId, cancelId);
  };
  const confirm = async (): Promise<void> => {
    const done = await remove.run();
    if (done !== undefined) onRemoved(`Removed ${identity.label} and its ${plural(profiles, 'profile')}. Your ~/.aws files were not touched.`);
  };

  return (
    <article class="card identity-card" aria-labelledby={titleId}>
      <div class="card-head">
        <span class="card-icon">
          <UserIcon size={16} />
        </span>
        <div class="card-title">
          <h3 id={titleId}>{identity.label}</h3>
          <span class="faint">{plural(profiles, 'profile')}</span>
        </div>
        <div class="card-actions">
          <Button size="small" icon={<KeyIcon size={13} />} onClick={onEdit} aria-describedby={titleId}>
            {identity.hasSecret ? 'Edit' : 'Add access key…'}
          </Button>
          <Button
            size="small"
            variant="danger"
            id={removeButtonId}
            aria-describedby={titleId}
            aria-expanded={confirming}
            onClick={() => (confirming ? close() : setConfirming(true))}
          >
            Remove…
          </Button>
        </div>
      </div>
      <dl class="facts">
        <dt>Access key id</dt>
        <dd class="mono">{identity.accessKeyId ?? <span class="faint">none yet</span>}</dd>
        <dt>Secret access key</dt>
        <dd>{identity.hasSecret ? 'Stored, encrypted' : <span class="warning-text">Not stored: add it to sign in</span>}</dd>
        <dt>MFA device</dt>
        <dd class="mono">{identity.mfaSerial ?? <span class="faint">none (sign-in without MFA)</span>}</dd>
        <dt>Region</dt>
        <dd class="mono">{identity.region ?? <span class="faint">us-east-1 (default)</span>}</dd>
      </dl>
      <AccessKeySection
        identity={identity}
        deactivateOldKey={deactivateOldKey}
        confirmRequested={rotationRequestId !== null && !seenRotationRequests.has(rotationRequestId)}
        onConfirmRequestHandled={() => {
          if (rotationRequestId === null) return;
          seenRotationRequests.add(rotationRequestId);
          void api().rotationRequestSeen({ requestId: rotationRequestId });
        }}
      />
      {confirming ? (
        <div
          class="confirm"
          role="alertdialog"
          aria-labelledby={`${titleId}-confirm`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault();
              event.stopPropagation();
              close();
            }
          }}
        >
          <p id={`${titleId}-confirm`}>
            Remove <strong>{identity.label}</strong> and its {plural(profiles, 'profile')} from AWS Auth Tray? Its encrypted key and sessions are deleted; your ~/.aws files are not
            touched.
          </p>
          <div class="confirm-actions">
            <Button size="small" id={cancelId} onClick={close}>
              Cancel
            </Button>
            <Button size="small" variant="danger" class="btn-solid" busy={remove.pending} onClick={() => void confirm()}>
              Remove identity
            </Button>
          </div>
          {remove.error ? <Callout tone="error">{remove.error}</Callout> : null}
        </div>
      ) : null}
    </article>
  );
}
