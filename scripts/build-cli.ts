import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles the command line into dist/cli: one file to start (fast process start matters for
 * credential_process, which the AWS CLI runs on every call), and the AWS SDK in a chunk loaded
 * only when a command must call STS.
 *
 * The `test` variant, for the test suites only, goes to dist-test/ (never shipped: not in the
 * npm package, not in the app) and differs in one module: the vault's key-derivation cost
 * (main/core/crypto/vault-kdf-cost.ts) is cheap there, so the hundreds of command-line processes
 * the suites start do not each spend a second in scrypt. Everything else is the same source,
 * bundled the same way; the release bundle's own cost is checked by a test that runs it.
 */
export type CliBuildVariant = 'release' | 'test';

export const CLI_OUTDIR: Record<CliBuildVariant, string> = { release: 'dist/cli', test: 'dist-test/cli' };

/** Replaces vault-kdf-cost.js with the test build's cheap cost. */
const testKdfCost: Plugin = {
  name: 'test-build-kdf-cost',
  setup(build) {
    build.onResolve({ filter: /\/vault-kdf-cost\.js$/ }, () => ({ path: new URL('../test/support/test-build/vault-kdf-cost.ts', import.meta.url).pathname }));
  },
};

/**
 * @param clean remove earlier builds first. Test runs skip it: another run may be using the
 *   bundle right now, and stale chunks (content-hashed names) are harmless.
 */
export async function buildCli({ clean = true, variant = 'release' }: { clean?: boolean; variant?: CliBuildVariant } = {}): Promise<void> {
  const outdir = CLI_OUTDIR[variant];
  if (clean) rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: { 'aws-auth-tray': 'main/cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // Prefer the ES module builds: they keep named exports across dynamic import() and tree-shake.
    mainFields: ['module', 'main'],
    target: 'node22',
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __aatCreateRequire } from 'node:module'; const require = __aatCreateRequire(import.meta.url);" },
    plugins: variant === 'test' ? [testKdfCost] : [],
  });
  if (variant === 'test') {
    // The test build's `aws-auth-tray` for PATH (tools such as the AWS CLI run it by name).
    const binDir = 'dist-test/bin';
    mkdirSync(binDir, { recursive: true });
    writeFileSync(`${binDir}/aws-auth-tray.js`, "#!/usr/bin/env node\n// The command line's test build (cheap vault key derivation): for the test suites only.\nawait import('../cli/aws-auth-tray.js');\n");
    chmodSync(`${binDir}/aws-auth-tray.js`, 0o755);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
