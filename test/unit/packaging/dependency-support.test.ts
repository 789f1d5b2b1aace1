import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dependencyReport, electronSupport, formatDependencyCheck, supportedElectronMajors } from '../../../scripts/dependency-support.js';

/**
 * npm run deps:check, against registry answers made here: which Electron lines are supported is
 * read from the versions, never hard-coded, and an Electron out of support fails the check.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const VERSIONS_2026_12 = ['40.8.5', '40.10.6', '41.0.0', '43.8.13', '44.11.5', '45.0.0-beta.3', '45.0.0', '45.5.0', '46.0.0-alpha.1', '46.0.0-nightly.20261201'];

describe('supported Electron lines', () => {
  it('the three newest majors with a stable release; pre-releases do not count', () => {
    expect(supportedElectronMajors(VERSIONS_2026_12)).toEqual([45, 44, 43]);
  });

  it('45 is supported today, 40 is not', () => {
    expect(electronSupport('45.5.0', VERSIONS_2026_12)).toEqual({ pinned: '45.5.0', newest: '45.5.0', supportedMajors: [45, 44, 43], supported: true });
    expect(electronSupport('40.8.5', VERSIONS_2026_12)).toMatchObject({ supported: false, newest: '45.5.0' });
  });

  it('once 48 is out, 45 is not supported any more', () => {
    expect(electronSupport('45.5.0', [...VERSIONS_2026_12, '46.0.0', '47.1.0', '48.0.0']).supported).toBe(false);
  });
});

describe('dependency report', () => {
  it.each([
    ['3.41.1', '3.41.1', 'current'],
    ['3.41.1', '3.42.0', 'behind'],
    ['15.1.0', '16.0.0', 'major behind'],
    ['^16.0.0', '16.0.0', 'not pinned'],
  ] as const)('pinned %s, newest %s: %s', (pinned, newest, status) => {
    expect(dependencyReport('x', pinned, newest).status).toBe(status);
  });

  it('the verdict fails on Electron out of support and on a range, and says what to do', () => {
    const out = formatDependencyCheck(electronSupport('40.8.5', VERSIONS_2026_12), [dependencyReport('conf', '^16.0.0', '16.0.0')]);
    expect(out.ok).toBe(false);
    expect(out.text).toContain('Electron 40.8.5 is out of support: Electron supports only its three newest major lines (45, 44, 43). Move to Electron 45.5.0.');
    expect(out.text).toContain('conf is pinned to the range "^16.0.0": pin an exact version.');
  });
});

describe('npm run deps:check, with a stand-in npm that answers as the registry would', () => {
  const bin = mkdtempSync(join(tmpdir(), 'aat-deps-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  async function depsCheck(electronVersions: string[]): Promise<{ code: number; stdout: string }> {
    const answers = { electron: electronVersions, ...Object.fromEntries(Object.entries(pkg.dependencies).map(([name, version]) => [name, version])) };
    writeFileSync(join(bin, 'answers.json'), JSON.stringify(answers));
    // `npm view NAME FIELD --json`: versions for electron, dist-tags.latest for the rest.
    writeFileSync(join(bin, 'npm'), `#!/usr/bin/env node\nconst a = require(${JSON.stringify(join(bin, 'answers.json'))});\nprocess.stdout.write(JSON.stringify(a[process.argv[3]]));\n`);
    chmodSync(join(bin, 'npm'), 0o755);
    const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    return promisify(execFile)(process.execPath, [tsx, 'scripts/deps-check.ts'], { cwd: ROOT, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: unknown) => ({ code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout }),
    );
  }

  it(`passes with the pinned Electron ${pkg.devDependencies.electron ?? ''} among the three newest lines`, async () => {
    const pinned = pkg.devDependencies.electron ?? '';
    const out = await depsCheck([...VERSIONS_2026_12, pinned]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^electron +${pinned.replace(/\./g, '\\.')} `, 'm'));
  });

  it('exits 1 when three newer majors are out', async () => {
    const major = Number((pkg.devDependencies.electron ?? '0').split('.')[0]);
    const out = await depsCheck([...VERSIONS_2026_12, `${major + 1}.0.0`, `${major + 2}.0.0`, `${major + 3}.0.0`]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('is out of support');
  });
});
