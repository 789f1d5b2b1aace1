import { describe, expect, it } from 'vitest';
import { ACCOUNT_ALIAS, aliasFromListing, isAccountAlias } from '../../../main/core/iam/account-alias.js';
import { iamSigningRegion, resolveIamEndpoint } from '../../../main/core/iam/iam-endpoint.js';

/**
 * An account alias is a value from the network that reaches the window and terminals: only IAM's
 * own shape (the model's accountAliasType) is ever taken; anything else is "no alias known".
 */

describe('account alias validation', () => {
  it("takes IAM's shape: 3 to 63 lowercase letters, digits and single hyphens, a letter or digit at each end", () => {
    for (const alias of ['dev', 'acme-prod-payments', 'a1b', '123', 'a'.repeat(63), `a-${'b'.repeat(60)}`]) expect(isAccountAlias(alias), alias).toBe(true);
    for (const alias of ['', 'ab', 'a'.repeat(64), 'Dev', '-dev', 'dev-', 'de--v', 'dev_ops', 'dev.ops', 'dév', 'dev ops', ' dev']) expect(isAccountAlias(alias), alias).toBe(false);
  });

  it('drops a hostile alias: markup, control characters, terminal sequences, line breaks', () => {
    const hostile = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(1)</script>',
      'dev"><b>x</b>',
      'dev\u001b[31mred',
      'dev\u001b]0;owned\u0007',
      'dev\u009b31m',
      'dev\nexport AWS_PROFILE=evil',
      'dev\r',
      'dev\u0000',
      'dev\u202eved',
      '$(rm -rf ~)',
      'dev;ls',
    ];
    for (const alias of hostile) {
      expect(isAccountAlias(alias), JSON.stringify(alias)).toBe(false);
      expect(aliasFromListing([alias]), JSON.stringify(alias)).toBeUndefined();
    }
  });

  it('reads a ListAccountAliases answer: its one alias, else none', () => {
    expect(aliasFromListing(['dev'])).toBe('dev');
    expect(aliasFromListing([])).toBeUndefined();
    expect(aliasFromListing(undefined)).toBeUndefined();
    // An account has at most one alias: an answer with two is not trusted.
    expect(aliasFromListing(['dev', 'prod'])).toBeUndefined();
    expect(aliasFromListing([42])).toBeUndefined();
  });

  it('is anchored: a valid alias inside a longer value does not pass', () => {
    expect(ACCOUNT_ALIAS.test('dev\n')).toBe(false);
    expect(ACCOUNT_ALIAS.test('x\ndev')).toBe(false);
  });
});

describe('where IAM is called', () => {
  it("signs for the partition's IAM region, whatever the profile's region", () => {
    expect(iamSigningRegion('aws')).toBe('us-east-1');
    expect(iamSigningRegion('aws-cn')).toBe('cn-north-1');
    expect(iamSigningRegion('aws-us-gov')).toBe('us-gov-west-1');
  });

  it('an explicit endpoint, else AWS_ENDPOINT_URL_IAM, else AWS_ENDPOINT_URL, else AWS', () => {
    expect(resolveIamEndpoint('http://127.0.0.1:4599', { AWS_ENDPOINT_URL_IAM: 'http://other' })).toEqual({ url: 'http://127.0.0.1:4599', source: 'endpoint' });
    expect(resolveIamEndpoint(undefined, { AWS_ENDPOINT_URL_IAM: 'http://iam.local', AWS_ENDPOINT_URL: 'http://all.local' })).toEqual({ url: 'http://iam.local', source: 'AWS_ENDPOINT_URL_IAM' });
    expect(resolveIamEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://all.local', AWS_ENDPOINT_URL_STS: 'http://sts.local' })).toEqual({ url: 'http://all.local', source: 'AWS_ENDPOINT_URL' });
    expect(resolveIamEndpoint(undefined, {})).toEqual({ url: undefined, source: undefined });
  });

  it('never sends sessions from a redirected STS to AWS: STS pointed elsewhere and IAM not means IAM is not called', () => {
    expect(resolveIamEndpoint(undefined, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4599' })).toBeUndefined();
    expect(resolveIamEndpoint(undefined, { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4599', AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:4599' })).toEqual({ url: 'http://127.0.0.1:4599', source: 'AWS_ENDPOINT_URL_IAM' });
  });
});
