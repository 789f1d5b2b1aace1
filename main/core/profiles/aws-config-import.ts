import { UserFacingError } from '../user-facing-error.js';
import { readAwsProfiles, type AwsProfiles } from './aws-profile-files.js';
import type { IniValue } from './botocore-ini.js';
import { mfaProcessProblem } from '../mfa-codes/mfa-process-command.js';
import { formatCount, IMPORT_LIMITS } from './import-limits.js';
import { resolveIncludes, type SettingKey, type Settings } from './include-profile.js';
import {
  durationProblem,
  externalIdProblem,
  groupProblem,
  isProfileName,
  mfaSerialProblem,
  parseDurationSeconds,
  printable,
  profileNameProblem,
  regionProblem,
  roleArnProblem,
  roleSessionNameProblem,
  shown,
} from './profile-values.js';
import { holdsKeys, SourceIdentities, walkProblem, type SourceWalk } from './source-identity.js';

export { readCredentialsProfile } from './long-term-keys.js';

/**
 * Reads profiles from an AWS config file (and its credentials file) the way aws-vault users
 * write them: `mfa_serial`, `role_arn`, `source_profile`, `external_id`, `role_session_name`,
 * `duration_seconds`, `region`, `include_profile`. The files are read exactly as the AWS CLI
 * reads them (see aws-profile-files.ts); a file the AWS CLI refuses is refused as a whole.
 *
 * One key is AWS Auth Tray's own (the AWS CLI ignores it): `aws_auth_tray_group = payments` puts
 * the profile in a group the window can group by (1 to 64 printable characters; an invalid one is
 * a problem sentence and the profile is imported without it). One is aws-vault's (the AWS CLI
 * ignores it too): `mfa_process`, the identity's command that prints its MFA code, taken from the
 * source profile, else from the profiles that sign in through it when they agree; one the rules of
 * mfa-process-command.ts refuse is a problem sentence, and the identity comes in without it.
 *
 * The result says which source identities (IAM users) the profiles come from, the profiles, and
 * every problem found, each as a sentence naming the profile. Nothing is written anywhere.
 */

export interface ImportedSource {
  /** The source profile's name: becomes the identity's label. */
  name: string;
  mfaSerial?: string;
  region?: string;
  /** aws-vault's `mfa_process`: a command that prints the MFA code (run without a shell; mfa-codes/mfa-process.ts). */
  mfaProcess?: string;
  /** Whether the files have long-term keys for it (imported only on request). */
  hasKeys: boolean;
}

