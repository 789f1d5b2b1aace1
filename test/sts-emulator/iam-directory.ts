import type { Fixture, FixtureAccessKey, FixtureMfaDevice, FixtureRole, FixtureUser } from './fixture.js';

/**
 * The fixture's IAM world, indexed: who owns an access key, which user an MFA device belongs
 * to, which roles exist. Access key status can change at runtime (a test deactivates a key).
 */
export class IamDirectory {
  private readonly keys = new Map<string, { user: FixtureUser; key: FixtureAccessKey }>();
  private readonly devices = new Map<string, { user: FixtureUser; device: FixtureMfaDevice }>();
  private readonly roles = new Map<string, FixtureRole>();
  private readonly initialKeyStatus = new Map<string, FixtureAccessKey['status']>();

  constructor(readonly fixture: Fixture) {
    for (const user of fixture.users) {
      for (const key of user.accessKeys) {
        this.keys.set(key.accessKeyId, { user, key });
        this.initialKeyStatus.set(key.accessKeyId, key.status);
      }
      for (const device of user.mfaDevices) this.devices.set(device.serialNumber, { user, device });
    }
    for (const role of fixture.roles) this.roles.set(role.arn, role);
  }

  get partition(): string {
    return this.fixture.partition;
  }

  findAccessKey(accessKeyId: string): { user: FixtureUser; key: FixtureAccessKey } | undefined {
    return this.keys.get(accessKeyId);
  }

  findMfaDevice(serialNumber: string): { user: FixtureUser; device: FixtureMfaDevice } | undefined {
    return this.devices.get(serialNumber);
  }

  findRole(arn: string): FixtureRole | undefined {
    return this.roles.get(arn);
  }

  /** Returns false when no such key exists. */
  setAccessKeyStatus(accessKeyId: string, status: FixtureAccessKey['status']): boolean {
    const entry = this.keys.get(accessKeyId);
    if (!entry) return false;
    entry.key.status = status;
    return true;
  }

  resetAccessKeyStatuses(): void {
    for (const [id, status] of this.initialKeyStatus) {
      const entry = this.keys.get(id);
      if (entry) entry.key.status = status;
    }
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
