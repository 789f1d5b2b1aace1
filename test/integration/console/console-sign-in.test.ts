import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleProfile } from '../../../main/core/console/console-profile.js';
import { consoleSignIn, type ConsoleSignInRequest } from '../../../main/core/console/console-sign-in.js';
import { isAllowedConsoleUrl } from '../../../main/core/console/console-url-allowlist.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { createCore, EXPECTED_ARNS, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { referenceFixture } from '../../support/reference-fixture.js';
import { openConsoleLink } from './console-link.js';

/**
 * The core's console sign-in against the STS emulator's federation endpoint: the role session
 * the session manager hands out is exchanged for a sign-in token, and the link signs in at the
 * emulator's console as that role session.
 */
const fixture = referenceFixture();

describe('console sign-in link from the core', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  function request(profile: string, extra: Partial<ConsoleSignInRequest> = {}): ConsoleSignInRequest {
    return {
      profile: consoleProfile(core.vault, profile, (p, i) => core.sessions.regionOf(p, i)),
      env: {},
      stsEndpoint: emulator().url,
      credentials: () => core.sessions.getCredentials(profile, { requester: { kind: 'test', description: 'console test' } }),
      ...extra,
    };
  }

  /** Every secret the emulator handed out so far, and every sign-in token. */
  function secrets(): string[] {
    return [...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken]), ...emulator().federation.issuedTokens()];
  }

  it("signs in at the emulator's console as dev's role session, with one MFA prompt and no SessionDuration", async () => {
    const signIn = await consoleSignIn(request('dev'));
    expect(signIn.endpoint).toEqual({ url: `${emulator().url}/federation`, source: 'the STS endpoint on this machine', loopback: true });
    // dev's region in the reference config.
    expect(signIn.destination).toBe('https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1');
    const link = new URL(signIn.url);
    expect(link.searchParams.get('Action')).toBe('login');
    expect(link.searchParams.get('Issuer')).toBe('aws-auth-tray');
    expect(link.searchParams.has('SessionDuration')).toBe(false);
    expect(isAllowedConsoleUrl(signIn.url)).toBe(false);
    expect(isAllowedConsoleUrl(signIn.url, { extraOrigins: [emulator().url] })).toBe(true);

    const page = await openConsoleLink(signIn.url);
    expect(page.arn).toBe(EXPECTED_ARNS.dev);
    expect(page.account).toBe('222222222222');
    expect(page.destination).toBe(signIn.destination);
    expect(core.prompter.prompts).toHaveLength(1);
    const [console] = emulator().federation.consoleSignIns();
    const devSession = await core.sessions.getCredentials('dev', { requester: { kind: 'test', description: 'same session' } });
    expect(console?.accessKeyId).toBe(devSession.accessKeyId);
  });

  it('a sign-in link works once, and not after 15 minutes', async () => {
    const first = await consoleSignIn(request('stage'));
    expect((await openConsoleLink(first.url)).arn).toBe(EXPECTED_ARNS.stage);
    const again = await openConsoleLink(first.url);
    expect(again.status).toBe(400);

    const second = await consoleSignIn(request('stage'));
    emulator().clock.advance(15 * 60 * 1000 + 1000);
    expect((await openConsoleLink(second.url)).status).toBe(400);
  });

  it("a destination path opens in the region asked for rather than the profile's", async () => {
    const signIn = await consoleSignIn(request('prod', { destination: '/ec2/home', region: 'eu-central-1' }));
    expect(signIn.destination).toBe('https://eu-central-1.console.aws.amazon.com/ec2/home?region=eu-central-1');
    const page = await openConsoleLink(signIn.url);
    expect(page.arn).toBe(EXPECTED_ARNS.prod);
    expect(page.destination).toBe(signIn.destination);
  });

  it.each([
    ['javascript:alert(1)', /not an https address/],
    ['http://evil.example/console', /not an https address/],
    ['https://evil.example/console', /evil\.example, which is not the AWS console/],
    ['https://console.amazonaws.cn/ec2', /AWS China's console, not AWS's/],
    ['https://user:pass@console.aws.amazon.com/', /user name or password/],
    ['//evil.example/x', /evil\.example, which is not the AWS console/],
    ['https://console.aws.amazon.com.evil.example/', /not the AWS console/],
  ])('refuses the destination %s with a sentence, before any STS call or prompt', async (destination, sentence) => {
    const error = await consoleSignIn(request('dev', { destination })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).message).toMatch(sentence);
    expect((error as UserFacingError).message).toMatch(/^The console destination .*\.$/);
    expect(emulator().requests()).toHaveLength(0);
    expect(core.prompter.prompts).toHaveLength(0);
  });

  it("refuses the IAM user's own profile with a sentence that sends the person to their account's sign-in page", async () => {
    const error = await consoleSignIn(request('security')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).code).toBe('console-needs-role');
    expect((error as UserFacingError).message).toContain('https://111111111111.signin.aws.amazon.com/console');
    expect(emulator().requests()).toHaveLength(0);
  });

  it('refuses a region of another partition than the role', async () => {
    const error = await consoleSignIn(request('dev', { region: 'cn-north-1' })).catch((e: unknown) => e);
    expect((error as UserFacingError).message).toBe("Region cn-north-1 is not in AWS, where profile dev's role is; give a region of that partition (or none, to use the profile's).");
    expect(emulator().requests()).toHaveLength(0);
  });

  it('refuses a loopback federation endpoint when the caller does not allow it, before any STS call', async () => {
    const error = await consoleSignIn(request('dev', { allowLoopback: false })).catch((e: unknown) => e);
    expect((error as UserFacingError).code).toBe('console-loopback-refused');
    expect(emulator().requests()).toHaveLength(0);
  });

  it('says which endpoint refused, without quoting any secret, when the role session is no longer valid', async () => {
    // The emulator forgets every session it issued: the cached role session is refused by the federation endpoint.
    await core.sessions.getCredentials('dev', { requester: { kind: 'test', description: 'warm the cache' } });
    const issued = secrets();
    emulator().issued.clear();
    const error = await consoleSignIn(request('dev')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    const message = (error as UserFacingError).message;
    expect(message).toBe(
      `Could not sign in to the AWS console at the AWS sign-in endpoint ${emulator().url}/federation (from the STS endpoint on this machine): it refused the role session for dev (HTTP 400). Verify the profile, sign in again if its session ended early, and try again.`,
    );
    for (const secret of issued) expect(message).not.toContain(secret);
  });

  it('names the endpoint when nothing answers there', async () => {
    const error = await consoleSignIn(request('dev', { env: { AWS_AUTH_TRAY_FEDERATION_URL: 'http://127.0.0.1:9/federation' } })).catch((e: unknown) => e);
    expect((error as UserFacingError).message).toBe(
      'Cannot reach the AWS sign-in endpoint http://127.0.0.1:9/federation (from AWS_AUTH_TRAY_FEDERATION_URL); check your network (or proxy) and try again.',
    );
  });
});

