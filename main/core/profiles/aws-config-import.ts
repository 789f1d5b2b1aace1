import { access } from 'node:fs/promises';
import { loadSharedConfigFiles } from '@smithy/core/config';
import { UserFacingError } from '../user-facing-error.js';
import { isMfaSerial, parseRoleArn } from './arn.js';

/**
 * Reads profiles from an AWS config file (and its credentials file) the way aws-vault users
 * write them, with the AWS SDK's own INI loader: `mfa_serial`, `role_arn`, `source_profile`,
 * `external_id`, `role_session_name`, `duration_seconds`, `region`, `include_profile`.
 *
 * The result says which source identities (IAM users) the profiles come from, the profiles, and
 * every problem found, each as a sentence naming the profile. Nothing is written anywhere.
 */

type Section = Record<string, string | undefined>;

export interface ImportedSource {
  /** The source profile's name: becomes the identity's label. */
  name: string;
  mfaSerial?: string;
  region?: string;
  /** Whether the credentials file has long-term keys for it (imported only on request). */
  hasKeys: boolean;
}

export interface ImportedProfile {
  name: string;
  /** The source identity's profile name. */
  source: string;
  roleArn?: string;
  externalId?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  region?: string;
}

export interface ConfigProblem {
  profile: string;
  message: string;
}

export interface ConfigImport {
  configFile: string;
  sources: ImportedSource[];
  profiles: ImportedProfile[];
  problems: ConfigProblem[];
}

const NON_PROFILE_SECTION = /^(sso-session|services)\./;

class ProfileError extends Error {}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function importAwsConfig(options: { configFile: string; credentialsFile?: string | undefined }): Promise<ConfigImport> {
  if (!(await exists(options.configFile))) {
    throw new UserFacingError('config-missing', `There is no AWS config file at ${options.configFile}. Give the path of your config file, e.g. ~/.aws/config.`);
  }
  const files = await loadSharedConfigFiles({
    configFilepath: options.configFile,
    filepath: options.credentialsFile ?? `${options.configFile}.no-credentials-file`,
    ignoreCache: true,
  });
  const config = files.configFile as Record<string, Section>;
  const credentials = files.credentialsFile as Record<string, Section>;
  const names = [...new Set([...Object.keys(config), ...Object.keys(credentials)])].filter((n) => !NON_PROFILE_SECTION.test(n));
  const problems: ConfigProblem[] = [];

  /** The profile's own settings: config, with the credentials file's keys on top. */
  const own = (name: string): Section | undefined => {
    if (!(name in config) && !(name in credentials)) return undefined;
    return { ...config[name], ...credentials[name] };
  };

  /** Own settings over those of `include_profile` (recursively), loops refused. */
  const settings = (name: string, trail: string[] = []): Section => {
    if (trail.includes(name)) throw new ProfileError(`include_profile loops: ${[...trail, name].join(' → ')}. Remove one of the include_profile lines.`);
    const section = own(name);
    if (!section) {
      const from = trail.at(-1);
      throw new ProfileError(`include_profile = ${name}${from ? ` (in profile ${from})` : ''} names a profile that does not exist.`);
    }
    const base = section.include_profile ? settings(section.include_profile, [...trail, name]) : {};
    const merged: Section = { ...base, ...section };
    delete merged.include_profile;
    return merged;
  };

  /** A profile that holds (or will hold) the IAM user's long-term keys must be usable as one. */
  const checkSource = (s: Section): void => {
    if (s.sso_session || s.sso_start_url) throw new ProfileError('it signs in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; skipped.');
    if (s.credential_process) throw new ProfileError('it already gets credentials from credential_process; skipped.');
    if (s.aws_session_token) throw new ProfileError("its keys are temporary (aws_session_token is set); import your IAM user's long-term keys instead.");
    if (s.mfa_serial && !isMfaSerial(s.mfa_serial)) {
      throw new ProfileError(`mfa_serial "${s.mfa_serial}" is neither an MFA device ARN (arn:aws:iam::123456789012:mfa/name) nor a device serial number.`);
    }
  };

  /** The source identity's profile for a role profile: its source_profile, which must hold keys, not another role. */
  const rootSource = (name: string, source: string): string => {
    if (source === name) return source; // source_profile = itself: the profile's own keys
    if (!own(source)) {
      throw new ProfileError(`source_profile = ${source} names a profile that is in neither ${options.configFile} nor the credentials file. Add it, or point source_profile at your IAM user's profile.`);
    }
    const s = settings(source);
    if (s.role_arn) {
      if (s.source_profile === name) throw new ProfileError(`source_profile loops: ${name} → ${source} → ${name}.`);
      throw new ProfileError(
        `its source_profile ${source} is itself a role profile (role chaining). AWS Auth Tray assumes every role directly from your IAM user's MFA session: set source_profile to the profile with your IAM user's keys.`,
      );
    }
    try {
      checkSource(s);
    } catch (error) {
      if (error instanceof ProfileError) throw new ProfileError(`its source_profile ${source} cannot be used: ${error.message}`);
      throw error;
    }
    return source;
  };

  const profiles: ImportedProfile[] = [];
  const roots = new Map<string, Section>();
  const roleMfa = new Map<string, { profile: string; serial: string }[]>();

