import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCredentialEndpoint, type RunningServer } from '../../../main/core/endpoint/credential-server.js';
import { profileToken } from '../../../main/core/endpoint/profile-token.js';
import { MfaPromptCancelled } from '../../../main/core/sessions/mfa-prompter.js';
import { findAwsCliV2, isolatedAwsEnv } from '../../support/aws-cli.js';
import { createCore, importReferenceProfiles, type CoreUnderTest } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * The local credential endpoint, AWS container-credentials compatible: the AWS CLI and the
 * SDK's default chain get credentials from it with nothing but two variables set, role sessions
 * renew by themselves, one MFA prompt serves every waiting request, and nothing but a correctly
 * authenticated local client is ever answered.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const DEV_ARN = 'arn:aws:sts::222222222222:assumed-role/engineer/alice';
const MASTER = 'test-token-master-0123456789abcdefghijklmnopqrstuvwxyz';
/** Each profile's own token, derived from the master. */
const tokenFor = (profile: string): string => profileToken(MASTER, profile);
const TOKEN = tokenFor('dev');
const cli = findAwsCliV2();

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function get(endpoint: RunningServer, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: endpoint.port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local credential endpoint', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;
  let endpoint: RunningServer;

  beforeEach(async () => {
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
    endpoint = await startCredentialEndpoint({
      sessions: core.sessions,
      master: () => MASTER,
      requester: (profile) => ({ kind: 'terminal', description: `a terminal using profile ${profile}` }),
      // These tests hold the prompt open on purpose; the early answer has tests of its own below.
      mfaAnswerAfterMs: 60_000,
    });
  });
  afterEach(async () => {
    await endpoint.close();
    await core.cleanup();
  });

  const auth = { authorization: TOKEN };

  /** The person has the popup open but has not typed the code yet; calling the result types it. */
  function holdTheCode(): () => void {
    let release!: () => void;
    const typed = new Promise<void>((resolve) => (release = resolve));
    core.prompter.answer = async () => {
      await typed;
      return currentCode(emulator(), alice.seed);
    };
    return release;
  }

  /** Another endpoint on the same sessions, with its own patience for a waiting MFA code (default: the product's). */
  const patientEndpoint = (mfaAnswerAfterMs?: number): Promise<RunningServer> =>
    startCredentialEndpoint({ sessions: core.sessions, master: () => MASTER, requester: () => ({ kind: 'terminal', description: 'a terminal' }), ...(mfaAnswerAfterMs === undefined ? {} : { mfaAnswerAfterMs }) });
  const WRONG_TOKEN_FOR_DEV =
    'Wrong Authorization token for profile "dev": each profile has its own token, and all of them change when the token is rotated. Copy the auto-refresh setup for this profile again from AWS Auth Tray.';

  it('answers the container-credentials JSON for a profile, asking for the MFA code once', async () => {
    const answer = await get(endpoint, '/profiles/dev', auth);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration', 'Region']);
    expect(answer.body).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/) as string, Region: 'eu-west-1' });
    expect(core.prompter.prompts).toMatchObject([{ requester: { kind: 'terminal', description: 'a terminal using profile dev' } }]);
  });

  it.each([
    ['no token', {}, 'Missing Authorization token: set AWS_CONTAINER_AUTHORIZATION_TOKEN (copy the auto-refresh setup again from AWS Auth Tray).'],
    ['a wrong token', { authorization: 'wrong' }, WRONG_TOKEN_FOR_DEV],
    ["another profile's token (prod's)", { authorization: tokenFor('prod') }, WRONG_TOKEN_FOR_DEV],
    ['the master itself', { authorization: MASTER }, WRONG_TOKEN_FOR_DEV],
    ['a foreign Host header', { authorization: TOKEN, host: 'evil.example:80' }, 'Wrong Host header: use the address AWS Auth Tray printed (http://127.0.0.1:<port>).'],
    ['an Origin header (a web page)', { authorization: TOKEN, origin: 'https://evil.example' }, 'AWS Auth Tray does not answer web pages.'],
  ])('refuses a request with %s (403, a sentence, nothing asked)', async (_name, headers, message) => {
    const answer = await get(endpoint, '/profiles/dev', headers);
    expect(answer).toEqual({ status: 403, body: { message } });
    expect(core.prompter.prompts).toHaveLength(0);
    expect(emulator().requests()).toHaveLength(0);
  });

  it("a terminal set up for dev cannot read prod or security: each profile's token opens that profile only", async () => {
    for (const profile of ['prod', 'security']) {
      const answer = await get(endpoint, `/profiles/${profile}`, auth);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toBe(
        `Wrong Authorization token for profile "${profile}": each profile has its own token, and all of them change when the token is rotated. Copy the auto-refresh setup for this profile again from AWS Auth Tray.`,
      );
    }
    expect(core.prompter.prompts).toHaveLength(0);
    expect(emulator().requests()).toHaveLength(0);
    expect((await get(endpoint, '/profiles/prod', { authorization: tokenFor('prod') })).status).toBe(200);
  });

  it('an Expect header Node would refuse by itself gets a JSON sentence too (found by fuzzing)', async () => {
    const answer = await get(endpoint, '/profiles/dev', { ...auth, expect: 'teapot' });
    expect(answer).toEqual({ status: 417, body: { message: 'AWS Auth Tray does not support the Expect header this request sent; send the request without it.' } });
  });

  it('accepts its own Host by name too (localhost:<port>) and says when a profile does not exist', async () => {
    expect((await get(endpoint, '/profiles/security', { authorization: tokenFor('security'), host: `localhost:${endpoint.port}` })).status).toBe(200);
    expect(await get(endpoint, '/profiles/nope', { authorization: tokenFor('nope') })).toEqual({
      status: 404,
      body: { code: 'profile-missing', message: 'There is no profile "nope". List the profiles with: aws-auth-tray list' },
    });
  });

  it('50 concurrent requests while the prompt is open: one prompt, one GetSessionToken, all 50 answered', async () => {
    const release = holdTheCode();
    const profiles = ['security', 'dev', 'stage', 'prod', 'shared-services'];
    const answers = Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const profile = profiles[i % 5] ?? 'dev';
        return get(endpoint, `/profiles/${profile}`, { authorization: tokenFor(profile) });
      }),
    );
    await expect.poll(() => core.prompter.prompts.length).toBe(1);
    release();
    const all = await answers;
    expect(all.map((a) => a.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(core.prompter.prompts).toHaveLength(1);
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(1);
    expect(emulator().requests({ action: 'AssumeRole' })).toHaveLength(4);
  });

  it("a request waiting for a person to type the MFA code is answered with a sentence within the SDK's patience; the prompt stays up and the next request gets credentials", async () => {
    const patient = await patientEndpoint(50);
    try {
      const release = holdTheCode();
      const early = await get(patient, '/profiles/dev', auth);
      expect(early).toEqual({ status: 503, body: { code: 'mfa-code-needed', message: 'An MFA code is needed for profile "dev": type it in the AWS Auth Tray popup, then run the command again.' } });
      expect(core.prompter.prompts).toHaveLength(1);
      release();
      await expect.poll(() => emulator().requests({ action: 'AssumeRole', outcome: 'Success' }).length).toBe(1);
      const later = await get(patient, '/profiles/dev', auth);
      expect(later.status).toBe(200);
      expect(core.prompter.prompts).toHaveLength(1);
    } finally {
      await patient.close();
    }
  });

  it('a slow STS with nobody being asked is waited for, not cut short', async () => {
    const patient = await patientEndpoint(1);
    try {
      core.prompter.answer = () => Promise.resolve(currentCode(emulator(), alice.seed));
      await core.sessions.getCredentials('security', { requester: { kind: 'test', description: 'sign in first' } });
      emulator().faults.setLatency(300);
      const answer = await get(patient, '/profiles/dev', auth);
      expect(answer.status).toBe(200);
    } finally {
      emulator().faults.setLatency(0);
      await patient.close();
    }
  });

  it('a cancelled prompt answers all 50 waiting requests with the sentence', async () => {
    let cancel!: () => void;
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    core.prompter.answer = async () => {
      await cancelled;
      throw new MfaPromptCancelled();
    };
    const answers = Promise.all(Array.from({ length: 50 }, () => get(endpoint, '/profiles/dev', auth)));
    await expect.poll(() => core.prompter.prompts.length).toBe(1);
    cancel();
    const all = await answers;
    expect(new Set(all.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ status: 403, body: { message: 'Sign-in cancelled: no MFA code was entered.', code: 'mfa-cancelled' } })]));
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
  });

  it("the AWS SDK v3's default credential chain uses it with only the container variables set", async () => {
    const dir = core.dir;
    writeFileSync(join(dir, 'empty'), '');
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.address}/profiles/dev`,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN,
      AWS_CONFIG_FILE: join(dir, 'empty'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    try {
      const who = await new STSClient({ region: 'eu-west-1', endpoint: emulator().url }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(DEV_ARN);
      // An hour later the role session has expired on the emulator's clock: a new client gets fresh credentials, no prompt.
      emulator().clock.advance(61 * 60_000);
      const later = await new STSClient({ region: 'eu-west-1', endpoint: emulator().url }).send(new GetCallerIdentityCommand({}));
      expect(later.Arn).toBe(DEV_ARN);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(core.prompter.prompts).toHaveLength(1);
    expect(emulator().requests({ action: 'AssumeRole', outcome: 'Success' })).toHaveLength(2);
  });

  describe.skipIf('missing' in cli)(`with the AWS CLI v2${'missing' in cli ? ` (skipped: ${cli.missing})` : ''}`, () => {
    function aws(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        const path = 'path' in cli ? cli.path : 'aws';
        execFile(path, ['sts', 'get-caller-identity', '--endpoint-url', emulator().url, '--output', 'json'], { env, encoding: 'utf8', timeout: 25_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
        );
      });
    }

    it('gets dev\'s identity with only the container variables set; after the role session expires, the next call renews it with no user action', async () => {
      const env = { ...isolatedAwsEnv(core.dir), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.address}/profiles/dev`, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN };
      writeFileSync(join(core.dir, 'config'), '');
      writeFileSync(join(core.dir, 'credentials'), '');
      const first = await aws(env);
      expect(first.stderr).toBe('');
      expect(JSON.parse(first.stdout)).toMatchObject({ Arn: DEV_ARN });

      emulator().clock.advance(61 * 60_000);
      const second = await aws(env);
      expect(second.stderr).toBe('');
      expect(JSON.parse(second.stdout)).toMatchObject({ Arn: DEV_ARN });
      expect(core.prompter.prompts).toHaveLength(1);
      expect(emulator().requests({ action: 'AssumeRole', outcome: 'Success' })).toHaveLength(2);
      expect(emulator().requests({ action: 'GetCallerIdentity', outcome: 'ExpiredToken' })).toHaveLength(0);
    });

    it('while the MFA popup waits, the AWS CLI shows the sentence saying where to type the code, not a bare read timeout; run again after typing it, it works', async () => {
      const patient = await patientEndpoint();
      try {
        const release = holdTheCode();
        const env = { ...isolatedAwsEnv(core.dir), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${patient.address}/profiles/dev`, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN };
        writeFileSync(join(core.dir, 'config'), '');
        writeFileSync(join(core.dir, 'credentials'), '');
        const waiting = await aws(env);
        expect(waiting.code).not.toBe(0);
        expect(waiting.stderr).toContain('An MFA code is needed for profile \\"dev\\": type it in the AWS Auth Tray popup, then run the command again.');
        expect(waiting.stderr).not.toMatch(/timeout/i);
        expect(core.prompter.prompts).toHaveLength(1);
        release();
        await expect.poll(() => emulator().requests({ action: 'AssumeRole', outcome: 'Success' }).length).toBe(1);
        const again = await aws(env);
        expect(again.stderr).toBe('');
        expect(JSON.parse(again.stdout)).toMatchObject({ Arn: DEV_ARN });
      } finally {
        await patient.close();
      }
    });

    it('a wrong token reaches the CLI as its error, naming what to do', async () => {
      const env = { ...isolatedAwsEnv(core.dir), AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.address}/profiles/dev`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' };
      writeFileSync(join(core.dir, 'config'), '');
      writeFileSync(join(core.dir, 'credentials'), '');
      const out = await aws(env);
      expect(out.code).not.toBe(0);
      // The AWS CLI shows our answer: the user reads what to do in their terminal.
      expect(out.stderr).toContain('Wrong Authorization token for profile \\"dev\\": each profile has its own token');
    });
  });
});
