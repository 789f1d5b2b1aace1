import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppPorts } from '../../../main/app-services/app-ports.js';
import type { ConsoleOpenerOptions } from '../../../main/app-services/console-opener.js';
import { AppService } from '../../../main/app-services/app-service.js';
import type { StorageMode } from '../../../main/app-services/vault-access.js';
import type { Cipher, EnvelopePlace } from '../../../main/core/crypto/cipher.js';
import { PassphraseCipher } from '../../../main/core/crypto/passphrase-cipher.js';
import { credentialProcessSection } from '../../../main/core/exports/credential-process-config.js';
import { SdkStsGateway } from '../../../main/core/sts/sts-gateway.js';
import type { AppState, MfaPromptView, Settings } from '../../../main/ipc/ipc-contract.js';
import { trayMenuModel } from '../../../main/tray/tray-menu-model.js';
import { cliSandbox } from '../../support/cli-runner.js';
import { callerClock, EXPECTED_ARNS, REFERENCE_AWS_CONFIG, REFERENCE_AWS_CREDENTIALS, TEST_SCRYPT } from '../../support/core-harness.js';
import { currentCode, useEmulator, wrongCode } from '../../support/emulator-harness.js';
import { identity, referenceFixture } from '../../support/reference-fixture.js';
import { openConsoleLink } from '../console/console-link.js';

/**
 * The app services the windows and the tray use, against the STS emulator, with recording
 * ports and a scripted "popup" that answers MFA prompts.
 */
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = referenceFixture();
const alice = identity(fixture, 'alice');

/** Stands in for the OS keychain in tests: an AES key that lives as long as the process. */
class TestKeychainCipher implements Cipher {
  readonly kind = 'safe-storage';
  private readonly inner = new PassphraseCipher('test keychain key material', 'AAAAAAAAAAAAAAAAAAAAAA', TEST_SCRYPT);
  encrypt(plaintext: string, place: string): Promise<string> {
    return this.inner.encrypt(plaintext, place);
  }
  decrypt(ciphertext: string, place: EnvelopePlace): Promise<string> {
    return this.inner.decrypt(ciphertext, place);
  }
}

/** The reminder's timer, run by hand: the test says when "later" is, on the emulator's clock. */
class HandTimer {
  private timers: { callback: () => void; delayMs: number; live: boolean }[] = [];
  readonly set = (callback: () => void, delayMs: number): (() => void) => {
    const timer = { callback, delayMs, live: true };
    this.timers.push(timer);
    return () => void (timer.live = false);
  };
  /** The delay of the one timer set now, if any. */
  pending(): number | undefined {
    const live = this.timers.filter((t) => t.live);
    if (live.length > 1) throw new Error(`${live.length} reminder timers are set at once`);
    return live[0]?.delayMs;
  }
  fire(): void {
    const timer = this.timers.find((t) => t.live);
    if (!timer) throw new Error('No reminder timer is set');
    timer.live = false;
    timer.callback();
  }
}

interface Recorded {
  clipboard: string[];
  notifications: string[];
  popup: string[];
  loginItem: boolean[];
  states: AppState[];
  prompts: (MfaPromptView | null)[];
}

