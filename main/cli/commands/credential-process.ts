import { formatCredentials } from '../../core/exports/credential-exports.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray credential-process <profile>

Prints the profile's credentials as the JSON the AWS CLI and SDKs expect from credential_process
(Version 1). When the AWS Auth Tray app is running it answers (an MFA code, if needed, is asked
for in its popup); otherwise the command line's own vault does, asking on your terminal
(/dev/tty), since the calling tool reads stdout. Put this in ~/.aws/config:

  [profile dev]
  credential_process = aws-auth-tray credential-process dev

Without the app: the vault's passphrase from AWS_AUTH_TRAY_PASSPHRASE, or typed at the prompt.
`;

export const credentialProcess: Command = {
  name: 'credential-process',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(args, {}, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const [profile, ...extra] = positionals;
    if (!profile || extra.length > 0) throw new UsageError('Name exactly one profile: aws-auth-tray credential-process <profile>.');
    const credentials = await ctx.credentialsFor(profile, new TerminalMfaPrompter(), `credential-process ${profile}`);
    io.stdout.write(formatCredentials('json', credentials));
    return 0;
  },
};
