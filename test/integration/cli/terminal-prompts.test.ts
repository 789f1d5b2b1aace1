import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, CLI_PASSPHRASE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';

/**
 * The prompts on a real terminal: util-linux `script` gives the command line a pseudo-terminal,
 * and the test answers what it asks, like a person typing. This is how the MFA prompt reaches the
 * user while the AWS CLI holds credential_process's stdout.
 */
const SCRIPT = '/usr/bin/script';
const skip = existsSync(SCRIPT) ? undefined : `${SCRIPT} (util-linux) is not installed`;
if (skip) console.warn(`SKIP terminal prompt tests: ${skip}`);
const alice = identity(referenceFixture(), 'alice');

interface Answer {
  when: RegExp;
  send: () => string;
}

/** Run the CLI in a pseudo-terminal; each answer is typed once its question has appeared. */
function inTerminal(args: string[], env: Record<string, string>, answers: Answer[]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI_BUNDLE, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-q', '-e', '-c', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...answers];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The command did not finish; it printed:\n${output}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      while (pending[0] && pending[0].when.test(output)) {
        const answer = pending.shift();
        if (answer) child.stdin.write(`${answer.send()}\r`);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe.skipIf(skip !== undefined)(`prompts on the terminal${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const emulator = useEmulator();
  let cli: CliSandbox;

  beforeEach(async () => {
    cli = cliSandbox(emulator().url);
    expect((await cli.run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).exitCode).toBe(0);
  });
  afterEach(() => cli.cleanup());

  it('credential-process asks for the MFA code on the terminal, then prints the JSON', async () => {
    const result = await inTerminal(['credential-process', 'dev'], cli.env, [
      { when: /MFA code for security \(arn:aws:iam::111111111111:mfa\/alice\), asked by credential-process dev: $/, send: () => currentCode(emulator(), alice.seed) },
    ]);
    expect(result.code).toBe(0);
    const json = /\{"Version":1,.*\}/.exec(result.output)?.[0];
    expect(JSON.parse(json ?? '{}')).toMatchObject({ Version: 1 });
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
  });

  it('after a rejected code it says why and asks again', async () => {
    let asked = 0;
    const result = await inTerminal(['login'], cli.env, [
      { when: /MFA code for security .*: $/, send: () => ((asked += 1), wrongCode(emulator(), alice.seed)) },
      { when: /AWS rejected the MFA code\. .*\r?\nMFA code for security .*: $/s, send: () => ((asked += 1), currentCode(emulator(), alice.seed)) },
    ]);
    expect(asked).toBe(2);
    expect(result.code).toBe(0);
    expect(result.output).toContain('Signed in as security');
  });

  it('asks for the vault passphrase without echoing it, and refuses a wrong one three times', async () => {
    const env: Record<string, string> = Object.fromEntries(Object.entries(cli.env).filter(([k]) => k !== 'AWS_AUTH_TRAY_PASSPHRASE'));
    const ok = await inTerminal(['login', '--mfa-code', currentCode(emulator(), alice.seed)], env, [{ when: /Vault passphrase: $/, send: () => CLI_PASSPHRASE }]);
    expect(ok.code).toBe(0);
    expect(ok.output).not.toContain(CLI_PASSPHRASE);

    const wrong = await inTerminal(['export', 'dev'], env, [
      { when: /Vault passphrase: $/, send: () => 'wrong one' },
      { when: /does not unlock the vault[\s\S]*Vault passphrase: $/, send: () => 'wrong two' },
      { when: /does not unlock the vault[\s\S]*does not unlock the vault[\s\S]*Vault passphrase: $/, send: () => 'wrong three' },
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.output).not.toMatch(/wrong (one|two|three)/);
    expect(wrong.output.match(/That passphrase does not unlock the vault/g)).toHaveLength(3);
  });

  it('the third wrong passphrase does not say "Type it again" before exiting', async () => {
    const env: Record<string, string> = Object.fromEntries(Object.entries(cli.env).filter(([k]) => k !== 'AWS_AUTH_TRAY_PASSPHRASE'));
    const wrong = await inTerminal(['export', 'dev'], env, [
      { when: /Vault passphrase: $/, send: () => 'wrong one' },
      { when: /does not unlock the vault[\s\S]*Vault passphrase: $/, send: () => 'wrong two' },
      { when: /does not unlock the vault[\s\S]*does not unlock the vault[\s\S]*Vault passphrase: $/, send: () => 'wrong three' },
    ]);
    expect(wrong.code).toBe(1);
    const sentences = wrong.output.split(/\r?\n/).filter((line) => line.includes('does not unlock the vault'));
    expect(sentences.slice(0, 2)).toEqual(['aws-auth-tray: That passphrase does not unlock the vault. Type it again.', 'aws-auth-tray: That passphrase does not unlock the vault. Type it again.']);
    expect(sentences[2]).toBe(
      `aws-auth-tray: That passphrase does not unlock the vault either, so after three tries nothing was done. Run the command again to try once more; a forgotten passphrase cannot be recovered (move ${cli.vaultDir}/vault.json aside and add your keys again).`,
    );
    expect(wrong.output).not.toContain('AWS_AUTH_TRAY_PASSPHRASE is set');
  });

  it('a cached MFA session AWS no longer accepts is dropped: the next request asks for a code once, and works', async () => {
    expect((await cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
    // AWS's clock moves past the 12-hour session; this machine's clock still calls it fresh.
    emulator().clock.advance(13 * 3600_000);
    expect((await cli.run(['verify', 'security'])).exitCode).toBe(1);
    let asked = 0;
    const result = await inTerminal(['credential-process', 'security'], cli.env, [{ when: /MFA code for security .*: $/, send: () => ((asked += 1), currentCode(emulator(), alice.seed)) }]);
    expect(result.code).toBe(0);
    expect(asked).toBe(1);
    expect(JSON.parse(/\{"Version":1,.*\}/.exec(result.output)?.[0] ?? '{}')).toMatchObject({ Version: 1 });
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(2);
  });

  it('verify in a terminal that meets an MFA session AWS no longer accepts asks for a code once and reports the account in the same run', async () => {
    expect((await cli.run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).exitCode).toBe(0);
    emulator().clock.advance(13 * 3600_000);
    let asked = 0;
    const result = await inTerminal(['verify', 'security', 'dev'], cli.env, [{ when: /MFA code for security .*: $/, send: () => ((asked += 1), currentCode(emulator(), alice.seed)) }]);
    expect(result.output).toMatch(/^security\s+111111111111\s.*\bok\b/m);
    expect(result.output).toMatch(/^dev\s+222222222222\s.*\bok\b/m);
    expect(result.code).toBe(0);
    expect(asked).toBe(1);
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(2);
  });
});
