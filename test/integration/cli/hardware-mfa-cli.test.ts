import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_BUNDLE, cliSandbox, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { ykmanStandIn, type StandInAccount, type YkmanStandIn } from '../../support/ykman-standin/ykman-standin.js';

/**
 * Hardware MFA in the command line, against the STS emulator, with a stand-in `ykman` on PATH
 * (codes from the fixture's seed at the emulator's time; touch when the test says so):
 * `mfa_process` signs in without a code (login, and credential-process through `serve`), the
 * terminal prompt offers the YubiKey (Enter reads it), `login --yubikey` and
 * `AWS_VAULT_PROMPT=ykman` need no terminal, and without ykman nothing changes.
 */
const alice = identity(referenceFixture(), 'alice');
const DEVICE = alice.serialNumber;
const AWS_LABEL = 'Amazon Web Services:alice@111111111111';
const SCRIPT = '/usr/bin/script';
const noScript = existsSync(SCRIPT) ? undefined : `${SCRIPT} (util-linux) is not installed`;
if (noScript) console.warn(`SKIP the terminal parts of the hardware MFA tests: ${noScript}`);

interface Step {
  when: RegExp;
  /** Typed (then Enter), or done (touching the key). */
  act: string | (() => void);
}

/** The command line in a pseudo-terminal; each step acts once its text has appeared. */
function inTerminal(args: string[], env: Record<string, string>, steps: Step[]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI_BUNDLE, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-q', '-e', '-c', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...steps];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The command did not finish; it printed:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      while (pending[0] && pending[0].when.test(output)) {
        const step = pending.shift();
        if (typeof step?.act === 'string') child.stdin.write(`${step.act}\r`);
        else step?.act();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe('hardware MFA in the command line', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  let standIn: YkmanStandIn;
  const children: ChildProcess[] = [];

  /** The sandbox with the stand-in on PATH holding these accounts. */
  function withYubikey(accounts: StandInAccount[]): void {
    standIn = ykmanStandIn({ emulatorUrl: emulator().url, accounts });
    Object.assign(sandbox.env, standIn.env(sandbox.env.PATH));
  }

  /** The reference profiles, the identity with this mfa_process (or none). */
  async function importProfiles(mfaProcess?: string): Promise<void> {
    let config = REFERENCE_AWS_CONFIG;
    if (mfaProcess !== undefined) {
      config = join(sandbox.home, 'aws-config');
      writeFileSync(config, readFileSync(REFERENCE_AWS_CONFIG, 'utf8').replace('[profile security]\n', `[profile security]\nmfa_process = ${mfaProcess}\n`));
    }
    const imported = await sandbox.run(['import-config', config, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys']);
    expect(imported.exitCode, imported.stderr).toBe(0);
  }

  /** A command line run in the background; `stderr()` as it comes. */
  function start(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number> } {
    const merged: Record<string, string> = { ...sandbox.env };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const exit = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
    return { child, stdout: () => out, stderr: () => err, exit };
  }

  beforeEach(() => {
    sandbox = cliSandbox(emulator().url);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    }
    standIn?.cleanup();
    sandbox.cleanup();
  });

  it('login with mfa_process (aws-vault\'s ykman line) signs in without a code and without a terminal', async () => {
    withYubikey([{ name: DEVICE, serialNumber: DEVICE }]);
    await importProfiles(`ykman oath accounts code --single ${DEVICE}`);
    const login = await sandbox.run(['login']);
    expect(login.stderr).toMatch(/^Reading the MFA code for security from its mfa_process "ykman oath accounts code --single arn:aws:iam::111111111111:mfa\/alice"…\n$/);
    expect(login.stdout).toMatch(/^Signed in as security \(AKIA/);
    expect(login.exitCode).toBe(0);
    expect(standIn.calls()).toEqual([['oath', 'accounts', 'code', '--single', DEVICE]]);
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
    const verified = await sandbox.run(['verify', '--json', 'security', 'dev']);
    expect((JSON.parse(verified.stdout) as { results: { verdict: string }[] }).results.map((r) => r.verdict)).toEqual(['ok', 'ok']);
    // The code and the seed are nowhere in what the person saw.
    const code = currentCode(emulator(), alice.seed);
    for (const text of [login.stdout, login.stderr, verified.stdout, verified.stderr]) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(alice.seed);
    }
  });

  it('an mfa_process that fails is said, and the code is asked for (here there is no terminal, so that is said too)', async () => {
    await importProfiles('/nonexistent/otp-tool --aws');
    const login = await sandbox.run(['login']);
    expect(login.exitCode).toBe(1);
    expect(login.stderr).toContain(
      'aws-auth-tray: mfa_process "/nonexistent/otp-tool --aws" could not start: there is no program /nonexistent/otp-tool on PATH. Fix the identity\'s mfa_process, or install the program. Type the code instead. login needs the code your MFA device',
    );
    expect(emulator().requests({ action: 'GetSessionToken' })).toHaveLength(0);
  });

  it('login --yubikey reads the code from the YubiKey without a terminal, saying "touch" while it waits', async () => {
    withYubikey([{ name: AWS_LABEL, serialNumber: DEVICE, touch: true }, { name: 'GitHub:alice', seed: 'JBSWY3DPEHPK3PXP' }]);
    await importProfiles();
    const login = start(['login', '--yubikey']);
    await expect.poll(() => login.stderr(), { timeout: 15_000 }).toContain('Touch your YubiKey…');
    expect(login.stderr()).toBe(`Reading the MFA code from YubiKey "${AWS_LABEL}"…\nTouch your YubiKey…\n`);
    standIn.touch();
    expect(await login.exit).toBe(0);
    expect(login.stdout()).toMatch(/^Signed in as security/);
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
  });

  it('login --yubikey with no YubiKey inserted, without ykman, or with several matching accounts: a sentence each; --oath-account chooses and is remembered', async () => {
    await importProfiles();
    const noYkman = await sandbox.run(['login', '--yubikey']);
    expect(noYkman).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('aws-auth-tray: Reading the MFA code from a YubiKey needs ykman (YubiKey Manager), which is not installed or not on PATH.') as string });

    withYubikey([{ name: AWS_LABEL, serialNumber: DEVICE }, { name: 'alice', serialNumber: DEVICE }]);
    standIn.update({ device: 'missing' });
    const missing = await sandbox.run(['login', '--yubikey']);
    expect(missing).toMatchObject({ exitCode: 1, stderr: 'aws-auth-tray: No YubiKey is connected (ykman found none). Insert your YubiKey and try again, or type the code.\n' });

    standIn.update({ device: 'present' });
    const several = await sandbox.run(['login', '--yubikey']);
    expect(several.exitCode).toBe(1);
    expect(several.stderr).toBe(
      `aws-auth-tray: Several OATH accounts on the YubiKey match ${DEVICE}: "${AWS_LABEL}", "alice". Choose one as the identity's OATH account (in the app's identity form, or aws-auth-tray login --oath-account "<name>"), or type the code.\n`,
    );
    const chosen = await sandbox.run(['login', '--yubikey', '--oath-account', 'alice']);
    expect(chosen.stderr).toBe('The YubiKey OATH account "alice" is remembered for security.\nReading the MFA code from YubiKey "alice"…\n');
    expect(chosen.exitCode).toBe(0);
    // Remembered: the next login needs no --oath-account.
    emulator().clock.advance(30_000);
    const again = await sandbox.run(['login', '--yubikey']);
    expect(again).toMatchObject({ exitCode: 0, stderr: 'Reading the MFA code from YubiKey "alice"…\n' });
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(2);
    expect(await sandbox.run(['login', '--yubikey', '--mfa-code', '123456'])).toMatchObject({ exitCode: 2 });
  });

  it('credential-process through serve: serve signs in with mfa_process, nobody types a code', async () => {
    withYubikey([{ name: DEVICE, serialNumber: DEVICE }]);
    await importProfiles(`ykman oath accounts code --single ${DEVICE}`);
    const serve = start(['serve']);
    await expect.poll(() => serve.stdout().includes('PowerShell:') || serve.child.exitCode !== null, { timeout: 15_000 }).toBe(true);
    expect(serve.stdout()).toContain('The command line here');
    const json = await sandbox.run(['credential-process', 'dev'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });
    expect(serve.stderr()).toContain('Reading the MFA code for security from its mfa_process');
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
  });

  it('credential-process through serve with AWS_VAULT_PROMPT=ykman: serve reads the YubiKey (touch said where serve runs)', async () => {
    withYubikey([{ name: AWS_LABEL, serialNumber: DEVICE, touch: true }]);
    await importProfiles();
    const serve = start(['serve'], { AWS_VAULT_PROMPT: 'ykman' });
    await expect.poll(() => serve.stdout().includes('PowerShell:') || serve.child.exitCode !== null, { timeout: 15_000 }).toBe(true);
    const asking = sandbox.run(['credential-process', 'prod'], { env: { AWS_AUTH_TRAY_PASSPHRASE: undefined } });
    await expect.poll(() => serve.stderr(), { timeout: 15_000 }).toContain('Touch your YubiKey…');
    standIn.touch();
    const json = await asking;
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1 });
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
  });

  it('standalone credential-process with AWS_VAULT_PROMPT=ykman and no terminal reads the YubiKey', async () => {
    withYubikey([{ name: DEVICE, serialNumber: DEVICE }]);
    await importProfiles();
    const json = await sandbox.run(['credential-process', 'dev'], { env: { AWS_VAULT_PROMPT: 'ykman' } });
    expect(json.stderr).toBe(`Reading the MFA code from YubiKey "${DEVICE}"…\n`);
    expect(JSON.parse(json.stdout)).toMatchObject({ Version: 1 });
  });

  describe.skipIf(noScript !== undefined)('at the terminal', () => {
    it('the prompt offers the YubiKey; Enter reads it, "Touch your YubiKey…" while it waits', async () => {
      withYubikey([{ name: AWS_LABEL, serialNumber: DEVICE, touch: true }]);
      await importProfiles();
      const result = await inTerminal(['login'], sandbox.env, [
        { when: /MFA code for security \(arn:aws:iam::111111111111:mfa\/alice\), asked by aws-auth-tray login — press Enter to use YubiKey "Amazon Web Services:alice@111111111111": $/, act: '' },
        { when: /Touch your YubiKey…/, act: () => standIn.touch() },
      ]);
      expect(result.output).toContain(`Reading the MFA code from YubiKey "${AWS_LABEL}"…`);
      expect(result.output).toContain('Signed in as security');
      expect(result.code).toBe(0);
    });

    it('a YubiKey pulled out before Enter: the sentence, then the question again, and a typed code works', async () => {
      withYubikey([{ name: AWS_LABEL, serialNumber: DEVICE }]);
      await importProfiles();
      const result = await inTerminal(['credential-process', 'dev'], sandbox.env, [
        { when: /press Enter to use YubiKey "Amazon Web Services:alice@111111111111": $/, act: () => standIn.update({ device: 'missing' }) },
        { when: /press Enter to use YubiKey "Amazon Web Services:alice@111111111111": $/, act: '' },
        { when: /No YubiKey is connected \(ykman found none\)\. Insert your YubiKey and try again, or type the code\.\r?\nMFA code for security .*: $/, act: currentCode(emulator(), alice.seed) },
      ]);
      expect(result.code).toBe(0);
      expect(JSON.parse(/\{"Version":1,.*\}/.exec(result.output)?.[0] ?? '{}')).toMatchObject({ Version: 1 });
    });

    it('without ykman nothing changes: the same question as ever', async () => {
      await importProfiles();
      const result = await inTerminal(['login'], sandbox.env, [{ when: /MFA code for security \(arn:aws:iam::111111111111:mfa\/alice\), asked by aws-auth-tray login: $/, act: currentCode(emulator(), alice.seed) }]);
      expect(result.code).toBe(0);
      expect(result.output).not.toContain('YubiKey');
    });
  });
});
