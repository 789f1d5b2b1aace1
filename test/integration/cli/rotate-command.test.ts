import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RotationStep } from '../../../main/core/rotation/key-rotation.js';
import { findAwsCliV2, runAws } from '../../support/aws-cli.js';
import { CLI_BUNDLE, cliSandbox, type CliResult, type CliSandbox } from '../../support/cli-runner.js';
import { REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { KILL_AFTER_ROTATION_STEP_VARIABLE } from '../../support/test-build/rotation-crash-points.js';

/**
 * `aws-auth-tray rotate`, the command line's test build against the STS emulator's IAM: the key
 * rotated with the MFA session kept, the two-key limit said, a running agent respected, and the
 * command killed with SIGKILL after each step of the rotation (the test build's crash point),
 * after which the next command finishes or rolls the rotation back with a sentence, the vault's
 * key signs in, `verify` passes and IAM ends with the keys it should.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const aliceUser = fixture.users.find((u) => u.name === 'alice') ?? expect.fail('no alice');
const cli = findAwsCliV2();
const STEPS: readonly RotationStep[] = ['signing-in', 'creating', 'storing', 'proving', 'retiring-old', 'done'];
const KEY_ID = /AKIA[A-Z2-7]{16}/;

describe('aws-auth-tray rotate', () => {
  const emulator = useEmulator();
  let sandbox: CliSandbox;
  const outputs: string[] = [];
  const children: ChildProcess[] = [];

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
    sandbox.cleanup();
  });

  /** The command line with IAM at the emulator too (AWS_ENDPOINT_URL_STS alone keeps IAM uncalled). */
  async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
    const result = await sandbox.run(args, { env: { AWS_ENDPOINT_URL_IAM: emulator().url, ...env } });
    outputs.push(result.stdout, result.stderr);
    return result;
  }
  async function signIn(): Promise<void> {
    expect(await run(['import-config', REFERENCE_AWS_CONFIG, '--credentials-file', REFERENCE_AWS_CREDENTIALS, '--import-keys'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).toMatchObject({ exitCode: 0, stderr: '' });
  }
  const keysInIam = () => emulator().directory.accessKeysOf(aliceUser).map((k) => ({ id: k.accessKeyId, status: k.status }));
  /** The identity's access key id, as `list` shows it (no passphrase). */
  async function vaultKeyId(): Promise<string> {
    const listed = await run(['list'], { AWS_AUTH_TRAY_PASSPHRASE: undefined });
    return KEY_ID.exec(listed.stdout)?.[0] ?? expect.fail(`list shows no key:\n${listed.stdout}`);
  }
  /** The vault's long-term key still works: a new sign-in (GetSessionToken with it) succeeds. */
  async function signInAgain(): Promise<void> {
    emulator().clock.advance(30_000);
    expect(await run(['login', '--mfa-code', currentCode(emulator(), alice.seed)])).toMatchObject({ exitCode: 0, stderr: '' });
  }

  it('rotates: progress on stderr, the new key id on stdout; the old key is refused, the MFA session kept, verify passes, no secret printed', async () => {
    await signIn();
    const out = await run(['rotate', '--yes']);
    expect(out.exitCode, out.stderr).toBe(0);
    const newKey = keysInIam()[0]?.id ?? expect.fail('IAM has no key');
    expect(keysInIam()).toEqual([{ id: newKey, status: 'Active' }]);
    expect(out.stdout).toBe(`Rotated security: new access key ${newKey}; the old key ${alice.accessKeyId} was deleted.\n`);
    expect(out.stderr.split('\n').filter(Boolean)).toEqual([
      'Signing in as security with MFA: IAM lets you change your own access keys only in an MFA session.',
      'Asking IAM which access keys security has, and creating a new one.',
      `IAM created the key ${newKey}; storing it, encrypted, in the vault before using it.`,
      `Proving the new key ${newKey} with sts get-caller-identity.`,
      `Deleting the old key ${alice.accessKeyId}.`,
      `Rotated: security now uses ${newKey}, which AWS accepted; the old key ${alice.accessKeyId} was deleted.`,
    ]);
    expect(await vaultKeyId()).toBe(newKey);
    expect(emulator().directory.findAccessKey(alice.accessKeyId)).toBeUndefined();

    const verified = await run(['verify']);
    expect(verified.exitCode, verified.stderr).toBe(0);
    // The MFA session made with the old key still serves: no second sign-in.
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
    const newSecret = emulator().directory.accessKeysOf(aliceUser)[0]?.secretAccessKey ?? '';
    for (const text of outputs) {
      expect(text).not.toContain(newSecret);
      expect(text).not.toContain(alice.secretAccessKey);
    }
    await signInAgain();
    expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' }).at(-1)?.accessKeyId).toBe(newKey);
  });

  it('--deactivate-old keeps the old key, inactive; the next rotation meets the two-key limit and --delete-inactive makes room', async () => {
    await signIn();
    expect((await run(['rotate', '--yes', '--deactivate-old'])).exitCode).toBe(0);
    const first = await vaultKeyId();
    expect(keysInIam()).toEqual([
      { id: alice.accessKeyId, status: 'Inactive' },
      { id: first, status: 'Active' },
    ]);

    const refused = await run(['rotate', '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`aws-auth-tray: The IAM user alice (identity security) already has two access keys, the most IAM allows, so there is no room for a new one: ${first}, the one this vault uses, and ${alice.accessKeyId}, inactive, created 30 days ago`);
    expect(refused.stderr).toContain('aws-auth-tray rotate --delete-inactive');
    expect(emulator().requests({ action: 'CreateAccessKey' })).toHaveLength(1);

    const made = await run(['rotate', '--yes', '--delete-inactive', '--deactivate-old']);
    expect(made.exitCode, made.stderr).toBe(0);
    const second = await vaultKeyId();
    expect(made.stdout).toBe(`Rotated security: new access key ${second}; the old key ${first} was deactivated (and the inactive key ${alice.accessKeyId} deleted to make room).\n`);
    expect(keysInIam()).toEqual([
      { id: first, status: 'Inactive' },
      { id: second, status: 'Active' },
    ]);
  });

  it('refuses while an agent (serve) holds the vault, and changes nothing', async () => {
    await signIn();
    const child = spawn(process.execPath, [CLI_BUNDLE, 'serve'], { env: sandbox.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    await expect.poll(() => out.includes('PowerShell:') || child.exitCode !== null, { timeout: 15_000 }).toBe(true);

    const refused = await run(['rotate', '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      'aws-auth-tray: AWS Auth Tray (the app, or aws-auth-tray serve) is running and uses your access key: rotating it from here would leave it with a key IAM no longer accepts. Rotate from the app (the identity panel: Rotate access key), or stop serve, then run aws-auth-tray rotate again.\n',
    );
    expect(keysInIam()).toEqual([{ id: alice.accessKeyId, status: 'Active' }]);
    expect(emulator().requests({ service: 'iam' })).toHaveLength(0);
  });

  it('without IAM at hand (only AWS_ENDPOINT_URL_STS set) it says what to set, and changes nothing', async () => {
    await signIn();
    const out = await run(['rotate', '--yes'], { AWS_ENDPOINT_URL_IAM: undefined });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('Set AWS_ENDPOINT_URL_IAM (or AWS_ENDPOINT_URL) to the matching IAM endpoint.');
    expect(keysInIam()).toEqual([{ id: alice.accessKeyId, status: 'Active' }]);
  });

  const killCases: { step: RotationStep; deactivate: boolean }[] = [...STEPS.map((step) => ({ step, deactivate: false })), ...(['creating', 'storing', 'proving', 'retiring-old'] as const).map((step) => ({ step, deactivate: true }))];
  for (const { step, deactivate } of killCases) {
    it(`killed (SIGKILL) after "${step}"${deactivate ? ', deactivating the old key' : ''}: the next command finishes or rolls back with a sentence, and the vault's key works`, { timeout: 60_000 }, async () => {
      await signIn();
      const killed = await run(['rotate', '--yes', ...(deactivate ? ['--deactivate-old'] : [])], { [KILL_AFTER_ROTATION_STEP_VARIABLE]: step });
      expect(killed.exitCode, `rotate was not killed: ${killed.stderr}`).toBe(-1);
      expect(killed.stdout).toBe('');

      // The next command that unlocks the vault deals with what the kill left.
      const verified = await run(['verify']);
      expect(verified.exitCode, verified.stderr).toBe(0);
      const key = await vaultKeyId();
      const notice = verified.stderr.trim();
      const retired = deactivate ? `the old key ${alice.accessKeyId} was deactivated and kept in IAM (delete it there once you are sure nothing else uses it).` : `the old key ${alice.accessKeyId} was deleted.`;
      switch (step) {
        case 'signing-in':
        case 'done':
          expect(notice).toBe('');
          break;
        case 'creating':
          expect(notice).toMatch(
            /^aws-auth-tray: The access key rotation of security was interrupted just after IAM created AKIA[A-Z2-7]{16}, before its secret was saved; a key without its secret can never be used, so it was deleted\. security keeps AKIAWL6CCIORC6IWFMCG\.$/,
          );
          break;
        case 'storing':
        case 'proving':
        case 'retiring-old':
          expect(notice).toBe(`aws-auth-tray: The access key rotation of security that was interrupted is finished: security now uses ${key}, which AWS accepted; ${retired}`);
      }
      const rotated = step !== 'signing-in' && step !== 'creating';
      expect(key === alice.accessKeyId).toBe(!rotated);
      expect(keysInIam()).toEqual(
        rotated && deactivate
          ? [
              { id: alice.accessKeyId, status: 'Inactive' },
              { id: key, status: 'Active' },
            ]
          : [{ id: key, status: 'Active' }],
      );
      // Nothing left on record: the command after that says nothing more.
      const again = await run(['verify']);
      expect(again).toMatchObject({ exitCode: 0, stderr: '' });
      // The vault's long-term key signs in.
      await signInAgain();
      expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' }).at(-1)?.accessKeyId).toBe(key);
      if (!('missing' in cli)) {
        const secret = emulator().directory.findAccessKey(key)?.key.secretAccessKey ?? expect.fail(`IAM does not know ${key}`);
        const caller = await runAws(cli, ['sts', 'get-caller-identity'], { endpointUrl: emulator().url, credentials: { accessKeyId: key, secretAccessKey: secret } });
        expect(caller.exitCode, caller.stderr).toBe(0);
        expect(JSON.parse(caller.stdout)).toMatchObject({ Arn: alice.arn });
      }
    });
  }

  it('an interrupted rotation that needs an MFA code is left pending by other commands, with a sentence, and finished by rotate', async () => {
    await signIn();
    await run(['rotate', '--yes'], { [KILL_AFTER_ROTATION_STEP_VARIABLE]: 'proving' });
    const newKey = await vaultKeyId();
    expect(keysInIam()).toHaveLength(2);
    expect((await run(['sign-out'])).exitCode).toBe(0);

    const exported = await run(['export', 'security', '--format', 'bash']);
    expect(exported.stderr).toContain(
      `aws-auth-tray: The access key rotation of security that was interrupted could not be finished yet: finishing it needs an MFA code for security and no MFA session is cached (only aws-auth-tray rotate or login ask for one here). security still has a working key (${newKey}); it is tried again at the next start, or finish it with: aws-auth-tray rotate --label security`,
    );
    expect(keysInIam()).toHaveLength(2);

    emulator().clock.advance(30_000);
    const finished = await run(['rotate', '--yes', '--mfa-code', currentCode(emulator(), alice.seed)]);
    expect(finished.exitCode, finished.stderr).toBe(0);
    expect(finished.stderr).toContain('Finishing the access key rotation of security that was interrupted.');
    expect(finished.stdout).toBe(`Rotated security: new access key ${newKey}; the old key ${alice.accessKeyId} was deleted.\n`);
    expect(keysInIam()).toEqual([{ id: newKey, status: 'Active' }]);
    expect(emulator().requests({ action: 'CreateAccessKey' })).toHaveLength(1);
  });

  it('Ctrl-C while AWS has not accepted the new key yet: the new key is deleted, the old one kept, exit 130', { timeout: 60_000 }, async () => {
    await signIn();
    emulator().setKeyPropagationDelay(3600_000);
    const child = spawn(process.execPath, [CLI_BUNDLE, 'rotate', '--yes'], { env: { ...sandbox.env, AWS_ENDPOINT_URL_IAM: emulator().url }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Interrupted once it is waiting for AWS to accept the key (the first refusal is on stderr).
    await expect.poll(() => err.includes('trying again (attempt 2)') || child.exitCode !== null, { timeout: 30_000 }).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const newKey = /IAM created the key (AKIA[A-Z2-7]{16})/.exec(err)?.[1] ?? expect.fail(err);
    expect(err).toContain(`aws-auth-tray: Interrupted (SIGINT). The rotation was rolled back: the new key ${newKey} was deleted and security keeps ${alice.accessKeyId}, which still works.\n`);
    expect(keysInIam()).toEqual([{ id: alice.accessKeyId, status: 'Active' }]);
    expect(await vaultKeyId()).toBe(alice.accessKeyId);
    const after = await run(['verify']);
    expect(after).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('--help describes it, and usage errors exit 2', async () => {
    const help = await run(['rotate', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: aws-auth-tray rotate /);
    expect((await run(['rotate', '--delete-old', '--deactivate-old', '--yes'])).exitCode).toBe(2);
    expect((await run(['rotate', '--mfa-code', '12', '--yes'])).exitCode).toBe(2);
    // The suites run without a controlling terminal: nobody to confirm with.
    await signIn();
    const unconfirmed = await run(['rotate']);
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.stderr).toContain('rotate replaces your IAM access key; with no terminal to confirm on, add --yes.');
    expect(emulator().requests({ service: 'iam' })).toHaveLength(0);
    const listed = await run(['--help']);
    expect(listed.stdout).toMatch(/^ {2}rotate +rotate your IAM user's access key/m);
  });
});
