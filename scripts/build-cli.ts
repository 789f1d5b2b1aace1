import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/**
 * Bundles the command line into dist/cli: one file to start (fast process start matters for
 * credential_process, which the AWS CLI runs on every call), and the AWS SDK in a chunk loaded
 * only when a command must call STS.
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
 * In the agent's fast path (below), Node.js built-ins are loaded with require(), not as ES
 * modules. Importing a built-in as an ES module evaluates every one of its exports, and some are
 * getters that load much more: `node:fs`'s `promises` (fs/promises and the streams),
 * `node:process`'s `stdin` and `report`. Each built-in becomes a small module of the bundle
 * (builtinShim), so the process loads only the built-ins, and the parts, it touches. (The AWS
 * SDK imports such getters by name, so the main bundle keeps Node.js's own ES modules.)
 */
const requireHere = createRequire(import.meta.url);
/**
 * The shim: the module from require(), its default export, and a named export for each of its
 * plain values (functions, constants), read once: esbuild's CommonJS interop instead copies
 * every property onto a namespace object, 4 ms of the fast path. Getters (`fs.promises`,
 * `process.stdin`) are not exported by name: reading them is what loads the rest, and importing
 * one by name fails the build, so the fast path cannot do it by accident.
 */
function builtinShim(name: string): string {
  // process is a global: its properties include lazy ones (allowedNodeEnvironmentFlags builds a
  // set of every flag when read), so it is only ever the default export.
  if (name === 'node:process') return 'export default process;\n';
  const module = requireHere(name) as object;
  const names = Object.entries(Object.getOwnPropertyDescriptors(module))
    .filter(([key, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(key) && key !== 'default')
    .map(([key]) => key);
  return `const m = require(${JSON.stringify(name)});\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
}
const BUILTINS = new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`])));
const builtinsAsCommonJs: Plugin = {
  name: 'builtins-as-commonjs',
  setup(build) {
    build.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!BUILTINS.has(args.path)) return undefined;
      const path = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      // The shim's own require() is the real one (the banner's createRequire).
      if (args.namespace === 'builtin-commonjs') return { path, external: true };
      return { path, namespace: 'builtin-commonjs' };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin-commonjs' }, (args) => ({ contents: builtinShim(args.path), loader: 'js' }));
  },
};

/**
 * The agent's fast path (main/cli/agent-fast-path.ts) is a bundle of its own, one file without
 * shared chunks: credential_process through the running agent then loads two files, not twenty
 * (each module the ES loader reads, links and compiles is a cost of every AWS CLI call). The main
 * bundle imports it by its file name beside it.
 */
const FAST_PATH = './agent-fast-path.js';
const fastPathApart: Plugin = {
  name: 'fast-path-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/agent-fast-path\.js$/ }, (args) => (args.importer.endsWith('/main/cli/main.ts') ? { path: FAST_PATH, external: true } : undefined));
  },
};

/**
 * @param clean remove earlier builds first. Test runs skip it: another run may be using the
 *   bundle right now, and stale chunks (content-hashed names) are harmless.
 */
export async function buildCli({ clean = true, variant = 'release' }: { clean?: boolean; variant?: CliBuildVariant } = {}): Promise<void> {
  const outdir = CLI_OUTDIR[variant];
  if (clean) rmSync(outdir, { recursive: true, force: true });
  const common: BuildOptions = {
    bundle: true,
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
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: { 'aws-auth-tray': 'main/cli/main.ts' },
      outdir,
      splitting: true,
      plugins: variant === 'test' ? [fastPathApart, ajvLeftOut, testKdfCost, testRotationCrashPoints] : [fastPathApart, ajvLeftOut],
    }),
    build({
      ...common,
      entryPoints: { 'agent-fast-path': 'main/cli/agent-fast-path.ts' },
      outdir,
      splitting: false,
      // The early vault key (early-vault-key.ts) derives with the build's cost.
      plugins: variant === 'test' ? [builtinsAsCommonJs, testKdfCost] : [builtinsAsCommonJs],
    }),
  ]);
  if (variant === 'test') {
    // The test build's `aws-auth-tray` for PATH (tools such as the AWS CLI run it by name).
    const binDir = 'dist-test/bin';
    mkdirSync(binDir, { recursive: true });
    writeFileSync(`${binDir}/aws-auth-tray.js`, "#!/usr/bin/env node\n// The command line's test build (cheap vault key derivation): for the test suites only.\nawait import('../cli/aws-auth-tray.js');\n");
    chmodSync(`${binDir}/aws-auth-tray.js`, 0o755);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCli();
