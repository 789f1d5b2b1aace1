import { buildCli } from '../../scripts/build-cli.js';

/** Tests run the command line as users do: the bundle `npm run build:cli` makes. */
export default async function setup(): Promise<void> {
  await buildCli({ clean: false });
}
