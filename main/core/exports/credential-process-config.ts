import { isRegion } from '../profiles/profile-values.js';
import { UserFacingError } from '../user-facing-error.js';
import { PROFILE_NAME } from '../vault/profile-name.js';
import { posixQuote } from './shell-quoting.js';

/**
 * The `~/.aws/config` section that makes every AWS tool get a profile's credentials from
 * aws-auth-tray: `credential_process` with absolute paths (this Node.js and this command line's
 * bundle), so it works without `PATH` and without `npx` (which costs seconds a call).
 *
 * The command is split into words by whoever runs it: botocore (the AWS CLI, boto3) with
 * `shlex.split` on Linux and macOS and the CommandLineToArgvW rules on Windows; the AWS SDK for
 * JavaScript through a shell (`/bin/sh`, `cmd.exe`). POSIX single quotes survive both shlex and
 * sh; Windows double quotes survive both of Windows' splitters, and `"` cannot be in a Windows
 * path, so nothing needs escaping there.
 */
export interface CredentialProcessTarget {
  /** The vault profile credential-process asks for. */
  profile: string;
  /** The section's name in the config file (default: the profile's). */
  sectionName?: string | undefined;
  nodePath: string;
  bundlePath: string;
  region?: string | undefined;
  platform?: NodeJS.Platform;
}


function windowsQuote(what: string, value: string): string {
  if (/["\r\n]/.test(value) || value.includes('\u0000')) throw new UserFacingError('unsafe-value', `The ${what} (${JSON.stringify(value)}) has a character a Windows command line cannot quote; install aws-auth-tray in a folder without it.`);
  return `"${value}"`;
}

export function credentialProcessCommand(target: CredentialProcessTarget): string {
  if (!PROFILE_NAME.test(target.profile)) throw new UserFacingError('unsafe-value', `"${target.profile}" is not a profile name aws-auth-tray uses (letters, digits, and . _ + @ -).`);
  const windows = (target.platform ?? process.platform) === 'win32';
  const quote = (what: string, value: string): string => {
    if (/[\r\n]/.test(value)) throw new UserFacingError('unsafe-value', `The ${what} has a line break, which an AWS config file cannot hold; install aws-auth-tray in a folder without it.`);
    return windows ? windowsQuote(what, value) : posixQuote(what, value);
  };
  return `${quote('path of Node.js', target.nodePath)} ${quote('path of aws-auth-tray', target.bundlePath)} credential-process ${target.profile}`;
}

export function credentialProcessSection(target: CredentialProcessTarget): string {
  const name = target.sectionName ?? target.profile;
  if (!PROFILE_NAME.test(name)) throw new UserFacingError('unsafe-value', `"${name}" cannot be a profile name in the AWS config file (letters, digits, and . _ + @ -).`);
  if (target.region !== undefined && !isRegion(target.region)) {
    throw new UserFacingError('unsafe-value', `"${target.region}" is not an AWS region name like eu-west-1.`);
  }
  const header = name === 'default' ? '[default]' : `[profile ${name}]`;
  return [header, `credential_process = ${credentialProcessCommand(target)}`, ...(target.region ? [`region = ${target.region}`] : [])].join('\n') + '\n';
}
