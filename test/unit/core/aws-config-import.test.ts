import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { applyConfigImport, ConfigImportInterrupted } from '../../../main/core/profiles/apply-config-import.js';
import { importAwsConfig, readCredentialsProfile, type ConfigImport } from '../../../main/core/profiles/aws-config-import.js';
import { longTermKeysReader } from '../../../main/core/profiles/long-term-keys.js';
import {
  hasControlCharacters,
  PROFILE_NAME_RULE,
} from '../../../main/core/profiles/profile-values.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import type { StoreFactory } from '../../../main/core/vault/vault-file.js';
import { PROFILE_NAME, type VaultDocument } from '../../../main/core/vault/vault-schema.js';
import { Vault } from '../../../main/core/vault/vault.js';
import { CLI_BUNDLE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';

/**
 * Importing an aws-vault user's ~/.aws/config (and, on request, keys from ~/.aws/credentials):
 * every profile the app can use, and every one it cannot as a sentence naming the profile.
 */

const REFERENCE_CONFIG = new URL('../../sts-emulator/fixtures/aws-config', import.meta.url).pathname;
const REFERENCE_CREDENTIALS = new URL('../../sts-emulator/fixtures/aws-credentials', import.meta.url).pathname;
const FAST = { log2N: 14, r: 8, p: 1 } as const;
const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SECURITY_KEYS = `[security]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a config (and optionally a credentials) file and imports them. */
async function load(config: string, credentials?: string): Promise<ConfigImport> {
  const configFile = join(dir, 'config');
  writeFileSync(configFile, config);
  let credentialsFile: string | undefined;
  if (credentials !== undefined) {
    credentialsFile = join(dir, 'credentials');
    writeFileSync(credentialsFile, credentials);
  }
  const result = await importAwsConfig({ configFile, credentialsFile });
  // Whatever the files hold, the import result never carries a secret.
  expect(JSON.stringify(result)).not.toContain(SECRET);
  return result;
}

const messages = (result: ConfigImport): string[] => result.problems.map((p) => p.message);
const names = (result: ConfigImport): string[] => result.profiles.map((p) => p.name);

const SECURITY = `[profile security]\nmfa_serial = ${ALICE_DEVICE}\nregion = us-east-1\n`;

describe('importAwsConfig', () => {
  it('reads the reference architecture: 5 profiles from source `security`, with its MFA device and keys, no problems', async () => {
    const result = await importAwsConfig({ configFile: REFERENCE_CONFIG, credentialsFile: REFERENCE_CREDENTIALS });
    expect(result.problems).toEqual([]);
    expect(result.configFile).toBe(REFERENCE_CONFIG);
    expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: true }]);
    expect(result.profiles).toEqual([
      { name: 'security', source: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1' },
      { name: 'dev', source: 'security', roleArn: 'arn:aws:iam::222222222222:role/engineer', region: 'eu-west-1' },
      { name: 'stage', source: 'security', roleArn: 'arn:aws:iam::333333333333:role/engineer', region: 'eu-west-1' },
      { name: 'prod', source: 'security', roleArn: 'arn:aws:iam::444444444444:role/read-only', region: 'eu-west-1' },
      { name: 'shared-services', source: 'security', roleArn: 'arn:aws:iam::555555555555:role/platform/deployer', externalId: 'aws-auth-tray-demo', region: 'us-east-1' },
    ]);
  });

  it('without a credentials file the source has no keys', async () => {
    const result = await importAwsConfig({ configFile: REFERENCE_CONFIG });
    expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: false }]);
    expect(result.profiles).toHaveLength(5);
  });

  it('reads every role setting aws-vault users write', async () => {
    const result = await load(
      `${SECURITY}[profile ops]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/ops\nexternal_id = ext-id:42/x\nrole_session_name = alice@ops\nduration_seconds = 3600\nregion = eu-west-1\n`,
    );
    expect(result.profiles[1]).toEqual({
      name: 'ops',
      source: 'security',
      roleArn: 'arn:aws:iam::222222222222:role/ops',
      externalId: 'ext-id:42/x',
      roleSessionName: 'alice@ops',
      durationSeconds: 3600,
      region: 'eu-west-1',
    });
  });

  it('a profile only in the credentials file is a source with keys', async () => {
    const result = await load('[default]\nregion = us-east-1\n', SECURITY_KEYS);
    expect(result.sources).toEqual([{ name: 'security', hasKeys: true }]);
    expect(result.profiles).toEqual([{ name: 'security', source: 'security' }]);
    expect(result.problems).toEqual([]);
  });

  it('[default] with only a region imports nothing, silently', async () => {
    const result = await load('[default]\nregion = us-east-1\noutput = json\n');
    expect(result).toMatchObject({ sources: [], profiles: [], problems: [] });
  });

  describe('a secret swallowed by a continued value (found by fuzzing)', () => {
    it.each([
      ['include_profile = default', '[profile "default"]'],
      ['include_profile = nowhere', '[profile dev]'],
      ['source_profile = nowhere', '[profile dev]'],
      ['role_arn = not-an-arn', '[profile dev]'],
    ])('an indented aws_secret_access_key line after %s never appears in a problem', async (setting, header) => {
      // configparser continues `setting`'s value with the indented line: the secret is part of it.
      const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
      const result = await load(`${header}\n${setting}\n  aws_secret_access_key = ${secret}\n`);
      const text = JSON.stringify(result);
      expect(result.problems.length).toBeGreaterThan(0);
      expect(text.includes('wJalrXUtnFEMI')).toBe(false);
    });
  });

  describe('include_profile', () => {
    it('merges the included profile: its values are defaults, the profile\'s own values win', async () => {
      const result = await load(
        `${SECURITY}[profile base]\nregion = eu-west-1\nduration_seconds = 1800\nexternal_id = from-base\n[profile dev]\ninclude_profile = base\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/engineer\nregion = us-west-2\n`,
      );
      expect(result.problems).toEqual([]);
      expect(result.profiles.find((p) => p.name === 'dev')).toEqual({
        name: 'dev',
        source: 'security',
        roleArn: 'arn:aws:iam::222222222222:role/engineer',
        externalId: 'from-base',
        durationSeconds: 1800,
        region: 'us-west-2',
      });
      // `base` itself has neither keys nor a role: nothing to import.
      expect(names(result)).toEqual(['security', 'dev']);
    });

    it('follows includes transitively (role_arn and source_profile may come from an include)', async () => {
      const result = await load(
        `${SECURITY}[profile engineer]\nsource_profile = security\nregion = eu-west-1\n[profile dev-base]\ninclude_profile = engineer\nrole_arn = arn:aws:iam::222222222222:role/engineer\n[profile dev]\ninclude_profile = dev-base\nduration_seconds = 900\n`,
      );
      expect(result.problems).toEqual([]);
      expect(result.profiles.find((p) => p.name === 'dev')).toEqual({ name: 'dev', source: 'security', roleArn: 'arn:aws:iam::222222222222:role/engineer', durationSeconds: 900, region: 'eu-west-1' });
    });

    it('refuses an include loop with a message naming the loop', async () => {
      const result = await load(`${SECURITY}[profile a]\ninclude_profile = b\nrole_arn = arn:aws:iam::222222222222:role/x\nsource_profile = security\n[profile b]\ninclude_profile = a\n`);
      expect(result.problems).toEqual([
        { profile: 'a', message: 'Profile a: include_profile loops: a → b → a. Remove one of the include_profile lines.' },
        { profile: 'b', message: 'Profile b: include_profile loops: b → a → b. Remove one of the include_profile lines.' },
      ]);
      expect(names(result)).toEqual(['security']);
    });

    it('refuses a profile that includes itself', async () => {
      const result = await load('[profile me]\ninclude_profile = me\nmfa_serial = arn:aws:iam::111111111111:mfa/me\n');
      expect(messages(result)).toEqual(['Profile me: include_profile loops: me → me. Remove one of the include_profile lines.']);
    });

    it('names an include of a profile that does not exist', async () => {
      const result = await load('[profile dev]\ninclude_profile = ghost\n');
      expect(messages(result)).toEqual(['Profile dev: include_profile = ghost (in profile dev) names a profile that does not exist.']);
    });
  });

  describe('source_profile', () => {
    it('names a missing source_profile', async () => {
      const result = await load('[profile dev]\nsource_profile = nope\nrole_arn = arn:aws:iam::222222222222:role/engineer\n');
      expect(result.problems).toEqual([
        {
          profile: 'dev',
          message: `Profile dev: source_profile = nope names a profile that is in neither ${join(dir, 'config')} nor the credentials file. Add it, or point source_profile at your IAM user's profile.`,
        },
      ]);
      expect(result.sources).toEqual([]);
      expect(result.profiles).toEqual([]);
    });

    it('refuses role_arn without source_profile', async () => {
      const result = await load('[profile dev]\nrole_arn = arn:aws:iam::222222222222:role/engineer\n');
      expect(messages(result)).toEqual(["Profile dev: it has role_arn but no source_profile; add source_profile = <the profile with your IAM user's keys>."]);
    });

    it('refuses a source_profile loop, naming it', async () => {
      const result = await load('[profile a]\nsource_profile = b\nrole_arn = arn:aws:iam::222222222222:role/x\n[profile b]\nsource_profile = a\nrole_arn = arn:aws:iam::333333333333:role/y\n');
      expect(messages(result)).toEqual(['Profile a: source_profile loops: a → b → a.', 'Profile b: source_profile loops: b → a → b.']);
      expect(result.profiles).toEqual([]);
    });

    it('source_profile = the profile itself means the profile\'s own keys', async () => {
      const result = await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\nrole_arn = arn:aws:iam::222222222222:role/x\nsource_profile = security\n`, SECURITY_KEYS);
      expect(result.problems).toEqual([]);
      expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, hasKeys: true }]);
      expect(result.profiles).toEqual([{ name: 'security', source: 'security', roleArn: 'arn:aws:iam::222222222222:role/x', mfaSerial: ALICE_DEVICE }]);
    });

    it('refuses chained roles (source_profile is itself a role profile) with a sentence about role chaining', async () => {
      const result = await load(`${SECURITY}[profile hop]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/hop\n[profile deep]\nsource_profile = hop\nrole_arn = arn:aws:iam::333333333333:role/deep\n`);
      expect(result.problems).toEqual([
        {
          profile: 'deep',
          message:
            "Profile deep: its source_profile hop is itself a role profile (role chaining). AWS Auth Tray assumes every role directly from your IAM user's MFA session: set source_profile to the profile with your IAM user's keys.",
        },
      ]);
      expect(names(result)).toEqual(['security', 'hop']);
    });
  });

  describe('role settings', () => {
    const role = (name: string, lines: string): string => `[profile ${name}]\nsource_profile = security\n${lines}\n`;

    it.each([
      ['a 3-digit account', 'arn:aws:iam::123:role/x'],
      ['an S3 bucket', 'arn:aws:s3:::bucket'],
      ['a user', 'arn:aws:iam::123456789012:user/alice'],
      ['an unknown partition', 'arn:aws-mars:iam::123456789012:role/x'],
      ['not an ARN', 'engineer'],
    ])('names the profile and a malformed role_arn (%s)', async (_label, arn) => {
      const result = await load(SECURITY + role('broken', `role_arn = ${arn}`));
      expect(result.problems).toEqual([{ profile: 'broken', message: `Profile broken: role_arn "${arn}" is not a role ARN like arn:aws:iam::123456789012:role/name.` }]);
      expect(names(result)).toEqual(['security']);
    });

    it.each(['arn:aws-cn:iam::123456789012:role/x', 'arn:aws-us-gov:iam::123456789012:role/path/to/x', 'arn:aws:iam::123456789012:role/a+b=c,d.e@f-g_h'])('accepts the role ARN %s', async (arn) => {
      const result = await load(SECURITY + role('ok', `role_arn = ${arn}`));
      expect(result.problems).toEqual([]);
      expect(result.profiles.find((p) => p.name === 'ok')?.roleArn).toBe(arn);
    });

    it.each(['60', '899', '43201', 'soon', '3600.5', '-900'])('refuses duration_seconds = %s', async (value) => {
      const result = await load(SECURITY + role('dur', `role_arn = arn:aws:iam::222222222222:role/x\nduration_seconds = ${value}`));
      expect(result.problems).toEqual([{ profile: 'dur', message: `Profile dur: duration_seconds = ${value} is not a whole number of seconds from 900 to 43200.` }]);
    });

    it.each([
      ['900', 900],
      ['43200', 43_200],
    ])('accepts duration_seconds = %s', async (value, seconds) => {
      const result = await load(SECURITY + role('dur', `role_arn = arn:aws:iam::222222222222:role/x\nduration_seconds = ${value}`));
      expect(result.problems).toEqual([]);
      expect(result.profiles.find((p) => p.name === 'dur')?.durationSeconds).toBe(seconds);
    });

    it.each(['a b', 'x', 'semi;colon', 'q"uote'])('refuses external_id = %s', async (value) => {
      const result = await load(SECURITY + role('ext', `role_arn = arn:aws:iam::222222222222:role/x\nexternal_id = ${value}`));
      expect(result.problems).toEqual([{ profile: 'ext', message: 'Profile ext: external_id must be 2 to 1224 characters of letters, digits and + = , . @ : / -.' }]);
    });

    it.each(['has space', 'x', 'a/b', 'r'.repeat(65)])('refuses role_session_name = %s', async (value) => {
      const result = await load(SECURITY + role('rsn', `role_arn = arn:aws:iam::222222222222:role/x\nrole_session_name = ${value}`));
      expect(result.problems).toEqual([{ profile: 'rsn', message: `Profile rsn: role_session_name "${value}" must be 2 to 64 characters of letters, digits and + = , . @ -.` }]);
    });

    it('refuses a malformed mfa_serial on a role profile', async () => {
      const result = await load(SECURITY + role('dev', 'role_arn = arn:aws:iam::222222222222:role/x\nmfa_serial = arn:aws:iam::111111111111:user/alice'));
      expect(messages(result)).toEqual([
        'Profile dev: mfa_serial "arn:aws:iam::111111111111:user/alice" is not an MFA device ARN: after the account comes mfa/ and the device name, with an optional path (arn:aws:iam::123456789012:mfa/alice). Copy the device\'s ARN from the IAM console (your user → Security credentials → MFA).',
      ]);
    });
  });

  describe('mfa_serial on role profiles only (as many aws-vault users write it)', () => {
    const roles = (devSerial: string, prodSerial: string): string =>
      `[profile security]\nregion = us-east-1\n[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\nmfa_serial = ${devSerial}\n[profile prod]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/x\nmfa_serial = ${prodSerial}\n`;

    it('is adopted by the source when all its role profiles agree', async () => {
      const result = await load(roles(ALICE_DEVICE, ALICE_DEVICE), SECURITY_KEYS);
      expect(result.problems).toEqual([]);
      expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: true }]);
    });

    it('is a problem on the source when they differ, and none is adopted', async () => {
      const result = await load(roles(ALICE_DEVICE, 'arn:aws:iam::111111111111:mfa/bob'), SECURITY_KEYS);
      expect(result.problems).toEqual([
        {
          profile: 'security',
          message: `Profile security: its role profiles name different MFA devices (${ALICE_DEVICE}, arn:aws:iam::111111111111:mfa/bob); set mfa_serial on security itself.`,
        },
      ]);
      expect(result.sources).toEqual([{ name: 'security', region: 'us-east-1', hasKeys: true }]);
      expect(names(result)).toEqual(['security', 'dev', 'prod']);
    });

    it("a role's mfa_serial that differs from its source's own is a problem on the role; the source's wins", async () => {
      const result = await load(`${SECURITY}[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\nmfa_serial = GAHT12345678\n`);
      expect(result.sources[0]?.mfaSerial).toBe(ALICE_DEVICE);
      expect(result.problems).toEqual([
        { profile: 'dev', message: `Profile dev: mfa_serial GAHT12345678 differs from ${ALICE_DEVICE} of its source security; AWS Auth Tray uses ${ALICE_DEVICE}.` },
      ]);
    });

    it('a hardware token serial number is a valid mfa_serial', async () => {
      const result = await load('[profile security]\nmfa_serial = GAHT12345678\n');
      expect(result.problems).toEqual([]);
      expect(result.sources).toEqual([{ name: 'security', mfaSerial: 'GAHT12345678', hasKeys: false }]);
    });
  });

  describe('profiles it cannot use are skipped with a sentence', () => {
    it('SSO (sso_session and legacy sso_start_url), credential_process, credential_source', async () => {
      const result = await load(
        `[default]\nregion = us-east-1\n[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n[profile legacy-sso]\nsso_start_url = https://corp.awsapps.com/start\n[profile proc]\ncredential_process = /usr/local/bin/get-creds\n[profile ec2]\nrole_arn = arn:aws:iam::222222222222:role/x\ncredential_source = Ec2InstanceMetadata\n`,
      );
      expect(result.problems).toEqual([
        {
          profile: 'sso-session corp',
          message: '[sso-session corp] (line 7) configures sign-in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; it was skipped, with the profiles that use it.',
        },
        { profile: 'sso', message: 'Profile sso: it signs in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; skipped.' },
        { profile: 'legacy-sso', message: 'Profile legacy-sso: it signs in with AWS IAM Identity Center (SSO), which AWS Auth Tray does not handle; skipped.' },
        { profile: 'proc', message: 'Profile proc: it already gets credentials from credential_process; skipped.' },
        { profile: 'ec2', message: 'Profile ec2: it uses credential_source = Ec2InstanceMetadata, which only works on AWS compute (EC2, ECS), not on a desktop; skipped.' },
      ]);
      expect(result.sources).toEqual([]);
      expect(result.profiles).toEqual([]);
    });

    it('temporary keys (aws_session_token) for a source are a problem naming the profile', async () => {
      const result = await load(SECURITY, `[security]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\naws_session_token = IQoJb3JpZ2luX2VjEXAMPLE\n`);
      expect(result.problems).toEqual([
        { profile: 'security', message: "Profile security: its keys are temporary (aws_session_token is set); import your IAM user's long-term keys instead." },
      ]);
      expect(result.profiles).toEqual([]);
      expect(JSON.stringify(result)).not.toContain('IQoJb3JpZ2luX2VjEXAMPLE');
    });

    /* Regression: a refused source profile was once still registered when a role profile named it. */
    it('a source whose keys are temporary does not count as having (long-term) keys, even when a role profile uses it', async () => {
      const result = await load(
        `${SECURITY}[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n`,
        `[security]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\naws_session_token = IQoJb3JpZ2luX2VjEXAMPLE\n`,
      );
      expect(messages(result)).toContain("Profile security: its keys are temporary (aws_session_token is set); import your IAM user's long-term keys instead.");
      expect(result.sources.find((s) => s.name === 'security')?.hasKeys ?? false).toBe(false);
    });

    /* Regression: a refused mfa_serial was once adopted through a role profile. */
    it('a source whose mfa_serial was refused does not carry that serial, even when a role profile uses it', async () => {
      const result = await load('[profile security]\nmfa_serial = alice\n[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n');
      const refused = 'mfa_serial "alice" is not an MFA device ARN (arn:aws:iam::123456789012:mfa/alice) or a hardware token\'s serial number (9 to 256 letters, digits and + = / : , . @ _ -).';
      expect(messages(result)).toEqual([`Profile security: ${refused}`, `Profile dev: its source_profile security cannot be used: ${refused}`]);
      expect(result.sources).toEqual([]);
      expect(result.profiles).toEqual([]);
    });
  });

  it('a config file that does not exist is `config-missing`', async () => {
    const configFile = join(dir, 'no-such-config');
    const error = await importAwsConfig({ configFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({ code: 'config-missing', message: `There is no AWS config file at ${configFile}. Give the path of your config file, e.g. ~/.aws/config.` });
  });

  it('never writes to the files it reads', async () => {
    const config = `${SECURITY}[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n`;
    await load(config, SECURITY_KEYS);
    expect(readFileSync(join(dir, 'config'), 'utf8')).toBe(config);
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toBe(SECURITY_KEYS);
  });
});

