import { parseArn } from '../profiles/arn.js';
import { UserFacingError } from '../user-facing-error.js';
import type { IdentitySummary, Vault } from '../vault/vault.js';
import type { StoredProfile } from '../vault/vault-schema.js';
import type { ConsoleProfile } from './console-sign-in.js';

/** What the console sign-in needs to know of a profile in the vault (readable while it is locked: no secrets). */
export function consoleProfile(vault: Vault, name: string, regionOf: (profile: StoredProfile, identity: IdentitySummary) => string): ConsoleProfile {
  const profile = vault.profile(name);
  if (!profile) throw new UserFacingError('profile-missing', `There is no profile "${name}". List the profiles with: aws-auth-tray list`);
  const identity = vault.identity(profile.identityId);
  if (!identity) throw new UserFacingError('identity-missing', `Profile ${name} refers to an identity that no longer exists; edit the profile.`);
  const userAccount = identity.mfaSerial ? parseArn(identity.mfaSerial)?.account : undefined;
  return { name, roleArn: profile.roleArn, region: regionOf(profile, identity), ...(userAccount ? { userAccount } : {}) };
}
