import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppPorts } from '../../../main/app-services/app-ports.js';
import { AppService, type AppServiceOptions } from '../../../main/app-services/app-service.js';
import { SdkIamGateway } from '../../../main/core/iam/iam-gateway.js';
import type { RotationStep } from '../../../main/core/rotation/key-rotation.js';
import { SdkStsGateway } from '../../../main/core/sts/sts-gateway.js';
import { isUserFacingError } from '../../../main/core/user-facing-error.js';
import type { AppState, IdentityView, MfaPromptView, Settings } from '../../../main/ipc/ipc-contract.js';
import { createHandlers, dispatch } from '../../../main/ipc/ipc-handlers.js';
import { trayMenuModel } from '../../../main/tray/tray-menu-model.js';
import { TestKeychainCipher } from '../../harness/recording-ports.js';
import { callerClock, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, TEST_SCRYPT } from '../../support/core-harness.js';
import { currentCode, useEmulator } from '../../support/emulator-harness.js';
import { identity, referenceFixture, type FixtureIdentity } from '../../support/reference-fixture.js';

/**
 * Key hygiene through the app services (what the identity panel and the tray use), against the
 * STS emulator's IAM: the key's age and last use after signing in (ages on the emulator's clock),
 * the warning threshold, rotating from the window with progress, the two-key limit, a rotation
 * interrupted after a step and finished at the next start, and the MFA devices for the form.
 */
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');
const bob = identity(fixture, 'bob');
const DAY = 24 * 3600_000;

