import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Bundles the command line into dist/cli: one file to start (fast process start matters for
 * credential_process, which the AWS CLI runs on every call), and the AWS SDK in a chunk loaded
 * only when a command must call STS.
 */
/**
 * @param clean remove earlier builds first. Test runs skip it: another run may be using the
 *   bundle right now, and stale chunks (content-hashed names) are harmless.
 */
export async function buildCli({ clean = true }: { clean?: boolean } = {}): Promise<void> {
  if (clean) rmSync('dist/cli', { recursive: true, force: true });
  await build({
    entryPoints: { 'aws-auth-tray': 'main/cli/main.ts' },
    outdir: 'dist/cli',
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
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
