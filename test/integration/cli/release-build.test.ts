import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { AJV_ABSENT } from '../../../scripts/build-cli.js';
import { CLI_BUNDLE, RELEASE_CLI_BIN, RELEASE_CLI_BUNDLE } from '../../support/cli-runner.js';

/**
 * Most suites run the command line's test build (dist-test/cli), which differs from the release
 * in one module: a cheap vault key derivation. This checks the difference is that and no more:
 * the release bundle (through the bin package.json installs) derives with N = 2^17, r = 8,
 * p = 1, and a vault written by the test build is refused by the release, with a sentence.
 */
function run(bundleOrBin: string, args: string[], env: Record<string, string>): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bundleOrBin, ...args], { env, encoding: 'utf8', timeout: 25_000 }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Every passphrase envelope in a vault file, with its key-derivation parameters. */
function kdfParameters(vaultFile: string): string[] {
  const text = readFileSync(vaultFile, 'utf8');
  return [...new Set([...text.matchAll(/aat2\$scrypt\$(\d+,\d+,\d+)\$/g)].map((m) => m[1] ?? ''))];
}

/** The bundle's files the entry reaches (statically or by import()): stale chunks of earlier builds left out. */
function reachableFiles(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    for (const m of text.matchAll(/(?:from\s*|import\(\s*)["'](\.\/[^"']+\.m?js)["']/g)) pending.push(join(dirname(file), m[1] ?? ''));
  }
  return files;
}

describe('the release build of the command line', () => {
  let home: string;
  let env: Record<string, string>;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'aws-auth-tray-release-'));
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_AUTH_TRAY_HOME: join(home, 'vault'),
      AWS_AUTH_TRAY_PASSPHRASE: 'release build passphrase',
      AWS_AUTH_TRAY_STANDALONE: '1',
    };
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const importArgs = ['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'];

  it('seals the vault with scrypt N = 2^17, r = 8, p = 1, and opens it again', async () => {
    const imported = await run(RELEASE_CLI_BIN, importArgs, env);
    expect(imported).toMatchObject({ exitCode: 0, stderr: '' });
    expect(kdfParameters(join(home, 'vault', 'vault.json'))).toEqual(['17,8,1']);
    const listed = await run(RELEASE_CLI_BIN, ['list', '--json'], env);
    expect(listed).toMatchObject({ exitCode: 0, stderr: '' });
    expect(listed.stdout).toContain('"dev"');
  });

  it('leaves ajv out (conf is never given a schema), and conf in the bundle still writes the vault', async () => {
    const files = reachableFiles(RELEASE_CLI_BUNDLE);
    expect(files.size).toBeGreaterThan(5);
    const text = [...files.values()].join('\n');
    expect(text).toContain(AJV_ABSENT);
    expect(text).not.toContain('strictTuples'); // one of ajv's own options
    // A write through conf: the import creates the vault.
    expect(await run(RELEASE_CLI_BIN, importArgs, env)).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(readFileSync(join(home, 'vault', 'vault.json'), 'utf8'))).toMatchObject({ format: 2 });
  });

  it('refuses a vault the test build wrote (cheap key derivation) with a sentence that is not "wrong passphrase"', async () => {
    const imported = await run(CLI_BUNDLE, importArgs, env);
    expect(imported).toMatchObject({ exitCode: 0, stderr: '' });
    expect(kdfParameters(join(home, 'vault', 'vault.json'))).toEqual(['12,8,1']);
    const listed = await run(RELEASE_CLI_BIN, ['export', 'dev'], env);
    expect(listed.exitCode).toBe(1);
    expect(listed.stderr).toContain('was sealed with key-derivation parameters this version of AWS Auth Tray does not use (12,8,1)');
  });
});