describe("the emulator's federation endpoint, as AWS's", () => {
  const emulator = useEmulator();

  async function getSigninToken(session: Record<string, string>, extra: Record<string, string> = {}): Promise<Response> {
    const query = new URLSearchParams({ Action: 'getSigninToken', Session: JSON.stringify(session), ...extra });
    return fetch(`${emulator().url}/federation?${query.toString()}`);
  }

  let core: CoreUnderTest;
  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
  });
  afterEach(() => core.cleanup());

  const asSession = (c: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => ({ sessionId: c.accessKeyId, sessionKey: c.secretAccessKey, sessionToken: c.sessionToken });

  it('refuses SessionDuration for a role session reached by role chaining, and accepts it without', async () => {
    const dev = await core.sessions.getCredentials('dev', { requester: { kind: 'test', description: 'chained' } });
    const refused = await getSigninToken(asSession(dev), { SessionDuration: '3600' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe('SessionDuration cannot be used with credentials from role chaining.');
    const accepted = await getSigninToken(asSession(dev));
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ SigninToken: expect.stringMatching(/^[\w-]{100,}$/) as unknown });
  });

  it('logs in only to a console URL of the fixture partition', async () => {
    const dev = await core.sessions.getCredentials('dev', { requester: { kind: 'test', description: 'dev' } });
    const login = async (destination: string): Promise<number> => {
      const { SigninToken } = (await (await getSigninToken(asSession(dev))).json()) as { SigninToken: string };
      const query = new URLSearchParams({ Action: 'login', Issuer: 'test', Destination: destination, SigninToken });
      return (await fetch(`${emulator().url}/federation?${query.toString()}`, { redirect: 'manual' })).status;
    };
    expect(await login('https://evil.example/')).toBe(400);
    expect(await login('https://console.amazonaws.cn/')).toBe(400);
    expect(await login('javascript:alert(1)')).toBe(400);
    expect(await login('https://eu-west-1.console.aws.amazon.com/ec2/home')).toBe(302);
  });

  it('refuses the MFA session (GetSessionToken credentials), a wrong secret and an unknown key', async () => {
    const mfa = await core.sessions.getCredentials('security', { requester: { kind: 'test', description: 'mfa session' } });
    expect((await getSigninToken(asSession(mfa))).status).toBe(400);
    const dev = await core.sessions.getCredentials('dev', { requester: { kind: 'test', description: 'dev' } });
    expect((await getSigninToken({ ...asSession(dev), sessionKey: 'x'.repeat(40) })).status).toBe(400);
    expect((await getSigninToken({ ...asSession(dev), sessionId: 'ASIAUNKNOWNUNKNOWN00' })).status).toBe(400);
    expect(emulator().federation.issuedTokens()).toHaveLength(0);
  });
});
