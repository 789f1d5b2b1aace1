import { describe, expect, it } from 'vitest';
import { consoleDestination, isConsoleHost } from '../../../main/core/console/console-destination.js';
import { consolePartition } from '../../../main/core/console/console-partitions.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserFacingError) return error.message;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('console destination', () => {
  it("defaults to the console home in the region, on each partition's console host (as aws-vault login)", () => {
    expect(consoleDestination('aws', 'eu-west-1')).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    expect(consoleDestination('aws-cn', 'cn-north-1')).toBe('https://cn-north-1.console.amazonaws.cn/console/home?region=cn-north-1');
    expect(consoleDestination('aws-us-gov', 'us-gov-west-1')).toBe('https://us-gov-west-1.console.amazonaws-us-gov.com/console/home?region=us-gov-west-1');
  });

  it('turns a path into a URL of the regional console, adding the region unless the path names one', () => {
    expect(consoleDestination('aws', 'eu-west-1', 's3/buckets')).toBe('https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1');
    expect(consoleDestination('aws', 'eu-west-1', '/ec2/home?region=us-east-2#Instances')).toBe('https://eu-west-1.console.aws.amazon.com/ec2/home?region=us-east-2#Instances');
    expect(consoleDestination('aws', 'eu-west-1', '/../../x')).toBe('https://eu-west-1.console.aws.amazon.com/x?region=eu-west-1');
  });

  it("keeps an https URL on the partition's console host or a subdomain of it", () => {
    expect(consoleDestination('aws', 'eu-west-1', 'https://s3.console.aws.amazon.com/s3/buckets')).toBe('https://s3.console.aws.amazon.com/s3/buckets');
    expect(consoleDestination('aws-cn', 'cn-north-1', 'https://console.amazonaws.cn/iam')).toBe('https://console.amazonaws.cn/iam');
  });

  it.each([
    ['javascript:alert(document.cookie)', 'is not an https address (it starts with javascript:)'],
    ['JAVASCRIPT:alert(1)', 'is not an https address (it starts with javascript:)'],
    ['data:text/html,<script>alert(1)</script>', 'is not an https address (it starts with data:)'],
    ['data:text/html;base64,PHNjcmlwdD4=', 'is not an https address (it starts with data:)'],
    ['http://console.aws.amazon.com/', 'is not an https address (it starts with http:)'],
    ['http://evil.example/', 'is not an https address (it starts with http:)'],
    ['https://evil.example/', 'is on evil.example, which is not the AWS console'],
    ['https://console.aws.amazon.com.evil.example/', 'is on console.aws.amazon.com.evil.example, which is not the AWS console'],
    ['https://evil.example/#https://console.aws.amazon.com', 'is on evil.example, which is not the AWS console'],
    ['https://a.b.console.aws.amazon.com/', 'is on a.b.console.aws.amazon.com, which is not the AWS console'],
    ['https://console.amazonaws-us-gov.com/', "is AWS GovCloud (US)'s console, not AWS's"],
    ['https://me:secret@console.aws.amazon.com/', 'has a user name or password in it'],
    ['https://console.aws.amazon.com:8443/', 'names a port'],
    ['//evil.example/', 'is on evil.example, which is not the AWS console'],
    ['/\\evil.example', 'has spaces, backslashes or control characters'],
    ['/ec2\nSet-Cookie: x', 'has spaces, backslashes or control characters'],
  ])('refuses %j', (destination, why) => {
    expect(refusal(() => consoleDestination('aws', 'eu-west-1', destination))).toBe(
      `The console destination ${why}. Give a path in the console (like /ec2/home) or an https address on console.aws.amazon.com (AWS's console).`,
    );
  });

  it('refuses a destination longer than any real console URL', () => {
    expect(refusal(() => consoleDestination('aws', 'eu-west-1', `/${'a'.repeat(2_000)}`))).toContain('is longer than 2000 characters');
  });

  it('knows a console host only by exact name or one-label subdomain', () => {
    expect(isConsoleHost('console.aws.amazon.com', 'aws')).toBe(true);
    expect(isConsoleHost('eu-west-1.console.aws.amazon.com', 'aws')).toBe(true);
    expect(isConsoleHost('xconsole.aws.amazon.com', 'aws')).toBe(false);
    expect(isConsoleHost('console.aws.amazon.com', 'aws-cn')).toBe(false);
  });
});

describe('console partition of a role and a region', () => {
  it('follows the role ARN and checks the region belongs to it', () => {
    expect(consolePartition('aws', 'eu-west-1', 'dev')).toBe('aws');
    expect(consolePartition('aws-cn', 'cn-northwest-1', 'cn')).toBe('aws-cn');
    expect(consolePartition('aws-us-gov', 'us-gov-east-1', 'gov')).toBe('aws-us-gov');
    expect(refusal(() => consolePartition('aws-cn', 'eu-west-1', 'cn'))).toBe(
      "Region eu-west-1 is not in AWS China, where profile cn's role is; give a region of that partition (or none, to use the profile's).",
    );
    expect(refusal(() => consolePartition('aws', 'Europe', 'dev'))).toBe('"Europe" is not an AWS region name (like eu-west-1); give the region the console should open in.');
    expect(refusal(() => consolePartition('aws-iso', 'us-iso-east-1', 'iso'))).toContain('whose console AWS Auth Tray cannot sign in to');
  });
});
