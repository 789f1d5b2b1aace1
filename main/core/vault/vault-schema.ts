import { z } from 'zod';

/**
 * What the vault file holds. Secrets (secret access keys, session credentials) are only ever
 * stored as cipher envelopes; everything else is metadata the UI may show.
 */

export const PROFILE_NAME = /^[A-Za-z0-9][\w.+@-]{0,63}$/;

export const mfaModeSchema = z.enum(['mfa-session', 'direct']);
export type MfaMode = z.infer<typeof mfaModeSchema>;

export const identitySchema = z.object({
  id: z.string().min(1),
  /** What the user calls it: usually the source profile name (`security`, `default`). */
  label: z.string().min(1),
  accessKeyId: z.string().optional(),
  /** Cipher envelope of the secret access key. */
  secretAccessKey: z.string().optional(),
  /** The MFA device ARN (`mfa_serial`). */
  mfaSerial: z.string().optional(),
  region: z.string().optional(),
  createdAt: z.string(),
});
export type StoredIdentity = z.infer<typeof identitySchema>;

export const profileSchema = z.object({
  name: z.string().regex(PROFILE_NAME),
  identityId: z.string().min(1),
  roleArn: z.string().optional(),
  externalId: z.string().optional(),
  roleSessionName: z.string().optional(),
  durationSeconds: z.number().int().optional(),
  region: z.string().optional(),
  /** `mfa-session`: derive from the identity's MFA session (1 h role sessions, no extra code);
   *  `direct`: AssumeRole with an MFA code of its own (longer sessions, one code for this profile). */
  mfaMode: mfaModeSchema.default('mfa-session'),
  origin: z.enum(['manual', 'aws-config']).default('manual'),
});
export type StoredProfile = z.infer<typeof profileSchema>;

export const storedSessionSchema = z.object({
  /** Cipher envelope of JSON `{accessKeyId, secretAccessKey, sessionToken, expiration}`. */
  ciphertext: z.string(),
  expiration: z.string(),
  issuedAt: z.string(),
  identityId: z.string(),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export const vaultDocumentSchema = z.object({
  format: z.literal(1),
  cipher: z
    .object({
      kind: z.string(),
      /** The passphrase cipher's salt (base64url). */
      salt: z.string().optional(),
      /** A known text encrypted at creation: decrypting it proves the key is right. */
      check: z.string(),
    })
    .optional(),
  // Defaults are functions: zod copies a default value only shallowly, and two vaults must
  // never share one sessions map.
  identities: z.array(identitySchema).default(() => []),
  profiles: z.array(profileSchema).default(() => []),
  sessions: z
    .object({
      /** MFA sessions (GetSessionToken) by identity id. */
      mfa: z.record(z.string(), storedSessionSchema).default(() => ({})),
      /** Role sessions (AssumeRole) by profile name. */
      roles: z.record(z.string(), storedSessionSchema).default(() => ({})),
    })
    .default(() => ({ mfa: {}, roles: {} })),
  /** Other secrets of the app (e.g. the local credential endpoint's token), as cipher envelopes by name. */
  secrets: z.record(z.string(), z.string()).default(() => ({})),
  settings: z
    .object({
      mfaSessionSeconds: z.number().int().min(900).max(129_600).default(43_200),
      /** The port `aws-auth-tray serve` last listened on, so terminals keep working across restarts. */
      servePort: z.number().int().min(1).max(65_535).optional(),
    })
    .default(() => ({ mfaSessionSeconds: 43_200 })),
});
export type VaultDocument = z.infer<typeof vaultDocumentSchema>;

export function emptyVaultDocument(): VaultDocument {
  return vaultDocumentSchema.parse({ format: 1 });
}
