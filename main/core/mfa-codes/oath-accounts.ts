import { parseArn } from '../profiles/arn.js';

/**
 * Which OATH accounts on a YubiKey hold the codes of an IAM MFA device, as `ykman oath accounts
 * list` names them ("issuer:name", or just "name").
 *
 * An account matches the device when:
 *
 * 1. its whole name is the device's ARN (`arn:aws:iam::111111111111:mfa/alice`): what aws-vault
 *    looks for (`ykman oath accounts code --single <mfa_serial>`), so an account added for
 *    aws-vault is found. Such an account is taken alone, whatever else matches.
 * 2. otherwise, its name (after the issuer and its colon, if any) is the device's name (the last
 *    segment of the ARN), `@`, and the device's account id (`Amazon Web Services:alice@111111111111`:
 *    AWS's own QR code names a virtual device this way), whatever the issuer;
 * 3. or, when it has no issuer or an AWS one (the issuer mentions Amazon or AWS), its name is
 *    the device's name alone (`alice`) or with an account alias (`alice@acme-security`: AWS's QR
 *    code uses the alias when the account has one; it cannot be checked here, but a 12-digit
 *    account id that is another account's never matches). `GitHub:alice` is not alice's AWS device.
 *
 * Names compare without case, as IAM's do.
 *
 * When several match, the identity's chosen OATH account (`oathAccount`) decides; without a
 * choice, the person is told which match and how to choose. A chosen account is used as it is,
 * matched or not, if the YubiKey holds it.
 */

/** ykman's OATH names: issuer and name together, up to 64 bytes on the key. */
export const OATH_ACCOUNT_MAX_LENGTH = 64;

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Undefined when `name` can be an OATH account's name to store and pass to ykman. */
export function oathAccountProblem(name: string): string | undefined {
  if (name.trim() === '') return 'an OATH account name is empty.';
  if (UNSAFE.test(name)) return 'an OATH account name contains control characters.';
  if (new TextEncoder().encode(name).length > OATH_ACCOUNT_MAX_LENGTH) return `an OATH account name is at most ${OATH_ACCOUNT_MAX_LENGTH} bytes, as the YubiKey stores it.`;
  return undefined;
}

/** The account names of `ykman oath accounts list`: one per line, each once; lines no YubiKey would hold are skipped. */
export function parseOathAccountList(stdout: string): string[] {
  const names = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && oathAccountProblem(line) === undefined);
  return [...new Set(names)];
}

/** The device's name and account id, from its ARN; undefined for a hardware token's serial number (no ARN). */
function deviceOf(mfaSerial: string): { name: string; account: string } | undefined {
  const arn = parseArn(mfaSerial);
  if (!arn || !arn.resource.startsWith('mfa/') || arn.account === '') return undefined;
  const name = arn.resource.split('/').at(-1) ?? '';
  return name === '' ? undefined : { name, account: arn.account };
}

/** An OATH name's issuer and name ("Amazon Web Services:alice@1111…" → issuer "Amazon Web Services", name "alice@1111…"). */
function splitIssuer(account: string): { issuer: string | undefined; name: string } {
  const colon = account.indexOf(':');
  return colon === -1 ? { issuer: undefined, name: account } : { issuer: account.slice(0, colon), name: account.slice(colon + 1) };
}

function namesDevice(account: string, device: { name: string; account: string }): boolean {
  const { issuer, name: full } = splitIssuer(account);
  const name = full.toLowerCase();
  const deviceName = device.name.toLowerCase();
  const awsIssued = issuer === undefined || /amazon|aws/i.test(issuer);
  if (name === deviceName) return awsIssued;
  const at = name.lastIndexOf('@');
  if (at === -1 || name.slice(0, at) !== deviceName) return false;
  const where = name.slice(at + 1);
  return /^\d{12}$/.test(where) ? where === device.account : where !== '' && awsIssued;
}

/** The accounts that hold the device's codes, by the rules above. */
export function matchingOathAccounts(accounts: readonly string[], mfaSerial: string): string[] {
  const exact = accounts.filter((a) => a === mfaSerial);
  if (exact.length > 0) return exact;
  const device = deviceOf(mfaSerial);
  if (!device) return [];
  return accounts.filter((a) => namesDevice(a, device));
}

export type OathChoice =
  | { kind: 'account'; account: string }
  /** Nothing on the key matches (or the key holds no accounts). */
  | { kind: 'none' }
  /** Several match and none is chosen: the sentence says which and how to choose. */
  | { kind: 'ambiguous'; accounts: string[]; sentence: string }
  /** The chosen account is not on the key. */
  | { kind: 'chosen-missing'; chosen: string; sentence: string };

export function chooseOathAccount(accounts: readonly string[], mfaSerial: string, chosen: string | undefined, identityLabel: string): OathChoice {
  if (chosen !== undefined && chosen !== '') {
    if (accounts.includes(chosen)) return { kind: 'account', account: chosen };
    return {
      kind: 'chosen-missing',
      chosen,
      sentence: `The YubiKey has no OATH account "${chosen}", which ${identityLabel} is set to use${accounts.length > 0 ? ` (it has ${quoteList(accounts)})` : ''}. Change the identity's OATH account, or type the code.`,
    };
  }
  const matches = matchingOathAccounts(accounts, mfaSerial);
  if (matches.length === 0) return { kind: 'none' };
  const [only, ...more] = matches;
  if (only !== undefined && more.length === 0) return { kind: 'account', account: only };
  return {
    kind: 'ambiguous',
    accounts: matches,
    sentence: `Several OATH accounts on the YubiKey match ${mfaSerial}: ${quoteList(matches)}. Choose one as the identity's OATH account (in the app's identity form, or aws-auth-tray login --oath-account "<name>"), or type the code.`,
  };
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((n) => `"${n}"`);
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ');
}
