import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CliContext } from '../../../main/cli/cli-context.js';
import { startEarlyVaultKey } from '../../../main/cli/early-vault-key.js';
import { PassphraseCipher, startVaultKey, type StartedVaultKey } from '../../../main/core/crypto/passphrase-cipher.js';
import { Vault } from '../../../main/core/vault/vault.js';
import type * as TerminalModule from '../../../main/cli/terminal.js';
import type { MfaPrompter } from '../../../main/core/sessions/mfa-prompter.js';
import { createCore, importReferenceProfiles, TEST_PASSPHRASE, type CoreUnderTest } from '../../support/core-harness.js';
import { useEmulator } from '../../support/emulator-harness.js';
import { referenceFixture } from '../../support/reference-fixture.js';

// The command line's cost is the release one (VAULT_KDF_COST); here the test cost, as in the test build.
vi.mock('../../../main/core/crypto/vault-kdf-cost.js', async () => ({ VAULT_KDF_COST: (await import('../../support/core-harness.js')).TEST_SCRYPT }));
// Every key derivation, counted: passphrase-cipher.ts requires node:crypto, the module object this spies on.
const cryptoModule = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
let scrypt = vi.spyOn(cryptoModule, 'scrypt');
// No terminal, wherever the suite runs: a passphrase that is not in the environment cannot be asked for.
vi.mock('../../../main/cli/terminal.js', async (importOriginal) => ({ ...(await importOriginal<typeof TerminalModule>()), openTerminal: () => undefined }));

/**
 * The standalone credential_process (cli-context.ts credentialsFor): with the passphrase in the
 * environment, the key derivation starts from the salt in the vault file before the engine
 * loads, and that key, derived once, is the one the vault unlocks with; a cached session is
 * answered without asking STS anything.
 */
const requester = { kind: 'test', description: 'integration test' } as const;
const fixture = referenceFixture();
const noPrompts: MfaPrompter = { prompt: () => Promise.reject(new Error('no MFA code should be asked for')) };
const quiet = (): Writable => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('standalone credentials: the key is derived early, once', () => {
  const emulator = useEmulator();
  let core: CoreUnderTest;

  beforeEach(async () => {
    scrypt = vi.spyOn(cryptoModule, 'scrypt');
    core = createCore(emulator(), fixture);
    await importReferenceProfiles(core.vault);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await core.cleanup();
  });

  function cli(env: NodeJS.ProcessEnv, earlyKey?: StartedVaultKey): CliContext {
    return new CliContext({ vaultDir: core.dir, env: { AWS_AUTH_TRAY_STANDALONE: '1', AWS_ENDPOINT_URL_STS: emulator().url, ...env }, stderr: quiet(), earlyKey });
  }

  it('a cached role session: one key derivation, started before the vault opened, and no STS request', async () => {
    const cached = await core.sessions.getCredentials('dev', { requester });
    await core.vault.flush();
    const requestsBefore = emulator().requests().length;
    scrypt.mockClear();
    const opened = vi.spyOn(Vault, 'open');

    const ctx = cli({ AWS_AUTH_TRAY_PASSPHRASE: TEST_PASSPHRASE });
    const answer = await ctx.credentialsFor('dev', noPrompts, 'credential-process dev');

    expect(answer).toMatchObject({ source: 'standalone', accessKeyId: cached.accessKeyId, secretAccessKey: cached.secretAccessKey, sessionToken: cached.sessionToken });
    expect(scrypt).toHaveBeenCalledTimes(1);
    expect(opened).toHaveBeenCalledTimes(1);
    expect(scrypt.mock.invocationCallOrder[0]).toBeLessThan(opened.mock.invocationCallOrder[0] ?? 0);
    expect(emulator().requests()).toHaveLength(requestsBefore);
  });

  it('the key main.ts started before the command line loaded is the one used: one derivation in all', async () => {
    const cached = await core.sessions.getCredentials('dev', { requester });
    await core.vault.flush();
    scrypt.mockClear();

    const key = startEarlyVaultKey(core.dir, TEST_PASSPHRASE);
    expect(key).toBeDefined();
    expect(scrypt).toHaveBeenCalledTimes(1); // started now, before any vault is opened
    const answer = await cli({ AWS_AUTH_TRAY_PASSPHRASE: TEST_PASSPHRASE }, key).credentialsFor('dev', noPrompts, 'credential-process dev');

    expect(answer).toMatchObject({ source: 'standalone', accessKeyId: cached.accessKeyId, sessionToken: cached.sessionToken });
    expect(scrypt).toHaveBeenCalledTimes(1);
  });

  it('a key started early for another salt (the vault replaced in between) is not used: the vault derives its own', async () => {
    await core.sessions.getCredentials('dev', { requester });
    await core.vault.flush();
    const other = startVaultKey(TEST_PASSPHRASE, new PassphraseCipher(TEST_PASSPHRASE).salt);
    expect(other).toBeDefined();
    scrypt.mockClear();
    const answer = await cli({ AWS_AUTH_TRAY_PASSPHRASE: TEST_PASSPHRASE }, other).credentialsFor('dev', noPrompts, 'credential-process dev');
    expect(answer).toMatchObject({ source: 'standalone' });
    expect(scrypt).toHaveBeenCalledTimes(1); // the vault's own salt, derived once
  });

  it('no early key where the vault names no passphrase salt (no vault yet)', () => {
    expect(startEarlyVaultKey(`${core.dir}-absent`, TEST_PASSPHRASE)).toBeUndefined();
  });

  it('a wrong passphrase in the environment derived early is still refused, in the same sentence', async () => {
    await core.vault.verifyKey();
    const ctx = cli({ AWS_AUTH_TRAY_PASSPHRASE: 'not the passphrase' });
    await expect(ctx.credentialsFor('dev', noPrompts, 'credential-process dev')).rejects.toMatchObject({
      code: 'wrong-passphrase',
      message: expect.stringContaining('AWS_AUTH_TRAY_PASSPHRASE does not unlock the vault') as unknown,
    });
  });

  it('without the passphrase in the environment nothing is derived before the vault asks', async () => {
    await core.vault.verifyKey();
    scrypt.mockClear();
    const ctx = cli({});
    // The vault asks its keyring (and so the terminal, here none) only once it is open.
    await expect(ctx.credentialsFor('dev', noPrompts, 'credential-process dev')).rejects.toMatchObject({ code: 'passphrase-needed' });
    expect(scrypt).not.toHaveBeenCalled();
  });
});
