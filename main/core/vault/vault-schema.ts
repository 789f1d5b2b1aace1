import * as z from 'zod/mini';
import { PROFILE_NAME } from './profile-name.js';

/**
 * What the vault file holds. Secrets (secret access keys, session credentials) are only ever
 * stored as cipher envelopes; everything else is metadata the UI may show.
 *
 * Every object is loose: fields a newer version added are read and written back untouched, not
 * dropped on the next write. A vault of a newer format than this version knows is refused (and
 * left where it is) before this schema is applied (vault-file.ts).
 *
 * Formats: 1, envelopes bound to nothing; 2, each envelope bound to its place (vault.ts PLACES).
 *
 * Written with `zod/mini`, zod's tree-shakable form, with the same checks: the command line reads
 * the vault on every credential_process call, and a bundle that needs only this schema carries a
 * few dozen kilobytes of zod instead of all of it.
 */
export const CURRENT_VAULT_FORMAT = 2;

export { PROFILE_NAME };

export const mfaModeSchema = z.enum(['mfa-session', 'direct']);
export type MfaMode = z.infer<typeof mfaModeSchema>;

const identityFields = z.object({
  id: z.string().check(z.minLength(1)),
  /** What the user calls it: usually the source profile name (`security`, `default`). */
  label: z.string().check(z.minLength(1)),
  accessKeyId: z.optional(z.string()),
  /** Cipher envelope of the secret access key. */
  secretAccessKey: z.optional(z.string()),
  /** The MFA device ARN (`mfa_serial`). */
  mfaSerial: z.optional(z.string()),
  /**
   * A command that prints the current MFA code (aws-vault's `mfa_process`), run instead of asking
   * the person; split into words and run without a shell (mfa-process.ts).
   */
  mfaProcess: z.optional(z.string()),
  /** The YubiKey OATH account to read codes from, when several on the key match the MFA device. */
  oathAccount: z.optional(z.string()),
  /** When IAM says the current access key was created (ListAccessKeys' CreateDate, ISO 8601): its age. */
  accessKeyCreatedAt: z.optional(z.string()),
  region: z.optional(z.string()),
  createdAt: z.string(),
});
export const identitySchema = z.looseObject(identityFields.shape);
/** Typed by the known fields; unknown ones ride along at run time (the schema is loose). */
export type StoredIdentity = z.infer<typeof identityFields>;

const profileFields = z.object({
  name: z.string().check(z.regex(PROFILE_NAME)),
  identityId: z.string().check(z.minLength(1)),
  roleArn: z.optional(z.string()),
  externalId: z.optional(z.string()),
  roleSessionName: z.optional(z.string()),
  durationSeconds: z.optional(z.int()),
  region: z.optional(z.string()),
  /** `mfa-session`: derive from the identity's MFA session (1 h role sessions, no extra code);
   *  `direct`: AssumeRole with an MFA code of its own (longer sessions, one code for this profile). */
  mfaMode: z._default(mfaModeSchema, 'mfa-session'),
  origin: z._default(z.enum(['manual', 'aws-config']), 'manual'),
  /** Pinned on top of the accounts table and the tray menu (the user's choice). */
  favourite: z.optional(z.boolean()),
  /** The group the table shows it in: set in the window, or `aws_auth_tray_group` in ~/.aws/config. */
  group: z.optional(z.string()),
});
export const profileSchema = z.looseObject(profileFields.shape);
export type StoredProfile = z.infer<typeof profileFields>;

const storedSessionFields = z.object({
  /** Cipher envelope of JSON `{accessKeyId, secretAccessKey, sessionToken, expiration}`. */
  ciphertext: z.string(),
  expiration: z.string(),
  issuedAt: z.string(),
  identityId: z.string(),
});
export const storedSessionSchema = z.looseObject(storedSessionFields.shape);
export type StoredSession = z.infer<typeof storedSessionFields>;

const accountAliasFields = z.object({
  /** The alias IAM named; absent: none (the account has none, or the role may not list it). */
  alias: z.optional(z.string()),
  /** When IAM was last asked (ISO 8601, the vault's clock). */
  checkedAt: z.string(),
});
export const accountAliasSchema = z.looseObject(accountAliasFields.shape);
export type StoredAccountAlias = z.infer<typeof accountAliasFields>;

