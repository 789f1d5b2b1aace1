import { UserFacingError } from '../user-facing-error.js';
import { readAwsFile } from './aws-file-reader.js';
import type { IniSection, IniValue } from './botocore-ini.js';
import { printable } from './profile-values.js';
import { shellWords } from './shell-words.js';

/**
 * The profiles of an AWS config file and its credentials file, named and merged exactly as the
 * AWS CLI (botocore) does, so that `aws configure list-profiles` and this list agree:
 *
 * - In the config file, `[default]` and `[profile <name>]` are profiles. The header is split like
 *   a shell line (`[profile  security ]` is `security`, `[profile "a b"]` is `a b`); a header
 *   that does not split into exactly "profile" and one name is not a profile.
 * - Two sections for the same profile (`[default]` and `[profile default]`, or `[profile a]` and
 *   `[profile  a]`): the later one is used, whole; the profile keeps the first one's place.
 * - In the credentials file every section is a profile, by its header as written. Its keys are
 *   laid over the config profile of the same name (they win).
 *
 * Where the AWS CLI silently reads a section differently from how it looks, `notes` says so in
 * a sentence: the import passes them on, so nothing is dropped without a word.
 */

export interface SectionRef {
  header: string;
  line: number;
}

export interface AwsProfile {
  name: string;
  configSection?: SectionRef;
  credentialsSection?: SectionRef;
  /** Keys (lower-case) to values: config first, credentials laid over it. */
  values: ReadonlyMap<string, IniValue>;
}

export interface SectionNote {
  /** The section (or profile) the note is about, as the user would look for it. */
  section: string;
  message: string;
}

export interface AwsProfiles {
  configFile: string;
  credentialsFile: string | undefined;
  /** In the AWS CLI's order (`aws configure list-profiles`). */
  profiles: ReadonlyMap<string, AwsProfile>;
  notes: SectionNote[];
}

const where = (section: IniSection): string => `[${printable(section.header)}] (line ${section.line})`;

/** The profile a `[profile...]` header names for botocore, or why it names none. */
function profileHeaderName(section: IniSection): { name: string } | { problem: string } {
  const words = shellWords(section.header);
  if (words === undefined) return { problem: 'its quotes are not closed' };
  // botocore takes the second word whatever the first is ([profile"x" y] is profile y).
  if (words.length === 2) return { name: words[1] ?? '' };
  if (words.length === 1) return { problem: words[0] === 'profile' ? 'there is no name after "profile"' : 'there is no space between "profile" and the name' };
  return { problem: 'the name has spaces; quote it, e.g. [profile "my name"]' };
}

export async function readAwsProfiles(options: { configFile: string; credentialsFile?: string | undefined }): Promise<AwsProfiles> {
  const { configFile, credentialsFile } = options;
  const config = await readAwsFile(configFile, 'config');
  if (!config) {
    throw new UserFacingError('config-missing', `There is no AWS config file at ${configFile}. Give the path of your config file, e.g. ~/.aws/config.`);
  }
  // The credentials file is optional, as for the AWS CLI.
  const credentials = credentialsFile === undefined ? undefined : await readAwsFile(credentialsFile, 'credentials');

  const notes: SectionNote[] = [];
  const profiles = new Map<string, AwsProfile>();
  const setConfigProfile = (name: string, section: IniSection): void => {
    const before = profiles.get(name)?.configSection;
    if (before) {
      notes.push({
        section: name,
        message: `Profile ${printable(name)}: [${printable(before.header)}] (line ${before.line}) and ${where(section)} are the same profile; the AWS CLI uses only the later one, and so does AWS Auth Tray. Remove one of them.`,
      });
    }
    profiles.set(name, { name, configSection: { header: section.header, line: section.line }, values: section.values });
  };

  if (config.defaultSectionLine !== undefined) {
    notes.push({
      section: 'DEFAULT',
      message: `[DEFAULT] (line ${config.defaultSectionLine}): the AWS CLI gives its settings to every section of ${configFile} that lacks them (Python's configparser does), and so does AWS Auth Tray. Rename it to [default] if you meant the default profile.`,
    });
  }
  for (const section of config.sections) {
    const header = section.header;
    if (header.startsWith('profile')) {
      const parsed = profileHeaderName(section);
      if ('name' in parsed) setConfigProfile(parsed.name, section);
      else notes.push({ section: header, message: `${where(section)} is not a profile for the AWS CLI: ${parsed.problem}. It was skipped.` });
    } else if (header.startsWith('sso-session')) {
      notes.push({
        section: header,
        message: `${where(section)} configures sign-in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; it was skipped, with the profiles that use it.`,
      });
    } else if (header === 'default') {
      setConfigProfile('default', section);
    } else if (/^(profile|default)\b/i.test(header.replace(/^[\s"']+/, ''))) {
      notes.push({
        section: header,
        message: `${where(section)} looks like a profile but is not one for the AWS CLI, which reads only [default] and [profile name], written exactly so (lower case, nothing before them). It was skipped.`,
      });
    }
    // Other sections ([plugins], [preview], [services ...]) configure the AWS CLI, not profiles.
  }
  for (const section of credentials?.sections ?? []) {
    const name = section.header;
    const existing = profiles.get(name);
    profiles.set(name, {
      name,
      ...(existing?.configSection ? { configSection: existing.configSection } : {}),
      credentialsSection: { header: section.header, line: section.line },
      values: existing ? new Map([...existing.values, ...section.values]) : section.values,
    });
  }
  if (credentials?.defaultSectionLine !== undefined) {
    notes.push({
      section: 'DEFAULT',
      message: `[DEFAULT] (line ${credentials.defaultSectionLine}) of ${credentialsFile ?? ''}: the AWS CLI gives its settings to every section of that file that lacks them, and so does AWS Auth Tray. Rename it to [default] if you meant the default profile.`,
    });
  }
  return { configFile, credentialsFile, profiles, notes };
}

/** A credentials file's sections by header (every section is a profile there), as the AWS CLI reads them. */
export async function readCredentialsSections(credentialsFile: string): Promise<ReadonlyMap<string, IniSection> | undefined> {
  const file = await readAwsFile(credentialsFile, 'credentials');
  return file && new Map(file.sections.map((s) => [s.header, s]));
}

/** A value as text; a nested block is not a value. */
export function textValue(values: ReadonlyMap<string, IniValue>, key: string): string | undefined {
  const value = values.get(key);
  return typeof value === 'string' ? value : undefined;
}