describe('app services against the STS emulator', () => {
  const emulator = useEmulator();
  let dir: string;
  let service: AppService;
  let recorded: Recorded;
  let clipboardText = '';
  /** What the "user" types into the popup for each prompt. */
  let answer: (view: MfaPromptView) => string | null;
  /** What a click on each recorded notification would do. */
  let notificationClicks: ((() => void) | undefined)[] = [];
  let reminderTimer = new HandTimer();

  function start(storage: StorageMode = { protection: 'keychain', cipher: () => new TestKeychainCipher() }): AppService {
    const settings: { value: Partial<Settings> } = { value: {} };
    const ports: AppPorts = {
      clipboard: { writeText: (t) => Promise.resolve(void (clipboardText = t, recorded.clipboard.push(t))), readText: () => Promise.resolve(clipboardText), clear: () => void (clipboardText = '') },
      notifier: {
        notify: (title, body, options) => {
          recorded.notifications.push(`${title}: ${body}`);
          notificationClicks.push(options?.onClick);
        },
      },
      windows: { showMfaPopup: () => void recorded.popup.push('show'), hideMfaPopup: () => void recorded.popup.push('hide'), showMainWindow: () => undefined, showQuickSwitcher: () => undefined, hideQuickSwitcher: () => undefined },
      loginItem: { setLaunchAtLogin: (enabled) => void recorded.loginItem.push(enabled) },
      fileDialog: { chooseConfigFile: () => Promise.resolve(REFERENCE_AWS_CONFIG) },
      settingsStore: { read: () => settings.value, write: (s) => void (settings.value = s) },
    };
    const app = new AppService({
      vaultDir: join(dir, 'vault'),
      storage,
      sts: new SdkStsGateway({ endpoint: emulator().url }),
      ports,
      clock: callerClock(emulator()),
      awsConfigFile: REFERENCE_AWS_CONFIG,
      awsCredentialsFile: REFERENCE_AWS_CREDENTIALS,
      passphraseParams: TEST_SCRYPT,
      reminderTimer: reminderTimer.set,
    });
    app.onStateChange((s) => recorded.states.push(s));
    app.mfa.onChange((view) => {
      recorded.prompts.push(view);
      if (view?.status !== 'waiting') return;
      const code = answer(view);
      if (code === null) app.mfa.cancel(view.requestId);
      else app.mfa.submit(view.requestId, code);
    });
    return app;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-auth-tray-app-'));
    recorded = { clipboard: [], notifications: [], popup: [], loginItem: [], states: [], prompts: [] };
    notificationClicks = [];
    reminderTimer = new HandTimer();
    clipboardText = '';
    answer = () => currentCode(emulator(), alice.seed);
    service = start();
  });
  afterEach(async () => {
    await service.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(): Promise<void> {
    const saved = await service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, mfaSerial: alice.serialNumber, region: 'us-east-1' });
    expect(saved.verifiedArn).toBe('arn:aws:iam::111111111111:user/alice');
    const imported = await service.identities.importConfig(undefined, false);
    expect(imported).toMatchObject({ profilesAdded: ['dev', 'stage', 'prod', 'shared-services'], profilesUpdated: ['security'], identitiesWithoutKeys: [], problems: [] });
  }

  it('first run: no identities, no accounts, signed out, keychain protection', () => {
    expect(service.state()).toMatchObject({
      storage: { protection: 'keychain', locked: false },
      session: { signedIn: false },
      identities: [],
      accounts: [],
      busy: { signingIn: false, verifying: false },
    });
  });

  it('sign in once through the popup: every account verified, the tray says who until when', async () => {
    await setUp();
    await service.sessions.signIn('tray');
    const state = service.state();
    expect(state.accounts.map((a) => [a.profile, a.verdict, a.arn])).toEqual([
      ['security', 'ok', 'arn:aws:iam::111111111111:user/alice'],
      ['dev', 'ok', 'arn:aws:sts::222222222222:assumed-role/engineer/alice'],
      ['stage', 'ok', 'arn:aws:sts::333333333333:assumed-role/engineer/alice'],
      ['prod', 'ok', 'arn:aws:sts::444444444444:assumed-role/read-only/alice'],
      ['shared-services', 'ok', 'arn:aws:sts::555555555555:assumed-role/deployer/alice'],
    ]);
    expect(state.session).toMatchObject({ signedIn: true, identityLabel: 'security', userName: 'alice' });
    expect(recorded.prompts.filter((p) => p?.status === 'waiting')).toHaveLength(1);
    expect(recorded.prompts[0]).toMatchObject({ requester: { kind: 'tray', description: 'the tray menu' }, mfaSerial: alice.serialNumber, purpose: { kind: 'mfa-session' } });
    expect(recorded.popup[0]).toBe('show');
    expect(recorded.popup.at(-1)).toBe('hide');
    expect(trayMenuModel(state, () => '21:40').items[0]).toEqual({ type: 'label', label: 'Signed in as alice until 21:40' });
    // Progress was visible while it ran.
    expect(recorded.states.some((s) => s.busy.signingIn)).toBe(true);
    expect(recorded.states.some((s) => s.accounts.some((a) => a.verdict === 'verifying'))).toBe(true);
  });

  it('a wrong code keeps the popup open with the sentence; the right code then signs in', async () => {
    await setUp();
    answer = (view) => {
      if (view.attempt === 1) return wrongCode(emulator(), alice.seed);
      return currentCode(emulator(), alice.seed);
    };
    await service.sessions.signIn();
    const shown = recorded.prompts.filter((p) => p !== null);
    const steps = shown.map((p) => `${p.attempt}:${p.status}`).filter((step, i, all) => step !== all[i - 1]);
    expect(steps).toEqual(['1:waiting', '1:checking', '2:waiting', '2:checking']);
    expect(shown.find((p) => p.attempt === 2)?.previousError).toBe('AWS rejected the MFA code. A code works only once and only for about 30 seconds: wait for the next code on your device and enter that one.');
    // The popup never closed between the two attempts.
    expect(recorded.prompts.slice(0, recorded.prompts.lastIndexOf(null))).not.toContain(null);
    expect(service.state().session.signedIn).toBe(true);
  });

  it('cancelling the popup fails the sign-in with a sentence and caches nothing', async () => {
    await setUp();
    answer = () => null;
    await expect(service.sessions.signIn()).rejects.toMatchObject({ message: 'Sign-in cancelled: no MFA code was entered.' });
    expect(service.state().session.signedIn).toBe(false);
    expect(service.vaultAccess.vault.sessionMetadata()).toEqual({ mfa: {}, roles: {} });
  });

  it('copy export: main writes the clipboard, notifies, and clears it later; the state carries no secret', async () => {
    await setUp();
    await service.sessions.signIn();
    const result = await service.copier.copyExport('dev', 'fish');
    expect(result).toEqual({ profile: 'dev', format: 'fish', clearsInSeconds: 45 });
    expect(recorded.clipboard[0]).toMatch(/^set -gx AWS_ACCESS_KEY_ID 'ASIA[A-Z2-7]{16}'$/m);
    expect(recorded.notifications).toEqual(['AWS Auth Tray: Copied export commands for dev (fish); clipboard clears in 45 s']);
    const secrets = [alice.secretAccessKey, ...emulator().issued.all().flatMap((c) => [c.secretAccessKey, c.sessionToken])];
    const everything = JSON.stringify([recorded.states, recorded.prompts, service.state()]);
    for (const secret of secrets) expect(everything.includes(secret)).toBe(false);
    await service.shutdown();
    expect(clipboardText).toBe('');
  });

  it('a deactivated key shows the sentence on every account and the tray asks for attention', async () => {
    await setUp();
    await service.sessions.signIn();
    service.sessions.signOut();
    emulator().setAccessKeyStatus(alice.accessKeyId, 'Inactive');
    await expect(service.sessions.signIn()).rejects.toMatchObject({ code: 'InvalidClientTokenId' });
    await service.sessions.verify();
    const state = service.state();
    expect(state.accounts.every((a) => a.verdict === 'error')).toBe(true);
    expect(state.accounts[0]?.reason).toContain(`AWS does not know the access key ${alice.accessKeyId}`);
    expect(trayMenuModel(state, () => '').icon).toBe('attention');
  });

  it('saving an identity with a wrong secret gives the sentence and saves nothing', async () => {
    await expect(service.identities.save({ label: 'security', accessKeyId: alice.accessKeyId, secretAccessKey: 'x'.repeat(40), region: 'us-east-1' })).rejects.toMatchObject({
      code: 'SignatureDoesNotMatch',
    });
    expect(service.state().identities).toEqual([]);
  });

  it('editing an identity without a new secret keeps the stored one (and checks it again)', async () => {
    await setUp();
    const id = service.state().identities[0]?.id ?? '';
    const saved = await service.identities.save({ id, label: 'security', accessKeyId: alice.accessKeyId, mfaSerial: alice.serialNumber, region: 'eu-west-1' });
    expect(saved).toMatchObject({ verifiedArn: alice.arn, identity: { region: 'eu-west-1', hasSecret: true } });
  });

  it('settings: saved, applied to the MFA session length and launch at login', async () => {
    await setUp();
    const settings = await service.settings.update({ mfaSessionMinutes: 60, launchAtLogin: true, defaultShell: 'fish' });
    expect(settings).toMatchObject({ mfaSessionMinutes: 60, launchAtLogin: true, defaultShell: 'fish', clipboardClearSeconds: 45 });
    expect(recorded.loginItem).toEqual([true]);
    const now = emulator().clock.now().getTime();
    await service.sessions.signIn();
    const expires = new Date(service.state().session.expiresAt ?? 0).getTime();
    expect(expires).toBe(Math.floor(now / 1000) * 1000 + 3_600_000);
  });

  describe('terminals: the credential endpoint and the app channel', () => {
    /** The app service with its app channel at `socket` (and its token beside it). */
    /** PATH is empty unless given: whether an aws-auth-tray is installed on this machine must not change the results. */
    function serviceWithChannelAt(socket: string, env: NodeJS.ProcessEnv = { PATH: '' }, console?: ConsoleOpenerOptions): AppService {
      return new AppService({
        ...(console ? { console } : {}),
        vaultDir: join(dir, 'vault'),
        storage: { protection: 'keychain', cipher: () => new TestKeychainCipher() },
        sts: new SdkStsGateway({ endpoint: emulator().url }),
        ports: {
          clipboard: { writeText: (t) => Promise.resolve(void (clipboardText = t, recorded.clipboard.push(t))), readText: () => Promise.resolve(clipboardText), clear: () => void (clipboardText = '') },
          notifier: { notify: (title, body) => void recorded.notifications.push(`${title}: ${body}`) },
          windows: { showMfaPopup: () => undefined, hideMfaPopup: () => undefined, showMainWindow: () => undefined, showQuickSwitcher: () => undefined, hideQuickSwitcher: () => undefined },
          loginItem: { setLaunchAtLogin: () => undefined },
          fileDialog: { chooseConfigFile: () => Promise.resolve(null) },
          settingsStore: { read: () => ({}), write: (s) => void recorded.states.push({ settings: s } as unknown as AppState) },
        },
        clock: callerClock(emulator()),
        awsConfigFile: REFERENCE_AWS_CONFIG,
        awsCredentialsFile: REFERENCE_AWS_CREDENTIALS,
        servers: { appChannelPath: socket, appChannelTokenFile: join(dirname(socket), 'app.token') },
        env,
      });
    }

    it('starts on a free port (remembered), copies the auto-refresh setup to the clipboard, never puts the token in the state, and rotates it', async () => {
      await service.shutdown();
      const socket = join(dir, 'runtime', 'app.sock');
      service = serviceWithChannelAt(socket);
      const running = service;
      running.mfa.onChange((view) => {
        if (view?.status === 'waiting') running.mfa.submit(view.requestId, currentCode(emulator(), alice.seed));
      });
      await service.servers.start();
      const url = service.state().endpoint.url ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(service.state().settings.endpointPort).toBe(Number(new URL(url).port));
      await setUp();

      const copied = await service.servers.copyAutoRefreshSetup('dev', 'bash');
      expect(copied).toEqual({ profile: 'dev', format: 'bash', clearsInSeconds: 45 });
      const lines = recorded.clipboard.at(-1) ?? '';
      expect(lines).toContain(`export AWS_CONTAINER_CREDENTIALS_FULL_URI='${url}/profiles/dev'`);
      const token = /AWS_CONTAINER_AUTHORIZATION_TOKEN='([^']+)'/.exec(lines)?.[1] ?? '';
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(recorded.notifications.at(-1)).toBe('AWS Auth Tray: Copied auto-refresh setup for dev (bash); clipboard clears in 45 s');
      expect(JSON.stringify(service.state())).not.toContain(token);

      const ask = (profile: string, authorization: string) => fetch(`${url}/profiles/${profile}`, { headers: { authorization } }).then((r) => r.status);
      expect(await ask('dev', token)).toBe(200);
      // dev's token opens dev only.
      expect(await ask('security', token)).toBe(403);
      await service.servers.rotateEndpointToken();
      expect(await ask('dev', token)).toBe(403);
      await service.servers.copyAutoRefreshSetup('dev', 'aws-config');
      expect(recorded.clipboard.at(-1)).toMatch(/^# The aws-auth-tray command line was not found on PATH[^]*\n\[profile dev\]\ncredential_process = aws-auth-tray credential-process dev\nregion = eu-west-1\n$/);
    });
    it('the aws-config section names the installed command line and its Node.js by absolute paths, as setup credential-process does', async () => {
      await service.shutdown();
      // What npm link leaves on PATH: a link to the package's launcher, and node beside it.
      const bin = join(dir, 'installed', 'bin');
      mkdirSync(bin, { recursive: true });
      symlinkSync(join(REPOSITORY, 'bin', 'aws-auth-tray.js'), join(bin, 'aws-auth-tray'));
      symlinkSync(process.execPath, join(bin, 'node'));
      // A relative PATH entry is skipped: it would depend on the directory each tool runs in.
      service = serviceWithChannelAt(join(dir, 'installed-runtime', 'app.sock'), { PATH: `relative/bin${delimiter}${bin}` });
      await service.servers.start();
      await setUp();
      await service.servers.copyAutoRefreshSetup('dev', 'aws-config');
      expect(recorded.clipboard.at(-1)).toBe(
        credentialProcessSection({ profile: 'dev', region: 'eu-west-1', nodePath: realpathSync(process.execPath), bundlePath: join(REPOSITORY, 'dist', 'cli', 'aws-auth-tray.js') }),
      );
    });
    it('the built command line gets credential-process and exec through the app services with no passphrase and no code of its own, and says so when the app quits during a request', async () => {
      await service.shutdown();
      const socket = join(dir, 'agent-runtime', 'app.sock');
      service = serviceWithChannelAt(socket);
      const running = service;
      let quitAtPrompt = false;
      running.mfa.onChange((view) => {
        if (view?.status !== 'waiting') return;
        if (quitAtPrompt) void running.shutdown();
        else running.mfa.submit(view.requestId, currentCode(emulator(), alice.seed));
      });
      await service.servers.start();
      await setUp();
      const sandbox = cliSandbox(emulator().url);
      try {
        // Another terminal: the app's socket, and no passphrase (so only the app can answer).
        const env = { AWS_AUTH_TRAY_APP_SOCKET: socket, AWS_AUTH_TRAY_PASSPHRASE: undefined };
        const json = await sandbox.run(['credential-process', 'dev'], { env });
        expect(json).toMatchObject({ exitCode: 0, stderr: '' });
        const credentials = JSON.parse(json.stdout) as { Version: number; AccessKeyId: string; Expiration: string };
        expect(credentials).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) as string });
        const executed = await sandbox.run(['exec', 'dev', '--', 'sh', '-c', 'printf %s "$AWS_ACCESS_KEY_ID"'], { env });
        expect(executed).toMatchObject({ exitCode: 0, stdout: credentials.AccessKeyId, stderr: '' });
        // The app's popup asked once; the command line never signed in itself.
        expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);

        // Signed out, the next request waits for the popup, and the app quits instead.
        service.sessions.signOut();
        quitAtPrompt = true;
        const cut = await sandbox.run(['credential-process', 'prod'], { env });
        expect(cut.exitCode).toBe(1);
        expect(cut.stdout).toBe('');
        // It says what happened, then tries its own vault (empty here), and says what to do.
        expect(cut.stderr).toBe(
          `aws-auth-tray: AWS Auth Tray (the app, or aws-auth-tray serve) stopped answering on ${socket} during the request. Using this command line's own vault instead.\n` +
            'aws-auth-tray: The AWS Auth Tray app is not running, and the command line has no profiles of its own. Start the app, or set up the command line with: aws-auth-tray import-config ~/.aws/config\n',
        );
      } finally {
        sandbox.cleanup();
      }
    });
    it("the built command line's console gets its sign-in link from the app services: the app's session and popup, no passphrase", async () => {
      await service.shutdown();
      const socket = join(dir, 'console-runtime', 'app.sock');
      // The emulator's federation endpoint is on this machine: the app allows it only in demo mode and tests.
      service = serviceWithChannelAt(socket, { PATH: '' }, { allowLoopback: true, stsEndpoint: emulator().url });
      const running = service;
      running.mfa.onChange((view) => {
        if (view?.status === 'waiting') running.mfa.submit(view.requestId, currentCode(emulator(), alice.seed));
      });
      await service.servers.start();
      await setUp();
      const sandbox = cliSandbox(emulator().url);
      try {
        const link = await sandbox.run(['console', 'prod', '--print-url'], { env: { AWS_AUTH_TRAY_APP_SOCKET: socket, AWS_AUTH_TRAY_PASSPHRASE: undefined } });
        expect(link).toMatchObject({ exitCode: 0, stderr: '' });
        const page = await openConsoleLink(link.stdout.trim());
        expect(page).toMatchObject({ status: 200, arn: EXPECTED_ARNS.prod, account: '444444444444' });
        // The app's popup asked for the one code; the link never reached the app's state.
        expect(emulator().requests({ action: 'GetSessionToken', outcome: 'Success' })).toHaveLength(1);
        expect(JSON.stringify(service.state())).not.toContain(link.stdout.trim());
      } finally {
        sandbox.cleanup();
      }
    });
    it('when another agent (the app, or serve) already answers on the socket, it is left alone and the notice says the command line keeps asking that one', async () => {
      await service.shutdown();
      const socket = join(dir, 'taken', 'app.sock');
      mkdirSync(dirname(socket), { mode: 0o700 });
      const other = createNetServer();
      await new Promise<void>((resolve) => other.listen(socket, resolve));
      try {
        service = serviceWithChannelAt(socket);
        await service.servers.start();
        expect(service.state().notices.map((n) => n.message)).toContain(
          `The command line will not ask this app: Another program already listens on ${socket}, where AWS Auth Tray meets the command line (another AWS Auth Tray app or aws-auth-tray serve, most likely); the command line keeps asking that one. Quit it and start this one again to make this one answer.`,
        );
        expect(lstatSync(socket).isSocket()).toBe(true);
      } finally {
        await new Promise((resolve) => other.close(resolve));
      }
    });
  });

  describe('without a keyring (passphrase vault)', () => {
    const passphraseStorage: StorageMode = { protection: 'passphrase', explanation: 'No system keyring is running, so ...' };

    it('starts locked with the explanation; nothing works until unlocked; a wrong passphrase is refused', async () => {
      await service.shutdown();
      service = start(passphraseStorage);
      expect(service.state().storage).toEqual({ protection: 'passphrase', locked: true, exists: false, explanation: 'No system keyring is running, so ...' });
      expect(service.state().notices.map((n) => n.message)).toEqual(['No system keyring is running, so ...']);
      await expect(service.sessions.signIn()).rejects.toMatchObject({ code: 'vault-locked' });
      await service.unlockVault('a good passphrase');
      expect(service.state().storage).toMatchObject({ locked: false, exists: true });
      await setUp();
      await service.shutdown();

      service = start(passphraseStorage);
      await expect(service.unlockVault('not the passphrase')).rejects.toMatchObject({ code: 'wrong-passphrase' });
      expect(service.state().storage.locked).toBe(true);
      await service.unlockVault('a good passphrase');
      expect(service.state().identities.map((i) => i.label)).toEqual(['security']);
    });
  });

  describe('the reminder before the MFA session ends', () => {
    const TEN_MINUTES = 10 * 60_000;
    const TWELVE_HOURS = 12 * 3600_000;
    const sessionTokens = () => emulator().requests({ action: 'GetSessionToken', outcome: 'Success' }).length;
    /** The timer set, to the second: AWS gives expiry times in whole seconds. */
    const expectReminderIn = (ms: number) => {
      const pending = reminderTimer.pending() ?? Number.NaN;
      expect(pending).toBeLessThanOrEqual(ms);
      expect(pending).toBeGreaterThan(ms - 1000);
    };

    it('is planned 10 minutes before the end; a click signs in again with one code, and the next reminder is planned for the new session', async () => {
      await setUp();
      expect(reminderTimer.pending()).toBeUndefined();
      await service.sessions.signIn();
      expectReminderIn(TWELVE_HOURS - TEN_MINUTES);

      // A timer that fires early (the machine slept and woke) only plans again.
      reminderTimer.fire();
      expect(recorded.notifications).toEqual([]);
      expectReminderIn(TWELVE_HOURS - TEN_MINUTES);

      emulator().clock.advance(TWELVE_HOURS - TEN_MINUTES);
      reminderTimer.fire();
      expect(recorded.notifications).toHaveLength(1);
      expect(recorded.notifications[0]).toMatch(/^MFA session ends in 10 min: security's MFA session ends at .+\. Click to renew it now with one MFA code; your terminals keep working\.$/);
      // Once per session: nothing more is planned for this one.
      expect(reminderTimer.pending()).toBeUndefined();

      const prompts = recorded.prompts.filter((p) => p?.status === 'waiting').length;
      notificationClicks[0]?.();
      await vi.waitFor(() => expect(sessionTokens()).toBe(2));
      await vi.waitFor(() => expect(service.state().busy).toEqual({ signingIn: false, verifying: false }));
      const asked = recorded.prompts.filter((p) => p?.status === 'waiting');
      expect(asked).toHaveLength(prompts + 1);
      expect(asked.at(-1)?.requester).toEqual({ kind: 'notification', description: 'the reminder that your MFA session is ending' });
      expectReminderIn(TWELVE_HOURS - TEN_MINUTES);
    });

    it('follows the setting: 30 minutes before, or none at 0', async () => {
      await setUp();
      await service.sessions.signIn();
      await service.settings.update({ renewReminderMinutes: 30 });
      expectReminderIn(TWELVE_HOURS - 30 * 60_000);
      await service.settings.update({ renewReminderMinutes: 0 });
      expect(reminderTimer.pending()).toBeUndefined();
    });

    it('signing out cancels it', async () => {
      await setUp();
      await service.sessions.signIn();
      expect(reminderTimer.pending()).toBeDefined();
      service.sessions.signOut();
      expect(reminderTimer.pending()).toBeUndefined();
    });
  });
});
