import { runCli } from './aws-auth-tray.js';

/** Process entry point of the bundled command line (dist/cli/aws-auth-tray.js). */

// The AWS SDK warns on stderr that its 2027 releases will need Node.js 22. Our pinned SDK runs
// on Node.js 20, and credential_process output must stay clean, so that notice is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runCli(process.argv.slice(2));
