import { normalizeMfaCode } from '../../core/sessions/mfa-prompter.js';
import { UsageError } from '../cli-errors.js';
import { GivenCodePrompter, TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';
import { expiresIn } from '../output-table.js';

const usage = `Usage: aws-auth-tray login [--identity <label>] [--mfa-code <code>]

Signs in: turns one MFA code into an MFA session (sts get-session-token) that every profile of
the identity uses, with no further codes until it expires. Asks for the code on the terminal
unless --mfa-code is given.

Options:
  --identity <label>   which identity (default: the only one, else "default")
  --mfa-code <code>    the six digits your device shows now
`;

export const login: Command = {
  name: 'login',
  summary: 'sign in with one MFA code (MFA session for every profile)',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, { identity: { type: 'string' }, 'mfa-code': { type: 'string' } });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    let code: string | undefined;
    if (values['mfa-code'] !== undefined) {
      code = normalizeMfaCode(values['mfa-code']);
      if (!code) throw new UsageError(`--mfa-code must be the six digits your device shows; got "${values['mfa-code']}".`);
    }
    const vault = await ctx.unlock();
    const identities = vault.identities();
    const identity = values.identity ? vault.identity(values.identity) : identities.length === 1 ? identities[0] : vault.identity('default');
    if (!identity) {
      throw new UsageError(
        identities.length === 0
          ? 'There is no identity yet: run aws-auth-tray add-user or import-config first.'
          : `Say which identity with --identity: ${identities.map((i) => i.label).join(', ')}.`,
      );
    }
    const sessions = ctx.sessions(code ? new GivenCodePrompter(code) : new TerminalMfaPrompter());
    const session = await sessions.mfaSession(identity, ctx.requester('aws-auth-tray login'));
    io.stdout.write(`Signed in as ${identity.label} (${identity.accessKeyId ?? ''}); the MFA session expires ${expiresIn(session.expiration, new Date())} (${session.expiration.toISOString()}).\n`);
    return 0;
  },
};
