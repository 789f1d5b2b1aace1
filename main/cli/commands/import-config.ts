import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyConfigImport } from '../../core/profiles/apply-config-import.js';
import { importAwsConfig, readCredentialsProfile } from '../../core/profiles/aws-config-import.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray import-config [file] [options]

Imports profiles from an AWS config file as aws-vault users write it (mfa_serial, role_arn,
source_profile, external_id, role_session_name, duration_seconds, region, include_profile).
Your files are only read, never changed. Importing again updates the profiles.

Arguments:
  file                         default $AWS_CONFIG_FILE or ~/.aws/config

Options:
  --credentials-file <file>    default $AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials
  --import-keys                also copy the source profiles' access keys from the credentials
                               file into the encrypted vault (only when you ask)

Example:
  aws-auth-tray import-config ~/.aws/config --import-keys
`;

export const importConfig: Command = {
  name: 'import-config',
  summary: 'import profiles from ~/.aws/config (aws-vault style)',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(args, { 'credentials-file': { type: 'string' }, 'import-keys': { type: 'boolean' } }, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const configFile = positionals[0] ?? ctx.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
    const credentialsFile = values['credentials-file'] ?? ctx.env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
    const imported = await importAwsConfig({ configFile, credentialsFile });
    const vault = values['import-keys'] ? await ctx.unlock() : ctx.vault();
    const result = await applyConfigImport(vault, imported);

    const keysImported: string[] = [];
    if (values['import-keys']) {
      for (const source of imported.sources.filter((s) => s.hasKeys)) {
        const identity = vault.identity(source.name);
        if (!identity) continue;
        await vault.updateIdentity(identity.id, await readCredentialsProfile(credentialsFile, source.name));
        keysImported.push(source.name);
      }
    }

    const out: string[] = [`Imported from ${configFile}:`];
    if (result.profilesAdded.length) out.push(`  profiles added: ${result.profilesAdded.join(', ')}`);
    if (result.profilesUpdated.length) out.push(`  profiles updated: ${result.profilesUpdated.join(', ')}`);
    if (result.identitiesCreated.length) out.push(`  identities created: ${result.identitiesCreated.join(', ')}`);
    if (keysImported.length) out.push(`  access keys imported for: ${keysImported.join(', ')}`);
    if (!result.profilesAdded.length && !result.profilesUpdated.length) out.push('  no profiles to import.');
    io.stdout.write(`${out.join('\n')}\n`);
    for (const problem of result.problems) io.stderr.write(`${problem.message}\n`);
    const stillWithoutKeys = result.identitiesWithoutKeys.filter((label) => !keysImported.includes(label));
    for (const label of stillWithoutKeys) {
      const source = imported.sources.find((s) => s.name === label);
      const how = source?.hasKeys
        ? `run import-config again with --import-keys, or aws-auth-tray add-user --label ${label}`
        : `run aws-auth-tray add-user --label ${label}`;
      io.stderr.write(`Identity "${label}" has no access keys yet: ${how}\n`);
    }
    return 0;
  },
};
