import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { applyConfigImport } from '../../../main/core/profiles/apply-config-import.js';
import { importAwsConfig, readCredentialsProfile, type ConfigImport } from '../../../main/core/profiles/aws-config-import.js';
import { UserFacingError } from '../../../main/core/user-facing-error.js';
import { Vault } from '../../../main/core/vault/vault.js';

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
      { name: 'security', source: 'security', region: 'us-east-1' },
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
      expect(result.profiles).toEqual([{ name: 'security', source: 'security', roleArn: 'arn:aws:iam::222222222222:role/x' }]);
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
        'Profile dev: mfa_serial "arn:aws:iam::111111111111:user/alice" is neither an MFA device ARN (arn:aws:iam::123456789012:mfa/name) nor a device serial number.',
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
      const refused = 'mfa_serial "alice" is neither an MFA device ARN (arn:aws:iam::123456789012:mfa/name) nor a device serial number.';
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
    expect(result).toEqual({
      identitiesCreated: ['security'],
      identitiesMatched: [],
      profilesAdded: ['security', 'dev', 'stage', 'prod', 'shared-services'],
      profilesUpdated: [],
      identitiesWithoutKeys: ['security'],
      problems: [],
    });
    const security = vault.identity('security');
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
      problems: [],
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
