import { appChannelLocation } from '../../core/endpoint/app-channel-location.js';
import { startAppChannel } from '../../core/endpoint/app-channel-server.js';
import { startCredentialEndpoint, type RunningServer } from '../../core/endpoint/credential-server.js';
import { newTokenMaster, profileToken } from '../../core/endpoint/profile-token.js';
import { AUTO_REFRESH_FORMATS, autoRefreshSetup, type AutoRefreshFormat } from '../../core/exports/auto-refresh-setup.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import type { SessionManager } from '../../core/sessions/session-manager.js';
import type { Vault } from '../../core/vault/vault.js';
import { STANDALONE_VARIABLE, type CliContext } from '../cli-context.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const SHELL_FORMATS = AUTO_REFRESH_FORMATS.filter((f) => f !== 'aws-config');

const usage = `Usage: aws-auth-tray serve [--port N] [--profile <name>] [--rotate-token]
       aws-auth-tray serve --print <profile> [--format ${SHELL_FORMATS.join('|')}]

Does for machines without a desktop (servers, WSL, SSH sessions) what the app does: it keeps
the vault unlocked in this process and serves it two ways.
- The local credential endpoint: other terminals point the AWS SDKs and the AWS CLI at it and
  get fresh credentials on every call. Binds 127.0.0.1 only.
- The command line's channel (the same private socket the app uses, in $XDG_RUNTIME_DIR or a
  0700 folder of yours in the temporary directory): credential-process, export, exec, verify
  and console in your other terminals and SSH sessions ask this serve instead of unlocking the
  vault themselves, so they answer without a passphrase and in a few milliseconds.
Role sessions renew by themselves, and when an MFA code is needed it is asked for HERE, once
for every terminal waiting. Ctrl-C stops it. Only one agent answers the command line: when the
app or another serve already does, this one says so and serves the endpoint only.

Each profile has its own token: a terminal set up for dev can fetch dev and nothing else. The
port and the secret the tokens derive from are kept in the vault, so terminals set up once keep
working when serve restarts.

Options:
  --port <N>          port on 127.0.0.1 (remembered; default: the last one, else a free one)
  --profile <name>    print the setup lines for this profile when starting (default: the first)
  --print <profile>   only print the setup lines for this profile (while serve runs elsewhere)
  --format <shell>    for --print: ${SHELL_FORMATS.join(', ')} (default bash)
  --rotate-token      new tokens for every profile: terminals set up before stop working and
                      are told to copy the setup again
`;

const MASTER_SECRET = 'endpoint-token';

/** The secret every profile's token derives from: kept in the vault, made on first use or on rotation. */
async function tokenMaster(vault: Vault, rotate: boolean): Promise<string> {
  const stored = rotate ? undefined : await vault.secret(MASTER_SECRET);
  if (stored) return stored;
  const master = newTokenMaster();
  await vault.setSecret(MASTER_SECRET, master);
  return master;
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65_535) throw new UsageError(`--port must be a whole number from 1 to 65535; got '${text}'.`);
  return port;
}

