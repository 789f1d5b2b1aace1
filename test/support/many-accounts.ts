import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFixture, type Fixture } from '../sts-emulator/fixture.js';
import { identity, referenceFixture } from './reference-fixture.js';

/**
 * A large organisation for the tests and the bench: the reference fixture's security account
 * (alice and bob, each with an MFA device) plus `n` member accounts, each with one role that
 * trusts the security account and requires MFA, and the ~/.aws/config a platform team writes
 * for it: realistic profile names (`acme-payments-prod`, `acme-payments-staging`,
 * `acme-data-platform-dev`…, some long), a few with a group (`aws_auth_tray_group`), most
 * reached from alice's identity `security` and every fifth from bob's identity `ops`.
 *
 * Deterministic: the same `n` gives the same fixture, config and names.
 */

/** Business units; the long ones test that names wrap instead of being cut. */
const UNITS = [
  'payments',
  'data-platform',
  'identity',
  'checkout',
  'search',
  'customer-identity-and-access-management',
  'logistics',
  'marketing-analytics',
  'billing',
  'machine-learning-feature-store',
  'observability',
  'networking',
] as const;
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'] as const;
/** The role each account's profile assumes, by position (a path included). */
const ROLES = ['engineer', 'read-only', 'platform/deployer', 'admin'] as const;
/** Groups set in the config for some units (the rest have none). */
const GROUP_OF: Partial<Record<(typeof UNITS)[number], string>> = {
  payments: 'payments',
  checkout: 'payments',
  billing: 'payments',
  'data-platform': 'data',
  'marketing-analytics': 'data',
  'machine-learning-feature-store': 'data',
};

/** The first member account id; account i (0-based) is FIRST_ACCOUNT + i. */
const FIRST_ACCOUNT = 200_000_000_001;

export interface ManyAccountsProfile {
  /** The profile name, e.g. acme-payments-prod. */
  name: string;
  accountId: string;
  /**
   * The account's alias in the fixture (what GetCallerIdentity cannot tell, IAM ListAccountAliases
   * does): the organisation's own naming, environment first (`acme-prod-payments` for the profile
   * `acme-payments-prod`), so a search by alias alone is told apart from one by profile name.
   */
  alias: string;
  roleArn: string;
  /** The identity (source profile) it is reached from: `security` (alice) or `ops` (bob). */
  identity: 'security' | 'ops';
  /** The group written in the config (aws_auth_tray_group), if any. */
  group: string | undefined;
}

export interface ManyAccounts {
  fixture: Fixture;
  /** The ~/.aws/config text: the two identities' source profiles, then one profile per account. */
  awsConfig: string;
  /** The member accounts' profile names, in config order (the source profiles are not included). */
  profiles: string[];
  /** Each member profile with its account, role, identity and group. */
  accounts: ManyAccountsProfile[];
}

function roleId(i: number): string {
  // AROA + 17 letters, unique per index (digits spelled as letters; the emulator wants [A-Z0-9]).
  return `AROAMANY${String(i).padStart(13, '0').replace(/\d/g, (d) => 'ABCDEFGHIJ'[Number(d)] ?? 'A')}`;
}

/** The profile name of member account i: unit × environment, then numbered once the combinations run out. */
function profileName(i: number): string {
  const unit = UNITS[i % UNITS.length] ?? 'payments';
  const environment = ENVIRONMENTS[Math.floor(i / UNITS.length) % ENVIRONMENTS.length] ?? 'prod';
  const round = Math.floor(i / (UNITS.length * ENVIRONMENTS.length));
  return `acme-${unit}-${environment}${round > 0 ? `-${round + 1}` : ''}`;
}

/** The account alias of member account i: environment before unit (IAM's shape: lowercase, digits, single hyphens). */
function accountAlias(i: number): string {
  const unit = UNITS[i % UNITS.length] ?? 'payments';
  const environment = ENVIRONMENTS[Math.floor(i / UNITS.length) % ENVIRONMENTS.length] ?? 'prod';
  const round = Math.floor(i / (UNITS.length * ENVIRONMENTS.length));
  return `acme-${environment}-${unit}${round > 0 ? `-${round + 1}` : ''}`;
}

