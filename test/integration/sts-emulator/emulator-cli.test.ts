import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from 'vitest';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * The emulator's command line as users start it (`npm run sts-emulator -- --fixture ...`), minus
 * npm: `node --import tsx test/sts-emulator/cli.ts ...`, from the project root.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'test/sts-emulator/cli.ts';
const FIXTURE = 'test/sts-emulator/fixtures/reference-architecture.json';
const LISTENING = /^STS emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/m;
const STARTUP_TIMEOUT_MS = 15_000;

const alice = identity(referenceFixture(), 'alice');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Running {
  child: ChildProcess;
  exited: Promise<Exit>;
  output: () => { stdout: string; stderr: string };
}

const spawned = new Set<ChildProcess>();

afterEach(() => {
  for (const child of spawned) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  spawned.clear();
});

function startCli(args: readonly string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    // 'close' (not 'exit'): stdout and stderr have been read to the end.
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Runs the command line to completion (it must exit on its own, e.g. on a usage error). */
async function runCli(args: readonly string[]): Promise<Exit> {
  const running = startCli(args);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
  try {
    return await running.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `STS emulator listening on <url>` on stdout and returns the URL. */
async function listeningUrl(running: Running): Promise<string> {
  const { child } = running;
  return new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = LISTENING.exec(running.output().stdout);
      if (match?.[1]) {
        done();
        resolve(match[1]);
      }
    };
    const onExit = (): void => {
      done();
      const { stdout, stderr } = running.output();
      reject(new Error(`The emulator exited before listening.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => {
      done();
      const { stdout, stderr } = running.output();
      reject(new Error(`No "STS emulator listening on" line within ${STARTUP_TIMEOUT_MS} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.once('exit', onExit);
    check();
  });
}

async function callerArn(url: string): Promise<string | undefined> {
  const client = new STSClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey },
    maxAttempts: 1,
  });
  try {
    return (await client.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    client.destroy();
  }
}

describe('the STS emulator command line (node --import tsx test/sts-emulator/cli.ts)', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves the fixture on the port it prints, answers the AWS SDK, and exits 0 on ${signal}`, async () => {
      const running = startCli(['--fixture', FIXTURE, '--port', '0']);
      const url = await listeningUrl(running);
      expect(Number(new URL(url).port)).toBeGreaterThan(0);

      expect(await callerArn(url)).toBe('arn:aws:iam::111111111111:user/alice');

      expect(running.child.kill(signal)).toBe(true);
      const exit = await running.exited;
      expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
      expect(exit.stdout).toContain(`Received ${signal}; stopping the STS emulator.`);
      expect(exit.stderr).toBe('');
      // The port is free again.
      await expect(callerArn(url)).rejects.toThrow();
    });
  }

  it('without --fixture exits 2 with a usage message on stderr', async () => {
    const exit = await runCli(['--port', '0']);

    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('Say which fixture to serve with --fixture <file>.');
    expect(exit.stderr).toContain('Usage: npm run sts-emulator -- --fixture <file> [--port N] [--latency-ms N]');
    expect(exit.stdout).toBe('');
  });

  it('with a fixture file that does not exist exits 2 with a sentence naming the file', async () => {
    const exit = await runCli(['--fixture', 'test/sts-emulator/fixtures/no-such-fixture.json', '--port', '0']);

    expect(exit.code).toBe(2);
    expect(exit.stderr.trim()).toBe('Cannot read the fixture test/sts-emulator/fixtures/no-such-fixture.json: it does not exist.');
    expect(exit.stdout).toBe('');
  });

  it('with a --latency-ms that is not a number exits 2 and says what it must be', async () => {
    const exit = await runCli(['--fixture', FIXTURE, '--port', '0', '--latency-ms', 'fast']);

    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("--latency-ms must be a whole number from 0 to 600000; got 'fast'.");
    expect(exit.stderr).toContain('Usage: npm run sts-emulator');
    expect(exit.stdout).toBe('');
  });

  it('with an unknown option exits 2 with the usage message', async () => {
    const exit = await runCli(['--fixture', FIXTURE, '--prot', '0']);

    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("'--prot'");
    expect(exit.stderr).toContain('Usage: npm run sts-emulator');
  });

  it('on a port that is already taken exits 1 and suggests --port 0', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const exit = await runCli(['--fixture', FIXTURE, '--port', String(port)]);

      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(exit.stderr).toContain('--port 0');
    } finally {
      blocker.close();
      await once(blocker, 'close');
    }
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const exit = await runCli(['--help']);

    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('Usage: npm run sts-emulator -- --fixture <file> [--port N] [--latency-ms N]');
    expect(exit.stderr).toBe('');
  });
});
