import type { StartedVaultKey } from '../core/crypto/passphrase-cipher.js';
import { DEFAULT_STS_DEADLINE_MS } from '../core/sts/sts-deadline.js';
import { isUserFacingError } from '../core/user-facing-error.js';
import { CliContext, HOME_VARIABLE, PassphraseRefused, PASSPHRASE_VARIABLE, STANDALONE_VARIABLE, STS_DEADLINE_VARIABLE } from './cli-context.js';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from './cli-errors.js';
import type { CommandIo } from './command.js';
import { COMMANDS } from './command-registry.js';
import { GlobalOptionError, takeGlobalOptions } from './global-options.js';
import { printable } from './terminal-text.js';

/**
 * aws-auth-tray: the core engine on the command line, with the passphrase vault. One MFA code
 * for every account, verification of each, and credentials into any shell or tool.
 */
function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: aws-auth-tray [--vault-dir <dir>] <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options (before or after the command):
  --vault-dir <dir>  where the encrypted vault lives (default $${HOME_VARIABLE}, else your
                     user config directory, e.g. ~/.config/aws-auth-tray)
  --help             this text; <command> --help for a command's own

When the AWS Auth Tray app is running, credential-process, export, exec, verify and console ask
it (its MFA popup, its keychain); otherwise (or with $${STANDALONE_VARIABLE}=1) they use this command line's
own vault, whose passphrase is asked for on the terminal or taken from $${PASSPHRASE_VARIABLE}.
Point at another STS endpoint (e.g. the local emulator) with AWS_ENDPOINT_URL_STS.
Getting one profile's credentials may wait on STS ${DEFAULT_STS_DEADLINE_MS / 1000} seconds in all, every request and retry
included but not the time you take to type an MFA code; then it gives up with a sentence naming
the endpoint. $${STS_DEADLINE_VARIABLE} sets another limit, in milliseconds.

Exit codes: 0 ok, 1 failed (or a verification failed or mismatched), 2 usage error.
`;
}

/**
 * Every line the command line writes about an error goes through `printable`: the sentences
 * quote what was typed, what a config file or AWS said, or what the running app sent.
 */
/** @param earlyKey the vault key, its derivation started by main.ts (early-vault-key.ts). */
export async function runCli(
  argv: string[],
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
  env: NodeJS.ProcessEnv = process.env,
  earlyKey?: StartedVaultKey,
): Promise<number> {
  let args: string[];
  let vaultDir: string | undefined;
  try {
    ({ vaultDir, rest: args } = takeGlobalOptions(argv));
  } catch (error) {
    if (!(error instanceof GlobalOptionError)) throw error;
    io.stderr.write(`aws-auth-tray: ${error.message}\n\n${mainUsage()}`);
    return EXIT_USAGE;
  }
  const name = args.shift();
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(mainUsage());
    return name === undefined ? EXIT_USAGE : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.stderr.write(`aws-auth-tray: there is no command "${printable(name)}".\n\n${mainUsage()}`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  const ctx = new CliContext({ vaultDir, env, stderr: io.stderr, earlyKey });
  try {
    const code = await command.run(args, ctx, io);
    await ctx.flush();
    return code;
  } catch (error) {
    await ctx.flush().catch(() => undefined);
    if (error instanceof UsageError) {
      io.stderr.write(`aws-auth-tray ${command.name}: ${printable(error.message)}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    if (isUserFacingError(error)) {
      // The vault's own "wrong passphrase" (from an unlock outside ctx.unlock) in this command line's words.
      const sentence = error.code === 'wrong-passphrase' && !(error instanceof PassphraseRefused) ? ctx.passphraseRefused().message : error.message;
      io.stderr.write(`aws-auth-tray: ${printable(sentence)}\n`);
      return EXIT_FAILED;
    }
    // A bug: say so without a stack trace (which could hold request data) unless asked.
    io.stderr.write(`aws-auth-tray: unexpected error in ${command.name}: ${printable(error instanceof Error ? error.message : String(error))}\n`);
    if (env.AWS_AUTH_TRAY_DEBUG) io.stderr.write(`${error instanceof Error ? (error.stack ?? '') : ''}\n`);
    return EXIT_FAILED;
  }
}
