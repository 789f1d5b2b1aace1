import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RELEASE_CLI_BIN as CLI_BIN } from '../../support/cli-runner.js';

/**
 * The command line needs Node.js 22.12+ (package.json's engines). On an older Node.js it says so
 * and what to do, instead of failing later or printing the AWS SDK's end-of-support notice into
 * credential_process output. Older versions are simulated by overriding process.versions.node
 * before the bin runs, so this needs no second Node.js.
 */
const execFileAsync = promisify(execFile);

async function runBinAs(version: string | undefined, args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const preload = version === undefined ? [] : ['--import', `data:text/javascript,Object.defineProperty(process.versions,"node",{value:${JSON.stringify(version)}})`];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [...preload, CLI_BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the command line on an unsupported Node.js', () => {
  it.each(['20.19.0', '22.11.0', '18.20.8'])('Node.js %s: exit 1 with a sentence that says what to install', async (version) => {
    const out = await runBinAs(version, ['--help']);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `aws-auth-tray: Node.js ${version} is too old: the command line needs Node.js 22.12 or newer. Install Node.js 24 LTS and put it first on PATH (\`node -v\` shows which one runs).\n`,
    );
  });

  it.each(['22.12.0', '24.0.0', '26.1.0'])('Node.js %s runs it', async (version) => {
    const out = await runBinAs(version, ['--help']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^Usage: aws-auth-tray/);
  });

  it(`the Node.js running these tests (${process.versions.node}) runs it without a warning on stderr`, async () => {
    const out = await runBinAs(undefined, ['--help']);
    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
  });
});