describe('readCredentialsProfile', () => {
  const write = (text: string): string => {
    const file = join(dir, 'credentials');
    writeFileSync(file, text);
    return file;
  };

  it('reads long-term keys of one profile', async () => {
    expect(await readCredentialsProfile(REFERENCE_CREDENTIALS, 'security')).toEqual({
      accessKeyId: 'AKIAWL6CCIORC6IWFMCG',
      secretAccessKey: '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',
    });
    const file = write(`[default]\naws_access_key_id = AKIADEFAULTEXAMPLE00\naws_secret_access_key = other\n${SECURITY_KEYS}`);
    expect(await readCredentialsProfile(file, 'security')).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
    expect(await readCredentialsProfile(file, 'default')).toEqual({ accessKeyId: 'AKIADEFAULTEXAMPLE00', secretAccessKey: 'other' });
  });

  it('a missing profile is `credentials-profile-missing`', async () => {
    const file = write(SECURITY_KEYS);
    await expect(readCredentialsProfile(file, 'prod')).rejects.toMatchObject({ code: 'credentials-profile-missing', message: `${file} has no [prod] profile.` });
  });

  it('temporary credentials are `credentials-temporary`, without the token or secret in the sentence', async () => {
    const file = write(`[security]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\naws_session_token = IQoJb3JpZ2luX2VjEXAMPLE\n`);
    const error = await readCredentialsProfile(file, 'security').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({
      code: 'credentials-temporary',
      message: `[security] in ${file} holds temporary credentials (aws_session_token); import your IAM user's long-term access key instead.`,
    });
    expect((error as Error).message).not.toContain(SECRET);
  });

  it.each([
    ['no secret', '[security]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n'],
    ['no key id', `[security]\naws_secret_access_key = ${SECRET}\n`],
    ['nothing', '[security]\nregion = us-east-1\n'],
  ])('incomplete keys (%s) are `credentials-incomplete`', async (_label, text) => {
    const file = write(text);
    await expect(readCredentialsProfile(file, 'security')).rejects.toMatchObject({
      code: 'credentials-incomplete',
      message: `[security] in ${file} needs both aws_access_key_id and aws_secret_access_key.`,
    });
  });

  it('a missing file is `credentials-missing`', async () => {
    const file = join(dir, 'nope');
    await expect(readCredentialsProfile(file, 'security')).rejects.toMatchObject({ code: 'credentials-missing', message: `There is no AWS credentials file at ${file}.` });
  });
});

