import type { IdentityInput, IdentityView } from '../../main/ipc/ipc-contract';
import { Field } from '../shared/components';

/**
 * The identity form's hardware MFA fields: `mfa_process` (a command that prints the code, as in
 * aws-vault; run without a shell) and the YubiKey OATH account to read codes from when several
 * on the key match the MFA device. Both optional; an empty field removes what was stored.
 */
export interface HardwareMfaValues {
  mfaProcess: string;
  oathAccount: string;
}

export function hardwareMfaValues(identity: IdentityView | undefined): HardwareMfaValues {
  return { mfaProcess: identity?.mfaProcess ?? '', oathAccount: identity?.oathAccount ?? '' };
}

/** What the form sends: both, trimmed ('' clears a stored one; main stores nothing for a new identity). */
export function hardwareMfaInput(values: HardwareMfaValues): Pick<IdentityInput, 'mfaProcess' | 'oathAccount'> {
  return { mfaProcess: values.mfaProcess.trim(), oathAccount: values.oathAccount.trim() };
}

export function IdentityHardwareMfaFields({ values, onChange }: { values: HardwareMfaValues; onChange: (values: HardwareMfaValues) => void }) {
  return (
    <>
      <div class="form-wide">
        <Field
          id="identity-mfa-process"
          label="MFA code command (mfa_process)"
          hint="Optional: a command that prints the code, run without a shell, e.g. ykman oath accounts code --single alice. Signing in then needs no typing."
        >
          <input
            id="identity-mfa-process"
            class="mono"
            type="text"
            value={values.mfaProcess}
            onInput={(e) => onChange({ ...values, mfaProcess: e.currentTarget.value })}
            aria-describedby="identity-mfa-process-hint"
            spellcheck={false}
            autoComplete="off"
            maxLength={1024}
          />
        </Field>
      </div>
      <div class="form-wide">
        <Field
          id="identity-oath-account"
          label="YubiKey OATH account"
          hint="Optional: which account the MFA popup's “Use YubiKey” reads when several on the key match the device (ykman oath accounts list)."
        >
          <input
            id="identity-oath-account"
            class="mono"
            type="text"
            value={values.oathAccount}
            onInput={(e) => onChange({ ...values, oathAccount: e.currentTarget.value })}
            aria-describedby="identity-oath-account-hint"
            spellcheck={false}
            autoComplete="off"
            maxLength={64}
          />
        </Field>
      </div>
    </>
  );
}
