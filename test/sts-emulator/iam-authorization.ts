import type { Caller } from './caller.js';
import type { FixtureUser } from './fixture.js';
import type { IamDirectory } from './iam-directory.js';
import { iamErrors } from './iam-errors.js';

/**
 * Who may do which IAM action on whom, as far as the emulator models IAM policies:
 *
 * - IAM users (long-term keys, or GetSessionToken sessions: both act as the user) manage only
 *   themselves, under AWS's "manage your own credentials with MFA" example policy: its
 *   `DenyAllExceptListedIfNoMFA` statement (also published as BlockMostAccessUnlessSignedInWithMFA)
 *   explicitly denies every action but GetUser and ListMFADevices (and the virtual-MFA actions the
 *   emulator does not implement) unless the session was MFA-authenticated. A fixture user with
 *   `requireMfaForSelfManagement: false` is not under that statement. Any user may list their
 *   own account's alias (with MFA when the statement applies).
 * - Role sessions act as the role: every emulated IAM action on the users of the role's own
 *   account, unless the fixture role says `denyIam` (then none at all). Actions about a user need
 *   `UserName`, since a role is not a user.
 *
 * Refusals use AWS's wording: `User: <caller arn> is not authorized to perform: iam:<Action> on
 * resource: user <name>` (or `*` for account-wide actions), `... because no identity-based policy
 * allows the iam:<Action> action` or `... with an explicit deny in an identity-based policy`.
 */

/** The actions the force-MFA statement leaves allowed without MFA (those the emulator implements). */
export const ALLOWED_WITHOUT_MFA: ReadonlySet<string> = new Set(['GetUser', 'ListMFADevices']);

function deniedForWantOfMfa(caller: Extract<Caller, { user: FixtureUser }>, action: string): boolean {
  return (caller.user.requireMfaForSelfManagement ?? true) && !caller.mfaPresent && !ALLOWED_WITHOUT_MFA.has(action);
}

/**
 * The user an action about a user applies to: `UserName`, or the calling user when it is absent.
 * Throws AWS's ValidationError, AccessDenied or NoSuchEntity otherwise.
 */
export function authorizeUserAction(caller: Caller, action: string, userName: string | undefined, directory: IamDirectory): FixtureUser {
  if (caller.kind === 'role-session') {
    if (userName === undefined) throw iamErrors.mustSpecifyUserName();
    if (caller.role.denyIam === true) throw iamErrors.notAuthorized(caller.arn, action, `user ${userName}`);
    const user = directory.findUser(caller.account, userName);
    if (!user) throw iamErrors.noSuchUser(userName);
    return user;
  }
  const resource = `user ${userName ?? caller.user.name}`;
  if (deniedForWantOfMfa(caller, action)) throw iamErrors.explicitlyDenied(caller.arn, action, resource);
  if (userName !== undefined && directory.findUser(caller.account, userName) !== caller.user) {
    throw iamErrors.notAuthorized(caller.arn, action, resource);
  }
  return caller.user;
}

/**
 * The owner of an access key an action names by id alone (GetAccessKeyLastUsed): the key must
 * exist in the caller's account, and its owner be one the caller may act on.
 */
export function authorizeAccessKeyAction(caller: Caller, action: string, accessKeyId: string, directory: IamDirectory): FixtureUser {
  const found = directory.findAccessKey(accessKeyId);
  const owner = found?.user.account === caller.account ? found.user : undefined;
  if (caller.kind !== 'role-session' && deniedForWantOfMfa(caller, action)) {
    throw iamErrors.explicitlyDenied(caller.arn, action, `user ${(owner ?? caller.user).name}`);
  }
  if (caller.kind === 'role-session' && caller.role.denyIam === true) {
    throw iamErrors.notAuthorized(caller.arn, action, owner ? `user ${owner.name}` : '*');
  }
  if (!owner) throw iamErrors.noSuchAccessKey(accessKeyId);
  return authorizeUserAction(caller, action, owner.name, directory);
}

/** The account an account-wide action (ListAccountAliases) applies to: the caller's. */
export function authorizeAccountAction(caller: Caller, action: string): string {
  if (caller.kind === 'role-session') {
    if (caller.role.denyIam === true) throw iamErrors.notAuthorized(caller.arn, action, '*');
  } else if (deniedForWantOfMfa(caller, action)) {
    throw iamErrors.explicitlyDenied(caller.arn, action, '*');
  }
  return caller.account;
}