describe('applyConfigImport into a real vault', () => {
  const openVault = (): Vault => Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('correct horse battery staple', header?.salt, FAST)).vault;

  it('creates identities without keys and reports them; adds every profile', async () => {
    const vault = openVault();
    const result = await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG, credentialsFile: REFERENCE_CREDENTIALS }));
    const security = vault.identity('security');
    expect(result).toEqual({
      identitiesCreated: ['security'],
      identitiesMatched: [],
      profilesAdded: ['security', 'dev', 'stage', 'prod', 'shared-services'],
      profilesUpdated: [],
      identitiesWithoutKeys: ['security'],
      keysImported: [],
      problems: [],
      identityBySource: { security: security?.id },
      changes: 6,
    });
    expect(security).toMatchObject({ label: 'security', accessKeyId: undefined, hasSecret: false, mfaSerial: ALICE_DEVICE, region: 'us-east-1' });
    expect(vault.profiles().map((p) => [p.name, p.identityId, p.origin, p.roleArn])).toEqual([
      ['security', security?.id, 'aws-config', undefined],
      ['dev', security?.id, 'aws-config', 'arn:aws:iam::222222222222:role/engineer'],
      ['stage', security?.id, 'aws-config', 'arn:aws:iam::333333333333:role/engineer'],
      ['prod', security?.id, 'aws-config', 'arn:aws:iam::444444444444:role/read-only'],
      ['shared-services', security?.id, 'aws-config', 'arn:aws:iam::555555555555:role/platform/deployer'],
    ]);
    expect(vault.profile('shared-services')).toMatchObject({ externalId: 'aws-auth-tray-demo', region: 'us-east-1', mfaMode: 'mfa-session' });
  });

  it('passes the problems through and skips profiles whose source was refused', async () => {
    const vault = openVault();
    const imported = await load('[profile dev]\nsource_profile = nope\nrole_arn = arn:aws:iam::222222222222:role/x\n');
    const result = await applyConfigImport(vault, imported);
    expect(result.problems).toEqual(imported.problems);
    expect(result.profilesAdded).toEqual([]);
    expect(vault.identities()).toEqual([]);
  });

  it('re-import updates the profiles and matches the identity by label, keeping its keys', async () => {
    const vault = openVault();
    await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    const security = vault.identity('security');
    await vault.updateIdentity(security?.id ?? '', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });

    const result = await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    expect(result).toEqual({
      identitiesCreated: [],
      identitiesMatched: ['security'],
      profilesAdded: [],
      profilesUpdated: ['security', 'dev', 'stage', 'prod', 'shared-services'],
      identitiesWithoutKeys: [],
      keysImported: [],
      problems: [],
      identityBySource: { security: security?.id },
      // Nothing changed: nothing is written.
      changes: 0,
    });
    expect(vault.identities()).toHaveLength(1);
    expect((await vault.longTermKeys(security?.id ?? '')).secretAccessKey).toBe(SECRET);
  });

  it('matches an existing identity by MFA device when the label differs, and points the profiles at it', async () => {
    const vault = openVault();
    const alice = await vault.addIdentity({ label: 'alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET, mfaSerial: ALICE_DEVICE });
    const result = await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    expect(result).toMatchObject({ identitiesCreated: [], identitiesMatched: ['alice'], identitiesWithoutKeys: [] });
    expect(vault.identities().map((i) => i.label)).toEqual(['alice']);
    expect(new Set(vault.profiles().map((p) => p.identityId))).toEqual(new Set([alice.id]));
    // The matched identity gains the region it lacked; its label stays.
    expect(vault.identity(alice.id)).toMatchObject({ label: 'alice', region: 'us-east-1', mfaSerial: ALICE_DEVICE });
  });

  it('a matched identity without a device gains the imported one', async () => {
    const vault = openVault();
    await vault.addIdentity({ label: 'security', region: 'eu-central-1' });
    const result = await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    expect(result.identitiesMatched).toEqual(['security']);
    expect(result.identitiesWithoutKeys).toEqual(['security']);
    expect(vault.identity('security')).toMatchObject({ mfaSerial: ALICE_DEVICE, region: 'eu-central-1' });
  });
});

