import { spawn } from 'node:child_process';
import { CLEARED_VARIABLES, credentialVariables, type ExportableCredentials } from '../../core/exports/credential-exports.js';
import { UserFacingError } from '../../core/user-facing-error.js';
import { UsageError } from '../cli-errors.js';
import { TerminalMfaPrompter } from '../cli-prompters.js';
import { parseCommandArgs, type Command } from '../command.js';

const usage = `Usage: aws-auth-tray exec <profile> -- <command> [args...]

Runs the command with the profile's credentials in its environment (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION), like
aws-vault exec, and exits with the command's exit code. AWS_PROFILE is removed.

Example:
  aws-auth-tray exec dev -- aws sts get-caller-identity
  aws-auth-tray exec prod -- terraform plan
`;

/** Variables that would override or confuse the credentials we pass down. */
const STRIPPED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'];
/**
 * Whole families the child must not inherit: the container-credentials endpoint's address and
 * token (a terminal set up for auto-refresh would hand its token, and a second source of
 * credentials, to the command), and every variable of ours (the vault passphrase among them).
 */
const STRIPPED_PREFIXES = ['AWS_CONTAINER_', 'AWS_AUTH_TRAY_'];

/** The child's environment: the parent's, less what must not reach it, plus the credentials. */
export function execEnvironment(parent: NodeJS.ProcessEnv, credentials: ExportableCredentials, profile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (STRIPPED.includes(name) || (CLEARED_VARIABLES as readonly string[]).includes(name) || STRIPPED_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    env[name] = value;
  }
  for (const [name, value] of credentialVariables(credentials)) env[name] = value;
  // Like aws-vault's AWS_VAULT: tells a nested exec (and the user's prompt) which profile is on.
  env.AWS_AUTH_TRAY_PROFILE = profile;
  return env;
}

/** Why a command could not be started, by Node's error code (Node itself says only "spawn <program> EACCES"). */
const SPAWN_FAILURES: Record<string, { code: string; sentence: (program: string) => string }> = {
  ENOENT: { code: 'command-not-found', sentence: (program) => `Cannot run "${program}": no such command on PATH.` },
  EACCES: {
    code: 'command-not-executable',
    sentence: (program) => `Cannot run "${program}": it is a directory, or a file this user may not execute. Check the path, or make the file executable with chmod +x.`,
  },
  ENOEXEC: {
    code: 'command-not-executable',
    sentence: (program) => `Cannot run "${program}": it is not a program this system can start. If it is a script, start it with its interpreter, or give it a #! line.`,
  },
};

function spawnFailure(program: string, error: NodeJS.ErrnoException): UserFacingError {
  const known = error.code === undefined ? undefined : SPAWN_FAILURES[error.code];
  if (known) return new UserFacingError(known.code, known.sentence(program));
  return new UserFacingError('command-failed-to-start', `Cannot run "${program}": the system refused to start it (${error.code ?? 'no reason given'}).`);
}

export const exec: Command = {
  name: 'exec',
  usage,
  async run(args, ctx, io) {
    const separator = args.indexOf('--');
    const own = separator === -1 ? args : args.slice(0, separator);
    const command = separator === -1 ? [] : args.slice(separator + 1);
    const { values, positionals } = parseCommandArgs(own, {}, true);
    if (values.help) {
      io.stdout.write(usage);
      return 0;
    }
    const [profile, ...extra] = positionals;
    if (!profile || extra.length > 0 || command.length === 0) throw new UsageError('Use: aws-auth-tray exec <profile> -- <command> [args...]');
    if (ctx.env.AWS_AUTH_TRAY_PROFILE) {
      throw new UserFacingError('nested-exec', `This shell already runs with profile ${ctx.env.AWS_AUTH_TRAY_PROFILE} from aws-auth-tray exec; exit it first, so the two do not mix.`);
    }
    const credentials = await ctx.credentialsFor(profile, new TerminalMfaPrompter(), `aws-auth-tray exec ${profile}`);
    const env = execEnvironment(ctx.env, credentials, profile);

    const [program = '', ...programArgs] = command;
    return new Promise<number>((resolve, reject) => {
      const child = spawn(program, programArgs, { env, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      const onInt = forward('SIGINT');
      const onTerm = forward('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      child.on('error', (error: NodeJS.ErrnoException) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        reject(spawnFailure(program, error));
      });
      child.on('exit', (code, signal) => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
        resolve(code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
      });
    });
  },
};
