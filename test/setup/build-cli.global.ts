import { buildCli } from '../../scripts/build-cli.js';

/**
 * Tests run the command line as users do, as a bundle: the release build (dist/cli), and the
 * test build (dist-test/cli), the same source with a cheap vault key derivation, which most
 * command-line suites run so that each process does not spend a second in scrypt.
 */
export default async function setup(): Promise<void> {
  await Promise.all([buildCli({ clean: false }), buildCli({ clean: false, variant: 'test' })]);
}