// ---- issue 9, part 3: the files read as the AWS CLI reads them ----

const KEYS_FOR = (profile: string): string => `[${profile}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`;
const DEV = '[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/engineer\n';

describe('profile headers the AWS CLI reads', () => {
  it.each([['[profile security ]'], ['[profile  security]'], ['[profile\tsecurity\t]']])(
    '%s is profile security, so the identity keeps its MFA device and login cannot skip the code',
    async (header) => {
      const result = await load(`${header}\nmfa_serial = ${ALICE_DEVICE}\nregion = us-east-1\n${DEV}`, SECURITY_KEYS);
      expect(result.problems).toEqual([]);
      expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: true }]);
      expect(names(result)).toEqual(['security', 'dev']);
    },
  );

  it('[profile "quoted name"] is named in a sentence, not dropped without a word', async () => {
    const result = await load(`${SECURITY}[profile "quoted name"]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n[profile "prod"]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/x\n`);
    expect(result.problems).toEqual([
      {
        profile: 'quoted name',
        message:
          'Profile "quoted name": this name cannot be a profile name in AWS Auth Tray (letters, digits and . _ + @ -, starting with a letter or digit, up to 64); rename it, e.g. to quoted-name.',
      },
    ]);
    // Quotes around a plain name are only quotes, as for the AWS CLI.
    expect(names(result)).toEqual(['security', 'prod']);
  });

  it('[Profile dev], [profiledev], [profile a b] and [profile "open] are each named in a sentence: the AWS CLI does not read them as profiles', async () => {
    const role = 'source_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n';
    const result = await load(`${SECURITY}[Profile dev]\n${role}[profiledev]\n${role}[profile a b]\n${role}[profile "open]\n${role}`);
    expect(messages(result)).toEqual([
      '[Profile dev] (line 4) looks like a profile but is not one for the AWS CLI, which reads only [default] and [profile name], written exactly so (lower case, nothing before them). It was skipped.',
      '[profiledev] (line 7) is not a profile for the AWS CLI: there is no space between "profile" and the name. It was skipped.',
      '[profile a b] (line 10) is not a profile for the AWS CLI: the name has spaces; quote it, e.g. [profile "my name"]. It was skipped.',
      '[profile "open] (line 13) is not a profile for the AWS CLI: its quotes are not closed. It was skipped.',
    ]);
    expect(names(result)).toEqual(['security']);
  });

  it('[default] and [profile default] are one profile: the later section wins whole, with a sentence', async () => {
    const result = await load('[default]\nmfa_serial = arn:aws:iam::111111111111:mfa/first\n[profile default]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111111111111:mfa/second\n', KEYS_FOR('default'));
    expect(result.sources).toEqual([{ name: 'default', mfaSerial: 'arn:aws:iam::111111111111:mfa/second', region: 'eu-west-1', hasKeys: true }]);
    expect(messages(result)).toEqual([
      'Profile default: [default] (line 1) and [profile default] (line 3) are the same profile; the AWS CLI uses only the later one, and so does AWS Auth Tray. Remove one of them.',
    ]);
  });

  it('text after a value is part of the value (the AWS CLI has no inline comments): the region is refused with a sentence', async () => {
    const result = await load(`${SECURITY}${DEV}region = eu-west-1 # Ireland\n`);
    expect(messages(result)).toEqual(['Profile dev: region = "eu-west-1 # Ireland" is not an AWS region name like eu-west-1.']);
  });

  it('[DEFAULT] gives its settings to every section, as Python\'s configparser does, and says so', async () => {
    const result = await load(`[DEFAULT]\nmfa_serial = ${ALICE_DEVICE}\n[profile security]\nregion = us-east-1\n${DEV}`, SECURITY_KEYS);
    expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: true }]);
    expect(messages(result)[0]).toMatch(/^\[DEFAULT\] \(line 1\): the AWS CLI gives its settings to every section of .* that lacks them/);
  });
});