const keyRotationFields = z.object({
  /** When the rotation started (ISO 8601, the vault's clock): keys IAM made before it are never deleted as ours. */
  startedAt: z.string(),
  /** How far it got: `creating` (CreateAccessKey about to be called), `created` (the new key sealed here), `proven` (the identity uses the new key; the old one is still in IAM). */
  step: z.string(),
  /** The identity's key when the rotation started. */
  oldAccessKeyId: z.string(),
  /** Every key IAM listed for the user just before CreateAccessKey: a key not among them appeared during the rotation. */
  keysBefore: z._default(z.array(z.string()), () => []),
  /** Deactivate the old key (keep it, Inactive) instead of deleting it. */
  deactivateOldKey: z._default(z.boolean(), false),
  newAccessKeyId: z.optional(z.string()),
  /** Cipher envelope of the new key's secret (vault.ts PLACES.rotationSecret). */
  newSecretAccessKey: z.optional(z.string()),
  /** IAM's CreateDate of the new key (ISO 8601). */
  newKeyCreatedAt: z.optional(z.string()),
});
export const keyRotationSchema = z.looseObject(keyRotationFields.shape);
/** An access key rotation in progress (main/core/rotation/key-rotation.ts), written before each step IAM cannot undo. */
export type StoredKeyRotation = z.infer<typeof keyRotationFields>;

const vaultDocumentFields = z.object({
  format: z.union([z.literal(1), z.literal(2)]),
  cipher: z.optional(
    z.looseObject({
      kind: z.string(),
      /** The passphrase cipher's salt (base64url). */
      salt: z.optional(z.string()),
      /** A known text encrypted at creation: decrypting it proves the key is right. */
      check: z.string(),
    }),
  ),
  // Defaults are functions: zod copies a default value only shallowly, and two vaults must
  // never share one sessions map.
  identities: z._default(z.array(identitySchema), () => []),
  profiles: z._default(z.array(profileSchema), () => []),
  sessions: z._default(
    z.looseObject({
      /** MFA sessions (GetSessionToken) by identity id. */
      mfa: z._default(z.record(z.string(), storedSessionSchema), () => ({})),
      /** Role sessions (AssumeRole) by profile name. */
      roles: z._default(z.record(z.string(), storedSessionSchema), () => ({})),
    }),
    () => ({ mfa: {}, roles: {} }),
  ),
  /**
   * What IAM ListAccountAliases said of each account (by account id), remembered so that
   * verifying again within a day asks IAM nothing: metadata, shown beside the account id.
   */
  accountAliases: z._default(z.record(z.string(), accountAliasSchema), () => ({})),
  /**
   * Access key rotations under way, by identity id: a rotation a crash interrupted is found here
   * at the next start and finished or rolled back (main/core/rotation/key-rotation.ts).
   */
  rotations: z._default(z.record(z.string(), keyRotationSchema), () => ({})),
  /** Other secrets of the app (e.g. the local credential endpoint's token), as cipher envelopes by name. */
  secrets: z._default(z.record(z.string(), z.string()), () => ({})),
  settings: z._default(
    z.looseObject({
      mfaSessionSeconds: z._default(z.int().check(z.gte(900), z.lte(129_600)), 43_200),
      /** The port `aws-auth-tray serve` last listened on, so terminals keep working across restarts. */
      servePort: z.optional(z.int().check(z.gte(1), z.lte(65_535))),
      /** Access key rotation: warn when the key is older than this many days (CIS AWS Foundations: 90). */
      keyAgeWarningDays: z._default(z.int().check(z.gte(1), z.lte(3_650)), 90),
      /** Rotation deactivates the old key (UpdateAccessKey Inactive) and keeps it, instead of deleting it. */
      deactivateOldKey: z._default(z.boolean(), false),
    }),
    () => ({ mfaSessionSeconds: 43_200, keyAgeWarningDays: 90, deactivateOldKey: false }),
  ),
});
export const vaultDocumentSchema = z.looseObject(vaultDocumentFields.shape);
export type VaultDocument = z.infer<typeof vaultDocumentFields>;

export function emptyVaultDocument(): VaultDocument {
  return vaultDocumentFields.parse({ format: CURRENT_VAULT_FORMAT });
}

/** The fields of `value` that `schema` does not know (written by a newer version), to carry over. */
export function keepUnknownFields(value: object, schema: { shape: Record<string, unknown> }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !(key in schema.shape)));
}

/** The format number of a parsed vault file, if it has one; used to refuse newer formats. */
export function vaultFormatOf(raw: unknown): number | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const format = (raw as { format?: unknown }).format;
  return typeof format === 'number' ? format : undefined;
}
