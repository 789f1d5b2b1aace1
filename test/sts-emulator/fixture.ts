import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The emulator's world: accounts, IAM users with access keys and virtual MFA devices, and roles
 * with trust policies. The field names are an interface other tools rely on (see README.md in
 * this folder); the format may grow, but existing fields keep their meaning.
 *
 * Dates (`createDate`, `enableDate`) are optional ISO 8601 date-times; where one is absent the
 * emulator uses its fixture epoch, 30 days before it started (see iam-directory.ts).
 */

/** AWS's quotas: access keys per IAM user, MFA devices per IAM user. */
export const MAX_ACCESS_KEYS_PER_USER = 2;
export const MAX_MFA_DEVICES_PER_USER = 8;

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits');
const base32Seed = z
  .string()
  .transform((s) => s.replace(/\s+/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z2-7]+=*$/, 'an MFA seed is base32 (A-Z, 2-7)').min(16, 'an MFA seed has at least 16 base32 characters'));

const isoDateTime = z.iso.datetime({ offset: true, error: 'a date is an ISO 8601 date-time with a time zone, e.g. 2026-01-15T09:30:00Z' });

const accessKeySchema = z.object({
  accessKeyId: z.string().regex(/^AKIA[A-Z0-9]{12,124}$/, 'a long-term access key id starts with AKIA'),
  secretAccessKey: z.string().min(16),
  status: z.enum(['Active', 'Inactive']).default('Active'),
  /** When the key was created (ListAccessKeys' CreateDate: the key's age). */
  createDate: isoDateTime.optional(),
});

const mfaDeviceSchema = z.object({
  serialNumber: z.string().regex(/^arn:[\w-]+:iam::\d{12}:mfa\/[\w+=,.@/-]+$/, 'an MFA serial number is an IAM mfa ARN'),
  seed: base32Seed,
  /** When the device was enabled for the user (ListMFADevices' EnableDate). */
  enableDate: isoDateTime.optional(),
});

const userSchema = z.object({
  account: accountId,
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/),
  path: z
    .string()
    .regex(/^\/([\x21-\x7e]*\/)?$/, 'a path starts and ends with /')
    .default('/'),
  userId: z.string().regex(/^AIDA[A-Z0-9]{12,124}$/, 'an IAM user id starts with AIDA'),
  /** When the user was created (GetUser's CreateDate). */
  createDate: isoDateTime.optional(),
  accessKeys: z.array(accessKeySchema).max(MAX_ACCESS_KEYS_PER_USER, `AWS allows at most ${MAX_ACCESS_KEYS_PER_USER} access keys per user`).default([]),
  mfaDevices: z.array(mfaDeviceSchema).max(MAX_MFA_DEVICES_PER_USER, `AWS allows at most ${MAX_MFA_DEVICES_PER_USER} MFA devices per user`).default([]),
  /**
   * The user is under AWS's "manage your own credentials, with MFA" policy: without an MFA
   * session only GetUser and ListMFADevices are allowed; the other IAM actions are explicitly
   * denied. Absent: true (optional in the type too, so that fixtures built in code stay valid).
   */
  requireMfaForSelfManagement: z.boolean().optional(),
});

const roleSchema = z.object({
  arn: z.string().regex(/^arn:[\w-]+:iam::\d{12}:role\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/, 'a role ARN is arn:<partition>:iam::<account>:role/<path><name>'),
  roleId: z.string().regex(/^AROA[A-Z0-9]{12,124}$/, 'a role id starts with AROA'),
  maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  trust: z.object({
    principals: z.array(z.string()).min(1),
    requireMfa: z.boolean().default(false),
    externalId: z.string().nullable().default(null),
  }),
  /** Sessions of this role may do no IAM action at all (AccessDenied), e.g. not list the account alias. Absent: false. */
  denyIam: z.boolean().optional(),
});

export const fixtureSchema = z.object({
  partition: z.string().default('aws'),
  /** An empty (or absent) alias: the account has none (ListAccountAliases answers an empty list). */
  accounts: z.array(z.object({ id: accountId, alias: z.string().default('') })).min(1),
  users: z.array(userSchema).default([]),
  roles: z.array(roleSchema).default([]),
});

export type Fixture = z.infer<typeof fixtureSchema>;
export type FixtureUser = Fixture['users'][number];
export type FixtureRole = Fixture['roles'][number];
export type FixtureAccessKey = FixtureUser['accessKeys'][number];
export type FixtureMfaDevice = FixtureUser['mfaDevices'][number];

/** Thrown when a fixture cannot be used; the message says which field and why. */
export class FixtureError extends Error {
  override name = 'FixtureError';
}

/** Validate a fixture and its cross-references (accounts exist, ids unique). */
export function parseFixture(input: unknown, source = 'fixture'): Fixture {
  const result = fixtureSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new FixtureError(`The ${source} is not a valid STS emulator fixture:\n  ${problems.join('\n  ')}`);
  }
  const fixture = result.data;
  const problems: string[] = [];
  const accounts = new Set(fixture.accounts.map((a) => a.id));
  const seen = new Set<string>();
  const unique = (kind: string, value: string): void => {
    if (seen.has(`${kind}:${value}`)) problems.push(`${kind} ${value} appears twice`);
    seen.add(`${kind}:${value}`);
  };
  for (const [i, user] of fixture.users.entries()) {
    if (!accounts.has(user.account)) problems.push(`users.${i}.account: ${user.account} is not in accounts`);
    unique('user', `${user.account}:${user.name}`);
    unique('id', user.userId);
    for (const key of user.accessKeys) unique('access key', key.accessKeyId);
    for (const device of user.mfaDevices) {
      unique('MFA device', device.serialNumber);
      if (!device.serialNumber.includes(`::${user.account}:`)) {
        problems.push(`users.${i}: MFA device ${device.serialNumber} is not in the user's account ${user.account}`);
      }
    }
  }
  for (const [i, role] of fixture.roles.entries()) {
    const account = role.arn.split(':')[4] ?? '';
    if (!accounts.has(account)) problems.push(`roles.${i}.arn: account ${account} is not in accounts`);
    unique('role', role.arn);
    unique('id', role.roleId);
  }
  if (problems.length > 0) {
    throw new FixtureError(`The ${source} is not consistent:\n  ${problems.join('\n  ')}`);
  }
  return fixture;
}

export async function loadFixtureFile(path: string): Promise<Fixture> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error);
    throw new FixtureError(`Cannot read the fixture ${path}: ${reason}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FixtureError(`The fixture ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseFixture(json, `fixture ${path}`);
}