describe('files the AWS CLI refuses are refused whole ("Unable to parse config file")', () => {
  const refused = async (config: string, credentials?: string): Promise<UserFacingError> => {
    const error = await load(config, credentials).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    return error as UserFacingError;
  };

  it('a file with a syntax error is refused with a sentence naming the line, not imported with per-profile warnings', async () => {
    const error = await refused(`${SECURITY}region us-east-1\n${DEV}`);
    expect(error.code).toBe('config-syntax');
    expect(error.message).toBe(
      `The AWS config file ${join(dir, 'config')} has syntax errors, so the AWS CLI refuses it as a whole ("Unable to parse config file") and nothing was imported: line 4: neither a [section] header nor a key = value line. Fix the file and import again.`,
    );
  });

  it.each([
    ['a section twice', `${SECURITY}${DEV}[profile security]\nregion = eu-west-1\n`, 'line 7: this [section] appears a second time'],
    ['a key twice', `${SECURITY}region = eu-west-1\n`, 'line 4: this key appears a second time in its section'],
    ['a line before the first section', `region = us-east-1\n${SECURITY}`, 'line 1: a line before the first [section]'],
    ['a nested block line without "="', `${SECURITY}s3 =\n  addressing_style\n`, 'line 1: in the section starting here, the nested block under "s3" has a line without "="'],
    ['a value without a key', `${SECURITY}= us-east-1\n`, 'line 4: a value without a key'],
  ])('%s', async (_label, config, where) => {
    const error = await refused(config);
    expect(error.code).toBe('config-syntax');
    expect(error.message).toContain(where);
  });

  it('a byte-order mark (Notepad\'s "UTF-8 with BOM") is refused with a sentence saying how to save the file', async () => {
    const error = await refused(`\ufeff${SECURITY}`);
    expect(error).toMatchObject({ code: 'config-syntax' });
    expect(error.message).toContain('starts with a byte-order mark');
  });

  it('text that is not UTF-8 is refused with a sentence', async () => {
    const configFile = join(dir, 'config');
    writeFileSync(configFile, Buffer.from([0x5b, 0x64, 0x65, 0x66, 0x61, 0x75, 0x6c, 0x74, 0x5d, 0x0a, 0xff, 0x3d, 0x31, 0x0a]));
    await expect(importAwsConfig({ configFile })).rejects.toMatchObject({ code: 'config-syntax', message: expect.stringContaining('is not UTF-8 text') as unknown });
  });

  it('a credentials file with a syntax error refuses the import too, without showing the broken line (it may hold a secret)', async () => {
    const error = await refused(SECURITY, `[security]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key ${SECRET}\n`);
    expect(error.code).toBe('credentials-syntax');
    expect(error.message).toContain('line 3: neither a [section] header nor a key = value line');
    expect(error.message).not.toContain(SECRET);
  });

  it('a directory given as the config file is refused with a sentence, not imported as nothing', async () => {
    const error = await importAwsConfig({ configFile: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config-not-a-file', message: `${dir} is a directory, not an AWS config file. Give the path of the file itself, e.g. ~/.aws/config.` });
  });

  it.skipIf(process.platform === 'win32')('a named pipe given as the config file is refused with a sentence, without waiting for a writer', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await importAwsConfig({ configFile: fifo }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config-not-a-file', message: `${fifo} is a device, pipe or socket, not an AWS config file. Give the path of the file itself, e.g. ~/.aws/config.` });
  });

  it('a directory given as the credentials file is refused with a sentence', async () => {
    writeFileSync(join(dir, 'config'), SECURITY);
    const error = await importAwsConfig({ configFile: join(dir, 'config'), credentialsFile: tmpdir() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'credentials-not-a-file' });
  });
});

describe('the identity is the profile with the keys, at the end of the source_profile chain, whatever the order', () => {
  /** aws-vault users' "mixin": source_profile + mfa_serial, no role, written before the real source. */
  const MIXIN_FIRST = `[profile with-mfa]\nsource_profile = security\nmfa_serial = ${ALICE_DEVICE}\nregion = eu-west-1\n[profile dev]\nsource_profile = with-mfa\nrole_arn = arn:aws:iam::222222222222:role/engineer\n[profile security]\nregion = us-east-1\n[profile prod]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/admin\n`;

  it('a mixin (source_profile + mfa_serial) before the real source profile does not become the identity', async () => {
    const result = await load(MIXIN_FIRST, SECURITY_KEYS);
    expect(result.problems).toEqual([]);
    expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, region: 'us-east-1', hasKeys: true }]);
    expect(result.profiles.map((p) => [p.name, p.source])).toEqual([
      ['with-mfa', 'security'],
      ['dev', 'security'],
      ['security', 'security'],
      ['prod', 'security'],
    ]);
  });

  it('importing it ties every profile to the identity security and imports security\'s keys into it', async () => {
    const vault = Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('correct horse battery staple', header?.salt, FAST)).vault;
    const imported = await load(MIXIN_FIRST, SECURITY_KEYS);
    const result = await applyConfigImport(vault, imported, { keys: await longTermKeysReader({ configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') }) });
    const security = vault.identity('security');
    expect(vault.identities().map((i) => i.label)).toEqual(['security']);
    expect(new Set(vault.profiles().map((p) => p.identityId))).toEqual(new Set([security?.id]));
    expect(result).toMatchObject({ keysImported: ['security'], identitiesWithoutKeys: [] });
    expect(await vault.longTermKeys(security?.id ?? '')).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET });
  });

  it('an identity without keys is reported once, however many sources and profiles lead to it', async () => {
    const vault = Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('correct horse battery staple', header?.salt, FAST)).vault;
    const result = await applyConfigImport(vault, await load(MIXIN_FIRST));
    expect(result.identitiesWithoutKeys).toEqual(['security']);
  });

  it('two sources of one file with the same MFA device do not fold into one identity', async () => {
    const vault = Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('correct horse battery staple', header?.salt, FAST)).vault;
    const result = await applyConfigImport(vault, await load(`${SECURITY}[profile old-keys]\nmfa_serial = ${ALICE_DEVICE}\n`));
    expect(result.identitiesCreated).toEqual(['security', 'old-keys']);
    expect(vault.profile('old-keys')?.identityId).toBe(vault.identity('old-keys')?.id);
  });

  it('a source_profile chain through mixins deeper than 32 profiles is answered with a sentence', async () => {
    const chain = Array.from({ length: 40 }, (_, i) => `[profile m${i}]\nsource_profile = m${i + 1}\n`).join('');
    await expect(load(`${chain}[profile m40]\nmfa_serial = ${ALICE_DEVICE}\n`)).rejects.toMatchObject({ code: 'config-chain-too-deep' });
  });
});