export interface ImportedProfile {
  name: string;
  /** The source identity's profile name: the profile holding the keys at the end of the source_profile chain. */
  source: string;
  roleArn?: string;
  /** The profile's own mfa_serial as written (the identity's device is the source's). */
  mfaSerial?: string;
  externalId?: string;
  roleSessionName?: string;
  durationSeconds?: number;
  region?: string;
  /** `aws_auth_tray_group`: the group the window shows the profile in (AWS Auth Tray's own key). */
  group?: string;
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

class ProfileError extends Error {}

/** A setting as text; a nested block (`region =` followed by indented lines) is not a value. */
function value(settings: Settings, key: SettingKey): string | undefined {
  const found: IniValue | undefined = settings.get(key);
  if (found === undefined || typeof found === 'string') return found;
  throw new ProfileError(`${key} is a block of indented settings, not a value.`);
}

function check(problem: string | undefined): void {
  if (problem !== undefined) throw new ProfileError(problem);
}

/** A profile that holds (or will hold) the IAM user's long-term keys must be usable as one. */
function checkSource(name: string, s: Settings): void {
  if (s.has('sso_session') || s.has('sso_start_url')) throw new ProfileError('it signs in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; skipped.');
  if (s.has('credential_process')) throw new ProfileError('it already gets credentials from credential_process; skipped.');
  if (s.has('aws_session_token')) throw new ProfileError("its keys are temporary (aws_session_token is set); import your IAM user's long-term keys instead.");
  check(profileNameProblem(name));
  const mfaSerial = value(s, 'mfa_serial');
  if (mfaSerial !== undefined) check(mfaSerialProblem(mfaSerial));
  const region = value(s, 'region');
  if (region !== undefined) check(regionProblem(region));
}

/** Credentials from SSO or a program: without role_arn, botocore ignores source_profile for such a profile. */
function signsInElsewhere(s: Settings): boolean {
  return s.has('sso_session') || s.has('sso_start_url') || s.has('credential_process');
}

function hasUsableKeys(s: Settings): boolean {
  return typeof s.get('aws_access_key_id') === 'string' && typeof s.get('aws_secret_access_key') === 'string' && !s.has('aws_session_token');
}

/** Resolves every profile of files already read; pure and linear in the size of the files. */
export function resolveConfigImport(files: AwsProfiles): ConfigImport {
  const { configFile } = files;
  const included = resolveIncludes(files.profiles);
  const identities = new SourceIdentities(included);
  const problems: ConfigProblem[] = files.notes.map((n) => ({ profile: n.section, message: n.message }));
  const problem = (name: string, message: string): void => {
    problems.push({ profile: name, message: `Profile ${isProfileName(name) ? name : shown(name)}: ${message}` });
  };
  /** A profile's group, when valid; an invalid one is a problem and the profile comes in without it. */
  const importedGroup = (name: string, group: string | undefined): string | undefined => {
    const trimmed = group?.trim();
    if (trimmed === undefined) return undefined;
    const why = groupProblem(trimmed);
    if (why === undefined) return trimmed;
    problem(name, `aws_auth_tray_group = ${shown(trimmed)} is not used: ${why}`);
    return undefined;
  };

  /** An identity's mfa_process: its own, else its profiles' when they agree; invalid ones are problems. */
  const importedMfaProcess = (name: string, own: IniValue | undefined, tied: readonly string[]): string | undefined => {
    if (own !== undefined && typeof own !== 'string') {
      problem(name, 'mfa_process is a block of indented settings, not a command; it is not imported.');
      return undefined;
    }
    const fromTied = [...new Set(tied)];
    if (own === undefined && fromTied.length > 1) {
      problem(name, `the profiles that use it name different mfa_process commands; set mfa_process on ${printable(name)} itself.`);
      return undefined;
    }
    const command = own ?? fromTied[0];
    if (command === undefined) return undefined;
    const why = mfaProcessProblem(command);
    if (why === undefined) return command;
    problem(name, `${why} It is not imported; the MFA code will be asked for.`);
    return undefined;
  };

  /** Whether a profile can be an identity; its refusal, once, as a sentence. */
  const sourceChecks = new Map<string, string | undefined>();
  const sourceProblem = (name: string): string | undefined => {
    if (!sourceChecks.has(name)) {
      const entry = included.get(name);
      let message: string | undefined;
      if (!entry) message = 'it does not exist.';
      else if ('error' in entry) message = entry.error;
      else {
        try {
          checkSource(name, entry.settings);
        } catch (error) {
          if (!(error instanceof ProfileError)) throw error;
          message = error.message;
        }
      }
      sourceChecks.set(name, message);
    }
    return sourceChecks.get(name);
  };

  /** The identity at the end of `name`'s source_profile chain (`source` is its source_profile). */
  const identityOf = (name: string, source: string): string => {
    if (source === name) return name; // source_profile = itself: the profile's own keys
    const first = included.get(source);
    if (first && 'settings' in first && !holdsKeys(first.settings) && first.settings.get('role_arn') !== undefined && first.settings.get('source_profile') === name) {
      throw new ProfileError(`source_profile loops: ${printable(name)} → ${printable(source)} → ${printable(name)}.`);
    }
    const walk: SourceWalk = identities.from(source, name);
    if (walk.kind !== 'identity') throw new ProfileError(walkProblem(walk, name, source, configFile));
    const refused = sourceProblem(walk.name);
    if (refused !== undefined) {
      throw new ProfileError(
        walk.name === source
          ? `its source_profile ${printable(source)} cannot be used: ${refused}`
          : `its source_profile ${printable(source)} leads to ${printable(walk.name)}, which cannot be used: ${refused}`,
      );
    }
    return walk.name;
  };

  /** Each profile's outcome in file order: imported, or nothing to import (unless it turns out to be an identity). */
  const outcomes: ({ profile: ImportedProfile } | { inert: string; region?: string })[] = [];
  const sources = new Map<string, Settings>();
  /** mfa_serial of the profiles tied to each identity (roles and mixins), to adopt or compare. */
  const tiedMfa = new Map<string, { profile: string; serial: string }[]>();
  /** mfa_process of the profiles tied to each identity (aws-vault reads it from the profile used). */
  const tiedProcess = new Map<string, string[]>();

  for (const [name, entry] of included) {
    try {
      if ('error' in entry) throw new ProfileError(entry.error);
      const s = entry.settings;
      const roleArn = value(s, 'role_arn');
      const sourceProfile = value(s, 'source_profile');
      const mfaSerial = value(s, 'mfa_serial');
      const region = value(s, 'region');
      const group = importedGroup(name, value(s, 'aws_auth_tray_group'));
      let source: string;
      const fields: Omit<ImportedProfile, 'name' | 'source'> = {};
      if (roleArn !== undefined) {
        // Used by name, a profile with role_arn assumes its role (botocore does so even when it also has keys).
        const credentialSource = value(s, 'credential_source');
        if (credentialSource !== undefined) {
          throw new ProfileError(`it uses credential_source = ${printable(credentialSource)}, which only works on AWS compute (EC2, ECS), not on a desktop; skipped.`);
        }
        if (s.has('web_identity_token_file')) {
          throw new ProfileError('it assumes its role with a web identity token (web_identity_token_file), which is for CI and Kubernetes, not for an IAM user with MFA; skipped.');
        }
        if (sourceProfile === undefined) throw new ProfileError("it has role_arn but no source_profile; add source_profile = <the profile with your IAM user's keys>.");
        check(roleArnProblem(roleArn));
        source = identityOf(name, sourceProfile);
        const duration = value(s, 'duration_seconds');
        if (duration !== undefined) check(durationProblem(duration));
        const externalId = value(s, 'external_id');
        if (externalId !== undefined) check(externalIdProblem(externalId));
        const roleSessionName = value(s, 'role_session_name');
        if (roleSessionName !== undefined) check(roleSessionNameProblem(roleSessionName));
        if (mfaSerial !== undefined) check(mfaSerialProblem(mfaSerial));
        check(profileNameProblem(name));
        if (region !== undefined) check(regionProblem(region));
        if (source === name) check(sourceProblem(name));
        const durationSeconds = duration === undefined ? undefined : parseDurationSeconds(duration);
        Object.assign(fields, {
          roleArn,
          ...(externalId !== undefined ? { externalId } : {}),
          ...(roleSessionName !== undefined ? { roleSessionName } : {}),
          ...(durationSeconds !== undefined ? { durationSeconds } : {}),
        });
      } else if (!holdsKeys(s) && !signsInElsewhere(s) && sourceProfile !== undefined && sourceProfile !== name) {
        // No role, no keys, a source (aws-vault's mixin, e.g. adding mfa_serial): the source's identity.
        source = identityOf(name, sourceProfile);
        if (mfaSerial !== undefined) check(mfaSerialProblem(mfaSerial));
        check(profileNameProblem(name));
        if (region !== undefined) check(regionProblem(region));
      } else if (holdsKeys(s) || signsInElsewhere(s) || mfaSerial !== undefined || sourceProfile === name) {
        check(sourceProblem(name));
        source = name;
      } else {
        // Neither keys nor a role nor a source (e.g. [default] with only region): nothing to import,
        // unless other profiles sign in through it.
        outcomes.push({ inert: name, ...(region !== undefined ? { region } : {}) });
        continue;
      }
      if (source !== name && mfaSerial !== undefined) {
        const tied = tiedMfa.get(source) ?? [];
        tied.push({ profile: name, serial: mfaSerial });
        tiedMfa.set(source, tied);
      }
      const ownProcess = s.get('mfa_process');
      if (source !== name && typeof ownProcess === 'string') tiedProcess.set(source, [...(tiedProcess.get(source) ?? []), ownProcess]);
      const identity = included.get(source);
      if (identity && 'settings' in identity) sources.set(source, identity.settings);
      outcomes.push({
        profile: {
          name,
          source,
          ...fields,
          ...(mfaSerial !== undefined ? { mfaSerial } : {}),
          ...(region !== undefined ? { region } : {}),
          ...(group !== undefined ? { group } : {}),
        },
      });
    } catch (error) {
      if (!(error instanceof ProfileError)) throw error;
      problem(name, error.message);
    }
  }
  // An identity is a profile too (e.g. `security`, to check the IAM user itself), even when it
  // has nothing but a region in the config file (its keys come later).
  const profiles = outcomes.flatMap((o) => ('profile' in o ? [o.profile] : sources.has(o.inert) ? [{ name: o.inert, source: o.inert, ...(o.region !== undefined ? { region: o.region } : {}) }] : []));

  if (profiles.length > IMPORT_LIMITS.profiles) {
    throw new UserFacingError(
      'config-too-many-profiles',
      `${configFile} has ${formatCount(profiles.length)} profiles to import; AWS Auth Tray imports up to ${formatCount(IMPORT_LIMITS.profiles)} at a time. Import a file with the profiles you use.`,
    );
  }

  const importedSources: ImportedSource[] = [...sources].map(([name, s]) => {
    const own = value(s, 'mfa_serial');
    const tied = tiedMfa.get(name) ?? [];
    const fromTied = [...new Set(tied.map((r) => r.serial))];
    const mfaSerial = own ?? (fromTied.length === 1 ? fromTied[0] : undefined);
    if (own === undefined && fromTied.length > 1) {
      problem(name, `its role profiles name different MFA devices (${fromTied.map(printable).join(', ')}); set mfa_serial on ${printable(name)} itself.`);
    }
    for (const r of tied) {
      if (mfaSerial !== undefined && r.serial !== mfaSerial) {
        problem(r.profile, `mfa_serial ${printable(r.serial)} differs from ${printable(mfaSerial)} of its source ${printable(name)}; AWS Auth Tray uses ${printable(mfaSerial)}.`);
      }
    }
    const region = value(s, 'region');
    const mfaProcess = importedMfaProcess(name, s.get('mfa_process'), tiedProcess.get(name) ?? []);
    return {
      name,
      ...(mfaSerial !== undefined ? { mfaSerial } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(mfaProcess !== undefined ? { mfaProcess } : {}),
      hasKeys: hasUsableKeys(s),
    };
  });

  return { configFile, sources: importedSources, profiles, problems };
}

export async function importAwsConfig(options: { configFile: string; credentialsFile?: string | undefined }): Promise<ConfigImport> {
  return resolveConfigImport(await readAwsProfiles(options));
}
