/**
 * Where IAM calls go and which region they are signed for. IAM is global: one endpoint per
 * partition, signed for that partition's IAM region (us-east-1 in aws, cn-north-1 in aws-cn,
 * us-gov-west-1 in aws-us-gov), whatever region the profile uses; a request signed for another
 * region is refused ("Credential should be scoped to a valid region").
 *
 * The endpoint is an explicit one, else the AWS SDK's standard overrides AWS_ENDPOINT_URL_IAM and
 * AWS_ENDPOINT_URL, else AWS's own. One exception keeps credentials where the user sent them:
 * when STS alone is pointed elsewhere (AWS_ENDPOINT_URL_STS, e.g. a local emulator or a VPC
 * endpoint) the sessions come from there, and AWS's IAM would only refuse them; IAM is then not
 * called at all (undefined), rather than sent session credentials it never issued.
 */

export type IamPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

const SIGNING_REGIONS: Readonly<Record<IamPartition, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

export function isIamPartition(partition: string): partition is IamPartition {
  return Object.hasOwn(SIGNING_REGIONS, partition);
}

/** The region IAM requests of this partition are signed for. */
export function iamSigningRegion(partition: IamPartition): string {
  return SIGNING_REGIONS[partition];
}

export interface IamEndpoint {
  /** The override to give the SDK; undefined: the SDK's own endpoint for the partition's IAM region. */
  url: string | undefined;
  /** The setting it came from, undefined for AWS's own endpoint. */
  source: 'endpoint' | 'AWS_ENDPOINT_URL_IAM' | 'AWS_ENDPOINT_URL' | undefined;
}

/** The IAM endpoint to call, or undefined when IAM must not be called (see above). */
export function resolveIamEndpoint(explicit: string | undefined, env: NodeJS.ProcessEnv): IamEndpoint | undefined {
  if (explicit) return { url: explicit, source: 'endpoint' };
  if (env.AWS_ENDPOINT_URL_IAM) return { url: env.AWS_ENDPOINT_URL_IAM, source: 'AWS_ENDPOINT_URL_IAM' };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  if (env.AWS_ENDPOINT_URL_STS) return undefined;
  return { url: undefined, source: undefined };
}

/** Only an http(s) URL with a host is called: anything else would make the SDK throw or go somewhere unexpected. */
export function isCallableEndpoint(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
