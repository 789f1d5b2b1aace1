import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dependencyReport, electronSupport, formatDependencyCheck } from './dependency-support.js';

/**
 * npm run deps:check: for Electron and each runtime dependency, the pinned version, the newest
 * on the registry, and whether the pinned Electron major is among the three supported lines
 * (read from the registry's versions). Exits 1 when Electron is out of support or a pin is a
 * range; 2 when the registry cannot be asked. Uses npm, so the user's registry settings apply.
 */
const execFileAsync = promisify(execFile);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

async function npmView<T>(name: string, field: string): Promise<T> {
  const { stdout } = await execFileAsync('npm', ['view', name, field, '--json'], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

try {
  const pinnedElectron = pkg.devDependencies.electron ?? '';
  const [electronVersions, ...newest] = await Promise.all([
    npmView<string[]>('electron', 'versions'),
    ...Object.keys(pkg.dependencies).map((name) => npmView<string>(name, 'dist-tags.latest')),
  ]);
  const reports = Object.entries(pkg.dependencies).map(([name, pinned], i) => dependencyReport(name, pinned, newest[i] ?? pinned));
  const { text, ok } = formatDependencyCheck(electronSupport(pinnedElectron, electronVersions), reports);
  process.stdout.write(`${text}\n`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  const detail = error instanceof Error ? (error.message.split('\n').find((l) => /ERR!|error/i.test(l)) ?? error.message.split('\n')[0]) : String(error);
  process.stderr.write(`npm run deps:check: the npm registry could not be asked (${detail?.trim()}); check the network or npm's registry setting (npm config get registry).\n`);
  process.exitCode = 2;
}
