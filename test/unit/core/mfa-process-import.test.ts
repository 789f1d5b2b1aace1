import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { applyConfigImport } from '../../../main/core/profiles/apply-config-import.js';
import { importAwsConfig, type ConfigImport } from '../../../main/core/profiles/aws-config-import.js';
import { Vault } from '../../../main/core/vault/vault.js';
import { TEST_SCRYPT } from '../../support/core-harness.js';

/**
 * aws-vault's `mfa_process` in ~/.aws/config: read from the identity's source profile (or the
 * profiles that sign in through it, when they agree), checked by the rules of
 * mfa-process-command.ts, stored on the identity; a bad one is a problem sentence and the
 * identity comes in without it. The vault refuses a bad one from anywhere else too.
 */
const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
const YKMAN = `ykman oath accounts code --single ${ALICE_DEVICE}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-mfa-process-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function load(config: string): Promise<ConfigImport> {
  const configFile = join(dir, 'config');
  writeFileSync(configFile, config);
  return importAwsConfig({ configFile });
}

function openVault(): Vault {
  return Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('test passphrase', header?.salt, TEST_SCRYPT)).vault;
}

const messages = (result: ConfigImport): string[] => result.problems.map((p) => p.message);

describe('mfa_process in ~/.aws/config', () => {
  it('comes from the source profile, and is stored on the identity (a re-import with another command updates it)', async () => {
    const result = await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\nmfa_process = ${YKMAN}\n\n[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/engineer\n`);
    expect(result.problems).toEqual([]);
    expect(result.sources).toEqual([{ name: 'security', mfaSerial: ALICE_DEVICE, mfaProcess: YKMAN, hasKeys: false }]);
    const vault = openVault();
    await applyConfigImport(vault, result);
    expect(vault.identity('security')).toMatchObject({ mfaProcess: YKMAN });

    const again = await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\nmfa_process = op item get aws --otp\n`);
    await applyConfigImport(vault, again);
    expect(vault.identity('security')?.mfaProcess).toBe('op item get aws --otp');
    // A file without one keeps the command set before (in the app, or by an earlier import).
    await applyConfigImport(vault, await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\n`));
    expect(vault.identity('security')?.mfaProcess).toBe('op item get aws --otp');
  });

  it('comes from the role profiles when the source has none and they agree; when they differ, that is said', async () => {
    const agree = await load(
      `[profile security]\nmfa_serial = ${ALICE_DEVICE}\n\n[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/engineer\nmfa_process = ${YKMAN}\n\n[profile prod]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/read-only\nmfa_process = ${YKMAN}\n`,
    );
    expect(agree.sources[0]?.mfaProcess).toBe(YKMAN);
    const differ = await load(
      `[profile security]\nmfa_serial = ${ALICE_DEVICE}\n\n[profile dev]\nsource_profile = security\nrole_arn = arn:aws:iam::222222222222:role/engineer\nmfa_process = ${YKMAN}\n\n[profile prod]\nsource_profile = security\nrole_arn = arn:aws:iam::444444444444:role/read-only\nmfa_process = other-tool\n`,
    );
    expect(differ.sources[0]?.mfaProcess).toBeUndefined();
    expect(messages(differ)).toEqual(['Profile security: the profiles that use it name different mfa_process commands; set mfa_process on security itself.']);
  });

  it('a command that cannot be run safely is a problem sentence, and the identity comes in without it', async () => {
    const unclosed = await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\nmfa_process = ykman oath accounts code --single "alice\n`);
    expect(unclosed.sources[0]?.mfaProcess).toBeUndefined();
    expect(messages(unclosed)).toEqual([
      'Profile security: mfa_process "ykman oath accounts code --single "alice" has an unclosed quote or ends with a backslash, so it cannot be split into words. It is not imported; the MFA code will be asked for.',
    ]);
    const block = await load(`[profile security]\nmfa_serial = ${ALICE_DEVICE}\nmfa_process =\n  program = ykman\n`);
    expect(block.sources[0]?.mfaProcess).toBeUndefined();
    expect(messages(block)).toEqual(['Profile security: mfa_process is a block of indented settings, not a command; it is not imported.']);
    expect(block.profiles.map((p) => p.name)).toEqual(['security']);
  });

  it('the vault refuses a command or an OATH account the rules refuse, from any writer; an empty one removes it', async () => {
    const vault = openVault();
    const identity = await vault.addIdentity({ label: 'security', mfaSerial: ALICE_DEVICE, mfaProcess: YKMAN, oathAccount: 'Amazon Web Services:alice@111111111111' });
    expect(identity).toMatchObject({ mfaProcess: YKMAN, oathAccount: 'Amazon Web Services:alice@111111111111' });
    await expect(vault.updateIdentity(identity.id, { mfaProcess: 'ykman\nrm -rf ~' })).rejects.toThrow('Identity security: mfa_process contains control characters');
    await expect(vault.updateIdentity(identity.id, { oathAccount: 'x'.repeat(65) })).rejects.toThrow('Identity security: an OATH account name is at most 64 bytes');
    await vault.updateIdentity(identity.id, { mfaProcess: '', oathAccount: '' });
    expect(vault.identity('security')).not.toHaveProperty('mfaProcess');
    expect(vault.identity('security')).not.toHaveProperty('oathAccount');
  });
});
