import { UserFacingError } from '../user-facing-error.js';
import { formatCount, IMPORT_LIMITS } from './import-limits.js';
import { chainText, type Included, type Settings } from './include-profile.js';
import { printable } from './profile-values.js';

/**
 * Which identity (IAM user) a profile signs in as: the profile that holds the access keys at the
 * end of its `source_profile` chain, whatever order the profiles come in. A profile without a
 * role that names a source_profile (an aws-vault "mixin", e.g. one that only adds mfa_serial)
 * is followed to its source; a role profile stops the walk (role chaining is refused, with a
 * sentence); a profile with keys, or without a source_profile, is the end.
 *
 * Each profile's walk is computed once and shared by every profile that reaches it, so the
 * whole file resolves in linear time; a chain deeper than IMPORT_LIMITS.chainDepth stops the
 * import with a sentence.
 */

export type SourceWalk =
  | { kind: 'identity'; name: string }
  | { kind: 'missing'; name: string; from: string }
  | { kind: 'loop'; cycle: string[] }
  | { kind: 'role'; name: string }
  | { kind: 'unusable'; name: string; error: string };

function text(settings: Settings, key: 'source_profile' | 'role_arn'): string | undefined {
  const value = settings.get(key);
  return typeof value === 'string' ? value : undefined;
}

/** botocore uses a profile's own keys whenever it has either key, before any role settings. */
export function holdsKeys(settings: Settings): boolean {
  return settings.has('aws_access_key_id') || settings.has('aws_secret_access_key');
}

export class SourceIdentities {
  private readonly walks = new Map<string, { walk: SourceWalk; depth: number }>();

  constructor(private readonly included: ReadonlyMap<string, Included>) {}

  /** Where a walk that starts at profile `start` (a source_profile value) ends. */
  from(start: string, referrer: string): SourceWalk {
    const path: string[] = [];
    const position = new Map<string, number>();
    let current = start;
    let from = referrer;
    let result: SourceWalk;
    let depth = 0;
    const tooDeep = (): UserFacingError =>
      new UserFacingError(
        'config-chain-too-deep',
        `Profile ${printable(referrer)} starts a source_profile chain of more than ${formatCount(IMPORT_LIMITS.chainDepth)} profiles; no real config needs that many, so nothing was imported. Point source_profile at the profile with your IAM user's keys.`,
      );
    for (;;) {
      const known = this.walks.get(current);
      if (known) {
        result = known.walk;
        depth = known.depth;
        break;
      }
      const loopStart = position.get(current);
      if (loopStart !== undefined) {
        result = { kind: 'loop', cycle: [...path.slice(loopStart), current] };
        break;
      }
      const entry = this.included.get(current);
      if (!entry) {
        result = { kind: 'missing', name: current, from };
        break;
      }
      if ('error' in entry) {
        result = { kind: 'unusable', name: current, error: entry.error };
        break;
      }
      const settings = entry.settings;
      if (holdsKeys(settings)) {
        result = { kind: 'identity', name: current };
        break;
      }
      if (settings.has('role_arn')) {
        result = { kind: 'role', name: current };
        break;
      }
      const next = text(settings, 'source_profile');
      if (next === undefined || next === current) {
        result = { kind: 'identity', name: current };
        break;
      }
      if (path.length >= IMPORT_LIMITS.chainDepth) throw tooDeep();
      position.set(current, path.length);
      path.push(current);
      from = current;
      current = next;
    }
    if (path.length + depth > IMPORT_LIMITS.chainDepth) throw tooDeep();
    // Each walked profile remembers where its own walk ends, and how far that is.
    path.forEach((name, i) => this.walks.set(name, { walk: result, depth: depth + path.length - i }));
    return result;
  }
}

/** The sentence for a walk that did not end at an identity, from the point of view of `profile`. */
export function walkProblem(walk: Exclude<SourceWalk, { kind: 'identity' }>, profile: string, source: string, configFile: string): string {
  switch (walk.kind) {
    case 'missing':
      return walk.name === source
        ? `source_profile = ${printable(source)} names a profile that is in neither ${configFile} nor the credentials file. Add it, or point source_profile at your IAM user's profile.`
        : `its source_profile ${printable(source)} leads to source_profile = ${printable(walk.name)} (in profile ${printable(walk.from)}), a profile that is in neither ${configFile} nor the credentials file.`;
    case 'loop': {
      // Shown from the profile's own point of view when it is on the loop: a → b → a.
      const ring = walk.cycle.slice(0, -1);
      const at = ring.indexOf(profile);
      return `source_profile loops: ${chainText(at >= 0 ? [...ring.slice(at), ...ring.slice(0, at), profile] : [profile, ...walk.cycle])}.`;
    }
    case 'role':
      return walk.name === source
        ? `its source_profile ${printable(source)} is itself a role profile (role chaining). AWS Auth Tray assumes every role directly from your IAM user's MFA session: set source_profile to the profile with your IAM user's keys.`
        : `its source_profile ${printable(source)} leads to ${printable(walk.name)}, which is itself a role profile (role chaining). AWS Auth Tray assumes every role directly from your IAM user's MFA session: set source_profile to the profile with your IAM user's keys.`;
    case 'unusable':
      return `its source_profile ${printable(walk.name)} cannot be used: ${walk.error}`;
    default: {
      const unreachable: never = walk;
      return unreachable;
    }
  }
}
