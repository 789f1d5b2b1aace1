import { useState } from 'preact/hooks';
import type { MfaDeviceView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout } from '../shared/components';
import { plural } from '../shared/format';
import { PhoneIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';
import './key-hygiene.css';

/**
 * "Find my MFA devices" in the identity form: main asks IAM (ListMFADevices) with the keys typed
 * in the form, or with the stored identity's keys when the secret field is left empty (the
 * secret never comes back here), and the user picks one of the devices (AWS allows eight) instead
 * of pasting its ARN. The ARN field stays for pasting.
 */
export function MfaDevicePicker({
  identityId,
  accessKeyId,
  secretAccessKey,
  region,
  selected,
  onPick,
}: {
  /** The identity being edited (its stored keys are used when no secret is typed). */
  identityId: string | undefined;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The ARN in the field now. */
  selected: string;
  onPick: (serialNumber: string) => void;
}) {
  const [devices, setDevices] = useState<MfaDeviceView[] | null>(null);
  const find = useAction(() =>
    api().listMfaDevices({
      ...(identityId ? { id: identityId } : {}),
      accessKeyId: accessKeyId.trim(),
      ...(secretAccessKey.trim() !== '' ? { secretAccessKey } : {}),
      region: region.trim(),
    }),
  );
  const [localError, setLocalError] = useState<string | null>(null);

  const run = async (): Promise<void> => {
    setLocalError(null);
    if (accessKeyId.trim() === '') {
      setLocalError('Enter the access key id (and its secret) first: IAM is asked with them.');
      document.getElementById('identity-access-key')?.focus();
      return;
    }
    const result = await find.run();
    if (!result) return;
    setDevices(result.devices);
    // One device: it is the one; several: the person chooses.
    const only = result.devices.length === 1 ? result.devices[0] : undefined;
    if (only) onPick(only.serialNumber);
    setTimeout(() => document.getElementById('mfa-picker-result')?.focus(), 0);
  };

  const error = localError ?? find.error;
  return (
    <div class="mfa-picker">
      <div class="mfa-picker-actions">
        <Button size="small" icon={<PhoneIcon size={13} />} busy={find.pending} onClick={() => void run()} aria-describedby="mfa-picker-hint">
          Find my MFA devices
        </Button>
        <span id="mfa-picker-hint" class="field-hint">
          Asks IAM which devices your user has, with the keys above.
        </span>
      </div>
      {error ? <Callout tone="error">{error}</Callout> : null}
      {devices !== null ? (
        devices.length === 0 ? (
          <div id="mfa-picker-result" tabIndex={-1}>
            <Callout tone="warning">IAM lists no MFA device for this user. Assign one in the IAM console (your user → Security credentials), then search again.</Callout>
          </div>
        ) : (
          <fieldset id="mfa-picker-result" tabIndex={-1}>
            <legend>{`Your ${plural(devices.length, 'MFA device')}: choose the one you sign in with`}</legend>
            {devices.map((device, index) => {
              const id = `mfa-device-${index}`;
              return (
                <label key={device.serialNumber} class="mfa-device" for={id}>
                  <input id={id} type="radio" name="mfa-device" value={device.serialNumber} checked={selected.trim() === device.serialNumber} onChange={() => onPick(device.serialNumber)} />
                  <span class="mono mfa-device-arn">{device.serialNumber}</span>
                  {device.enabledAt ? <span class="faint">enabled {device.enabledAt.slice(0, 10)}</span> : null}
                </label>
              );
            })}
          </fieldset>
        )
      ) : null}
    </div>
  );
}
