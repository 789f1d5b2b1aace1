import { normalizeMfaCode, type MfaPromptRequest } from '../../core/sessions/mfa-prompter.js';
import { DEFAULT_STS_DEADLINE_MS } from '../../core/sts/sts-deadline.js';
import { STS_DEADLINE_VARIABLE } from '../cli-context.js';
import { chooseIdentity } from '../choose-identity.js';
import { UsageError } from '../cli-errors.js';
import { GivenCodePrompter, TerminalMfaPrompter, YubikeyMfaPrompter } from '../cli-prompters.js';
import { oathAccountProblem } from '../../core/mfa-codes/oath-accounts.js';
import { parseCommandArgs, type Command } from '../command.js';
import { expiresIn } from '../output-table.js';
import { printable } from '../terminal-text.js';

const usage = `Usage: aws-auth-tray login [--identity <label>] [--mfa-code <code> | --yubikey] [--oath-account <name>]

Signs in: turns one MFA code into a new MFA session (sts get-session-token) that every profile
of the identity uses, with no further codes until it expires. A session cached from before is
replaced, and role sessions derived from it are derived again from the new one. Asks for the
code on the terminal unless --mfa-code is given. An identity with mfa_process (imported from
~/.aws/config) gets its code from that command; when ykman (YubiKey Manager) holds an OATH
account for the MFA device, pressing Enter at the prompt reads the code from the YubiKey.

Options:
  --identity <label>      which identity (default: the only one, else "default")
  --mfa-code <code>       the six digits your device shows now
  --yubikey               read the code from the YubiKey with ykman, without asking
                          (AWS_VAULT_PROMPT=ykman does the same for every command)
  --oath-account <name>   the YubiKey OATH account to read (when several match the device);
                          remembered for the identity

Signing in may wait on STS ${DEFAULT_STS_DEADLINE_MS / 1000} seconds in all, every retry included, typing excluded;
$${STS_DEADLINE_VARIABLE} (milliseconds) sets another limit.
`;

/** Without a terminal `login` cannot ask, and telling the user to run `login` would go in circles. */
function giveTheCode(request: MfaPromptRequest): string {
  return `login needs the code your MFA device (${request.mfaSerial}) shows for ${request.identityLabel}, and there is no terminal to ask on. Give the code on the command line: aws-auth-tray login --mfa-code <code>`;
}

export const login: Command = {
  name: 'login',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, { identity: { type: 'string' }, 'mfa-code': { type: 'string' }, yubikey: { type: 'boolean' }, 'oath-account': { type: 'string' } });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    let code: string | undefined;
    if (values['mfa-code'] !== undefined) {
      code = normalizeMfaCode(values['mfa-code']);
      if (!code) throw new UsageError(`--mfa-code must be the six digits your device shows; got "${values['mfa-code']}".`);
    }
    if (code && values.yubikey) throw new UsageError('Give either --mfa-code or --yubikey, not both.');
    const oathAccount = values['oath-account'];
    const oathProblem = oathAccount === undefined ? undefined : oathAccountProblem(oathAccount);
    if (oathProblem) throw new UsageError(`--oath-account: ${oathProblem}`);
    let identity = chooseIdentity(await ctx.vault(), values.identity, '--identity', 'There is no identity yet: add your IAM user with aws-auth-tray add-user, or import your profiles with aws-auth-tray import-config ~/.aws/config');
    const vault = await ctx.unlock();
    if (oathAccount !== undefined && oathAccount !== identity.oathAccount) {
      // The choice is the identity's from now on (the app's popup and every command use it).
      identity = await vault.updateIdentity(identity.id, { oathAccount });
      io.stderr.write(printable(`The YubiKey OATH account "${oathAccount}" is remembered for ${identity.label}.`) + '\n');
    }
    const prompter = code ? new GivenCodePrompter(code) : values.yubikey ? new YubikeyMfaPrompter({ env: ctx.env }) : new TerminalMfaPrompter({ noTerminal: giveTheCode, env: ctx.env });
    const sessions = await ctx.sessions(prompter);
    // Signing in on purpose always makes a new MFA session: the cached one may be one AWS no longer accepts.
    const session = await sessions.mfaSession(identity, ctx.requester('aws-auth-tray login'), { renew: true });
    io.stdout.write(
      printable(`Signed in as ${identity.label} (${identity.accessKeyId ?? ''}); the MFA session expires ${expiresIn(session.expiration, new Date())} (${session.expiration.toISOString()}).`) + '\n',
    );
    return 0;
  },
};
