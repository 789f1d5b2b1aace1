import { UserFacingError } from '../user-facing-error.js';
import { readAwsProfiles, readCredentialsSections, textValue } from './aws-profile-files.js';
import type { IniValue } from './botocore-ini.js';
import { hasControlCharacters, printable } from './profile-values.js';

/**
 * An IAM user's long-term access keys, read from the AWS files only when the user asks
 * (`--import-keys`, `add-user --from-credentials-profile`), with the same reader as the import.
 * Messages name the file and profile, never a key.
 */

export interface LongTermKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

function keysFrom(values: ReadonlyMap<string, IniValue>, what: string): LongTermKeys {
  if (values.has('aws_session_token')) {
    throw new UserFacingError('credentials-temporary', `${what} holds temporary credentials (aws_session_token); import your IAM user's long-term access key instead.`);
  }
  const accessKeyId = textValue(values, 'aws_access_key_id');
  const secretAccessKey = textValue(values, 'aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) {
    throw new UserFacingError('credentials-incomplete', `${what} needs both aws_access_key_id and aws_secret_access_key.`);
  }
  if (hasControlCharacters(accessKeyId) || hasControlCharacters(secretAccessKey) || /\s/.test(accessKeyId + secretAccessKey)) {
    throw new UserFacingError('credentials-malformed', `${what} has an access key with spaces or control characters in it; copy the keys again.`);
  }
  return { accessKeyId, secretAccessKey };
}

/** Long-term keys from one profile of an AWS credentials file, on the user's explicit request. */
export async function readCredentialsProfile(credentialsFile: string, profile: string): Promise<LongTermKeys> {
  const sections = await readCredentialsSections(credentialsFile);
  if (!sections) throw new UserFacingError('credentials-missing', `There is no AWS credentials file at ${credentialsFile}.`);
  const section = sections.get(profile);
  if (!section) throw new UserFacingError('credentials-profile-missing', `${credentialsFile} has no [${printable(profile)}] profile.`);
  return keysFrom(section.values, `[${printable(profile)}] in ${credentialsFile}`);
}

/**
 * The keys of source profiles as the AWS CLI sees them: from the credentials file, or from the
 * config file where some users keep them. The files are read once, when this is called.
 */
export async function longTermKeysReader(options: { configFile: string; credentialsFile?: string | undefined }): Promise<(profile: string) => LongTermKeys> {
  const { profiles } = await readAwsProfiles(options);
  return (profile) => {
    const found = profiles.get(profile);
    if (!found) throw new UserFacingError('credentials-profile-missing', `Neither ${options.configFile} nor the credentials file has a profile ${printable(profile)}.`);
    const file = found.credentialsSection ? options.credentialsFile : options.configFile;
    return keysFrom(found.values, `Profile ${printable(profile)} (in ${file ?? options.configFile})`);
  };
}
