import type { StartedVaultKey } from '../core/crypto/passphrase-cipher.js';
import {
  credentialProcessFromAgent,
  defaultVaultDir,
  isAgentFastPath,
  PASSPHRASE_VARIABLE,
  startEarlyVaultKey,
  withoutAgent,
  type FastPathOutcome,
} from './agent-fast-path.js';

/**
 * Process entry point of the command line (dist/cli/aws-auth-tray.js). It is bundled on its own
 * as CommonJS with the agent's fast path (scripts/build-cli.ts): credential_process through the
 * running agent loads this one file and nothing else of ours. The full command line is an ES
 * module beside it, imported only when the fast path does not answer.
 */

// A reader that stops early (`aws-auth-tray list | head -1`) closes the pipe: stop quietly, as
// other command-line tools do, instead of an unhandled "write EPIPE" stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/**
 * Ends the process once what it wrote has reached stdout and stderr, without waiting for the event
 * loop to drain: the answer is complete, and what Node.js would do first is housekeeping (the
 * young-generation collection the fast path's allocations schedule), about 5 ms of every AWS call.
 */
function exitOnceWritten(code: number): void {
  let open = 2;
  const written = (): void => {
    open -= 1;
    if (open === 0) process.exit(code);
  };
  process.stdout.write('', written);
  process.stderr.write('', written);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // credential_process through the running agent: nothing else loaded (agent-fast-path.ts).
  const fast: FastPathOutcome = isAgentFastPath(argv, process.env) ? await credentialProcessFromAgent(argv[1] ?? '', process.env, process.stdout, process.stderr) : { withAgent: true };
  if ('exitCode' in fast) {
    exitOnceWritten(fast.exitCode);
    return;
  }
  // The agent failed and that was said: the full command line, on its own vault.
  const env = fast.withAgent ? process.env : withoutAgent(process.env);
  // credential_process without the agent: the vault key's derivation starts before the command line loads.
  const passphrase = env[PASSPHRASE_VARIABLE];
  const earlyKey: StartedVaultKey | undefined = argv.length === 2 && argv[0] === 'credential-process' && passphrase ? startEarlyVaultKey(defaultVaultDir(env), passphrase) : undefined;
  process.exitCode = await (await import('./aws-auth-tray.js')).runCli(argv, undefined, env, earlyKey);
}

void main();
