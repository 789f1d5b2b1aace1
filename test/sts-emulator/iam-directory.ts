import { longTermAccessKeyId, secretAccessKey } from './credential-material.js';
import type { Fixture, FixtureAccessKey, FixtureMfaDevice, FixtureRole, FixtureUser } from './fixture.js';
import { ACCESS_KEYS_PER_USER, iamErrors } from './iam-errors.js';

/**
 * The fixture's IAM world, indexed: who owns an access key, which user an MFA device belongs
 * to, which users and roles exist, each account's alias. Access keys are mutable at runtime, as
 * IAM's are: created (at most two per user, usable only once the propagation delay has passed
 * on the emulator's clock), (de)activated, deleted, and their last use recorded. `reset()` puts
 * them back exactly as the fixture has them. The fixture object itself is never modified.
 */

export type AccessKeyStatus = FixtureAccessKey['status'];

/** The last authenticated request signed with a long-term key (GetAccessKeyLastUsed). */
export interface AccessKeyUse {
  at: Date;
  /** The credential scope's service: `sts` or `iam`. */
  serviceName: string;
  /** The credential scope's region. */
  region: string;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  status: AccessKeyStatus;
  createDate: Date;
  /** Made by CreateAccessKey (so subject to the propagation delay), not read from the fixture. */
  createdAtRuntime: boolean;
  lastUsed: AccessKeyUse | undefined;
}

export interface MfaDeviceRecord {
  device: FixtureMfaDevice;
  enableDate: Date;
}

/** The default date of fixture users, keys and devices that give none: 30 days before the emulator started. */
export const FIXTURE_EPOCH_BEFORE_START_MS = 30 * 24 * 60 * 60 * 1000;

/** A user's identity in IAM: account and name (IAM user names are not case-sensitive). */
function userKey(user: Pick<FixtureUser, 'account' | 'name'>): string {
  return `${user.account}:${user.name.toLowerCase()}`;
}

function dateOr(iso: string | undefined, fallback: Date): Date {
  return iso === undefined ? fallback : new Date(iso);
}

export class IamDirectory {
  private readonly keys = new Map<string, { user: FixtureUser; key: AccessKeyRecord }>();
  /** By userKey(): a user object from any copy of the fixture finds its keys. */
  private readonly keysByUser = new Map<string, AccessKeyRecord[]>();
  private readonly devices = new Map<string, { user: FixtureUser; device: FixtureMfaDevice }>();
  private readonly roles = new Map<string, FixtureRole>();
  private propagationDelay: number;

  /**
   * @param defaultDate the date of fixture users, keys and MFA devices without one of their own
   *   (the emulator passes 30 days before it started, to the second).
   * @param initialPropagationDelayMs how long a key made by CreateAccessKey stays unknown to
   *   STS and IAM, on the emulator's clock (0: usable at once).
   */
  constructor(
    readonly fixture: Fixture,
    readonly defaultDate: Date = new Date(Math.floor((Date.now() - FIXTURE_EPOCH_BEFORE_START_MS) / 1000) * 1000),
    private readonly initialPropagationDelayMs = 0,
  ) {
    this.propagationDelay = initialPropagationDelayMs;
    for (const user of fixture.users) {
      for (const device of user.mfaDevices) this.devices.set(device.serialNumber, { user, device });
    }
    for (const role of fixture.roles) this.roles.set(role.arn, role);
    this.loadFixtureKeys();
  }

  get partition(): string {
    return this.fixture.partition;
  }

  // ---- access keys ----

  /** A key that exists now (deleted keys are gone), whatever its status or propagation. */
  findAccessKey(accessKeyId: string): { user: FixtureUser; key: AccessKeyRecord } | undefined {
    return this.keys.get(accessKeyId);
  }

  /** The user's keys in the order IAM lists them: the fixture's, then those created since. */
  accessKeysOf(user: FixtureUser): AccessKeyRecord[] {
    return [...(this.keysByUser.get(userKey(user)) ?? [])];
  }

  /** A new Active key for the user, dated `now`; LimitExceeded once the user has two. */
  createAccessKey(user: FixtureUser, now: Date): AccessKeyRecord {
    const owned = this.keysByUser.get(userKey(user)) ?? [];
    if (owned.length >= ACCESS_KEYS_PER_USER) throw iamErrors.accessKeyQuota();
    let accessKeyId = longTermAccessKeyId();
    while (this.keys.has(accessKeyId)) accessKeyId = longTermAccessKeyId();
    const key: AccessKeyRecord = {
      accessKeyId,
      secretAccessKey: secretAccessKey(),
      status: 'Active',
      createDate: now,
      createdAtRuntime: true,
      lastUsed: undefined,
    };
    this.keys.set(accessKeyId, { user, key });
    this.keysByUser.set(userKey(user), [...owned, key]);
    return key;
  }

