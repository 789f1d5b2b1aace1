import { parseArgs } from 'node:util';
import { FixtureError, loadFixtureFile } from './fixture.js';
import { startStsEmulator } from './sts-emulator.js';

/**
 * npm run sts-emulator -- --fixture <file> [--port N] [--latency-ms N] [--key-propagation-delay-ms N]
 *
 * Serves the emulator on 127.0.0.1 until SIGINT or SIGTERM.
 */
const USAGE = `Usage: npm run sts-emulator -- --fixture <file> [--port N] [--latency-ms N] [--key-propagation-delay-ms N]

  --fixture <file>    the accounts, users, keys, MFA devices and roles to serve (JSON)
                      e.g. test/sts-emulator/fixtures/reference-architecture.json
  --port <N>          port on 127.0.0.1 (default 4599; 0 picks a free one)
  --latency-ms <N>    delay every STS and IAM answer by N milliseconds (default 0)
  --key-propagation-delay-ms <N>
                      refuse an access key made by IAM CreateAccessKey for its first
                      N milliseconds, as AWS does for a few seconds (default 0)
`;

function usageError(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function integerOption(name: string, value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) usageError(`--${name} must be a whole number from 0 to ${max}; got '${value}'.`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        fixture: { type: 'string' },
        port: { type: 'string' },
        'latency-ms': { type: 'string' },
        'key-propagation-delay-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    usageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!values.fixture) usageError('Say which fixture to serve with --fixture <file>.');
  const port = integerOption('port', values.port, 4599, 65_535);
  const latencyMs = integerOption('latency-ms', values['latency-ms'], 0, 600_000);
  const keyPropagationDelayMs = integerOption('key-propagation-delay-ms', values['key-propagation-delay-ms'], 0, 86_400_000);

  let fixture;
  try {
    fixture = await loadFixtureFile(values.fixture);
  } catch (error) {
    if (error instanceof FixtureError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  let emulator;
  try {
    emulator = await startStsEmulator({ fixture, port, latencyMs, keyPropagationDelayMs });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      process.stderr.write(`Port ${port} on 127.0.0.1 is already in use; pick another with --port, or --port 0 for any free one.\n`);
      process.exit(1);
    }
    throw error;
  }
  process.stdout.write(`STS emulator listening on ${emulator.url}\n`);

  const stop = (signal: string): void => {
    process.stdout.write(`Received ${signal}; stopping the STS emulator.\n`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

await main();