describe('key hygiene in the app services, against the emulator', () => {
  const emulator = useEmulator();
  let dir: string;
  let services: AppService[] = [];
  let states: AppState[];
  let prompts: MfaPromptView[];
  /** The seed the scripted popup answers with. */
  let seed: string;

  /** One keychain per test: a restart opens the vault the first run sealed. */
  let keychain: TestKeychainCipher;

  function start(options: Partial<Pick<AppServiceOptions, 'keyRotation'>> = {}): AppService {
    const settings: { value: Partial<Settings> } = { value: {} };
    const ports: AppPorts = {
      clipboard: { writeText: () => Promise.resolve(), readText: () => Promise.resolve(''), clear: () => undefined },
      notifier: { notify: () => undefined },
      windows: { showMfaPopup: () => undefined, hideMfaPopup: () => undefined, showMainWindow: () => undefined, showQuickSwitcher: () => undefined, hideQuickSwitcher: () => undefined },
      loginItem: { setLaunchAtLogin: () => undefined },
      fileDialog: { chooseConfigFile: () => Promise.resolve(REFERENCE_AWS_CONFIG) },
      settingsStore: { read: () => settings.value, write: (s) => void (settings.value = s) },
    };
    const app = new AppService({
      vaultDir: join(dir, 'vault'),
      storage: { protection: 'keychain', cipher: () => keychain },
      sts: new SdkStsGateway({ endpoint: emulator().url }),
      iam: new SdkIamGateway({ endpoint: emulator().url }),
      ports,
      clock: callerClock(emulator()),
      awsConfigFile: REFERENCE_AWS_CONFIG,
      awsCredentialsFile: REFERENCE_AWS_CREDENTIALS,
      passphraseParams: TEST_SCRYPT,
      ...options,
    });
    app.onStateChange((s) => states.push(s));
    app.mfa.onChange((view) => {
      if (view?.status !== 'waiting') return;
      prompts.push(view);
      app.mfa.submit(view.requestId, currentCode(emulator(), seed));
    });
    services.push(app);
    return app;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-keys-'));
    states = [];
    prompts = [];
    seed = alice.seed;
    keychain = new TestKeychainCipher();
  });
  afterEach(async () => {
    for (const app of services) await app.shutdown();
    services = [];
    rmSync(dir, { recursive: true, force: true });
  });

  async function addIdentity(app: AppService, who: FixtureIdentity = alice): Promise<string> {
    const saved = await app.identities.save({ label: 'security', accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey, mfaSerial: who.serialNumber, region: 'us-east-1' });
    return saved.identity.id;
  }

  function identityView(app: AppService, id: string): IdentityView {
    const found = app.state().identities.find((i) => i.id === id);
    if (!found) throw new Error(`no identity ${id}`);
    return found;
  }

  /** Signs in, then waits for the key check the new MFA session starts (not awaited by anyone). */
  async function signInAndCheck(app: AppService, id: string): Promise<void> {
    await app.sessions.signIn('window');
    await expect.poll(() => identityView(app, id).key?.createdAt ?? null).not.toBeNull();
    await expect.poll(() => identityView(app, id).key?.checking).toBe(false);
  }

  function iamCalls(action: string): number {
    return emulator().requests({ service: 'iam', action }).length;
  }

  function expectNoSecretIn(what: unknown, secrets: string[]): void {
    const text = JSON.stringify(what);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
  }

  it('before signing in: no IAM call, the age is unknown, and the panel says to sign in for the last use', async () => {
    const app = start();
    const id = await addIdentity(app);
    expect(identityView(app, id).key).toEqual({
      accessKeyId: alice.accessKeyId,
      createdAt: null,
      ageDays: null,
      old: false,
      warnDays: 90,
      lastUsed: null,
      otherKeys: null,
      note: 'Sign in to see when it was last used.',
      checking: false,
    });
    // On demand without an MFA session: still no IAM call (IAM would refuse without MFA), no code asked.
    await app.keyHygiene.refresh(id);
    expect(iamCalls('ListAccessKeys')).toBe(0);
    expect(prompts).toEqual([]);
  });

  it('after signing in: IAM says the key is 30 days old and was used by the sign-in; the age follows the clock, the warning the setting', async () => {
    const app = start();
    const id = await addIdentity(app);
    await signInAndCheck(app, id);
    const created = emulator().directory.defaultDate.toISOString();
    expect(identityView(app, id).key).toEqual({
      accessKeyId: alice.accessKeyId,
      createdAt: created,
      ageDays: 30,
      old: false,
      warnDays: 90,
      lastUsed: { at: expect.any(String) as string, agoMinutes: 0, service: 'sts', region: 'us-east-1' },
      otherKeys: [],
      note: null,
      checking: false,
    });
    // Asked with the MFA session (IAM refuses key listing without MFA), and remembered in the vault.
    expect(emulator().requests({ service: 'iam', action: 'ListAccessKeys' }).map((r) => [r.accessKeyId?.slice(0, 4), r.outcome])).toEqual([['ASIA', 'Success']]);
    expect(app.vaultAccess.vault.identity(id)?.accessKeyCreatedAt).toBe(created);

    // State pushes (verifying every account) do not ask IAM again; "Check again" does.
    await app.sessions.verify(undefined, 'window');
    expect(iamCalls('ListAccessKeys')).toBe(1);
    emulator().clock.advance(3 * 3600_000);
    await app.keyHygiene.refresh(id);
    expect(iamCalls('ListAccessKeys')).toBe(2);
    expect(identityView(app, id).key?.lastUsed).toMatchObject({ agoMinutes: 180, service: 'sts', region: 'us-east-1' });

    // 60 days later (the session long gone): 90 days old, at the default limit, and the tray offers a rotation.
    emulator().clock.advance(60 * DAY - 3 * 3600_000);
    expect(identityView(app, id).key).toMatchObject({ ageDays: 90, old: true, createdAt: created });
    expect(trayMenuModel(app.state(), (t) => t).items.filter((i) => i.type === 'action').map((i) => i.label)).toContain('Rotate access key for security (90 days old)…');
    // A restart remembers the age (the vault kept IAM's CreateDate) without asking IAM.
    await app.shutdown();
    services = services.filter((s) => s !== app);
    const again = start();
    expect(identityView(again, id).key).toMatchObject({ ageDays: 90, old: true, lastUsed: null, note: 'Sign in to see when it was last used.' });

    // The limit is a setting, mirrored into the vault (the command line reads it there).
    await again.settings.update({ keyAgeWarningDays: 120 });
    expect(again.vaultAccess.vault.settings().keyAgeWarningDays).toBe(120);
    expect(identityView(again, id).key).toMatchObject({ ageDays: 90, old: false, warnDays: 120 });
    expect(trayMenuModel(again.state(), (t) => t).items.some((i) => i.type === 'action' && i.label.startsWith('Rotate'))).toBe(false);
  });

  it('rotating from the window: progress step by step, the new key in use, the old one deleted, no second MFA code, no secret in any state', async () => {
    const app = start();
    const id = await addIdentity(app);
    await signInAndCheck(app, id);
    states = [];
    const result = await app.keyHygiene.rotate(id, 'window');

    const keys = emulator().directory.accessKeysOf(alice.user);
    expect(keys.map((k) => [k.accessKeyId, k.status])).toEqual([[result.newAccessKeyId, 'Active']]);
    expect(result).toMatchObject({ oldAccessKeyId: alice.accessKeyId, oldKey: 'deleted' });
    expect(result.sentence).toBe(`Rotated: security now uses ${result.newAccessKeyId}, which AWS accepted; the old key ${alice.accessKeyId} was deleted.`);
    expect(app.vaultAccess.vault.identity(id)?.accessKeyId).toBe(result.newAccessKeyId);

    // Every step was in the state while it ran, in order; the outcome stays.
    const steps = states.map((s) => s.identities.find((i) => i.id === id)?.rotation).filter((r) => r?.status === 'running').map((r) => r?.step);
    const order: RotationStep[] = ['signing-in', 'creating', 'storing', 'proving', 'retiring-old', 'done'];
    expect([...new Set(steps)]).toEqual(order);
    expect(identityView(app, id).rotation).toEqual({ status: 'rotated', step: 'done', sentence: result.sentence, attempt: null });
    // The MFA session made with the old key still works: one code, at sign-in.
    expect(prompts).toHaveLength(1);
    await expect.poll(() => identityView(app, id).key?.accessKeyId).toBe(result.newAccessKeyId);
    await expect.poll(() => identityView(app, id).key?.checking).toBe(false);
    expect(identityView(app, id).key).toMatchObject({ ageDays: 0, old: false, otherKeys: [] });
    const rows = await app.sessions.verify(undefined, 'window');
    expect(rows.every((r) => r.verdict === 'ok')).toBe(true);

    expectNoSecretIn(states, [alice.secretAccessKey, ...keys.map((k) => k.secretAccessKey)]);
    expectNoSecretIn(app.state(), [alice.secretAccessKey, ...keys.map((k) => k.secretAccessKey)]);
  });

  it('with the setting "deactivate the old key", the old key stays in IAM, inactive; through the IPC door', async () => {
    const app = start();
    const id = await addIdentity(app);
    await app.settings.update({ deactivateOldKey: true });
    expect(app.vaultAccess.vault.settings().deactivateOldKey).toBe(true);
    const handlers = createHandlers(app, { openMainWindow: () => undefined });
    // Not signed in: the rotation asks for the code itself (through the popup).
    const answer = await dispatch(handlers, 'identity:rotate', { id });
    expect(answer.ok).toBe(true);
    const result = answer.ok ? (answer.value as { newAccessKeyId: string; oldKey: string; sentence: string }) : undefined;
    expect(result?.oldKey).toBe('deactivated');
    expect(result?.sentence).toContain('was deactivated and kept in IAM');
    expect(emulator().directory.accessKeysOf(alice.user).map((k) => [k.accessKeyId, k.status])).toEqual([
      [alice.accessKeyId, 'Inactive'],
      [result?.newAccessKeyId, 'Active'],
    ]);
    expect(prompts).toHaveLength(1);
    // Bad input changes nothing.
    expect(await dispatch(handlers, 'identity:rotate', { id, deleteInactiveKey: 'yes' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('two keys already: the panel shows the other key, the rotation says so and changes nothing; deleting the inactive one makes room', async () => {
    seed = bob.seed;
    const app = start();
    const id = await addIdentity(app, bob);
    await signInAndCheck(app, id);
    const inactive = bob.user.accessKeys.find((k) => k.status === 'Inactive');
    if (!inactive?.createDate) throw new Error('the fixture gives bob an inactive key with a date');
    const now = emulator().clock.now().getTime();
    expect(identityView(app, id).key?.otherKeys).toEqual([
      { accessKeyId: inactive.accessKeyId, status: 'Inactive', createdAt: new Date(inactive.createDate).toISOString(), ageDays: Math.floor((now - Date.parse(inactive.createDate)) / DAY) },
    ]);

    const refused = await app.keyHygiene.rotate(id, 'window').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isUserFacingError(refused) && refused.code).toBe('access-key-limit');
    const sentence = isUserFacingError(refused) ? refused.message : '';
    expect(sentence).toContain(inactive.accessKeyId);
    expect(identityView(app, id).rotation).toMatchObject({ status: 'failed', sentence });
    expect(emulator().requests({ service: 'iam', action: 'CreateAccessKey' })).toEqual([]);
    expect(emulator().directory.accessKeysOf(bob.user)).toHaveLength(2);

    const result = await app.keyHygiene.rotate(id, 'window', { deleteInactiveKey: true });
    expect(result.sentence).toContain(`the inactive key ${inactive.accessKeyId} was deleted first`);
    expect(emulator().directory.accessKeysOf(bob.user).map((k) => k.accessKeyId)).toEqual([result.newAccessKeyId]);
  });

  it.each([
    ['creating', 'rolled-back', 'warning'],
    ['storing', 'finished', 'info'],
    ['proving', 'finished', 'info'],
  ] as const)('a rotation interrupted after "%s" is %s at the next start, with a notice', async (step, outcome, level) => {
    const first = start({
      keyRotation: {
        afterStep: (reached) => {
          if (reached === step) throw new Error(`simulated crash after ${reached}`);
        },
      },
    });
    const id = await addIdentity(first);
    await signInAndCheck(first, id);
    await expect(first.keyHygiene.rotate(id, 'window')).rejects.toThrow(`simulated crash after ${step}`);
    expect(first.vaultAccess.vault.interruptedRotations()).toEqual([id]);
    await first.shutdown();
    services = services.filter((s) => s !== first);

    const next = start();
    await next.keyHygiene.recover();
    expect(next.vaultAccess.vault.interruptedRotations()).toEqual([]);
    const notices = next.state().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe(level);
    expect(identityView(next, id).rotation).toMatchObject({ status: outcome === 'finished' ? 'rotated' : 'failed', sentence: notices[0]?.message });
    const inIam = emulator().directory.accessKeysOf(alice.user);
    expect(inIam).toHaveLength(1);
    const kept = next.vaultAccess.vault.identity(id)?.accessKeyId;
    expect(inIam[0]?.accessKeyId).toBe(kept);
    expect(kept === alice.accessKeyId).toBe(outcome === 'rolled-back');
    // Whatever happened, the vault's key works: every account verifies, without another code.
    expect((await next.sessions.verify(undefined, 'window')).every((r) => r.verdict === 'ok')).toBe(true);
    expect(prompts).toHaveLength(1);
  });

  it("the MFA devices for the identity form: with the keys typed in, or the stored identity's (its secret stays in main)", async () => {
    const app = start();
    const typed = await app.keyHygiene.mfaDevices({ accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey, region: 'us-east-1' });
    expect(typed).toEqual([
      { serialNumber: 'arn:aws:iam::111111111111:mfa/bob', enabledAt: '2025-03-02T10:05:00.000Z' },
      { serialNumber: 'arn:aws:iam::111111111111:mfa/bob-backup-phone', enabledAt: '2025-09-15T08:35:00.000Z' },
    ]);
    const id = await addIdentity(app, bob);
    expect(await app.keyHygiene.mfaDevices({ id, accessKeyId: bob.accessKeyId, region: 'us-east-1' })).toEqual(typed);
    // Another key id without its secret: the stored secret is not used for it.
    await expect(app.keyHygiene.mfaDevices({ id, accessKeyId: alice.accessKeyId, region: 'us-east-1' })).rejects.toMatchObject({ code: 'secret-needed' });
    // A wrong secret: IAM's refusal as a sentence, never the secret.
    const wrong = 'x'.repeat(40);
    const refused = await app.keyHygiene.mfaDevices({ accessKeyId: bob.accessKeyId, secretAccessKey: wrong, region: 'us-east-1' }).catch((error: unknown) => error);
    expect(isUserFacingError(refused)).toBe(true);
    expect(String((refused as Error).message)).not.toContain(wrong);
  });
});
