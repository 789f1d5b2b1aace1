import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the Electron binary is, without loading the `electron` package: since Electron 42 the
 * package has no install script and its index.js downloads the binary on first require (and,
 * offline, fails with advice that fails again). `npm start`, `npm run demo` and the Electron
 * end-to-end test look here first, download it knowingly (scripts/start.ts), and otherwise say
 * what is wrong in a sentence.
 */
export type ElectronLookup = { path: string; version: string } | { missing: string; version: string; packageDir: string };

export function electronPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

export function locateElectron(packageDir = electronPackageDir(), env: NodeJS.ProcessEnv = process.env): ElectronLookup {
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const missing = (why: string): ElectronLookup => ({ missing: `the Electron ${version} binary is not installed (${why})`, version, packageDir });
  const pathFile = join(packageDir, 'path.txt');
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!existsSync(pathFile) && !override) return missing('it is downloaded on first start, and has not been yet');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable();
  const dist = override ?? join(packageDir, 'dist');
  const binary = join(dist, relative);
  if (!existsSync(binary)) return missing(`no ${binary}`);
  const installed = existsSync(join(dist, 'version')) ? readFileSync(join(dist, 'version'), 'utf8').trim().replace(/^v/, '') : version;
  if (installed !== version) return missing(`${dist} holds Electron ${installed}`);
  return { path: binary, version };
}

/** The executable inside an unpacked Electron zip, as the package's installer names it. */
function platformExecutable(): string {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return process.platform === 'win32' ? 'electron.exe' : 'electron';
}

/** The release zip of this Electron for this machine. */
export function electronZipName(version: string): string {
  return `electron-v${version}-${process.platform}-${process.arch}.zip`;
}

/**
 * Download and unpack the binary with the package's own installer (checksums from the package);
 * on failure, the installer's reason in one line (e.g. "getaddrinfo ENOTFOUND …").
 */
export async function installElectron(packageDir: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ok: true } | { ok: false; reason: string }> {
  const child = spawn(process.execPath, [join(packageDir, 'install.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code === 0) return { ok: true };
  const reason = installerReason(output) ?? `the installer exited with ${code ?? 'a signal'}`;
  // The installer prints only "fetch failed"; find out what failed (DNS, refused, timeout).
  const cause = reason === 'fetch failed' ? await networkCause(downloadBase(env)) : undefined;
  return { ok: false, reason: cause ? `${reason}: ${cause}` : reason };
}

/** Where @electron/get downloads from: a mirror if one is configured, else Electron's releases. */
export function downloadBase(env: NodeJS.ProcessEnv = process.env): string {
  return env.ELECTRON_MIRROR ?? env.npm_config_electron_mirror ?? env.NPM_CONFIG_ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/';
}

/** Why a request to `url` fails at the network level ("getaddrinfo ENOTFOUND …"), if it does. */
async function networkCause(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(5000) });
    return undefined;
  } catch (error) {
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof Error) return cause.message;
    return error instanceof Error ? error.message : undefined;
  }
}

/** The first line of an installer's stack trace that says what happened, without "Error:". */
export function installerReason(output: string): string | undefined {
  const line = output.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('at ') && !l.startsWith('Downloading'));
  return line?.replace(/^(?:[A-Za-z]*Error|Error):\s*/, '');
}

/** What `npm start` and `npm run demo` say when there is no binary and it cannot be downloaded. */
export function electronUnavailableSentence(command: string, lookup: { version: string }, reason: string): string {
  return [
    `${command}: AWS Auth Tray cannot start: the Electron ${lookup.version} binary is not installed, and downloading it failed (${reason}).`,
    `Electron is downloaded once, on the first start, so run \`${command}\` again where this machine can reach the download server;`,
    `or unpack ${electronZipName(lookup.version)} (downloaded elsewhere) into a folder and run \`ELECTRON_OVERRIDE_DIST_PATH=<that folder> ${command}\`.`,
    'Without Electron everything else still works: `npm test`, `npm run sts-emulator` and the command line (`npx aws-auth-tray --help`).',
  ].join('\n');
}

/**
 * The binary's path for `command` (npm start, npm run demo): downloaded first if missing, saying
 * so; where that fails, the sentence above on stderr and exit 1.
 */
export async function ensureElectron(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let electron = locateElectron(electronPackageDir(), env);
  if (!('missing' in electron)) return electron.path;
  process.stderr.write(`${command}: ${electron.missing}; downloading Electron ${electron.version} for ${process.platform}-${process.arch} once (about 100 MB)…\n`);
  const installed = await installElectron(electron.packageDir, env);
  if (installed.ok) electron = locateElectron(electron.packageDir, env);
  if (!installed.ok || 'missing' in electron) {
    process.stderr.write(`${electronUnavailableSentence(command, electron, installed.ok ? ('missing' in electron ? electron.missing : '') : installed.reason)}\n`);
    process.exit(1);
  }
  process.stderr.write(`${command}: Electron ${electron.version} is installed (${electron.path}).\n`);
  return electron.path;
}
