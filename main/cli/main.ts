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

/** Process entry point of the bundled command line (dist/cli/aws-auth-tray.js). */

// A reader that stops early (`aws-auth-tray list | head -1`) closes the pipe: stop quietly, as
// other command-line tools do, instead of an unhandled "write EPIPE" stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const argv = process.argv.slice(2);
// credential_process through the running agent: its own small bundle, nothing else loaded (agent-fast-path.ts).
const fast: FastPathOutcome = isAgentFastPath(argv, process.env) ? await credentialProcessFromAgent(argv[1] ?? '', process.env, process.stdout, process.stderr) : { withAgent: true };
if ('exitCode' in fast) process.exitCode = fast.exitCode;
else {
  // The agent failed and that was said: the full command line, on its own vault.
  const env = fast.withAgent ? process.env : withoutAgent(process.env);
  // credential_process without the agent: the vault key's derivation starts before the command line loads.
  const passphrase = env[PASSPHRASE_VARIABLE];
  const earlyKey: StartedVaultKey | undefined = argv.length === 2 && argv[0] === 'credential-process' && passphrase ? startEarlyVaultKey(defaultVaultDir(env), passphrase) : undefined;
  process.exitCode = await (await import('./aws-auth-tray.js')).runCli(argv, undefined, env, earlyKey);
}
