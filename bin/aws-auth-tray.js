#!/usr/bin/env node
// The aws-auth-tray command: runs the bundle that `npm run build:cli` makes (also run on install).

// package.json's engines: Node.js 22.12 or newer (24 LTS recommended). Older Node.js is out of
// support and the AWS SDK warns about it on stderr, so say what to do instead of failing later.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `aws-auth-tray: Node.js ${process.versions.node} is too old: the command line needs Node.js 22.12 or newer. Install Node.js 24 LTS and put it first on PATH (\`node -v\` shows which one runs).\n`,
  );
  process.exit(1);
}

const bundle = new URL('../dist/cli/aws-auth-tray.js', import.meta.url);
// Not `import ... from 'node:fs'`: as an ES module import it evaluates every export of node:fs
// (fs.promises and its streams among them), a cost of every call (credential_process runs often).
if (!process.getBuiltinModule('node:fs').existsSync(bundle)) {
  process.stderr.write('aws-auth-tray: the command line is not built yet. Run: npm run build:cli\n');
  process.exit(1);
}
await import(bundle.href);
