import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/**
 * Bundles the command line into dist/cli: one CommonJS file to start, which answers
 * credential_process through the agent on its own (fast process start matters there: the AWS CLI
 * runs it on every call), and the full command line as ES modules beside it, with the AWS SDK in
 * a chunk loaded only when a command must call STS.
 *
 * The `test` variant, for the test suites only, goes to dist-test/ (never shipped: not in the
 * npm package, not in the app) and differs in two modules: the vault's key-derivation cost
 * (main/core/crypto/vault-kdf-cost.ts) is cheap there, so the hundreds of command-line processes
 * the suites start do not each spend a second in scrypt; and a key rotation can be killed after
 * any step (main/core/rotation/rotation-crash-points.ts), for the crash tests. Everything else is the same source,
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

/** Replaces rotation-crash-points.js with the test build's, which can kill the process after a rotation step (the crash tests). */
const testRotationCrashPoints: Plugin = {
  name: 'test-build-rotation-crash-points',
  setup(build) {
    build.onResolve({ filter: /\/rotation-crash-points\.js$/ }, () => ({ path: new URL('../test/support/test-build/rotation-crash-points.ts', import.meta.url).pathname }));
  },
};

/**
 * conf imports ajv and ajv-formats at the top of its module, and uses them only when it is given
 * a schema (or ajv options). The vault gives it none (vaultStoreOptions in vault-file.ts, held to
 * that by test/unit/core/vault-file-read.test.ts), and ajv is a quarter of what the command line
 * loads to answer credential_process from its own vault. So the bundle carries a stand-in that
 * says so if it is ever asked to validate.
 */
export const AJV_ABSENT = 'ajv is not in the command line bundle (scripts/build-cli.ts): conf was given a schema, which the vault never gives it';
const AJV_STAND_IN = `const absent = () => { throw new Error(${JSON.stringify(AJV_ABSENT)}); };
export class Ajv2020 { constructor() { absent(); } }
export default { default: absent };
`;
const ajvLeftOut: Plugin = {
  name: 'ajv-left-out',
  setup(build) {
    build.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats)$/ }, (args) => (/[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: args.path, namespace: 'ajv-left-out' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'ajv-left-out' }, () => ({ contents: AJV_STAND_IN, loader: 'js' }));
  },
};

/**
 * The entry, dist/cli/aws-auth-tray.js, is main/cli/main.ts with the agent's fast path
 * (main/cli/agent-fast-path.ts) bundled into one CommonJS file: credential_process through the
 * running agent loads that one file and nothing else of ours. A CommonJS main module costs less
 * to start than an ES module (no ES module loader, and Node.js built-ins come from require(),
 * where an ES module import of `node:fs` evaluates every export, `fs.promises` and its streams
 * among them). The full command line is an ES module bundle beside it (`cli.mjs` and its
 * chunks), imported by the entry only when the fast path does not answer. The entry keeps the
 * name every earlier `setup credential-process` wrote into users' config files; the
 * package.json written beside it says that .js files there are CommonJS.
 */
const FULL_COMMAND_LINE = './cli.mjs';
const fullCommandLineApart: Plugin = {
  name: 'full-command-line-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/aws-auth-tray\.js$/ }, (args) => (args.importer.endsWith('/main/cli/main.ts') ? { path: FULL_COMMAND_LINE, external: true } : undefined));
  },
};
const CLI_ENTRY_PACKAGE_JSON = `${JSON.stringify({ type: 'commonjs' })}\n`;

/**
 * @param clean remove earlier builds first. Test runs skip it: another run may be using the
 *   bundle right now, and stale chunks (content-hashed names) are harmless.
 */
export async function buildCli({ clean = true, variant = 'release' }: { clean?: boolean; variant?: CliBuildVariant } = {}): Promise<void> {
  const outdir = CLI_OUTDIR[variant];
  if (clean) rmSync(outdir, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    // Prefer the ES module builds: they keep named exports across dynamic import() and tree-shake.
    mainFields: ['module', 'main'],
    target: 'node22',
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  };
  const costPlugins = variant === 'test' ? [testKdfCost, testRotationCrashPoints] : [];
  await Promise.all([
    build({
      ...common,
      format: 'esm',
      entryPoints: { cli: 'main/cli/aws-auth-tray.ts' },
      outdir,
      outExtension: { '.js': '.mjs' },
      splitting: true,
      // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
      banner: { js: "import { createRequire as __aatCreateRequire } from 'node:module'; const require = __aatCreateRequire(import.meta.url);" },
      plugins: [ajvLeftOut, ...costPlugins],
    }),
    build({
      ...common,
      format: 'cjs',
      entryPoints: { 'aws-auth-tray': 'main/cli/main.ts' },
      outdir,
      // The early vault key (early-vault-key.ts) derives with the build's cost.
      plugins: [fullCommandLineApart, ...costPlugins],
    }),
  ]);
  writeFileSync(`${outdir}/package.json`, CLI_ENTRY_PACKAGE_JSON);
  if (variant === 'test') {
    // The test build's `aws-auth-tray` for PATH (tools such as the AWS CLI run it by name).
    const binDir = 'dist-test/bin';
    mkdirSync(binDir, { recursive: true });
    writeFileSync(`${binDir}/aws-auth-tray.js`, "#!/usr/bin/env node\n// The command line's test build (cheap vault key derivation): for the test suites only.\nawait import('../cli/aws-auth-tray.js');\n");
    chmodSync(`${binDir}/aws-auth-tray.js`, 0o755);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
