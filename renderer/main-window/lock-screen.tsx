import { useEffect, useRef, useState } from 'preact/hooks';
import type { StorageView } from '../../main/ipc/ipc-contract';
import { api } from '../shared/api';
import { Button, Callout, Field, Progress } from '../shared/components';
import { LockIcon } from '../shared/icons';
import { useAction } from '../shared/use-action';

/**
 * No keyring on this system: the passphrase vault. Unlock it, or choose its passphrase the
 * first time (typed twice). Main says why it asks, once, here.
 */
export function LockScreen({ storage }: { storage: StorageView }) {
  const creating = !storage.exists;
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const unlock = useAction((value: string) => api().unlockVault({ passphrase: value }));
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => field.current?.focus(), []);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setLocalError(null);
    if (creating && passphrase.length < 8) {
      setLocalError('Use at least 8 characters.');
      return;
    }
    if (creating && passphrase !== confirm) {
      setLocalError('The two passphrases are not the same; type them again.');
      setConfirm('');
      return;
    }
    const done = await unlock.run(passphrase);
    if (done === undefined) {
      setPassphrase('');
      setConfirm('');
      field.current?.focus();
    }
  };

  const error = localError ?? unlock.error;
  return (
    <main class="lock">
      <form class="card lock-card" onSubmit={(event) => void submit(event)} aria-labelledby="lock-title" noValidate>
        <span class="lock-mark">
          <LockIcon size={22} />
        </span>
        <h1 id="lock-title">{creating ? 'Choose a passphrase' : 'Unlock AWS Auth Tray'}</h1>
        {storage.explanation ? <p class="muted lock-explanation">{storage.explanation}</p> : null}
        <Field id="lock-passphrase" label={creating ? 'New passphrase' : 'Passphrase'}>
          <input
            id="lock-passphrase"
            ref={field}
            type="password"
            value={passphrase}
            autoComplete={creating ? 'new-password' : 'current-password'}
            aria-invalid={error ? 'true' : undefined}
            onInput={(e) => setPassphrase(e.currentTarget.value)}
          />
        </Field>
        {creating ? (
          <Field id="lock-confirm" label="Type it again">
            <input id="lock-confirm" type="password" value={confirm} autoComplete="new-password" onInput={(e) => setConfirm(e.currentTarget.value)} />
          </Field>
        ) : null}
        <div class="form-status" aria-live="polite">
          {unlock.pending ? <Progress>{creating ? 'Creating the vault…' : 'Unlocking…'}</Progress> : null}
          {error && !unlock.pending ? <Callout tone="error">{error}</Callout> : null}
        </div>
        <Button type="submit" variant="primary" busy={unlock.pending} class="lock-submit">
          {creating ? 'Create vault' : 'Unlock'}
        </Button>
      </form>
    </main>
  );
}
