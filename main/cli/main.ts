import { runCli } from './aws-auth-tray.js';

/** Process entry point of the bundled command line (dist/cli/aws-auth-tray.js). */

// A reader that stops early (`aws-auth-tray list | head -1`) closes the pipe: stop quietly, as
// other command-line tools do, instead of an unhandled "write EPIPE" stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await runCli(process.argv.slice(2));
