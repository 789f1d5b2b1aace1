import { consoleProfile } from '../../core/console/console-profile.js';
import { consoleSignIn } from '../../core/console/console-sign-in.js';
import { checkConsoleUrl } from '../../core/console/console-url-allowlist.js';
import { openInDefaultBrowser } from '../../core/console/default-browser.js';
import { FEDERATION_URL_VARIABLE } from '../../core/console/federation-endpoint.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { stsDeadlineMs } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray console <profile> [--print-url] [--destination <path or URL>] [--region <region>]

Opens the AWS console signed in as the profile's role session, in your default browser, as
aws-vault login does: the role session's credentials are exchanged for a sign-in token at AWS's
federation endpoint (signin.aws.amazon.com, signin.amazonaws.cn or signin.amazonaws-us-gov.com,
after the role's partition), and the sign-in link is opened. The console session lasts as long as
the role session (1 hour for roles reached from the MFA session).

Uses the command line's own vault (its passphrase), even when the app is running; asks for an MFA
code on the terminal only if no MFA session is cached. Only role profiles: for your IAM user's own
profile, sign in to the console with your password and MFA.

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
    const vault = await ctx.vault();
    if (vault.profiles().length === 0) {
      throw new UserFacingError('no-profiles', 'The command line has no profiles yet: set it up with aws-auth-tray import-config ~/.aws/config.');
    }
    const sessions = await ctx.sessions(new TerminalMfaPrompter());
    // What the profile is, and whether the destination and region fit it, is known without the passphrase.
    const target = consoleProfile(vault, profile, (p, i) => sessions.regionOf(p, i));
    const signIn = await consoleSignIn({
      profile: target,
      region: values.region,
      destination: values.destination,
      env: ctx.env,
      deadlineMs: stsDeadlineMs(ctx.env),
      credentials: async () => {
        await ctx.unlock();
        return sessions.getCredentials(profile, { requester: ctx.requester(`aws-auth-tray console ${profile}`) });
      },
    });
    const url = checkConsoleUrl(signIn.url, { extraOrigins: signIn.endpoint.loopback ? [new URL(signIn.endpoint.url).origin] : [] });
    if (values['print-url']) {
      io.stdout.write(`${url}\n`);
      return 0;
    }
    await openInDefaultBrowser(url, { env: ctx.env });
    return 0;
  },
};
