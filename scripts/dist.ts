import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { build, Platform, type CliOptions, type Configuration } from 'electron-builder';
import { parse } from 'yaml';
import { buildApp } from './build-app.js';
import { buildCli } from './build-cli.js';
import { homepageFromRemote } from './project-homepage.js';

/**
 * npm run dist: build, then package with electron-builder (build/electron-builder.yml) for this
 * OS, or for the platforms named: `npm run dist -- linux`, `npm run dist -- linux:AppImage mac`,
 * `--dir` for an unpacked folder only, `--output DIR` for where the packages go. electron-builder
 * downloads Electron for each target: where it cannot (offline) this says so in a sentence, not a
 * stack trace.
 */
const COMMAND = 'npm run dist';
const ROOT = new URL('..', import.meta.url).pathname;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dir: { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    output: { type: 'string' },
  },
});

function fail(sentence: string): never {
  process.stderr.write(`${COMMAND}: ${sentence}\n`);
  process.exit(1);
}

const PLATFORMS: Record<string, Platform> = { mac: Platform.MAC, win: Platform.WINDOWS, linux: Platform.LINUX };
const CURRENT = process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'linux';
const requested = (positionals.length > 0 ? positionals : [CURRENT]).map((arg) => {
  const [name = '', targets] = arg.split(':');
  if (!(name in PLATFORMS)) fail(`"${arg}" is not a platform: use mac, win or linux, optionally with targets (linux:AppImage,deb).`);
  return { name, targets: values.dir ? ['dir'] : targets ? targets.split(',') : undefined };
});

const config = parse(readFileSync(new URL('../build/electron-builder.yml', import.meta.url), 'utf8')) as Configuration;
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { homepage?: string; devDependencies: Record<string, string> };

/**
 * A Debian package must name the project's homepage. package.json has none to invent; the
 * repository this checkout was cloned from is the truthful one.
 */
function repositoryUrl(): string | undefined {
  try {
    return homepageFromRemote(execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return undefined;
  }
}

const buildsDeb = requested.some((r) => r.name === 'linux' && (r.targets ?? (config.linux?.target as string[] | undefined) ?? []).includes('deb'));
const homepage = packageJson.homepage ?? repositoryUrl();
if (buildsDeb && !homepage) {
  fail(
    'a .deb must name the project\'s homepage, and there is none: package.json has no "homepage" and this checkout has no git remote "origin" to take it from. Add the repository\'s URL as "homepage" to package.json, or build the AppImage only: npm run dist -- linux:AppImage',
  );
}

if (!values['skip-build']) {
  await buildCli();
  await buildApp();
}

const options: CliOptions = {
  projectDir: ROOT,
  config: {
    ...config,
    ...(values.output ? { directories: { ...config.directories, output: values.output } } : {}),
    ...(homepage && !packageJson.homepage ? { extraMetadata: { homepage } } : {}),
  },
};
for (const { name, targets } of requested) {
  const key = name as 'mac' | 'win' | 'linux';
  options[key] = targets ?? [];
}

/** Network failures, by the codes Node and undici give them. */
const OFFLINE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b|fetch failed|socket hang up/;

try {
  const artifacts = await build(options);
  process.stdout.write(`${COMMAND}: built\n${artifacts.map((path) => `  ${path}`).join('\n')}\n`);
} catch (error) {
  const text = error instanceof Error ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}` : String(error);
  const electron = packageJson.devDependencies.electron;
  // electron-builder's progress lines end without a newline.
  process.stdout.write('\n');
  if (OFFLINE.test(text)) {
    fail(
      `electron-builder downloads Electron ${electron} (and, for some targets, its packaging tools) for every platform it packages, and cannot reach the download server here (${text.split('\n')[0]?.trim()}). Run it on a machine with internet access, or point ELECTRON_MIRROR at a mirror this machine can reach. Nothing was packaged.`,
    );
  }
  fail(`electron-builder failed: ${text.split('\n')[0]?.trim()}. Run it again with DEBUG=electron-builder for the details.`);
}
