import { EXPORT_FORMATS, formatCredentials, isExportFormat } from '../../core/exports/credential-exports.js';
import { callingShellFormat } from '../calling-shell.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';
import { printable } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray export <profile> [--format <format>]

Prints the profile's temporary credentials for your shell or tool, from the running AWS Auth Tray
app if there is one, else from the command line's own vault. They last until the role session
expires (1 hour for roles reached from the MFA session); for terminals that never go stale, use
the app's "Copy auto-refresh setup" or aws-auth-tray serve instead.

Formats: ${EXPORT_FORMATS.join(', ')} (default: the shell that runs the command, else $SHELL, else bash)

Examples:
  eval "$(aws-auth-tray export dev)"                      # bash, zsh
  aws-auth-tray export dev --format fish | source         # fish
  aws-auth-tray export dev --format powershell | Invoke-Expression
  aws-auth-tray export dev --format dotenv > .env
`;

export const exportCommand: Command = {
  name: 'export',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: 'string', short: 'f' } }, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const [profile, ...extra] = positionals;
    if (!profile || extra.length > 0) throw new UsageError('Name exactly one profile: aws-auth-tray export <profile>.');
    const format = values.format ?? callingShellFormat(ctx.env);
    if (!isExportFormat(format)) throw new UsageError(`Unknown format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}.`);
    const credentials = await ctx.credentialsFor(profile, new TerminalMfaPrompter(), `aws-auth-tray export ${profile}`);
    // The output is often read on the terminal before it is eval'd: the region (from the app, a
    // config file) is the one value that is not ours; a real one never has a control character.
    io.stdout.write(formatCredentials(format, { ...credentials, region: printable(credentials.region), profile }));
    return 0;
  },
};
