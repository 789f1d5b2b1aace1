import { runCli } from './aws-auth-tray.js';

/** Process entry point of the bundled command line (dist/cli/aws-auth-tray.js). */

process.exitCode = await runCli(process.argv.slice(2));
