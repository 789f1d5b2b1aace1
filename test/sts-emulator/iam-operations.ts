import type { EmulatorClock } from './emulator-clock.js';
import type { FixtureUser } from './fixture.js';
import { authorizeAccessKeyAction, authorizeAccountAction, authorizeUserAction } from './iam-authorization.js';
import type { AccessKeyRecord, AccessKeyStatus, IamDirectory } from './iam-directory.js';
import { iamErrors } from './iam-errors.js';
import { page } from './list-pagination.js';
import type { InputObject } from './query-input.js';
import type { OperationHandler, OperationResult } from './query-services.js';

/**
 * The IAM actions the app needs, for the IAM user managing their own access keys and reading
 * their MFA devices and account alias: GetUser, ListAccessKeys, CreateAccessKey, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed, ListMFADevices, ListAccountAliases. Who may do what is
 * iam-authorization.ts; the keys themselves are the IamDirectory's.
 */

export interface IamOperationContext {
  directory: IamDirectory;
  clock: EmulatorClock;
}

export type IamOperationHandler = OperationHandler<IamOperationContext>;

/** What GetAccessKeyLastUsed says for a key never used: AWS's `N/A`. */
export const NOT_AVAILABLE = 'N/A';

function optionalString(input: InputObject, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' ? value : undefined;
}

function requiredString(input: InputObject, member: string): string {
  // The model makes it required; the protocol validated that before the handler runs.
  return optionalString(input, member) ?? '';
}

/** AWS reports when a key was last used to the minute. */
function toTheMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 60_000) * 60_000);
}

function isAccessKeyStatus(value: string): value is AccessKeyStatus {
  return value === 'Active' || value === 'Inactive';
}

function keyOfUser(user: FixtureUser, accessKeyId: string, directory: IamDirectory): AccessKeyRecord {
  const key = directory.accessKeysOf(user).find((k) => k.accessKeyId === accessKeyId);
  if (!key) throw iamErrors.noSuchAccessKey(accessKeyId);
  return key;
}

function listed<T>(member: string, all: readonly T[], input: InputObject, map: (item: T) => OperationResult): OperationResult {
  const { items, IsTruncated, Marker } = page(all, input);
  return { [member]: items.map(map), IsTruncated, Marker };
}

export const getUser: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'GetUser', optionalString(input, 'UserName'), ctx.directory);
  return {
    User: {
      Path: user.path,
      UserName: user.name,
      UserId: user.userId,
      Arn: ctx.directory.userArn(user),
      CreateDate: ctx.directory.userCreateDate(user),
    },
  };
};

export const listAccessKeys: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'ListAccessKeys', optionalString(input, 'UserName'), ctx.directory);
  return listed('AccessKeyMetadata', ctx.directory.accessKeysOf(user), input, (key) => ({
    UserName: user.name,
    AccessKeyId: key.accessKeyId,
    Status: key.status,
    CreateDate: key.createDate,
  }));
};

export const createAccessKey: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'CreateAccessKey', optionalString(input, 'UserName'), ctx.directory);
  const key = ctx.directory.createAccessKey(user, ctx.clock.now());
  return {
    AccessKey: {
      UserName: user.name,
      AccessKeyId: key.accessKeyId,
      Status: key.status,
      SecretAccessKey: key.secretAccessKey,
      CreateDate: key.createDate,
    },
  };
};

export const updateAccessKey: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'UpdateAccessKey', optionalString(input, 'UserName'), ctx.directory);
  const key = keyOfUser(user, requiredString(input, 'AccessKeyId'), ctx.directory);
  const status = requiredString(input, 'Status');
  // The model's enum admits only these two, and was checked before the handler runs.
  if (!isAccessKeyStatus(status)) throw iamErrors.validation(`Status must be Active or Inactive, not '${status}'.`);
  ctx.directory.setAccessKeyStatus(key.accessKeyId, status);
  return {};
};

export const deleteAccessKey: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'DeleteAccessKey', optionalString(input, 'UserName'), ctx.directory);
  const key = keyOfUser(user, requiredString(input, 'AccessKeyId'), ctx.directory);
  ctx.directory.deleteAccessKey(key.accessKeyId);
  return {};
};

export const getAccessKeyLastUsed: IamOperationHandler = (caller, input, ctx) => {
  const accessKeyId = requiredString(input, 'AccessKeyId');
  const owner = authorizeAccessKeyAction(caller, 'GetAccessKeyLastUsed', accessKeyId, ctx.directory);
  const lastUsed = keyOfUser(owner, accessKeyId, ctx.directory).lastUsed;
  return {
    UserName: owner.name,
    AccessKeyLastUsed: lastUsed
      ? { LastUsedDate: toTheMinute(lastUsed.at), ServiceName: lastUsed.serviceName, Region: lastUsed.region }
      : { ServiceName: NOT_AVAILABLE, Region: NOT_AVAILABLE },
  };
};

export const listMfaDevices: IamOperationHandler = (caller, input, ctx) => {
  const user = authorizeUserAction(caller, 'ListMFADevices', optionalString(input, 'UserName'), ctx.directory);
  return listed('MFADevices', ctx.directory.mfaDevicesOf(user), input, ({ device, enableDate }) => ({
    UserName: user.name,
    SerialNumber: device.serialNumber,
    EnableDate: enableDate,
  }));
};

export const listAccountAliases: IamOperationHandler = (caller, input, ctx) => {
  const account = authorizeAccountAction(caller, 'ListAccountAliases');
  const alias = ctx.directory.accountAlias(account);
  const { items, IsTruncated, Marker } = page(alias === undefined ? [] : [alias], input);
  return { AccountAliases: items, IsTruncated, Marker };
};

export const iamOperations: Readonly<Record<string, IamOperationHandler>> = {
  GetUser: getUser,
  ListAccessKeys: listAccessKeys,
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  ListMFADevices: listMfaDevices,
  ListAccountAliases: listAccountAliases,
};
