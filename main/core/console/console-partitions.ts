import { UserFacingError } from '../user-facing-error.js';

/**
 * Where each AWS partition signs people in to its console (the hosts `aws-vault login` uses,
 * cli/login.go): the federation endpoint on the sign-in host, the console on the console host
 * (and its regional subdomains, e.g. eu-west-1.console.aws.amazon.com).
 */

export type ConsolePartition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface ConsoleHosts {
  /** Serves /federation (getSigninToken, login). */
  signin: string;
  console: string;
}

export const CONSOLE_HOSTS: Readonly<Record<ConsolePartition, ConsoleHosts>> = {
  aws: { signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com' },
  'aws-cn': { signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn' },
  'aws-us-gov': { signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com' },
};

const PARTITION_NAMES: Readonly<Record<ConsolePartition, string>> = {
  aws: 'AWS',
  'aws-cn': 'AWS China',
  'aws-us-gov': 'AWS GovCloud (US)',
};

export function partitionName(partition: ConsolePartition): string {
  return PARTITION_NAMES[partition];
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(region: string): boolean {
  return REGION.test(region);
}

/** The partition a region belongs to, as aws-vault decides it (cn-*, us-gov-*, else aws). */
export function partitionOfRegion(region: string): ConsolePartition | undefined {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso')) return undefined;
  return 'aws';
}

/**
 * The console partition of a role (from its ARN) in a region: they must agree, and the partition
 * must have a console that signs in federated sessions.
 */
export function consolePartition(arnPartition: string, region: string, profile: string): ConsolePartition {
  if (!Object.hasOwn(CONSOLE_HOSTS, arnPartition)) {
    throw new UserFacingError(
      'console-partition-unsupported',
      `Profile ${profile} is in the ${arnPartition} partition, whose console AWS Auth Tray cannot sign in to; only the aws, aws-cn and aws-us-gov consoles take a sign-in link.`,
    );
  }
  const partition = arnPartition as ConsolePartition;
  if (!isRegionName(region)) {
    throw new UserFacingError('console-region-invalid', `"${region}" is not an AWS region name (like eu-west-1); give the region the console should open in.`);
  }
  if (partitionOfRegion(region) !== partition) {
    throw new UserFacingError(
      'console-region-partition',
      `Region ${region} is not in ${partitionName(partition)}, where profile ${profile}'s role is; give a region of that partition (or none, to use the profile's).`,
    );
  }
  return partition;
}