export const serve: Command = {
  name: 'serve',
  usage,
  async run(args, ctx, io) {
    const { values } = parseCommandArgs(args, {
      port: { type: 'string' },
      profile: { type: 'string' },
      print: { type: 'string' },
      format: { type: 'string' },
      'rotate-token': { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const requestedPort = parsePort(values.port);
    const format = (values.format ?? 'bash') as AutoRefreshFormat;
    if (!(SHELL_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${SHELL_FORMATS.join(', ')}; got '${values.format ?? ''}'.`);
    if (values.format !== undefined && values.print === undefined) throw new UsageError('--format goes with --print <profile>.');

    const vault = await ctx.unlock();
    const profiles = vault.profiles();
    if (profiles.length === 0) throw new UserFacingError('nothing-to-serve', 'There are no profiles to serve yet: run aws-auth-tray import-config or add-user first.');
    const shown = values.print ?? values.profile ?? profiles[0]?.name ?? '';
    const stored = vault.profile(shown);
    if (!stored) throw new UsageError(`There is no profile "${shown}"; choose one of ${profiles.map((p) => p.name).join(', ')}.`);
    const region = stored.region ?? vault.identity(stored.identityId)?.region;
    const master = await tokenMaster(vault, values['rotate-token'] === true);
    const setup = (address: string, f: AutoRefreshFormat): string => autoRefreshSetup(f, { profile: shown, endpoint: address, token: profileToken(master, shown), region });

    if (values.print !== undefined) {
      const port = requestedPort ?? vault.settings().servePort;
      if (port === undefined) throw new UserFacingError('serve-never-started', 'serve has not run yet, so it has no port to point terminals at: start it first with aws-auth-tray serve.');
      io.stdout.write(setup(`http://127.0.0.1:${port}`, format));
      return 0;
    }

    const port = requestedPort ?? vault.settings().servePort ?? 0;
    const sessions = await ctx.sessions(new TerminalMfaPrompter());
    const promptPlace = 'the terminal where aws-auth-tray serve runs';
    let endpoint;
    try {
      endpoint = await startCredentialEndpoint(
        {
          sessions,
          master: () => master,
          promptPlace,
          requester: (profile) => ctx.requester(`a terminal using profile ${profile}`),
        },
        port,
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new UserFacingError('port-in-use', `Port ${port} on 127.0.0.1 is in use (another serve, or another program); stop it, or pick another port with --port.`);
      }
      if (code === 'EACCES') throw new UserFacingError('port-forbidden', `This user may not listen on port ${port}; choose one above 1023 with --port.`);
      throw error;
    }
    // The port is remembered, so terminals set up once keep working after a restart.
    if (endpoint.port !== undefined && endpoint.port !== vault.settings().servePort) vault.updateSettings({ servePort: endpoint.port });
    await ctx.flush();
    const channel = await startAgentChannel(ctx, vault, sessions, promptPlace);
    io.stdout.write(
      `AWS Auth Tray credential endpoint on ${endpoint.address} (Ctrl-C stops it). Profiles: ${profiles.map((p) => p.name).join(', ')}.\n` +
        `${values['rotate-token'] ? 'New tokens: terminals set up before must copy their setup again.\n' : ''}` +
        `${channel ? `The command line here (credential-process, export, exec, verify, console) asks this serve, through ${channel.address}.\n` : ''}` +
        `In another terminal, for profile ${shown} (another profile: aws-auth-tray serve --print <profile> [--format fish]):\n\n` +
        `bash/zsh:\n\n${setup(endpoint.address, 'bash')}` +
        `\nfish:\n\n${setup(endpoint.address, 'fish')}` +
        `\nPowerShell:\n\n${setup(endpoint.address, 'powershell')}\n`,
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
    await Promise.all([endpoint.close(), channel?.close()]);
    io.stderr.write('Stopped the credential endpoint.\n');
    return 0;
  },
};

/**
 * The command line's channel, served by this process (as the app serves it), so that
 * credential-process and the rest in other terminals use this unlocked vault. Refused (the app
 * or another serve answers there, or the folder is not private): a sentence, and serve goes on
 * with the endpoint alone.
 */
async function startAgentChannel(ctx: CliContext, vault: Vault, sessions: SessionManager, promptPlace: string): Promise<RunningServer | undefined> {
  if (ctx.env[STANDALONE_VARIABLE] === '1') return undefined;
  try {
    const sts = await ctx.sts();
    const { verifyAccounts } = await import('../../core/verification/verify-accounts.js');
    const { ownConsoleLink } = await import('../console-link.js');
    return await startAppChannel(
      {
        sessions,
        promptPlace,
        requester: (profile) => ctx.requester(`aws-auth-tray in another terminal (${profile})`),
        verify: (profiles, requester) => verifyAccounts({ vault, sessions, sts }, { requester, ...(profiles ? { profiles } : {}) }),
        consoleLink: (profile, request, requester) => ownConsoleLink({ vault, sessions, env: ctx.env, profile, request, credentials: () => sessions.getCredentials(profile, { requester }) }),
      },
      appChannelLocation(ctx.env),
    );
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    ctx.warn(`The command line in other terminals will not ask this serve: ${error.message}`);
    return undefined;
  }
}
