import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * Cached sessions that AWS no longer accepts. The command line's clock says they are fresh, AWS
 * says ExpiredToken (its clock moved on: the emulator's clock is advanced) or
 * InvalidClientTokenId (it forgot them: the emulator is reset). A code given to `login` always
 * starts a new MFA session; a session AWS rejects is dropped, so the next request asks for a
 * code (once) instead of handing out dead credentials again.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const NO_TERMINAL = 'An MFA code is needed for security, but there is no terminal to ask on.';

describe('aws-auth-tray: sessions AWS no longer accepts', () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(async () => {
    cli = cliSandbox(emulator().url);
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
  });
  afterEach(() => cli.cleanup());

  const login = () => cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)]);
  const sessionTokens = () => emulator().requests({ action: 'GetSessionToken', outcome: 'Success' }).length;
  /** AWS's clock moves 13 hours on; this machine's does not: the cached 12-hour session looks fresh here. */
  const awsMovesOn = () => emulator().clock.advance(13 * 3600_000);
  /** AWS forgets every session it issued (the emulator's reset), the clock frozen again. */
  const awsForgets = () => {
    emulator().reset();
    emulator().clock.freeze();
  };

  it('login --mfa-code while a cached MFA session exists that AWS no longer accepts starts a new MFA session, and verify then passes', async () => {
    expect((await login()).exitCode).toBe(0);
    expect((await cli.run(['verify'])).exitCode).toBe(0);
    awsMovesOn();

    const again = await login();
    expect(again).toMatchObject({ exitCode: 0, stderr: '' });
    expect(sessionTokens()).toBe(2);
    // The new session's expiry, on AWS's clock: 13 h + 12 h from this machine's now.
    expect(again.stdout).toMatch(/the MFA session expires in (24 h 59|25 h 0) min/);

    const verify = await cli.run(['verify']);
    expect(verify.stderr).toBe('');
    expect(verify.exitCode).toBe(0);
  });

  it('login --mfa-code always starts a new MFA session, even when the cached one is fresh', async () => {
    expect((await login()).exitCode).toBe(0);
    emulator().clock.advance(30_000);
    expect((await login()).exitCode).toBe(0);
    expect(sessionTokens()).toBe(2);
  });

  it.each([
    ['ExpiredToken', awsMovesOn],
    ['InvalidClientTokenId', awsForgets],
  ])('a cached MFA session AWS rejects (%s) is dropped: verify asks for a code for it, and without a terminal says so instead of handing it out again', async (_code, reject) => {
    expect((await login()).exitCode).toBe(0);
    reject();
    const verify = await cli.run(['verify', 'security']);
    expect(verify.exitCode).toBe(1);
    expect(verify.stderr).toContain(`security: ${NO_TERMINAL}`);
    expect(emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome)).toEqual([_code]);
    expect((await cli.run(['list'])).stdout).toMatch(/^security\s+AKIA\w+\s+\S+\s+\S+\s+signed out$/m);

    const next = await cli.run(['credential-process', 'security']);
    expect(next).toMatchObject({ exitCode: 1, stdout: '' });
    expect(next.stderr).toContain(NO_TERMINAL);
  });

  it('verify that meets a role session AWS rejects derives it again from the MFA session in the same run, without a code', async () => {
    expect((await login()).exitCode).toBe(0);
    expect((await cli.run(['export', 'dev'])).exitCode).toBe(0);
    // The role session's hour is over on AWS's clock; the 12-hour MFA session is still good.
    emulator().clock.advance(61 * 60_000);

    const verify = await cli.run(['verify', 'dev']);
    expect(verify.stderr).toBe('');
    expect(verify.exitCode).toBe(0);
    expect(verify.stdout).toMatch(/^dev\s+222222222222\s+\S*assumed-role\/engineer\/alice\s.*\bok\b/m);
    expect(sessionTokens()).toBe(1);
    expect(emulator().requests({ action: 'AssumeRole', outcome: 'Success' })).toHaveLength(2);
    expect(emulator().requests({ action: 'GetCallerIdentity' }).map((r) => r.outcome)).toEqual(['ExpiredToken', 'Success']);
  });
});
