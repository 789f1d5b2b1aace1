import { readFileSync } from 'node:fs';
import { parseFixture, type Fixture, type FixtureUser } from '../sts-emulator/fixture.js';

/** The reference-architecture fixture the tests and the demo run against. */
export const REFERENCE_FIXTURE_PATH = new URL('../sts-emulator/fixtures/reference-architecture.json', import.meta.url);

/** A fresh, independent copy each call, so a test may change it (e.g. add a role) freely. */
export function referenceFixture(): Fixture {
  return parseFixture(JSON.parse(readFileSync(REFERENCE_FIXTURE_PATH, 'utf8')) as unknown, 'reference-architecture fixture');
}

export interface FixtureIdentity {
  user: FixtureUser;
  accessKeyId: string;
  secretAccessKey: string;
  serialNumber: string;
  seed: string;
  arn: string;
}

/** A user of the fixture with their first active key and first MFA device. */
export function identity(fixture: Fixture, name: string): FixtureIdentity {
  const user = fixture.users.find((u) => u.name === name);
  if (!user) throw new Error(`The fixture has no user ${name}`);
  const key = user.accessKeys.find((k) => k.status === 'Active');
  if (!key) throw new Error(`User ${name} has no active access key in the fixture`);
  const device = user.mfaDevices[0];
  return {
    user,
    accessKeyId: key.accessKeyId,
    secretAccessKey: key.secretAccessKey,
    serialNumber: device?.serialNumber ?? '',
    seed: device?.seed ?? '',
    arn: `arn:${fixture.partition}:iam::${user.account}:user${user.path}${user.name}`,
  };
}

export const ROLES = {
  dev: 'arn:aws:iam::222222222222:role/engineer',
  stage: 'arn:aws:iam::333333333333:role/engineer',
  prod: 'arn:aws:iam::444444444444:role/read-only',
  breakGlass: 'arn:aws:iam::444444444444:role/break-glass',
  deployer: 'arn:aws:iam::555555555555:role/platform/deployer',
} as const;

export const DEPLOYER_EXTERNAL_ID = 'aws-auth-tray-demo';
