import { cmdSet, dotenvAssign, fishQuote, iniValue, posixQuote, powershellQuote } from './shell-quoting.js';

/**
 * Credentials as text for the user's shell or tool, in the formats aws-vault users know and the
 * ones they miss (fish, PowerShell). Every shell format sets the key id, secret, session token,
 * expiry and (when known) region, and clears AWS_PROFILE so SDKs do not prefer a profile.
 */
export const EXPORT_FORMATS = ['bash', 'zsh', 'fish', 'powershell', 'cmd', 'dotenv', 'json', 'ini'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportableCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  region?: string | undefined;
  /** Section name for the ini format. */
  profile?: string | undefined;
}

export function isExportFormat(text: string): text is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(text);
}

/** The variables, in order, with their values. */
export function credentialVariables(c: ExportableCredentials): [string, string][] {
  const vars: [string, string][] = [
    ['AWS_ACCESS_KEY_ID', c.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', c.secretAccessKey],
    ['AWS_SESSION_TOKEN', c.sessionToken],
    ['AWS_CREDENTIAL_EXPIRATION', isoSeconds(c.expiration)],
  ];
  if (c.region) vars.push(['AWS_REGION', c.region], ['AWS_DEFAULT_REGION', c.region]);
  return vars;
}

/** Variables that would make tools prefer something else over these credentials. */
export const CLEARED_VARIABLES = ['AWS_PROFILE'] as const;

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatCredentials(format: ExportFormat, c: ExportableCredentials): string {
  const vars = credentialVariables(c);
  switch (format) {
    case 'bash':
    case 'zsh':
      return [...vars.map(([k, v]) => `export ${k}=${posixQuote(k, v)}`), ...CLEARED_VARIABLES.map((k) => `unset ${k}`)].join('\n') + '\n';
    case 'fish':
      return [...vars.map(([k, v]) => `set -gx ${k} ${fishQuote(k, v)}`), ...CLEARED_VARIABLES.map((k) => `set -e ${k}`)].join('\n') + '\n';
    case 'powershell':
      return (
        [...vars.map(([k, v]) => `$Env:${k} = ${powershellQuote(k, v)}`), ...CLEARED_VARIABLES.map((k) => `Remove-Item Env:${k} -ErrorAction SilentlyContinue`)].join('\n') + '\n'
      );
    case 'cmd':
      return [...vars.map(([k, v]) => cmdSet(k, v)), ...CLEARED_VARIABLES.map((k) => `set "${k}="`)].join('\r\n') + '\r\n';
    case 'dotenv':
      // No `AWS_PROFILE=` line: an empty AWS_PROFILE makes the AWS CLI and boto3 look for a
      // profile named "" and fail. A dotenv file cannot unset a variable (README).
      return vars.map(([k, v]) => dotenvAssign(k, v)).join('\n') + '\n';
    case 'json':
      return (
        JSON.stringify({
          Version: 1,
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          SessionToken: c.sessionToken,
          Expiration: isoSeconds(c.expiration),
        }) + '\n'
      );
    case 'ini':
      return (
        [
          `[${iniValue('the profile name', c.profile ?? 'default')}]`,
          `aws_access_key_id = ${iniValue('aws_access_key_id', c.accessKeyId)}`,
          `aws_secret_access_key = ${iniValue('aws_secret_access_key', c.secretAccessKey)}`,
          `aws_session_token = ${iniValue('aws_session_token', c.sessionToken)}`,
          ...(c.region ? [`region = ${iniValue('region', c.region)}`] : []),
          `# expires ${isoSeconds(c.expiration)}`,
        ].join('\n') + '\n'
      );
  }
}
