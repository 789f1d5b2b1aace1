import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FixtureError, parseFixture } from '../../sts-emulator/fixture.js';
import { REFERENCE_FIXTURE_PATH } from '../../support/reference-fixture.js';

interface RawFixture {
  accounts: { id: string; alias: string }[];
  users: {
    account: string;
    name: string;
    accessKeys: { accessKeyId: string; secretAccessKey: string; status: string }[];
    mfaDevices: { serialNumber: string; seed: string }[];
  }[];
  roles: { arn: string; roleId: string }[];
}

/** A fresh copy of the reference fixture's JSON, to break one field at a time. */
function raw(): RawFixture {
  return JSON.parse(readFileSync(REFERENCE_FIXTURE_PATH, 'utf8')) as RawFixture;
}

function fixtureError(input: unknown): FixtureError {
  try {
    parseFixture(input, 'test fixture');
  } catch (error) {
    if (error instanceof FixtureError) return error;
    throw error;
  }
  throw new Error('Expected parseFixture to throw a FixtureError');
}

function first<T>(items: T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('The reference fixture changed shape');
  return item;
}

describe('parseFixture', () => {
  it('parses the reference-architecture fixture', () => {
    const fixture = parseFixture(raw(), 'reference fixture');
    expect(fixture.partition).toBe('aws');
    expect(fixture.accounts.map((a) => a.alias)).toEqual(['security', 'dev', 'stage', 'prod', 'shared-services']);
    expect(fixture.users.map((u) => u.name)).toEqual(['alice', 'bob', 'ci-readonly']);
    expect(fixture.roles).toHaveLength(5);
    expect(fixture.users.find((u) => u.name === 'bob')?.path).toBe('/engineers/');
    expect(fixture.roles.find((r) => r.arn.endsWith(':role/platform/deployer'))?.trust.externalId).toBe('aws-auth-tray-demo');
  });

  it('fills defaults for optional fields', () => {
    const fixture = parseFixture({
      accounts: [{ id: '123456789012', alias: 'solo' }],
      users: [{ account: '123456789012', name: 'u', userId: 'AIDAAAAAAAAAAAAAAAAA' }],
      roles: [{ arn: 'arn:aws:iam::123456789012:role/r', roleId: 'AROAAAAAAAAAAAAAAAAA', trust: { principals: ['123456789012'] } }],
    });
    expect(fixture.partition).toBe('aws');
    expect(fixture.users[0]).toMatchObject({ path: '/', accessKeys: [], mfaDevices: [] });
    expect(fixture.roles[0]).toMatchObject({ maxSessionDuration: 3600, trust: { requireMfa: false, externalId: null } });
  });

  it('normalises MFA seeds (spaces, lower case)', () => {
    const input = raw();
    first(first(input.users).mfaDevices).seed = 'herc dvg6 qmm3 3bxa gp5e 7yy5 rpym vmdi';
    expect(first(parseFixture(input).users).mfaDevices[0]?.seed).toBe('HERCDVG6QMM33BXAGP5E7YY5RPYMVMDI');
  });

  it('rejects a bad account id, naming the field', () => {
    const input = raw();
    first(input.accounts).id = '1111';
    const error = fixtureError(input);
    expect(error.name).toBe('FixtureError');
    expect(error.message).toContain('test fixture');
    expect(error.message).toContain('accounts.0.id: an AWS account id is 12 digits');
  });

  it('rejects a user in an account that is not in accounts, naming the field', () => {
    const input = raw();
    first(input.users).account = '999999999999';
    expect(fixtureError(input).message).toContain('users.0.account: 999999999999 is not in accounts');
  });

  it('rejects an access key id used twice, naming the key', () => {
    const input = raw();
    const [alice, bob] = input.users;
    if (!alice || !bob) throw new Error('The reference fixture changed shape');
    first(bob.accessKeys).accessKeyId = first(alice.accessKeys).accessKeyId;
    expect(fixtureError(input).message).toContain(`access key ${first(alice.accessKeys).accessKeyId} appears twice`);
  });

  it('rejects an MFA device whose serial number is in another account, naming the user and device', () => {
    const input = raw();
    first(first(input.users).mfaDevices).serialNumber = 'arn:aws:iam::222222222222:mfa/alice';
    expect(fixtureError(input).message).toContain("users.0: MFA device arn:aws:iam::222222222222:mfa/alice is not in the user's account 111111111111");
  });

  it('rejects a role in an account that is not in accounts, naming the field', () => {
    const input = raw();
    first(input.roles).arn = 'arn:aws:iam::999999999999:role/engineer';
    expect(fixtureError(input).message).toContain('roles.0.arn: account 999999999999 is not in accounts');
  });

  it('rejects malformed fields with the field path and the rule', () => {
    const input = raw();
    first(first(input.users).accessKeys).accessKeyId = 'ASIAWL6CCIORC6IWFMCG';
    first(input.roles).roleId = 'AIDAKMQ4QGJ7LRH3F5I6W';
    const message = fixtureError(input).message;
    expect(message).toContain('users.0.accessKeys.0.accessKeyId: a long-term access key id starts with AKIA');
    expect(message).toContain('roles.0.roleId: a role id starts with AROA');
  });

  it('lists every consistency problem at once', () => {
    const input = raw();
    first(input.users).account = '999999999999';
    first(input.roles).arn = 'arn:aws:iam::999999999999:role/engineer';
    const message = fixtureError(input).message;
    expect(message).toContain('users.0.account');
    expect(message).toContain('roles.0.arn');
  });
});
