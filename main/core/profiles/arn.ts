/**
 * ARNs as the app needs them: which account and partition a role or MFA device is in, and what
 * kind of principal an identity ARN names.
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso(?:-[a-z])?):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

export function parseArn(text: string): Arn | undefined {
  const m = ARN.exec(text.trim());
  if (!m) return undefined;
  const [, partition = '', service = '', region = '', account = '', resource = ''] = m;
  return { partition, service, region, account, resource };
}

export interface RoleArn extends Arn {
  roleName: string;
}

/** `arn:<partition>:iam::<account>:role/<path><name>`, or undefined. */
export function parseRoleArn(text: string): RoleArn | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'iam' || !arn.account || !/^role\/([\x21-\x7e]*\/)?[\w+=,.@-]{1,64}$/.test(arn.resource)) return undefined;
  return { ...arn, roleName: arn.resource.slice(arn.resource.lastIndexOf('/') + 1) };
}

/** An MFA device: a virtual device ARN, or a hardware token's serial number. */
export function isMfaSerial(text: string): boolean {
  const arn = parseArn(text);
  if (arn) return arn.service === 'iam' && arn.account !== '' && /^(mfa|u2f)\/[\w+=,.@/-]+$/.test(arn.resource);
  return /^[\w+=/:,.@-]{9,256}$/.test(text);
}

/** What GetCallerIdentity's Arn says the caller is. */
export type PrincipalKind = 'user' | 'assumed-role' | 'root' | 'federated-user' | 'other';

export function principalKind(arn: Arn): PrincipalKind {
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) return 'user';
  if (arn.service === 'iam' && arn.resource === 'root') return 'root';
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) return 'assumed-role';
  if (arn.service === 'sts' && arn.resource.startsWith('federated-user/')) return 'federated-user';
  return 'other';
}
