import { isUserFacingError } from '../core/user-facing-error.js';
import { CliContext, HOME_VARIABLE, PASSPHRASE_VARIABLE, STANDALONE_VARIABLE } from './cli-context.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './cli-errors.js';
import type { Command, CommandIo } from './command.js';
import { addUser } from './commands/add-user.js';
import { credentialProcess } from './commands/credential-process.js';
import { exec } from './commands/exec.js';
import { exportCommand } from './commands/export.js';
import { importConfig } from './commands/import-config.js';
import { list } from './commands/list.js';
import { login } from './commands/login.js';
import { serve } from './commands/serve.js';
import { signOut } from './commands/sign-out.js';
import { verify } from './commands/verify.js';

/**
 * aws-auth-tray: the core engine on the command line, with the passphrase vault. One MFA code
 * for every account, verification of each, and credentials into any shell or tool.
 */
export const COMMANDS: readonly Command[] = [addUser, importConfig, list, login, verify, exportCommand, credentialProcess, exec, serve, signOut];

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: aws-auth-tray [--vault-dir <dir>] <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --vault-dir <dir>  where the encrypted vault lives (default $${HOME_VARIABLE}, else your
                     user config directory, e.g. ~/.config/aws-auth-tray)
  --help             this text; <command> --help for a command's own

When the AWS Auth Tray app is running, credential-process, export, exec and verify ask it (its
MFA popup, its keychain); otherwise (or with $${STANDALONE_VARIABLE}=1) they use this command line's
own vault, whose passphrase is asked for on the terminal or taken from $${PASSPHRASE_VARIABLE}.
Point at another STS endpoint (e.g. the local emulator) with AWS_ENDPOINT_URL_STS.

Exit codes: 0 ok, 1 failed (or a verification failed or mismatched), 2 usage error.
`;
}

export async function runCli(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const args = [...argv];
  let vaultDir: string | undefined;
  while (args[0]?.startsWith('--vault-dir')) {
    const arg = args.shift() ?? '';
    vaultDir = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args.shift();
    if (!vaultDir) {
      io.stderr.write(`aws-auth-tray: --vault-dir needs a directory.\n\n${mainUsage()}`);
      return EXIT_USAGE;
    }
  }
  const name = args.shift();
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainUsage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`aws-auth-tray: there is no command "${name}".\n\n${mainUsage()}`);
    return EXIT_USAGE;
  }
  const ctx = new CliContext({ vaultDir, env, stderr: io.stderr });
  try {
    const code = await command.run(args, ctx, io);
    await ctx.flush();
    return code;
  } catch (error) {
    await ctx.flush().catch(() => undefined);
    if (error instanceof UsageError) {
      io.stderr.write(`aws-auth-tray ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    if (isUserFacingError(error)) {
      io.stderr.write(`aws-auth-tray: ${error.message}\n`);
      return EXIT_FAILED;
    }
    // A bug: say so without a stack trace (which could hold request data) unless asked.
    io.stderr.write(`aws-auth-tray: unexpected error in ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    if (env.AWS_AUTH_TRAY_DEBUG) io.stderr.write(`${error instanceof Error ? (error.stack ?? '') : ''}\n`);
    return EXIT_FAILED;
  }
}
