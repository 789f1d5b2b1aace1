import { homedir } from 'node:os';
import { join } from 'node:path';
import { applyConfigImport, ConfigImportInterrupted, type ConfigImportResult } from '../../core/profiles/apply-config-import.js';
import { importAwsConfig } from '../../core/profiles/aws-config-import.js';
import { longTermKeysReader } from '../../core/profiles/long-term-keys.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray import-config [file] [options]

Imports profiles from an AWS config file as aws-vault users write it (mfa_serial, role_arn,
source_profile, external_id, role_session_name, duration_seconds, region, include_profile).
The files are read exactly as the AWS CLI reads them: a file it refuses is refused whole.
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

/** Per-profile problems printed before the rest are counted instead (a hostile file can have thousands). */
const PROBLEM_LINES = 50;

const SIGNAL_EXIT: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Applies the import, stopping cleanly on Ctrl-C or SIGTERM: the import lets the event loop turn
 * between vault writes, so the signal is seen at once instead of after the last write.
 */
async function applyInterruptibly(...[vault, imported, options]: Parameters<typeof applyConfigImport>): Promise<ConfigImportResult> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await applyConfigImport(vault, imported, { ...options, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const importConfig: Command = {
  name: 'import-config',
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
    const keys = values['import-keys'] ? await longTermKeysReader({ configFile, credentialsFile }) : undefined;
    const vault = values['import-keys'] ? await ctx.unlock() : await ctx.vault();

    let result: ConfigImportResult;
    try {
      result = await applyInterruptibly(vault, imported, { keys });
    } catch (error) {
      if (!(error instanceof ConfigImportInterrupted)) throw error;
      io.stderr.write(`aws-auth-tray: ${error.message}\n`);
      return SIGNAL_EXIT[String(error.reason)] ?? 1;
    }

    const out: string[] = [`Imported from ${configFile}:`];
    if (result.profilesAdded.length) out.push(`  profiles added: ${result.profilesAdded.join(', ')}`);
    if (result.profilesUpdated.length) out.push(`  profiles updated: ${result.profilesUpdated.join(', ')}`);
    if (result.identitiesCreated.length) out.push(`  identities created: ${result.identitiesCreated.join(', ')}`);
    if (result.keysImported.length) out.push(`  access keys imported for: ${result.keysImported.join(', ')}`);
    if (!result.profilesAdded.length && !result.profilesUpdated.length) out.push('  no profiles to import.');
    io.stdout.write(`${out.join('\n')}\n`);

    for (const problem of result.problems.slice(0, PROBLEM_LINES)) io.stderr.write(`${problem.message}\n`);
    if (result.problems.length > PROBLEM_LINES) {
      io.stderr.write(`... and ${result.problems.length - PROBLEM_LINES} more problems like these (${result.problems.length} in all).\n`);
    }
    for (const label of result.identitiesWithoutKeys) {
      const id = vault.identity(label)?.id;
      const keysInFiles = imported.sources.some((s) => s.hasKeys && result.identityBySource[s.name] === id);
      const how = keysInFiles
        ? `run import-config again with --import-keys, or aws-auth-tray add-user --label ${label}`
        : `run aws-auth-tray add-user --label ${label}`;
      io.stderr.write(`Identity "${label}" has no access keys yet: ${how}\n`);
    }
    return 0;
  },
};