describe('hostile sizes: linear resolution, caps that answer with a sentence', () => {
  it('a 5,000-deep include_profile chain is answered with a sentence (no quadratic walk: the time limit is the bound)', { timeout: 20_000 }, async () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `[profile p${i}]\ninclude_profile = p${i + 1}\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/r${i}\n`).join('');
    const error = await load(`${SECURITY}${chain}[profile p5000]\nregion = eu-west-1\n`).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'config-chain-too-deep',
      message: 'Profile p4968 starts an include_profile chain of more than 32 profiles; no real config needs that many, so nothing was imported. Shorten the chain (include_profile the profile with the settings directly).',
    });
  });

  it('resolution is linear: 2,000 profiles that all include one 30-deep chain resolve (the time limit is the bound)', { timeout: 20_000 }, async () => {
    const chain = Array.from({ length: 30 }, (_, i) => `[profile base${i}]\ninclude_profile = base${i + 1}\n`).join('');
    const roles = Array.from({ length: 1_960 }, (_, i) => `[profile r${i}]\ninclude_profile = base0\nrole_arn = arn:aws:iam::222222222222:role/r${i}\n`).join('');
    const result = await load(`${SECURITY}${chain}[profile base30]\nsource_profile = security\nregion = eu-west-1\n${roles}`);
    expect(result.problems).toEqual([]);
    expect(result.profiles.find((p) => p.name === 'r1959')).toEqual({ name: 'r1959', source: 'security', roleArn: 'arn:aws:iam::222222222222:role/r1959', region: 'eu-west-1' });
  });

  it('a 200,000-profile file is refused with a sentence before anything is written', { timeout: 20_000 }, async () => {
    const huge = Array.from({ length: 200_000 }, (_, i) => `[profile p${i}]\nsource_profile=security\n`).join('');
    const error = await load(`${SECURITY}${huge}`).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'config-too-many-sections',
      message: `The AWS config file ${join(dir, 'config')} has 200,001 sections; AWS Auth Tray imports from files of up to 10,000. Check that it is the right file, or import a smaller file with the profiles you use.`,
    });
  });

  it('a file larger than 8 MiB is refused with a sentence, unread', async () => {
    const error = await load(`${SECURITY}# ${'x'.repeat(8 * 1024 * 1024)}\n`).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'config-too-large',
      message: `The AWS config file ${join(dir, 'config')} is larger than 8 MiB, far more than any real one; AWS Auth Tray does not import it. Check that it is the right file.`,
    });
  });

  it('more than 10,000 sections are refused with a sentence', { timeout: 10_000 }, async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => `[profile p${i}]\n`).join('');
    const error = await load(many).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'config-too-many-sections',
      message: `The AWS config file ${join(dir, 'config')} has 10,001 sections; AWS Auth Tray imports from files of up to 10,000. Check that it is the right file, or import a smaller file with the profiles you use.`,
    });
  });

  it('more than 2,000 profiles to import are refused with a sentence', { timeout: 10_000 }, async () => {
    const roles = Array.from({ length: 2_001 }, (_, i) => `[profile r${i}]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/r\n`).join('');
    await expect(load(`${SECURITY}${roles}`)).rejects.toMatchObject({ code: 'config-too-many-profiles' });
  });

  it('lines with millions of spaces inside are read in linear time (no backtracking regular expression; the time limit is the bound)', { timeout: 20_000 }, async () => {
    const spaces = ' '.repeat(3_000_000);
    const result = await load(`${SECURITY}[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\nregion = eu-west-1${spaces}x\n`);
    expect(messages(result)).toEqual([`Profile dev: region = "eu-west-1${' '.repeat(68)}..." is not an AWS region name like eu-west-1.`]);
    const error = await load(`${SECURITY}key${spaces}value\n`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'config-syntax' });
  });

  it('a loop through thousands of profiles is named in a short sentence', { timeout: 10_000 }, async () => {
    const ring = Array.from({ length: 3_000 }, (_, i) => `[profile p${i}]\ninclude_profile = p${(i + 1) % 3_000}\n`).join('');
    const result = await load(ring);
    expect(result.problems).toHaveLength(3_000);
    expect(result.problems[0]?.message).toBe('Profile p0: include_profile loops: p0 → p1 → p2 → p3 → ... → p2998 → p2999 → p0 (3,001 profiles). Remove one of the include_profile lines.');
  });
});

