import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray sign-out

Forgets every MFA session and role session in the vault. Identities, keys and profiles stay;
the next command asks for a new MFA code.
`;

export const signOut: Command = {
  name: 'sign-out',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, {});
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    (await ctx.vault()).clearSessions();
    io.stdout.write('Signed out: every session is forgotten. The next command will ask for an MFA code.\n');
    return 0;
  },
};
