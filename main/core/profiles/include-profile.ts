import { UserFacingError } from '../user-facing-error.js';
import type { AwsProfile } from './aws-profile-files.js';
import type { IniValue } from './botocore-ini.js';
import { formatCount, IMPORT_LIMITS } from './import-limits.js';
import { printable } from './profile-values.js';

/**
 * aws-vault's `include_profile`: a profile takes the settings of the profile it includes
 * (recursively) where it has none of its own. The AWS CLI ignores the key; aws-vault users rely
 * on it, so the import honours it for the settings it reads.
 *
 * Resolution is linear in the number of profiles: each profile is resolved once, from the
 * result of the profile it includes, walking iteratively (no recursion to overflow). Loops and
 * missing profiles are a sentence per profile; a chain deeper than IMPORT_LIMITS.chainDepth is
 * no real file and stops the import with a sentence.
 */

/** The settings the import reads; only these are inherited, so each merge is constant work. */
export const SETTING_KEYS = [
  'role_arn',
  'source_profile',
  'mfa_serial',
  'region',
  'external_id',
  'role_session_name',
  'duration_seconds',
  'credential_source',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
  // AWS Auth Tray's own key: the group the table shows the profile in (ignored by the AWS CLI).
  'aws_auth_tray_group',
  // aws-vault's: a command that prints the MFA code (ignored by the AWS CLI).
  'mfa_process',
] as const;

/** Keys that are never inherited through include_profile: they belong to one profile only. */
export const KEY_SETTINGS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;

export type SettingKey = (typeof SETTING_KEYS)[number] | (typeof KEY_SETTINGS)[number];
export type Settings = ReadonlyMap<SettingKey, IniValue>;

export type Included = { settings: Settings } | { error: string };

/** `a → b → c`, shortened in the middle when long (a loop may run through thousands of profiles). */
export function chainText(names: readonly string[]): string {
  const shown = names.length <= 8 ? names : [...names.slice(0, 4), '...', ...names.slice(-3)];
  const text = shown.map((n) => (n === '...' ? n : printable(n))).join(' → ');
  return names.length <= 8 ? text : `${text} (${formatCount(names.length)} profiles)`;
}

function ownSettings(profile: AwsProfile): Map<SettingKey, IniValue> {
  const own = new Map<SettingKey, IniValue>();
  for (const key of [...SETTING_KEYS, ...KEY_SETTINGS]) {
    const value = profile.values.get(key);
    if (value !== undefined) own.set(key, value);
  }
  return own;
}

export function resolveIncludes(profiles: ReadonlyMap<string, AwsProfile>): Map<string, Included> {
  const done = new Map<string, Included>();
  const depth = new Map<string, number>();

  for (const start of profiles.keys()) {
    if (done.has(start)) continue;
    // Walk start → its include → ... until a resolved profile, a profile without include_profile,
    // a loop, or a missing profile; then resolve the walked path from its end backwards.
    const path: string[] = [];
    const position = new Map<string, number>();
    let base: { settings: Settings; depth: number } | { error: string } | undefined;
    let current = start;
    for (;;) {
      const resolved = done.get(current);
      if (resolved) {
        base = 'settings' in resolved ? { settings: resolved.settings, depth: depth.get(current) ?? 0 } : resolved;
        break;
      }
      const loopStart = position.get(current);
      if (loopStart !== undefined) {
        const cycle = path.slice(loopStart);
        cycle.forEach((member, i) => {
          const around = [...cycle.slice(i), ...cycle.slice(0, i), member];
          done.set(member, { error: `include_profile loops: ${chainText(around)}. Remove one of the include_profile lines.` });
        });
        path.length = loopStart;
        base = { error: `include_profile loops: ${chainText([...cycle, current])}. Remove one of the include_profile lines.` };
        break;
      }
      const profile = profiles.get(current);
      if (!profile) {
        const from = path.at(-1);
        base = { error: `include_profile = ${printable(current)}${from === undefined ? '' : ` (in profile ${printable(from)})`} names a profile that does not exist.` };
        break;
      }
      position.set(current, path.length);
      path.push(current);
      const include = profile.values.get('include_profile');
      if (include === undefined) {
        base = { settings: new Map(), depth: 0 };
        break;
      }
      if (typeof include !== 'string') {
        base = { error: `include_profile (in profile ${printable(current)}) is a nested block of settings, not a profile name.` };
        break;
      }
      current = include;
    }

    if ('error' in base) {
      for (const name of path) if (!done.has(name)) done.set(name, base);
      continue;
    }
    let { settings, depth: level } = base;
    for (let i = path.length - 1; i >= 0; i -= 1) {
      const name = path[i] ?? '';
      const profile = profiles.get(name);
      if (!profile) continue;
      level += 1;
      if (level > IMPORT_LIMITS.chainDepth) {
        throw new UserFacingError(
          'config-chain-too-deep',
          `Profile ${printable(name)} starts an include_profile chain of more than ${formatCount(IMPORT_LIMITS.chainDepth)} profiles; no real config needs that many, so nothing was imported. Shorten the chain (include_profile the profile with the settings directly).`,
        );
      }
      const merged = new Map<SettingKey, IniValue>();
      for (const [key, value] of settings) if (!(KEY_SETTINGS as readonly string[]).includes(key)) merged.set(key, value);
      for (const [key, value] of ownSettings(profile)) merged.set(key, value);
      settings = merged;
      done.set(name, { settings });
      depth.set(name, level);
    }
  }
  return done;
}