  /** Returns false when no such key exists (any more). */
  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): boolean {
    const entry = this.keys.get(accessKeyId);
    if (!entry) return false;
    entry.key.status = status;
    return true;
  }

  /** Returns false when no such key exists (any more). */
  deleteAccessKey(accessKeyId: string): boolean {
    const entry = this.keys.get(accessKeyId);
    if (!entry) return false;
    this.keys.delete(accessKeyId);
    const owner = userKey(entry.user);
    this.keysByUser.set(owner, (this.keysByUser.get(owner) ?? []).filter((key) => key !== entry.key));
    return true;
  }

  get keyPropagationDelayMs(): number {
    return this.propagationDelay;
  }

  setKeyPropagationDelay(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The key propagation delay is a number of milliseconds, 0 or more.');
    this.propagationDelay = ms;
  }

  /**
   * Whether STS and IAM know the key yet: a key from the fixture always; one made by
   * CreateAccessKey once the propagation delay (as set now) has passed since it was made.
   */
  isPropagated(key: AccessKeyRecord, now: Date): boolean {
    return !key.createdAtRuntime || now.getTime() >= key.createDate.getTime() + this.propagationDelay;
  }

  /** Remember an authenticated request signed with this long-term key. */
  recordKeyUse(accessKeyId: string, use: AccessKeyUse): void {
    const entry = this.keys.get(accessKeyId);
    if (entry) entry.key.lastUsed = { ...use };
  }

  /** Back to the fixture's keys exactly: created keys gone, deleted ones back, statuses and last use reset. */
  reset(): void {
    this.loadFixtureKeys();
    this.propagationDelay = this.initialPropagationDelayMs;
  }

  private loadFixtureKeys(): void {
    this.keys.clear();
    this.keysByUser.clear();
    for (const user of this.fixture.users) {
      const owned = user.accessKeys.map(
        (key): AccessKeyRecord => ({
          accessKeyId: key.accessKeyId,
          secretAccessKey: key.secretAccessKey,
          status: key.status,
          createDate: dateOr(key.createDate, this.defaultDate),
          createdAtRuntime: false,
          lastUsed: undefined,
        }),
      );
      for (const key of owned) this.keys.set(key.accessKeyId, { user, key });
      this.keysByUser.set(userKey(user), owned);
    }
  }

  // ---- users, MFA devices, roles, accounts ----

  /** The user of that account with that name; IAM user names are not case-sensitive. */
  findUser(account: string, userName: string): FixtureUser | undefined {
    const wanted = userName.toLowerCase();
    return this.fixture.users.find((user) => user.account === account && user.name.toLowerCase() === wanted);
  }

  userCreateDate(user: FixtureUser): Date {
    return dateOr(user.createDate, this.defaultDate);
  }

  findMfaDevice(serialNumber: string): { user: FixtureUser; device: FixtureMfaDevice } | undefined {
    return this.devices.get(serialNumber);
  }

  mfaDevicesOf(user: FixtureUser): MfaDeviceRecord[] {
    return user.mfaDevices.map((device) => ({ device, enableDate: dateOr(device.enableDate, this.defaultDate) }));
  }

  findRole(arn: string): FixtureRole | undefined {
    return this.roles.get(arn);
  }

  /** The account's alias, or undefined when it has none (an empty alias in the fixture). */
  accountAlias(account: string): string | undefined {
    const alias = this.fixture.accounts.find((a) => a.id === account)?.alias;
    return alias === undefined || alias === '' ? undefined : alias;
  }

  userArn(user: FixtureUser): string {
    return `arn:${this.partition}:iam::${user.account}:user${user.path}${user.name}`;
  }
}

/** Parts of a role ARN: arn:<partition>:iam::<account>:role/<path><name>. */
export function parseRoleArn(arn: string): { partition: string; account: string; name: string } {
  const [, partition = '', , , account = '', resource = ''] = arn.split(':');
  const name = resource.slice(resource.lastIndexOf('/') + 1);
  return { partition, account, name };
}

export function assumedRoleArn(role: FixtureRole, roleSessionName: string): string {
  const { partition, account, name } = parseRoleArn(role.arn);
  return `arn:${partition}:sts::${account}:assumed-role/${name}/${roleSessionName}`;
}
