import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { credentialProcessSection } from '../../core/exports/credential-process-config.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { UsageError } from '../cli-errors.js';
import { parseCommandArgs, type Command } from '../command.js';
import { printable } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray setup credential-process <profile> [--as <name>] [--write] [--config-file <file>]

Prints the ~/.aws/config section that makes the AWS CLI, the SDKs and every tool built on them
get <profile>'s credentials from aws-auth-tray, on every call and without PATH or npx: it names
this Node.js and this aws-auth-tray by their absolute paths. (npx costs seconds a call; a command
found on PATH breaks when PATH differs, as it does for IDEs and cron.) With the app or
aws-auth-tray serve running, each call takes a few milliseconds and no passphrase.

Options:
  --as <name>          the profile name in the config file (default: <profile>). Use another
                       name when the file already has [profile <profile>], for example the
                       aws-vault style section you imported from: its role_arn or source_profile
                       would win over credential_process.
  --write              append the section to the config file (nothing else in it is changed);
                       refused when the file already has a profile of that name
  --config-file <file> the file to write (default $AWS_CONFIG_FILE, else ~/.aws/config)

Move or reinstall aws-auth-tray (or Node.js) and run this again: the paths are absolute.
`;

/** This command line's bundle (dist/cli/aws-auth-tray.js), which every chunk sits beside. */
function bundlePath(): string {
  const beside = fileURLToPath(new URL('./aws-auth-tray.js', import.meta.url));
  if (existsSync(beside)) return beside;
  // Run from source (tsx): the script that was started.
  return realpathSync(process.argv[1] ?? beside);
}

/** Whether the config file already has a profile of this name, as the AWS CLI reads it. */
async function hasProfile(configFile: string, name: string): Promise<boolean> {
  const { readAwsProfiles } = await import('../../core/profiles/aws-profile-files.js');
  const files = await readAwsProfiles({ configFile });
  return files.profiles.get(name)?.configSection !== undefined;
}

/**
 * Appends atomically (a temporary file renamed over it), keeping the file's mode (0600 when new).
 * A config file that is a symlink (dotfile managers keep ~/.aws/config in a repository) is
 * written where it points, so the link stays a link.
 */
function appendAtomically(path: string, addition: string): void {
  const file = existsSync(path) ? realpathSync(path) : path;
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  const mode = existing === undefined ? 0o600 : statSync(file).mode & 0o777;
  if (existing === undefined) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const separator = existing === undefined || existing === '' ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  const temporary = `${file}.aws-auth-tray-${process.pid}.tmp`;
  writeFileSync(temporary, `${existing ?? ''}${separator}${addition}`, { mode, flag: 'wx' });
  renameSync(temporary, file);
}

export const setup: Command = {
  name: 'setup',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(args, { as: { type: 'string' }, write: { type: 'boolean' }, 'config-file': { type: 'string' } }, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const [what, profile, ...extra] = positionals;
    if (what !== 'credential-process') throw new UsageError(what === undefined ? 'Say what to set up: aws-auth-tray setup credential-process <profile>.' : `There is nothing called "${what}" to set up; try: aws-auth-tray setup credential-process <profile>.`);
    if (!profile || extra.length > 0) throw new UsageError('Name exactly one profile: aws-auth-tray setup credential-process <profile>.');
    if (values['config-file'] !== undefined && !values.write) throw new UsageError('--config-file goes with --write.');

    // The region comes along when this command line's vault knows the profile (no passphrase needed).
    const vault = await ctx.vault();
    const stored = vault.profile(profile);
    if (!stored) ctx.warn(`This command line's vault has no profile "${profile}"; the section works when the running app (or serve) has it.`);
    const region = stored ? (stored.region ?? vault.identity(stored.identityId)?.region) : undefined;
    const sectionName = values.as ?? profile;
    const section = credentialProcessSection({ profile, sectionName, nodePath: process.execPath, bundlePath: bundlePath(), region });

    if (!values.write) {
      io.stdout.write(section);
      return 0;
    }
    const configFile = values['config-file'] ?? ctx.env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
    if (existsSync(configFile) && (await hasProfile(configFile, sectionName))) {
      throw new UserFacingError(
        'profile-exists',
        `${configFile} already has a profile "${sectionName}", so nothing was written: its settings (role_arn, source_profile) would win over credential_process. Write it under another name with --as ${profile}-tray, or replace that section yourself with the lines aws-auth-tray setup credential-process ${profile} prints.`,
      );
    }
    appendAtomically(configFile, `# Added by aws-auth-tray setup credential-process.\n${section}`);
    io.stdout.write(`Added [${sectionName === 'default' ? 'default' : `profile ${printable(sectionName)}`}] to ${printable(configFile)}:\n\n${section}\nTry it: aws sts get-caller-identity --profile ${sectionName}\n`);
    return 0;
  },
};
