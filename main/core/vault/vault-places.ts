/** The text the key check envelope holds: opening it proves the key is this vault's. */
export const CHECK_TEXT = 'aws-auth-tray vault key check v1';

/**
 * Where each envelope lives: every value is sealed to its place (cipher.ts), so a stored role
 * session of prod moved under dev, or a session moved into an identity's secret, fails to open.
 */
export const PLACES = {
  check: 'check',
  identitySecret: (identityId: string) => `identity:${identityId}:secretAccessKey`,
  mfaSession: (identityId: string) => `session:mfa:${identityId}`,
  roleSession: (profile: string) => `session:role:${profile}`,
  secret: (name: string) => `secret:${name}`,
  /** The new access key's secret while a rotation proves it (key-rotation.ts). */
  rotationSecret: (identityId: string) => `rotation:${identityId}:newSecretAccessKey`,
} as const;
