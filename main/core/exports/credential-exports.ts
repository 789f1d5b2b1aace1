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

/** POSIX shells: single quotes keep everything literal; a quote becomes '\'' */
const posixQuote = (v: string): string => `'${v.replace(/'/g, `'\\''`)}'`;
/** fish: inside single quotes only \\ and \' are special. */
const fishQuote = (v: string): string => `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`;
/** PowerShell: single-quoted strings are literal; a quote is doubled. */
const powershellQuote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

function cmdValue(name: string, value: string): string {
  // cmd has no literal quoting; AWS values never contain these, so refuse rather than mangle.
  if (/["%^\r\n]/.test(value)) throw new Error(`The value of ${name} cannot be written safely for cmd.exe.`);
  return value;
}

function dotenvValue(value: string): string {
  return /^[A-Za-z0-9+/=:._-]*$/.test(value) ? value : posixQuote(value);
}

export function formatCredentials(format: ExportFormat, c: ExportableCredentials): string {
  const vars = credentialVariables(c);
  switch (format) {
    case 'bash':
    case 'zsh':
      return [...vars.map(([k, v]) => `export ${k}=${posixQuote(v)}`), ...CLEARED_VARIABLES.map((k) => `unset ${k}`)].join('\n') + '\n';
    case 'fish':
      return [...vars.map(([k, v]) => `set -gx ${k} ${fishQuote(v)}`), ...CLEARED_VARIABLES.map((k) => `set -e ${k}`)].join('\n') + '\n';
    case 'powershell':
      return (
        [...vars.map(([k, v]) => `$Env:${k} = ${powershellQuote(v)}`), ...CLEARED_VARIABLES.map((k) => `Remove-Item Env:${k} -ErrorAction SilentlyContinue`)].join('\n') + '\n'
      );
    case 'cmd':
      return [...vars.map(([k, v]) => `set "${k}=${cmdValue(k, v)}"`), ...CLEARED_VARIABLES.map((k) => `set "${k}="`)].join('\r\n') + '\r\n';
    case 'dotenv':
      return [...vars.map(([k, v]) => `${k}=${dotenvValue(v)}`), ...CLEARED_VARIABLES.map((k) => `${k}=`)].join('\n') + '\n';
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
          `[${c.profile ?? 'default'}]`,
          `aws_access_key_id = ${c.accessKeyId}`,
          `aws_secret_access_key = ${c.secretAccessKey}`,
          `aws_session_token = ${c.sessionToken}`,
          ...(c.region ? [`region = ${c.region}`] : []),
          `# expires ${isoSeconds(c.expiration)}`,
        ].join('\n') + '\n'
      );
  }
}
