import { CONTROL_CHARACTERS } from '../control-characters.js';
import { UserFacingError } from '../user-facing-error.js';
import { CONSOLE_HOSTS, partitionName, type ConsolePartition } from './console-partitions.js';

/**
 * Where the console opens after signing in. By default the console home in the region (as
 * `aws-vault login` does); a destination may be a path in the console (`/ec2/home`, `s3/buckets`)
 * or a full https URL on the partition's console host or one of its subdomains
 * (eu-west-1.console.aws.amazon.com, s3.console.aws.amazon.com). Nothing else: AWS would send a
 * freshly signed-in browser there, so a javascript: URL, another site, another partition's
 * console or a URL with credentials in it is refused with a sentence.
 */

const MAX_DESTINATION_LENGTH = 2_000;
const SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function refuse(partition: ConsolePartition, why: string): UserFacingError {
  const host = CONSOLE_HOSTS[partition].console;
  return new UserFacingError(
    'console-destination-refused',
    `The console destination ${why}. Give a path in the console (like /ec2/home) or an https address on ${host} (${partitionName(partition)}'s console).`,
  );
}

/** Whether `hostname` is the partition's console host or a single-label subdomain of it. */
export function isConsoleHost(hostname: string, partition: ConsolePartition): boolean {
  const host = CONSOLE_HOSTS[partition].console;
  if (hostname === host) return true;
  if (!hostname.endsWith(`.${host}`)) return false;
  return SUBDOMAIN.test(hostname.slice(0, -host.length - 1));
}

function otherPartitionOf(hostname: string): ConsolePartition | undefined {
  return (Object.keys(CONSOLE_HOSTS) as ConsolePartition[]).find((p) => isConsoleHost(hostname, p));
}

export function consoleDestination(partition: ConsolePartition, region: string, requested?: string): string {
  const base = `https://${region}.${CONSOLE_HOSTS[partition].console}`;
  if (requested === undefined || requested === '') return `${base}/console/home?region=${region}`;
  if (requested.length > MAX_DESTINATION_LENGTH) throw refuse(partition, `is longer than ${MAX_DESTINATION_LENGTH} characters`);
  if (CONTROL_CHARACTERS.test(requested) || /\s/.test(requested) || requested.includes('\\')) throw refuse(partition, 'has spaces, backslashes or control characters');

  // A scheme (javascript:, http:, https:), or a protocol-relative //host: a URL, checked as one.
  if (/^[a-z][a-z0-9+.-]*:/i.test(requested) || requested.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(requested.startsWith('//') ? `https:${requested}` : requested);
    } catch {
      throw refuse(partition, 'is not a valid address');
    }
    if (url.protocol !== 'https:') throw refuse(partition, `is not an https address (it starts with ${url.protocol})`);
    if (url.username || url.password) throw refuse(partition, 'has a user name or password in it');
    if (url.port) throw refuse(partition, 'names a port');
    if (!isConsoleHost(url.hostname, partition)) {
      const other = otherPartitionOf(url.hostname);
      throw refuse(partition, other ? `is ${partitionName(other)}'s console, not ${partitionName(partition)}'s` : `is on ${url.hostname}, which is not the AWS console`);
    }
    return url.href;
  }

  // A path in the console of the region.
  const path = requested.startsWith('/') ? requested : `/${requested}`;
  const url = new URL(path, base);
  if (url.origin !== base) throw refuse(partition, 'is not a path in the console');
  if (!url.searchParams.has('region')) url.searchParams.set('region', region);
  return url.href;
}