describe('every value is validated at import', () => {
  const role = (lines: string): string => `${SECURITY}[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n${lines}\n`;

  it.each(['us-gov-west-1', 'cn-northwest-1', 'us-isob-east-1', 'eusc-de-east-1', 'ap-southeast-4', 'il-central-1'])('accepts the region %s', async (region) => {
    const result = await load(role(`region = ${region}`));
    expect(result.problems).toEqual([]);
  });

  it.each(['EU-WEST-1', 'eu_west_1', 'local', 'eu-west', 'us-east-1.amazonaws.com', 'eu-west-1;', ''])('refuses the region "%s" with a sentence', async (region) => {
    const result = await load(role(`region = ${region}`));
    expect(messages(result)).toEqual([
      region === '' ? 'Profile dev: region is empty; give it a value or remove the line.' : `Profile dev: region = "${region}" is not an AWS region name like eu-west-1.`,
    ]);
  });

  it('refuses control characters in names, regions, ARNs and session names, and never prints them raw', async () => {
    const result = await load(
      `${SECURITY}[profile "evil\u001b[31m"]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\n` +
        `[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/x\nregion = eu-west-1\u001b]0;pwned\u0007\n` +
        `[profile stage]\nsource_profile = security\nrole_arn = arn:aws:iam::333333333333:role/x\nrole_session_name = alice\u0000root\n` +
        `[profile prod]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/x\u0008\n` +
        `[profile ops]\nsource_profile = security\u200e\nrole_arn = arn:aws:iam::555555555555:role/x\n`,
    );
    expect(names(result)).toEqual(['security']);
    expect(messages(result)).toEqual([
      'Profile "evil\\u001b[31m": this name cannot be a profile name in AWS Auth Tray (letters, digits and . _ + @ -, starting with a letter or digit, up to 64); rename it, e.g. to evil-31m.',
      'Profile dev: region = "eu-west-1\\u001b]0;pwned\\u0007" is not an AWS region name like eu-west-1.',
      'Profile stage: role_session_name "alice\\u0000root" must be 2 to 64 characters of letters, digits and + = , . @ -.',
      'Profile prod: role_arn "arn:aws:iam::444444444444:role/x\\u0008" is not a role ARN like arn:aws:iam::123456789012:role/name.',
      `Profile ops: source_profile = security\\u200e names a profile that is in neither ${join(dir, 'config')} nor the credentials file. Add it, or point source_profile at your IAM user's profile.`,
    ]);
    // eslint-disable-next-line no-control-regex -- the point: no raw control character reaches a terminal
    for (const message of messages(result)) expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200e]/);
  });

  it('the vault\'s profile name rule is the import\'s (until the vault schema takes it from profile-values.ts)', () => {
    expect(PROFILE_NAME_RULE.source).toBe(PROFILE_NAME.source);
  });

  it('control and invisible characters are what the checks refuse', () => {
    expect(hasControlCharacters('a\u202eb')).toBe(true);
    expect(hasControlCharacters('eu-west-1')).toBe(false);
  });
});

