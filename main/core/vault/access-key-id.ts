/** IAM's access key ids (AKIA... for users, ASIA... for sessions): checked before one is stored, shown or written. */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

export function accessKeyIdProblem(accessKeyId: string): string | undefined {
  return ACCESS_KEY_ID.test(accessKeyId) ? undefined : 'an access key id is 16 to 128 capital letters and digits (AKIA...).';
}
