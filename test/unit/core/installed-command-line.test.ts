import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInstalledCommandLine } from '../../../main/core/exports/installed-command-line.js';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

describe('findInstalledCommandLine (the app finds the command line for the aws-config section)', () => {
  let dir: string;
  let bin: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'installed-cli-'));
    bin = join(dir, 'bin');
    mkdirSync(bin);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fakePackage(launcher: string): string {
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(pkg, 'dist', 'cli', 'aws-auth-tray.js'), '');
    writeFileSync(join(pkg, 'bin', 'aws-auth-tray.js'), launcher);
    chmodSync(join(pkg, 'bin', 'aws-auth-tray.js'), 0o755);
    return pkg;
  }

  it("finds npm link's launcher and the node beside it, by their real paths", () => {
    symlinkSync(join(REPOSITORY, 'bin', 'aws-auth-tray.js'), join(bin, 'aws-auth-tray'));
    symlinkSync(process.execPath, join(bin, 'node'));
    expect(findInstalledCommandLine({ env: { PATH: bin }, platform: 'linux' })).toEqual({
      nodePath: realpathSync(process.execPath),
      bundlePath: join(REPOSITORY, 'dist', 'cli', 'aws-auth-tray.js'),
    });
  });

  it('takes no other program called aws-auth-tray', () => {
    const pkg = fakePackage("#!/usr/bin/env node\nconsole.log('something else');\n");
    symlinkSync(join(pkg, 'bin', 'aws-auth-tray.js'), join(bin, 'aws-auth-tray'));
    symlinkSync(process.execPath, join(bin, 'node'));
    expect(findInstalledCommandLine({ env: { PATH: bin }, platform: 'linux' })).toBeUndefined();
  });

  it('skips launchers that are not executable, and relative PATH entries', () => {
    const pkg = fakePackage("#!/usr/bin/env node\nconst bundle = new URL('../dist/cli/aws-auth-tray.js', import.meta.url);\n");
    const launcher = join(pkg, 'bin', 'aws-auth-tray.js');
    symlinkSync(launcher, join(bin, 'aws-auth-tray'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const found = { nodePath: realpathSync(process.execPath), bundlePath: join(realpathSync(pkg), 'dist', 'cli', 'aws-auth-tray.js') };
    expect(findInstalledCommandLine({ env: { PATH: bin }, platform: 'linux' })).toEqual(found);
    // The same folder, named relative to the current directory: it would depend on where each tool runs.
    expect(findInstalledCommandLine({ env: { PATH: relative(process.cwd(), bin) }, platform: 'linux' })).toBeUndefined();
    chmodSync(launcher, 0o644);
    expect(findInstalledCommandLine({ env: { PATH: bin }, platform: 'linux' })).toBeUndefined();
  });

  it('needs a Node.js on PATH to name', () => {
    symlinkSync(join(REPOSITORY, 'bin', 'aws-auth-tray.js'), join(bin, 'aws-auth-tray'));
    expect(findInstalledCommandLine({ env: { PATH: bin }, platform: 'linux' })).toBeUndefined();
  });
});
