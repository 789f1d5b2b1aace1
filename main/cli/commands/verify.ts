import { DEFAULT_STS_DEADLINE_MS } from '../../core/sts/sts-deadline.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import type { VerificationReport } from '../../core/verification/verify-accounts.js';
import { STS_DEADLINE_VARIABLE } from '../cli-context.js';
import { EXIT_FAILED } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';
import { expiresIn, table } from '../output-table.js';
import { printable, printableJson } from '../terminal-text.js';

const NO_PROFILES = 'There are no profiles to verify: run aws-auth-tray import-config or add-user first.';

const usage = `Usage: aws-auth-tray verify [profile...] [--json]

Runs sts get-caller-identity in every account (or the profiles named) with the credentials you
would get, all at once (through the running AWS Auth Tray app if there is one), and shows
Account, Arn and UserId with a verdict:
  ok        AWS confirms the account and the kind of identity the profile promises
  MISMATCH  the credentials work but belong to another account or identity
  ERROR     it failed; a sentence on stderr says why and what to do
Asks for an MFA code on the terminal only if no MFA session is cached. A cached session AWS
refuses is dropped and made again once in the same run (a role session from the MFA session,
without a code; an MFA session with one code), so verify reports the account, not a dead session.
Each account may wait on STS ${DEFAULT_STS_DEADLINE_MS / 1000} seconds in all, every request and retry included, typing
excluded ($${STS_DEADLINE_VARIABLE}).

Exit code: 0 when every profile is ok, 1 otherwise.
`;

export const verify: Command = {
  name: 'verify',
  usage,
  async run(args, ctx, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } }, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    let report: VerificationReport | undefined = await ctx.askAgent((agent) => agent.verify(positionals.length ? positionals : undefined));
    if (!report) {
      // What is in the vault is known without its passphrase: say so before asking for one.
      const vault = await ctx.vault();
      if (vault.profiles().length === 0) throw new UserFacingError('no-profiles', NO_PROFILES);
      const unknown = positionals.filter((p) => !vault.profile(p));
      if (unknown.length > 0) {
        ctx.warn(`No such profile: ${unknown.join(', ')}. List them with: aws-auth-tray list`);
        return EXIT_FAILED;
      }
      await ctx.unlock();
      const { verifyAccounts } = await import('../../core/verification/verify-accounts.js');
      report = await verifyAccounts(
        { vault, sessions: await ctx.sessions(new TerminalMfaPrompter()), sts: await ctx.sts() },
        { requester: ctx.requester('aws-auth-tray verify'), ...(positionals.length ? { profiles: positionals } : {}) },
      );
    }
    const failed = report.results.some((r) => r.verdict !== 'ok') || report.results.length === 0;
    if (values.json) {
      io.stdout.write(`${printableJson(report)}\n`);
      return failed ? EXIT_FAILED : 0;
    }
    if (report.results.length === 0) throw new UserFacingError('no-profiles', NO_PROFILES);
    const now = new Date();
    io.stdout.write(
      table(
        ['PROFILE', 'ACCOUNT', 'ARN', 'USERID', 'VERDICT', 'EXPIRES'],
        report.results.map((r) => [r.profile, r.account ?? r.expected.account ?? '', r.arn ?? '', r.userId ?? '', r.verdict === 'ok' ? 'ok' : r.verdict.toUpperCase(), expiresIn(r.expiration, now)]),
      ),
    );
    // The table is the result (stdout); why a row failed is an error sentence (stderr), as for every command.
    for (const r of report.results.filter((x) => x.verdict !== 'ok')) io.stderr.write(`${printable(`${r.profile}: ${r.reason ?? ''}`)}\n`);
    for (const warning of report.warnings) io.stderr.write(`\nWarning: ${printable(warning)}\n`);
    return failed ? EXIT_FAILED : 0;
  },
};
