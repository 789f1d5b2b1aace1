import type { Caller } from './caller.js';
import type { InputObject } from './query-input.js';
import type { ServiceModel } from './service-model.js';
import type { ScopeRequirement } from './sigv4-authenticator.js';
import type { OutputValue } from './xml-response.js';

/**
 * The Query protocol services one emulator serves on one port (STS and IAM), and how a request
 * finds its service. AWS tells them apart by host name (sts.amazonaws.com, iam.amazonaws.com);
 * an emulator endpoint has one host, so the request's SigV4 credential scope decides, as it names
 * the service the caller signed for.
 */

export type ServiceName = 'sts' | 'iam';

export type OperationResult = { [member: string]: OutputValue | undefined };
export type OperationHandler<Context> = (caller: Caller, input: InputObject, ctx: Context) => OperationResult;

export interface QueryService<Context> {
  /** The service's name in credential scopes and in the request log. */
  name: ServiceName;
  model: ServiceModel;
  /** The operations the emulator implements, by action name; the model has more. */
  operations: Readonly<Record<string, OperationHandler<Context>>>;
  /** What the credential scope must say for this service. */
  scope: ScopeRequirement;
}

/** IAM is a global service: each partition's IAM signs for one region. */
export const IAM_SIGNING_REGIONS: Readonly<Record<string, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

export function iamSigningRegion(partition: string): string {
  return IAM_SIGNING_REGIONS[partition] ?? 'us-east-1';
}

/**
 * The service that answers a request: the one its credential scope names; for an unsigned
 * request, or one signed for a service the emulator does not serve, the one whose API version
 * it names (so that its error comes in the right namespace); else the first (STS).
 */
export function chooseService<S extends Pick<QueryService<never>, 'name' | 'model'>>(
  services: readonly [S, ...S[]],
  signedFor: string | undefined,
  version: string | null,
): S {
  return services.find((s) => s.name === signedFor) ?? services.find((s) => s.model.apiVersion === version) ?? services[0];
}
