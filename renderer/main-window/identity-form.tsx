import { useEffect, useRef, useState } from 'preact/hooks';
import type { IdentityInput, IdentitySavedView, IdentityView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, Field, Progress } from '../shared/components';
import { useAction } from '../shared/use-action';
import { hardwareMfaInput, hardwareMfaValues, IdentityHardwareMfaFields } from './identity-hardware-mfa-fields';
import { MfaDevicePicker } from './mfa-device-picker';

/**
 * Add or edit an identity. The secret field is never filled in: editing leaves it empty, and
 * an empty field keeps the stored secret. Main checks the keys with GetCallerIdentity first.
 */
export function IdentityForm({
  identity,
  firstIdentity,
  onSaved,
  onCancel,
}: {
  identity: IdentityView | undefined;
  firstIdentity: boolean;
  onSaved: (saved: IdentitySavedView) => void;
  onCancel: (() => void) | undefined;
}) {
  const [label, setLabel] = useState(identity?.label ?? (firstIdentity ? 'security' : ''));
  const [accessKeyId, setAccessKeyId] = useState(identity?.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [mfaSerial, setMfaSerial] = useState(identity?.mfaSerial ?? '');
  const [region, setRegion] = useState(identity?.region ?? 'us-east-1');
  const [hardwareMfa, setHardwareMfa] = useState(hardwareMfaValues(identity));
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useAction((input: IdentityInput) => api().saveIdentity(input));
  const first = useRef<HTMLInputElement>(null);
  const keepsSecret = identity?.hasSecret === true && accessKeyId.trim() === (identity.accessKeyId ?? '');

  useEffect(() => {
    (identity?.hasSecret === false ? document.getElementById('identity-access-key') : first.current)?.focus();
  }, []);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setLocalError(null);
    if (!keepsSecret && secret.trim() === '') {
      setLocalError(identity?.hasSecret ? 'A new access key id needs its secret access key too.' : 'Enter the secret access key that belongs to this access key id.');
      document.getElementById('identity-secret')?.focus();
      return;
    }
    const input: IdentityInput = {
      ...(identity ? { id: identity.id } : {}),
      label: label.trim(),
      accessKeyId: accessKeyId.trim(),
      ...(secret.trim() !== '' ? { secretAccessKey: secret } : {}),
      ...(mfaSerial.trim() !== '' ? { mfaSerial: mfaSerial.trim() } : {}),
      region: region.trim(),
      ...hardwareMfaInput(hardwareMfa),
    };
    const result = await save.run(input);
    if (result) {
      setSecret('');
      onSaved(result);
    }
  };

  const error = localError ?? save.error;
  return (
    <form class="card form-card" onSubmit={(event) => void submit(event)} aria-labelledby="identity-form-title" noValidate>
      <h3 id="identity-form-title">{identity ? `Edit ${identity.label}` : 'Add your IAM user’s access key'}</h3>
      <p class="muted form-lead">
        {identity
          ? 'Change what you need. Leave the secret empty to keep the stored one.'
          : 'Create an access key for your IAM user in the IAM console (your user → Security credentials), then paste it here.'}
      </p>
      <div class="form-grid">
        <Field id="identity-label" label="Label" hint="What you call this user, e.g. the aws-vault source profile.">
          <input id="identity-label" ref={first} type="text" value={label} onInput={(e) => setLabel(e.currentTarget.value)} aria-describedby="identity-label-hint" required spellcheck={false} autoComplete="off" />
        </Field>
        <Field id="identity-region" label="Region" hint="For STS calls of this user.">
          <input id="identity-region" type="text" value={region} onInput={(e) => setRegion(e.currentTarget.value)} aria-describedby="identity-region-hint" required spellcheck={false} autoComplete="off" placeholder="us-east-1" />
        </Field>
        <Field id="identity-access-key" label="Access key id">
          <input
            id="identity-access-key"
            class="mono"
            type="text"
            value={accessKeyId}
            onInput={(e) => setAccessKeyId(e.currentTarget.value)}
            required
            spellcheck={false}
            autoComplete="off"
            placeholder="AKIA…"
          />
        </Field>
        <Field id="identity-secret" label="Secret access key" hint={keepsSecret ? 'Leave empty to keep the stored secret.' : 'Encrypted with your system keychain; never shown again.'}>
          <input
            id="identity-secret"
            class="mono"
            type="password"
            value={secret}
            onInput={(e) => setSecret(e.currentTarget.value)}
            aria-describedby="identity-secret-hint"
            spellcheck={false}
            autoComplete="off"
            placeholder={keepsSecret ? '•••••••• stored' : ''}
          />
        </Field>
        <div class="form-wide">
          <Field id="identity-mfa" label="MFA device ARN" hint="IAM console → your user → Security credentials → Multi-factor authentication (MFA).">
            <input
              id="identity-mfa"
              class="mono"
              type="text"
              value={mfaSerial}
              onInput={(e) => setMfaSerial(e.currentTarget.value)}
              aria-describedby="identity-mfa-hint"
              spellcheck={false}
              autoComplete="off"
              placeholder="arn:aws:iam::123456789012:mfa/your-name"
            />
          </Field>
          <MfaDevicePicker identityId={identity?.id} accessKeyId={accessKeyId} secretAccessKey={secret} region={region} selected={mfaSerial} onPick={setMfaSerial} />
        </div>
        <IdentityHardwareMfaFields values={hardwareMfa} onChange={setHardwareMfa} />
      </div>
      <div class="form-status" aria-live="polite">
        {save.pending ? <Progress>Checking with AWS…</Progress> : null}
        {error && !save.pending ? <Callout tone="error">{error}</Callout> : null}
      </div>
      <div class="form-actions">
        {onCancel ? (
          <Button onClick={onCancel} disabled={save.pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={save.pending}>
          Check with AWS and save
        </Button>
      </div>
    </form>
  );
}
