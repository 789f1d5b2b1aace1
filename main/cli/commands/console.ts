import { checkConsoleUrl } from '../../core/console/console-url-allowlist.js';
import { openInDefaultBrowser } from '../../core/console/default-browser.js';
import { FEDERATION_URL_VARIABLE, loopbackFederationOrigins } from '../../core/console/federation-endpoint.js';
import type { ConsoleLinkRequest } from '../../core/endpoint/credential-routes.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { PROFILE_NAME } from '../../core/vault/profile-name.js';
import { nothingToUse, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { ownConsoleLink } from '../console-link.js';
import { printable } from '../terminal-text.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray console <profile> [--print-url] [--destination <path or URL>] [--region <region>]

Opens the AWS console signed in as the profile's role session, in your default browser, as
aws-vault login does: the role session's credentials are exchanged for a sign-in token at AWS's
federation endpoint (signin.aws.amazon.com, signin.amazonaws.cn or signin.amazonaws-us-gov.com,
after the role's partition), and the sign-in link is opened. The console session lasts as long as
the role session (1 hour for roles reached from the MFA session).

While the app (or aws-auth-tray serve) runs, the link comes from it: its MFA session, its popup
if a code is needed, no passphrase here. Otherwise the command line's own vault is used (its
passphrase), and an MFA code is asked on the terminal only if no MFA session is cached. Only role
profiles: for your IAM user's own profile, sign in to the console with your password and MFA.

Options:
  --print-url          print the sign-in link on stdout instead of opening a browser. It signs
                       anyone who has it in (for about 15 minutes): do not paste it anywhere.
  --destination <d>    where the console opens: a path (/ec2/home, s3/buckets) or an https URL on
                       the partition's console (https://eu-west-1.console.aws.amazon.com/...).
                       Default: the console home in the region.
  --region <region>    the console's region (default: the profile's).

With AWS_ENDPOINT_URL_STS on this machine (the local STS emulator), the sign-in goes to the
emulator's /federation on the same address; $${FEDERATION_URL_VARIABLE} names another federation endpoint.
`;

export const consoleCommand: Command = {
  name: 'console',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      { 'print-url': { type: 'boolean' }, destination: { type: 'string' }, region: { type: 'string' } },
      true,
    );
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const [profile, ...extra] = positionals;
    if (!profile || extra.length > 0) throw new UsageError('Name exactly one profile: aws-auth-tray console <profile>.');
    if (!PROFILE_NAME.test(profile)) throw new UserFacingError('profile-missing', `"${printable(profile)}" is not a profile name aws-auth-tray uses (letters, digits, and . _ + @ -).`);
    const request: ConsoleLinkRequest = { region: values.region, destination: values.destination };
    const fromAgent = await ctx.askAgent((agent) => agent.consoleLink(profile, request));
    // The agent's link is checked here too: AWS's sign-in hosts, or the emulator this command line is set up for.
    const url = fromAgent === undefined ? await linkFromOwnVault(ctx, profile, request) : checkConsoleUrl(fromAgent, { extraOrigins: loopbackFederationOrigins(ctx.env) });
    if (values['print-url']) {
      io.stdout.write(`${url}\n`);
      return 0;
    }
    await openInDefaultBrowser(url, { env: ctx.env });
    return 0;
  },
};

async function linkFromOwnVault(ctx: CliContext, profile: string, request: ConsoleLinkRequest): Promise<string> {
  const vault = await ctx.vault();
  if (vault.profiles().length === 0) throw nothingToUse();
  const sessions = await ctx.sessions(new TerminalMfaPrompter());
  return ownConsoleLink({
    vault,
    sessions,
    env: ctx.env,
    profile,
    request,
    credentials: async () => {
      await ctx.unlock();
      return sessions.getCredentials(profile, { requester: ctx.requester(`aws-auth-tray console ${profile}`) });
    },
  });
}