describe('vault writes', () => {
  /** conf, counting every time the vault file is written. */
  let writes = 0;
  const countingStore: StoreFactory = (options) => {
    const conf = new Conf<VaultDocument>(options);
    return {
      get store() {
        return conf.store;
      },
      set store(doc: VaultDocument) {
        writes += 1;
        conf.store = doc;
      },
    };
  };
  const openCountingVault = (): Vault => {
    writes = 0;
    return Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('correct horse battery staple', header?.salt, FAST), undefined, countingStore).vault;
  };

  it('writes the vault file once for the whole import (six changes), and not at all when the same files are imported again', async () => {
    const vault = openCountingVault();
    const files = { configFile: REFERENCE_CONFIG, credentialsFile: REFERENCE_CREDENTIALS };
    const keys = await longTermKeysReader(files);
    // The cipher's first use writes its check value once; count the import alone.
    await vault.verifyKey();
    writes = 0;
    const first = await applyConfigImport(vault, await importAwsConfig(files), { keys });
    expect([writes, first.changes]).toEqual([1, 6]);
    writes = 0;
    const again = await applyConfigImport(vault, await importAwsConfig(files), { keys });
    expect([writes, again.changes]).toEqual([0, 0]);
    expect(again.keysImported).toEqual(['security']);
  });

  it('stops before its next write when aborted, with a sentence; importing again finishes the job', async () => {
    const vault = openCountingVault();
    const imported = await importAwsConfig({ configFile: REFERENCE_CONFIG });
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const error = await applyConfigImport(vault, imported, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigImportInterrupted);
    expect(error).toMatchObject({ code: 'import-interrupted', reason: 'SIGTERM', message: 'The import was stopped after 0 of up to 6 changes to the vault; what was written is consistent. Run import-config again to finish.' });
    expect(writes).toBe(0);
    const result = await applyConfigImport(vault, imported);
    expect(result.profilesAdded).toEqual(['security', 'dev', 'stage', 'prod', 'shared-services']);
  });

  it('keeps how a profile signs in (mfaMode, the user\'s choice) when the file is imported again', async () => {
    const vault = openCountingVault();
    await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    const dev = vault.profile('dev');
    if (!dev) throw new Error('no dev profile');
    vault.upsertProfile({ ...dev, mfaMode: 'direct' });
    writes = 0;
    await applyConfigImport(vault, await importAwsConfig({ configFile: REFERENCE_CONFIG }));
    expect(vault.profile('dev')?.mfaMode).toBe('direct');
    expect(writes).toBe(0);
  });
});

describe('aws-auth-tray import-config (the built command line)', () => {
  let cli: CliSandbox;
  beforeEach(() => {
    cli = cliSandbox('http://127.0.0.1:9');
  });
  afterEach(() => cli.cleanup());

  const files = (config: string, credentials?: string): string[] => {
    writeFileSync(join(cli.home, 'config'), config);
    if (credentials !== undefined) writeFileSync(join(cli.home, 'credentials'), credentials);
    return ['import-config', join(cli.home, 'config'), '--credentials-file', join(cli.home, credentials === undefined ? 'empty' : 'credentials')];
  };

  it('a file with a syntax error: exit 1 and one sentence, nothing imported', async () => {
    const out = await cli.run(files(`${SECURITY}region us-east-1\n${DEV}`));
    expect(out).toMatchObject({ exitCode: 1, stdout: '' });
    expect(out.stderr).toMatch(/^aws-auth-tray: The AWS config file .* has syntax errors, so the AWS CLI refuses it as a whole \("Unable to parse config file"\) and nothing was imported: line 4: .*\n$/);
    expect((await cli.run(['list'])).stdout).toContain('is empty');
  });

  it('a directory as the file: exit 1 and a sentence', async () => {
    const out = await cli.run(['import-config', cli.home]);
    expect(out).toMatchObject({ exitCode: 1, stderr: `aws-auth-tray: ${cli.home} is a directory, not an AWS config file. Give the path of the file itself, e.g. ~/.aws/config.\n` });
  });

  it('a mixin before the source, with --import-keys: everything on identity security, its keys imported, no warning', async () => {
    const out = await cli.run([
      ...files(`[profile with-mfa]\nsource_profile = security\nmfa_serial = ${ALICE_DEVICE}\n${DEV}[profile security]\nregion = us-east-1\n`, SECURITY_KEYS),
      '--import-keys',
    ]);
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(out.stdout).toBe(`Imported from ${join(cli.home, 'config')}:\n  profiles added: with-mfa, dev, security\n  identities created: security\n  access keys imported for: security\n`);
  });

  it('without --import-keys, the identity without keys is reported once', async () => {
    const out = await cli.run(files(`[profile with-mfa]\nsource_profile = security\nmfa_serial = ${ALICE_DEVICE}\n${DEV}[profile security]\nregion = us-east-1\n`, SECURITY_KEYS));
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('Identity "security" has no access keys yet: run import-config again with --import-keys, or aws-auth-tray add-user --label security\n');
  });

  it('prints the first 50 problems and counts the rest (a hostile file can have thousands)', async () => {
    const broken = Array.from({ length: 60 }, (_, i) => `[profile r${i}]\nsource_profile = nope\nrole_arn = arn:aws:iam::222222222222:role/r\n`).join('');
    const out = await cli.run(files(broken));
    expect(out.exitCode).toBe(0);
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[50]).toBe('... and 10 more problems like these (60 in all).');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s during an import of 2,000 profiles: a sentence and exit %i, or the import already done; never a half-written vault', { timeout: 30_000 }, async (signalName, exitCode) => {
    // The whole import is one vault write now, so the signal may arrive before, during or after
    // the work: each outcome must leave a vault that opens and holds either none or all of it.
    const roles = Array.from({ length: 1_999 }, (_, i) => `[profile r${i}]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/r${i}\n`).join('');
    const args = files(`${SECURITY}${roles}`);
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env: cli.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    // Signal once the vault exists (its passphrase check is written before the import).
    while (!existsSync(join(cli.vaultDir, 'vault.json'))) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill(signalName);
    const { code, signal } = await exited;
    const stopped = code === exitCode && /^aws-auth-tray: The import was stopped after \d+ of up to 2001 changes to the vault; what was written is consistent\. Run import-config again to finish\.\n$/.test(stderr);
    const finished = code === 0 || (code === null && signal === signalName);
    expect(stopped || finished, JSON.stringify({ code, signal, stderr })).toBe(true);
    const listed = await cli.run(['list', '--json']);
    expect(listed.exitCode).toBe(0);
    const profiles = (JSON.parse(listed.stdout) as { profiles: unknown[] }).profiles;
    if (stopped) expect(profiles.length).toBeLessThan(2_000);
    else expect([0, 2_000]).toContain(profiles.length);
  });
});
