import { randomBytes } from 'node:crypto';
import { startCredentialEndpoint } from '../../core/endpoint/credential-server.js';
import { autoRefreshSetup } from '../../core/exports/auto-refresh-setup.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray serve [--port N] [--profile <name>]

Runs the local credential endpoint without the desktop app (headless machines, WSL): other
terminals point the AWS SDKs and the AWS CLI at it and get fresh credentials on every call;
role sessions renew by themselves, and when an MFA code is needed it is asked for HERE, once
for every terminal waiting. Binds 127.0.0.1 only; needs the token it prints. Ctrl-C stops it.

Options:
  --port <N>         port on 127.0.0.1 (default: a free one)
  --profile <name>   print the setup lines for this profile (default: the first one)
`;

export const serve: Command = {
  name: 'serve',
  summary: 'serve credentials to other terminals on 127.0.0.1 (no desktop needed)',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, { port: { type: 'string' }, profile: { type: 'string' } });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`--port must be a whole number from 0 to 65535; got '${values.port}'.`);
    const vault = await ctx.unlock();
    const profiles = vault.profiles();
    if (profiles.length === 0) throw new UserFacingError('nothing-to-serve', 'There are no profiles to serve yet: run aws-auth-tray import-config or add-user first.');
    const shown = values.profile ?? profiles[0]?.name ?? '';
    if (!vault.profile(shown)) throw new UsageError(`There is no profile "${shown}"; choose one of ${profiles.map((p) => p.name).join(', ')}.`);

    const token = randomBytes(32).toString('base64url');
    let endpoint;
    try {
      endpoint = await startCredentialEndpoint(
        {
          sessions: ctx.sessions(new TerminalMfaPrompter()),
          token: () => token,
          requester: (profile) => ctx.requester(`a terminal using profile ${profile}`),
        },
        port,
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserFacingError('port-in-use', `Port ${port} on 127.0.0.1 is in use; pick another with --port, or leave it out for a free one.`);
      throw error;
    }
    const identity = vault.identity(vault.profile(shown)?.identityId ?? '');
    const region = vault.profile(shown)?.region ?? identity?.region;
    io.stdout.write(
      `AWS Auth Tray credential endpoint on ${endpoint.address} (Ctrl-C stops it). Profiles: ${profiles.map((p) => p.name).join(', ')}.\n` +
        `In another terminal (bash/zsh; change /profiles/${shown} for another profile):\n\n` +
        autoRefreshSetup('bash', { profile: shown, endpoint: endpoint.address, token, region }) +
        `\nfish:\n\n${autoRefreshSetup('fish', { profile: shown, endpoint: endpoint.address, token, region })}` +
        `\nPowerShell:\n\n${autoRefreshSetup('powershell', { profile: shown, endpoint: endpoint.address, token, region })}\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await endpoint.close();
    io.stderr.write('Stopped the credential endpoint.\n');
    return 0;
  },
};