  for (const name of names) {
    try {
      const s = settings(name);
      if (s.role_arn) {
        if (s.credential_source) throw new ProfileError(`it uses credential_source = ${s.credential_source}, which only works on AWS compute (EC2, ECS), not on a desktop; skipped.`);
        if (!s.source_profile) throw new ProfileError('it has role_arn but no source_profile; add source_profile = <the profile with your IAM user\'s keys>.');
        if (!parseRoleArn(s.role_arn)) throw new ProfileError(`role_arn "${s.role_arn}" is not a role ARN like arn:aws:iam::123456789012:role/name.`);
        const source = rootSource(name, s.source_profile);
        const duration = s.duration_seconds === undefined ? undefined : /^\d+$/.test(s.duration_seconds.trim()) ? Number(s.duration_seconds) : Number.NaN;
        if (duration !== undefined && (!Number.isInteger(duration) || duration < 900 || duration > 43_200)) {
          throw new ProfileError(`duration_seconds = ${s.duration_seconds} is not a whole number of seconds from 900 to 43200.`);
        }
        if (s.external_id !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(s.external_id)) {
          throw new ProfileError('external_id must be 2 to 1224 characters of letters, digits and + = , . @ : / -.');
        }
        if (s.role_session_name !== undefined && !/^[\w+=,.@-]{2,64}$/.test(s.role_session_name)) {
          throw new ProfileError(`role_session_name "${s.role_session_name}" must be 2 to 64 characters of letters, digits and + = , . @ -.`);
        }
        if (s.mfa_serial) {
          if (!isMfaSerial(s.mfa_serial)) throw new ProfileError(`mfa_serial "${s.mfa_serial}" is neither an MFA device ARN (arn:aws:iam::123456789012:mfa/name) nor a device serial number.`);
          roleMfa.set(source, [...(roleMfa.get(source) ?? []), { profile: name, serial: s.mfa_serial }]);
        }
        if (source === name) checkSource(s);
        roots.set(source, settings(source));
        profiles.push({
          name,
          source,
          roleArn: s.role_arn,
          ...(s.external_id ? { externalId: s.external_id } : {}),
          ...(s.role_session_name ? { roleSessionName: s.role_session_name } : {}),
          ...(duration !== undefined ? { durationSeconds: duration } : {}),
          ...(s.region ? { region: s.region } : {}),
        });
      } else if (s.sso_session || s.sso_start_url || s.credential_process || s.aws_access_key_id || s.mfa_serial) {
        checkSource(s);
        roots.set(name, s);
        profiles.push({ name, source: name, ...(s.region ? { region: s.region } : {}) });
      }
      // A profile with neither keys nor a role (e.g. [default] with only region) has nothing to import.
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      problems.push({ profile: name, message: `Profile ${name}: ${error.message}` });
    }
  }

  const sources: ImportedSource[] = [...roots].map(([name, s]) => {
    const fromRoles = [...new Set((roleMfa.get(name) ?? []).map((r) => r.serial))];
    const mfaSerial = s.mfa_serial ?? (fromRoles.length === 1 ? fromRoles[0] : undefined);
    if (!s.mfa_serial && fromRoles.length > 1) {
      problems.push({ profile: name, message: `Profile ${name}: its role profiles name different MFA devices (${fromRoles.join(', ')}); set mfa_serial on ${name} itself.` });
    }
    for (const r of roleMfa.get(name) ?? []) {
      if (mfaSerial && r.serial !== mfaSerial) {
        problems.push({ profile: r.profile, message: `Profile ${r.profile}: mfa_serial ${r.serial} differs from ${mfaSerial} of its source ${name}; AWS Auth Tray uses ${mfaSerial}.` });
      }
    }
    return { name, ...(mfaSerial ? { mfaSerial } : {}), ...(s.region ? { region: s.region } : {}), hasKeys: Boolean(s.aws_access_key_id && s.aws_secret_access_key && !s.aws_session_token) };
  });

  return { configFile: options.configFile, sources, profiles, problems };
}

/** Long-term keys from one profile of an AWS credentials file, on the user's explicit request. */
export async function readCredentialsProfile(credentialsFile: string, profile: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (!(await exists(credentialsFile))) {
    throw new UserFacingError('credentials-missing', `There is no AWS credentials file at ${credentialsFile}.`);
  }
  const { credentialsFile: sections } = await loadSharedConfigFiles({
    filepath: credentialsFile,
    configFilepath: `${credentialsFile}.no-config-file`,
    ignoreCache: true,
  });
  const section = (sections as Record<string, Section>)[profile];
  if (!section) throw new UserFacingError('credentials-profile-missing', `${credentialsFile} has no [${profile}] profile.`);
  if (section.aws_session_token) {
    throw new UserFacingError('credentials-temporary', `[${profile}] in ${credentialsFile} holds temporary credentials (aws_session_token); import your IAM user's long-term access key instead.`);
  }
  if (!section.aws_access_key_id || !section.aws_secret_access_key) {
    throw new UserFacingError('credentials-incomplete', `[${profile}] in ${credentialsFile} needs both aws_access_key_id and aws_secret_access_key.`);
  }
  return { accessKeyId: section.aws_access_key_id, secretAccessKey: section.aws_secret_access_key };
}
