#!/usr/bin/env node
// The aws-auth-tray command: runs the bundle that `npm run build:cli` makes (also run on install).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/aws-auth-tray.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('aws-auth-tray: the command line is not built yet. Run: npm run build:cli\n');
  process.exit(1);
}
await import(bundle.href);
