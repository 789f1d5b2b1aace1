import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { applyConfigImport } from '../../../main/core/profiles/apply-config-import.js';
import { importAwsConfig } from '../../../main/core/profiles/aws-config-import.js';
import { Vault } from '../../../main/core/vault/vault.js';
import { ipcContract } from '../../../main/ipc/ipc-contract.js';

/**
 * A profile's favourite flag and group: stored in the vault, set from the window, read from
 * `aws_auth_tray_group` in ~/.aws/config, validated like other labels, and kept when an import
 * rewrites the profile.
 */
const ALICE_DEVICE = 'arn:aws:iam::111111111111:mfa/alice';
const FAST = { log2N: 14, r: 8, p: 1 } as const;

let dir: string;
let vault: Vault;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-preferences-'));
  vault = Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('a test passphrase', header?.salt, FAST)).vault;
});
afterEach(async () => {
  await vault.flush();
  rmSync(dir, { recursive: true, force: true });
});

async function importText(config: string): Promise<Awaited<ReturnType<typeof applyConfigImport>>> {
  const configFile = join(dir, 'config');
  writeFileSync(configFile, config);
  return applyConfigImport(vault, await importAwsConfig({ configFile, credentialsFile: join(dir, 'no-credentials') }));
}

const CONFIG = (group?: string): string =>
  `[profile security]\nmfa_serial = ${ALICE_DEVICE}\n\n[profile acme-payments-prod]\nsource_profile = security\nrole_arn = arn:aws:iam::200000000001:role/engineer\n${group === undefined ? '' : `aws_auth_tray_group = ${group}\n`}`;

describe('profile preferences', () => {
  it('reads aws_auth_tray_group from the config into the profile', async () => {
    const result = await importText(CONFIG('payments'));
    expect(result.problems).toEqual([]);
    expect(vault.profile('acme-payments-prod')?.group).toBe('payments');
    expect(vault.profile('security')?.group).toBeUndefined();
  });

  it('a group with control characters, or longer than 64, is a problem sentence and the profile comes in without it', async () => {
    const long = 'g'.repeat(65);
    const result = await importText(CONFIG(long));
    expect(result.problems.map((p) => p.message)).toEqual([
      `Profile acme-payments-prod: aws_auth_tray_group = "${long}" is not used: a group is 1 to 64 printable characters without control characters.`,
    ]);
    expect(vault.profile('acme-payments-prod')).toMatchObject({ roleArn: 'arn:aws:iam::200000000001:role/engineer' });
    expect(vault.profile('acme-payments-prod')?.group).toBeUndefined();
  });

  it('sets and clears the favourite flag and the group, without touching the rest of the profile', async () => {
    await importText(CONFIG());
    const before = vault.profile('acme-payments-prod');
    vault.setProfilePreferences('acme-payments-prod', { favourite: true, group: 'payments' });
    expect(vault.profile('acme-payments-prod')).toEqual({ ...before, favourite: true, group: 'payments' });
    vault.setProfilePreferences('acme-payments-prod', { favourite: false });
    expect(vault.profile('acme-payments-prod')).toEqual({ ...before, group: 'payments' });
    vault.setProfilePreferences('acme-payments-prod', { group: null });
    expect(vault.profile('acme-payments-prod')).toEqual(before);
  });

  it('refuses a group with a control character, and a profile that does not exist, with sentences', async () => {
    await importText(CONFIG());
    expect(() => vault.setProfilePreferences('acme-payments-prod', { group: 'pay\u0007ments' })).toThrow(
      'Profile acme-payments-prod: a group is 1 to 64 printable characters without control characters.',
    );
    expect(() => vault.setProfilePreferences('nope', { favourite: true })).toThrow('There is no profile called nope; it may have been removed. Import your config again or add it.');
  });

  it('importing again keeps the favourite and a group set in the window, unless the file sets a group', async () => {
    await importText(CONFIG());
    vault.setProfilePreferences('acme-payments-prod', { favourite: true, group: 'mine' });
    await importText(CONFIG());
    expect(vault.profile('acme-payments-prod')).toMatchObject({ favourite: true, group: 'mine' });
    await importText(CONFIG('payments'));
    expect(vault.profile('acme-payments-prod')).toMatchObject({ favourite: true, group: 'payments' });
  });

  it('survives reopening the vault', async () => {
    await importText(CONFIG());
    vault.setProfilePreferences('acme-payments-prod', { favourite: true, group: 'payments' });
    await vault.flush();
    const reopened = Vault.open(join(dir, 'vault'), (header) => new PassphraseCipher('a test passphrase', header?.salt, FAST)).vault;
    expect(reopened.profile('acme-payments-prod')).toMatchObject({ favourite: true, group: 'payments' });
  });

  it("the window's channel validates the input: a profile name, a boolean, a printable group or null", () => {
    const schema = ipcContract['profile:set-preferences'].input;
    expect(schema.safeParse({ profile: 'acme-payments-prod', favourite: true, group: '  payments  ' })).toMatchObject({ success: true, data: { group: 'payments' } });
    expect(schema.safeParse({ profile: 'acme-payments-prod', group: null }).success).toBe(true);
    expect(schema.safeParse({ profile: '../etc', favourite: true }).success).toBe(false);
    expect(schema.safeParse({ profile: 'dev', favourite: 'yes' }).success).toBe(false);
    expect(schema.safeParse({ profile: 'dev', group: '' }).success).toBe(false);
    expect(schema.safeParse({ profile: 'dev', group: 'a\nb' }).success).toBe(false);
    expect(schema.safeParse({ profile: 'dev', group: 'x'.repeat(65) }).success).toBe(false);
  });
});
