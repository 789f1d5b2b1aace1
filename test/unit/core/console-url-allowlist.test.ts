import { describe, expect, it } from 'vitest';
import { checkConsoleUrl, isAllowedConsoleUrl } from '../../../main/core/console/console-url-allowlist.js';
import { loopbackFederationOrigins, resolveFederationEndpoint } from '../../../main/core/console/federation-endpoint.js';
import { loginUrl } from '../../../main/core/console/login-url.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';

const TOKEN = 'tok3n_secret-value';
const link = (origin: string, extra = '') => `${origin}/federation?Action=login&Issuer=aws-auth-tray&Destination=x&SigninToken=${TOKEN}${extra}`;

describe('which URLs may leave the app for the browser', () => {
  it("allows the login link on each partition's sign-in host", () => {
    for (const host of ['signin.aws.amazon.com', 'signin.amazonaws.cn', 'signin.amazonaws-us-gov.com']) {
      expect(isAllowedConsoleUrl(link(`https://${host}`))).toBe(true);
    }
  });

  it.each([
    ['http on a sign-in host', link('http://signin.aws.amazon.com')],
    ['another host', link('https://evil.example')],
    ['a look-alike host', link('https://signin.aws.amazon.com.evil.example')],
    ['credentials in the URL', link('https://user:pw@signin.aws.amazon.com')],
    ['a port', link('https://signin.aws.amazon.com:444')],
    ['another path', `https://signin.aws.amazon.com/oauth?Action=login&SigninToken=${TOKEN}`],
    ['another action', `https://signin.aws.amazon.com/federation?Action=getSigninToken&SigninToken=${TOKEN}`],
    ['no token', 'https://signin.aws.amazon.com/federation?Action=login'],
    ['javascript:', `javascript:alert(1)//signin.aws.amazon.com/federation?Action=login&SigninToken=${TOKEN}`],
    ['file:', `file:///federation?Action=login&SigninToken=${TOKEN}`],
    ['a fragment', link('https://signin.aws.amazon.com', '#x')],
    ['the emulator, outside demo mode', link('http://127.0.0.1:4599')],
  ])('refuses %s', (_, url) => {
    expect(isAllowedConsoleUrl(url)).toBe(false);
  });

  it("allows the emulator's origin only when given exactly", () => {
    expect(isAllowedConsoleUrl(link('http://127.0.0.1:4599'), { extraOrigins: ['http://127.0.0.1:4599'] })).toBe(true);
    expect(isAllowedConsoleUrl(link('http://127.0.0.1:4600'), { extraOrigins: ['http://127.0.0.1:4599'] })).toBe(false);
  });

  it('refuses with a sentence that does not quote the link', () => {
    let error: unknown;
    try {
      checkConsoleUrl(link('https://evil.example'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(/^AWS Auth Tray opens only AWS console sign-in links \(https:\/\/signin\.aws\.amazon\.com, /);
    expect((error as Error).message).not.toContain(TOKEN);
    expect((error as Error).message).not.toContain('evil');
  });

  it('builds the login link with the token, destination and issuer encoded', () => {
    const url = new URL(loginUrl({ url: 'https://signin.aws.amazon.com/federation', source: undefined, loopback: false }, 'a+b/c=', 'https://console.aws.amazon.com/?a=1&b=2'));
    expect(url.searchParams.get('SigninToken')).toBe('a+b/c=');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/?a=1&b=2');
    expect(url.searchParams.get('Issuer')).toBe('aws-auth-tray');
  });
});

describe('which federation endpoint signs in', () => {
  it("is AWS's own for the partition by default, even with an STS endpoint override that is not on this machine", () => {
    expect(resolveFederationEndpoint('aws', 'eu-west-1', {})).toEqual({ url: 'https://signin.aws.amazon.com/federation', source: undefined, loopback: false });
    expect(resolveFederationEndpoint('aws-cn', 'cn-north-1', {}).url).toBe('https://signin.amazonaws.cn/federation');
    expect(resolveFederationEndpoint('aws-us-gov', 'us-gov-west-1', {}).url).toBe('https://signin.amazonaws-us-gov.com/federation');
    expect(resolveFederationEndpoint('aws', 'eu-west-1', { AWS_ENDPOINT_URL_STS: 'https://vpce-1.sts.eu-west-1.vpce.amazonaws.com' }).url).toBe('https://signin.aws.amazon.com/federation');
  });

  it("is the emulator's /federation when the STS endpoint is on this machine", () => {
    expect(resolveFederationEndpoint('aws', 'eu-west-1', { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4599' })).toEqual({
      url: 'http://127.0.0.1:4599/federation',
      source: 'the STS endpoint on this machine',
      loopback: true,
    });
    expect(resolveFederationEndpoint('aws', 'eu-west-1', {}, 'http://localhost:4599/').url).toBe('http://localhost:4599/federation');
  });

  it('takes AWS_AUTH_TRAY_FEDERATION_URL when it is the partition sign-in endpoint or on this machine', () => {
    expect(resolveFederationEndpoint('aws', 'eu-west-1', { AWS_AUTH_TRAY_FEDERATION_URL: 'http://[::1]:8080/federation' })).toEqual({
      url: 'http://[::1]:8080/federation',
      source: 'AWS_AUTH_TRAY_FEDERATION_URL',
      loopback: true,
    });
    expect(resolveFederationEndpoint('aws', 'eu-west-1', { AWS_AUTH_TRAY_FEDERATION_URL: 'https://signin.aws.amazon.com/federation' }).loopback).toBe(false);
  });

  it.each([
    'http://signin.aws.amazon.com/federation',
    'https://evil.example/federation',
    'https://signin.amazonaws.cn/federation',
    'http://127.0.0.1:4599/other',
    'http://127.0.0.1:4599/federation?x=1',
    'http://user:pw@127.0.0.1:4599/federation',
    'not a url',
  ])('refuses AWS_AUTH_TRAY_FEDERATION_URL=%s with a sentence that does not quote it', (value) => {
    let error: unknown;
    try {
      resolveFederationEndpoint('aws', 'eu-west-1', { AWS_AUTH_TRAY_FEDERATION_URL: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      'AWS_AUTH_TRAY_FEDERATION_URL must be https://signin.aws.amazon.com/federation, or an http(s) address on this machine ending in /federation (the local STS emulator, e.g. http://127.0.0.1:4599/federation); it is something else. Fix or unset it.',
    );
  });
});

describe('which federation origins on this machine a link made by the app (or serve) may point at', () => {
  it("only the ones this process's own settings name: the federation URL and the STS endpoint, on this machine", () => {
    expect(loopbackFederationOrigins({})).toEqual([]);
    expect(loopbackFederationOrigins({ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4599' })).toEqual(['http://127.0.0.1:4599']);
    expect(loopbackFederationOrigins({ AWS_AUTH_TRAY_FEDERATION_URL: 'http://localhost:9000/federation', AWS_ENDPOINT_URL: 'http://[::1]:4599/' })).toEqual(['http://localhost:9000', 'http://[::1]:4599']);
    // Not on this machine, not http(s), or with credentials in it: none of them.
    expect(loopbackFederationOrigins({ AWS_ENDPOINT_URL_STS: 'https://sts.eu-west-1.amazonaws.com', AWS_ENDPOINT_URL: 'ftp://127.0.0.1:21' })).toEqual([]);
    expect(loopbackFederationOrigins({ AWS_AUTH_TRAY_FEDERATION_URL: 'http://user:pw@127.0.0.1:9000/federation' })).toEqual([]);
  });
});
