/**
 * Whether an MFA device identifier can be given to STS as `SerialNumber` (GetSessionToken,
 * AssumeRole), with a sentence saying what is wrong when it cannot.
 *
 * STS itself only checks the shape (9 to 256 characters of `[\w+=/:,.@-]`), so a virtual
 * device's ARN with a 4-digit account passes for a hardware token's serial number and fails
 * later, at sign-in, as "unable to validate MFA code". Anything that starts with `arn:` is
 * therefore held to the ARN's own rules: `arn:<aws|aws-cn|aws-us-gov>:iam::<12 digits>:mfa/<path/name>`.
 * Security keys (`:u2f/`) are IAM MFA devices too, but STS cannot take a code from one.
 */

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
/** STS's SerialNumber constraint (the service model), which an ARN must meet as well. */
const SERIAL = /^[\w+=/:,.@-]{9,256}$/;
/** `mfa/` then an optional IAM path and the device name (IAM's name and path characters). */
const DEVICE_RESOURCE = /^mfa\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;
const EXAMPLE_ARN = 'arn:aws:iam::123456789012:mfa/alice';
const WHERE_TO_COPY = "Copy the device's ARN from the IAM console (your user → Security credentials → MFA).";

/** Undefined when `serial` is a usable MFA device ARN or hardware serial; else why not, as a sentence. */
export function mfaDeviceProblem(serial: string): string | undefined {
  if (serial.startsWith('arn:')) return arnProblem(serial);
  if (SERIAL.test(serial)) return undefined;
  return `"${serial}" is not an MFA device ARN (${EXAMPLE_ARN}) or a hardware token's serial number (9 to 256 letters, digits and + = / : , . @ _ -).`;
}

function arnProblem(serial: string): string | undefined {
  const notArn = `"${serial}" is not an MFA device ARN`;
  const [, partition = '', service = '', region, account = '', ...rest] = serial.split(':');
  const resource = rest.join(':');
  if (!(PARTITIONS as readonly string[]).includes(partition)) return `${notArn}: the partition must be ${PARTITIONS.slice(0, -1).join(', ')} or ${PARTITIONS.at(-1) ?? ''} (${EXAMPLE_ARN}).`;
  if (service !== 'iam' || region !== '') return `${notArn}: the service must be iam, with no region (${EXAMPLE_ARN}).`;
  if (!/^\d{12}$/.test(account)) return `${notArn}: the account must be 12 digits, and "${account}" is not. ${WHERE_TO_COPY}`;
  if (resource.startsWith('u2f/')) {
    return `"${serial}" is a security key (FIDO U2F or passkey), and AWS accepts only authenticator apps and hardware TOTP tokens for sts get-session-token and assume-role. Register an authenticator app or a hardware TOTP token for your IAM user and use its ARN.`;
  }
  if (!DEVICE_RESOURCE.test(resource) || !SERIAL.test(serial)) {
    return `${notArn}: after the account comes mfa/ and the device name, with an optional path (${EXAMPLE_ARN}). ${WHERE_TO_COPY}`;
  }
  return undefined;
}
