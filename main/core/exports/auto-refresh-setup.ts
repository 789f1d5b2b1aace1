import type { AutoRefreshFormat } from './auto-refresh-formats.js';
import { credentialProcessSection } from './credential-process-config.js';
import type { InstalledCommandLine } from './installed-command-line.js';
import { cmdSet, dotenvAssign, fishQuote, iniValue, posixQuote, powershellQuote } from './shell-quoting.js';

/**
 * "Copy auto-refresh setup": the lines that point a terminal at the running app's credential
 * endpoint instead of pasting credentials that expire. They set the AWS container-credentials
 * variables every SDK and the AWS CLI honour, and clear static keys and AWS_PROFILE, which would
 * otherwise win over the endpoint. The aws-config format is a ~/.aws/config snippet that uses
 * credential_process instead (the command line asks the running app when there is one), naming
 * the installed command line by absolute paths when the app found it (installed-command-line.ts).
 */
export { AUTO_REFRESH_FORMATS, type AutoRefreshFormat } from './auto-refresh-formats.js';

export interface AutoRefreshTarget {
  profile: string;
  /** The endpoint's base URL, e.g. http://127.0.0.1:47821 */
  endpoint: string;
  token: string;
  region?: string | undefined;
  /** The installed command line (aws-config only): absolute paths; absent, `aws-auth-tray` on PATH with a note. */
  commandLine?: InstalledCommandLine | undefined;
}

/** Static credentials and profile selection that would take precedence over the endpoint. */
export const AUTO_REFRESH_CLEARED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE'] as const;

export function autoRefreshVariables(target: AutoRefreshTarget): [string, string][] {
  const vars: [string, string][] = [
    ['AWS_CONTAINER_CREDENTIALS_FULL_URI', `${target.endpoint}/profiles/${encodeURIComponent(target.profile)}`],
    ['AWS_CONTAINER_AUTHORIZATION_TOKEN', target.token],
  ];
  if (target.region) vars.push(['AWS_REGION', target.region], ['AWS_DEFAULT_REGION', target.region]);
  return vars;
}


export function autoRefreshSetup(format: AutoRefreshFormat, target: AutoRefreshTarget): string {
  const vars = autoRefreshVariables(target);
  switch (format) {
    case 'bash':
    case 'zsh':
      return [...vars.map(([k, v]) => `export ${k}=${posixQuote(k, v)}`), `unset ${AUTO_REFRESH_CLEARED.join(' ')}`].join('\n') + '\n';
    case 'fish':
      return [...vars.map(([k, v]) => `set -gx ${k} ${fishQuote(k, v)}`), `set -e ${AUTO_REFRESH_CLEARED.join(' ')}`].join('\n') + '\n';
    case 'powershell':
      return (
        [
          ...vars.map(([k, v]) => `$Env:${k} = ${powershellQuote(k, v)}`),
          ...AUTO_REFRESH_CLEARED.map((k) => `Remove-Item Env:${k} -ErrorAction SilentlyContinue`),
        ].join('\n') + '\n'
      );
    case 'cmd':
      return [...vars.map(([k, v]) => cmdSet(k, v)), ...AUTO_REFRESH_CLEARED.map((k) => `set "${k}="`)].join('\r\n') + '\r\n';
    case 'dotenv':
      // Empty static keys are ignored by every SDK, so they clear; an empty AWS_PROFILE is not:
      // the AWS CLI and boto3 then look for a profile named "" and fail (README: how to clear it).
      return [...vars.map(([k, v]) => dotenvAssign(k, v)), ...AUTO_REFRESH_CLEARED.filter((k) => k !== 'AWS_PROFILE').map((k) => `${k}=`)].join('\n') + '\n';
    case 'aws-config': {
      if (target.commandLine) return credentialProcessSection({ profile: target.profile, region: target.region, ...target.commandLine });
      const profile = iniValue('the profile name', target.profile);
      return (
        [
          '# The aws-auth-tray command line was not found on PATH, so this names it by PATH. Install it',
          '# (README: npm link --ignore-scripts) and use what this prints instead, with absolute paths:',
          `#   aws-auth-tray setup credential-process ${profile}`,
          `[profile ${profile}]`,
          `credential_process = aws-auth-tray credential-process ${profile}`,
          ...(target.region ? [`region = ${iniValue('region', target.region)}`] : []),
        ].join('\n') + '\n'
      );
    }
  }
}