/** The member accounts only, without the fixture (cheap; used by the bench's page-side generator too). */
export function manyAccountProfiles(n: number): ManyAccountsProfile[] {
  return Array.from({ length: n }, (_, i) => {
    const name = profileName(i);
    const unit = UNITS[i % UNITS.length] ?? 'payments';
    const accountId = String(FIRST_ACCOUNT + i);
    return {
      name,
      accountId,
      alias: accountAlias(i),
      roleArn: `arn:aws:iam::${accountId}:role/${ROLES[i % ROLES.length] ?? 'engineer'}`,
      identity: i % 5 === 4 ? 'ops' : 'security',
      group: GROUP_OF[unit],
    };
  });
}

/**
 * The reference fixture's security account plus `n` accounts, each with a role trusting the
 * security account (MFA required). Used by the bench (`organisation(n)`) and the tests.
 */
export function organisation(n: number, accounts: ManyAccountsProfile[] = manyAccountProfiles(n)): Fixture {
  const base = referenceFixture();
  return parseFixture({
    ...base,
    accounts: [base.accounts[0], ...accounts.map((a) => ({ id: a.accountId, alias: a.alias }))],
    roles: accounts.map((a, i) => ({
      arn: a.roleArn,
      roleId: roleId(i),
      maxSessionDuration: 3600,
      trust: { principals: ['arn:aws:iam::111111111111:root'], requireMfa: true },
    })),
  });
}

/** The STS-emulator fixture, the matching ~/.aws/config text and the profile names for `n` accounts. */
export function manyAccounts(n: number): ManyAccounts {
  const accounts = manyAccountProfiles(n);
  const fixture = organisation(n, accounts);
  const alice = identity(fixture, 'alice');
  const bob = identity(fixture, 'bob');
  const lines = [
    `# ~/.aws/config of a platform team with ${n} member accounts (generated by test/support/many-accounts.ts).`,
    '',
    '[profile security]',
    `mfa_serial = ${alice.serialNumber}`,
    'region = us-east-1',
    '',
    '[profile ops]',
    `mfa_serial = ${bob.serialNumber}`,
    'region = us-east-1',
  ];
  for (const a of accounts) {
    lines.push('', `[profile ${a.name}]`, `source_profile = ${a.identity}`, `role_arn = ${a.roleArn}`, 'region = eu-west-1');
    if (a.group) lines.push(`aws_auth_tray_group = ${a.group}`);
  }
  return { fixture, awsConfig: `${lines.join('\n')}\n`, profiles: accounts.map((a) => a.name), accounts };
}

/** What the app harness's services need (structural, so this module does not import the harness). */
export interface ManyAccountsTarget {
  service: {
    identities: {
      save(input: { label: string; accessKeyId: string; secretAccessKey: string; mfaSerial: string; region: string }): Promise<unknown>;
      importConfig(path: string | undefined, importKeys: boolean): Promise<{ problems: string[] }>;
    };
  };
}

/**
 * Sets the app harness (test/harness/app-harness.ts) up with the organisation: alice's identity
 * `security` and bob's identity `ops` with their keys, then the generated ~/.aws/config imported
 * through the app's importer, as a user would. The emulator must run `many.fixture`.
 * Returns the config file's path.
 */
export async function setUpManyAccounts(h: ManyAccountsTarget, many: ManyAccounts): Promise<string> {
  const alice = identity(many.fixture, 'alice');
  const bob = identity(many.fixture, 'bob');
  await h.service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
  await h.service.identities.save({ label: 'ops', accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey, mfaSerial: bob.serialNumber, region: 'us-east-1' });
  const dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-many-'));
  const configFile = join(dir, 'config');
  writeFileSync(configFile, many.awsConfig);
  const result = await h.service.identities.importConfig(configFile, false);
  if (result.problems.length > 0) throw new Error(`The generated config did not import cleanly: ${result.problems.join('; ')}`);
  return configFile;
}
