import type { Caller } from './caller.js';
import type { EmulatorClock } from './emulator-clock.js';
import type { FixtureRole } from './fixture.js';
import { assumedRoleArn, type IamDirectory } from './iam-directory.js';
import type { IssuedCredentials, IssuedCredentialStore } from './issued-credentials.js';
import type { MfaVerifier } from './mfa-verifier.js';
import type { InputObject } from './query-input.js';
import type { OperationHandler as ServiceOperationHandler, OperationResult } from './query-services.js';
import { stsErrors } from './sts-errors.js';

/**
 * The three STS operations, with AWS's rules: GetSessionToken only from long-term keys, MFA
 * codes checked against the caller's own device, AssumeRole governed by the role's trust policy
 * (principals, MFA, external id) and by session duration limits, role chaining capped at 1 hour.
 */

export interface OperationContext {
  directory: IamDirectory;
  issued: IssuedCredentialStore;
  mfa: MfaVerifier;
  clock: EmulatorClock;
  /** The console federation endpoint, told which role sessions came from role chaining. */
  federation?: { recordChainedSession(accessKeyId: string): void };
}

export type { OperationResult } from './query-services.js';
export type OperationHandler = ServiceOperationHandler<OperationContext>;

export const SESSION_TOKEN_DEFAULT_SECONDS = 43_200;
export const ROLE_DEFAULT_SECONDS = 3_600;
export const ROLE_CHAINING_MAX_SECONDS = 3_600;

function optionalString(input: InputObject, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' ? value : undefined;
}

function optionalInteger(input: InputObject, member: string): number | undefined {
  const value = input[member];
  return typeof value === 'number' ? value : undefined;
}

function credentialsOutput(credentials: IssuedCredentials): OperationResult {
  return {
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration,
  };
}

/**
 * Checks SerialNumber/TokenCode when the caller sent them. Returns whether MFA was presented
 * (and valid); throws AWS's AccessDenied when it was presented and is not valid.
 */
function presentedMfa(caller: Caller, input: InputObject, ctx: OperationContext): boolean {
  const serialNumber = optionalString(input, 'SerialNumber');
  const tokenCode = optionalString(input, 'TokenCode');
  if (serialNumber === undefined && tokenCode === undefined) return false;
  if (serialNumber === undefined) throw stsErrors.mfaDeviceNotCallers();
  if (tokenCode === undefined) throw stsErrors.invalidMfaCode();
  const device = ctx.directory.findMfaDevice(serialNumber);
  const callerUser = caller.kind === 'role-session' ? undefined : caller.user;
  if (!device || device.user !== callerUser) throw stsErrors.mfaDeviceNotCallers();
  if (!ctx.mfa.accept(device.device, tokenCode, ctx.clock.now())) throw stsErrors.invalidMfaCode();
  return true;
}

/** Does one entry of a trust policy's principals match the caller? */
export function principalMatches(principal: string, caller: Caller, directory: IamDirectory): boolean {
  if (principal === '*') return true;
  if (/^\d{12}$/.test(principal)) return caller.account === principal;
  const [prefix, , service, , account, resource = ''] = principal.split(':');
  if (prefix !== 'arn') return false;
  if (service === 'iam' && resource === 'root') return caller.account === account;
  if (service === 'iam' && resource.startsWith('user/')) {
    return caller.kind !== 'role-session' && directory.userArn(caller.user) === principal;
  }
  if (service === 'iam' && resource.startsWith('role/')) return caller.kind === 'role-session' && caller.role.arn === principal;
  if (service === 'sts' && resource.startsWith('assumed-role/')) return caller.kind === 'role-session' && caller.arn === principal;
  return false;
}

function allowedToAssume(role: FixtureRole, caller: Caller, mfaPresent: boolean, externalId: string | undefined, directory: IamDirectory): boolean {
  if (!role.trust.principals.some((p) => principalMatches(p, caller, directory))) return false;
  if (role.trust.requireMfa && !mfaPresent) return false;
  if (role.trust.externalId !== null && externalId !== role.trust.externalId) return false;
  return true;
}

export const getCallerIdentity: OperationHandler = (caller) => {
  if (caller.kind === 'role-session') {
    return { UserId: `${caller.role.roleId}:${caller.roleSessionName}`, Account: caller.account, Arn: caller.arn };
  }
  return { UserId: caller.user.userId, Account: caller.account, Arn: caller.arn };
};

export const getSessionToken: OperationHandler = (caller, input, ctx) => {
  if (caller.kind !== 'user') throw stsErrors.getSessionTokenWithSession();
  const mfaPresent = presentedMfa(caller, input, ctx);
  const duration = optionalInteger(input, 'DurationSeconds') ?? SESSION_TOKEN_DEFAULT_SECONDS;
  const credentials = ctx.issued.issue({ kind: 'user-session', user: caller.user }, ctx.clock.now(), duration, mfaPresent);
  return { Credentials: credentialsOutput(credentials) };
};

export const assumeRole: OperationHandler = (caller, input, ctx) => {
  const roleArn = optionalString(input, 'RoleArn') ?? '';
  const roleSessionName = optionalString(input, 'RoleSessionName') ?? '';
  const mfaPresent = presentedMfa(caller, input, ctx) || caller.mfaPresent;
  const role = ctx.directory.findRole(roleArn);
  if (!role || !allowedToAssume(role, caller, mfaPresent, optionalString(input, 'ExternalId'), ctx.directory)) {
    throw stsErrors.notAuthorizedToAssume(caller.arn, roleArn);
  }
  const policy = optionalString(input, 'Policy');
  if (policy !== undefined) {
    try {
      JSON.parse(policy);
    } catch {
      throw stsErrors.malformedPolicy();
    }
  }
  const duration = optionalInteger(input, 'DurationSeconds') ?? ROLE_DEFAULT_SECONDS;
  if (caller.kind !== 'user' && duration > ROLE_CHAINING_MAX_SECONDS) {
    throw stsErrors.validation('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (duration > role.maxSessionDuration) {
    throw stsErrors.validation('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const credentials = ctx.issued.issue({ kind: 'role-session', role, roleSessionName }, ctx.clock.now(), duration, mfaPresent);
  if (caller.kind !== 'user') ctx.federation?.recordChainedSession(credentials.accessKeyId);
  return {
    Credentials: credentialsOutput(credentials),
    AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${roleSessionName}`, Arn: assumedRoleArn(role, roleSessionName) },
    SourceIdentity: optionalString(input, 'SourceIdentity'),
  };
};

export const stsOperations: Readonly<Record<string, OperationHandler>> = {
  GetCallerIdentity: getCallerIdentity,
  GetSessionToken: getSessionToken,
  AssumeRole: assumeRole,
};
