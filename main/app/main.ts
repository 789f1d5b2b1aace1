import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, safeStorage } from 'electron';
import ElectronStore from 'electron-store';
import { AppService } from '../app-services/app-service.js';
import { acceleratorLabel } from '../app-services/shortcut-accelerator.js';
import { appChannelLocation } from '../core/endpoint/app-channel-location.js';
import { SdkAccountAliasReader } from '../core/iam/account-alias-reader.js';
import { SdkIamGateway } from '../core/iam/iam-gateway.js';
import { SdkStsGateway } from '../core/sts/sts-gateway.js';
import type { VaultDocument } from '../core/vault/vault-schema.js';
import { createHandlers } from '../ipc/ipc-handlers.js';
import { registerIpc, sendEvent } from '../ipc/register-ipc.js';
import { hardenApp } from '../security/harden-app.js';
import { chooseStorage } from '../storage/storage-mode.js';
import { performTrayAction } from '../tray/tray-actions.js';
import { TrayController } from '../tray/tray-controller.js';
import type { TrayAction } from '../tray/tray-menu-model.js';
import { registerAppScheme, serveRenderer } from '../windows/renderer-protocol.js';
import { WindowManager } from '../windows/window-manager.js';
import { developerSwitches } from './developer-switches.js';
import { electronPorts } from './electron-ports.js';

/**
 * The Electron main process: one instance, no dock icon, alive with no window open. It owns
 * every secret and every STS call; windows only see metadata through the IPC contract.
 */
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..');
// Dev tools, test hooks and demo mode: never in a packaged build.
const switches = developerSwitches(process.env, { packaged: app.isPackaged });
const demo = switches.demo;
if (demo) app.setPath('userData', join(app.getPath('userData'), 'demo'));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.dock?.hide();
  // Closing every window keeps the app in the tray.
  app.on('window-all-closed', () => undefined);
  await app.whenReady();
  await start();
}

async function start(): Promise<void> {
  hardenApp();
  serveRenderer(join(OUT, 'renderer'));

  const trayRef: { current?: TrayController } = {};
  const windows = new WindowManager(join(OUT, 'preload', 'preload.cjs'), () => trayRef.current?.bounds(), switches.devTools);
  const ports = electronPorts(windows);
  const sts = new SdkStsGateway();
  const service = new AppService({
    vaultDir: join(app.getPath('userData'), 'vault'),
    storage: await chooseStorage(safeStorage),
    sts,
    // Account aliases from IAM; the demo's emulator answers IAM on its STS address.
    accountAliases: new SdkAccountAliasReader({ endpoint: demo?.endpoint, clockOffsetMs: () => sts.clockOffsetMs }),
    // The user's own access keys and MFA devices (key age, rotation): the same IAM address.
    iam: new SdkIamGateway({ endpoint: demo?.endpoint, clockOffsetMs: () => sts.clockOffsetMs }),
    ports,
    createStore: (options) => new ElectronStore<VaultDocument>(options),
    demoMfaCode: demo?.mfaCode,
    awsConfigFile: demo?.configFile,
    awsCredentialsFile: demo?.credentialsFile,
    // The console's sign-in at the emulator's federation endpoint: demo mode only.
    console: { allowLoopback: demo !== undefined },
    // The demo gets its own channel, so a real app running beside it keeps answering the command line.
    servers: (() => {
      const { socketPath, tokenFile } = appChannelLocation(process.env, demo ? join(app.getPath('userData'), 'app.sock') : undefined);
      return { appChannelPath: socketPath, appChannelTokenFile: tokenFile };
    })(),
  });

  const runTrayAction = (action: TrayAction): Promise<void> =>
    performTrayAction(service, action, {
      openMainWindow: (focus) => {
        // A window already open hears it as an event; a new one starts at #search.
        if (windows.showMainWindow(focus) && focus === 'search') sendEvent(windows.all(), 'window:focus-search', null);
      },
      quit: () => app.quit(),
      notify: (title, body) => ports.notifier.notify(title, body),
      showQuickSwitcher: () => windows.showQuickSwitcher(),
      showMfaPopup: () => windows.showMfaPopup(),
    });
  const tray = new TrayController(join(OUT, 'icons'), (action) => void runTrayAction(action));
  trayRef.current = tray;

  registerIpc(
    createHandlers(service, {
      openMainWindow: () => windows.showMainWindow(),
      showMfaPopup: () => windows.showMfaPopup(),
      hideQuickSwitcher: () => windows.hideQuickSwitcher(),
    }),
  );
  const glance = () => {
    const shortcut = service.switcherShortcut?.current;
    return { promptWaiting: service.mfa.current() !== null, switcherShortcut: shortcut ? acceleratorLabel(shortcut, process.platform) : undefined };
  };
  service.onStateChange((state) => {
    tray.update(state, glance);
    sendEvent(windows.all(), 'state:changed', state);
  });
  service.mfa.onChange((view) => {
    sendEvent(windows.all(), 'mfa:prompt', view);
    tray.update(service.state(), glance);
  });
  // The quick switcher's shortcut; a refusal becomes a notice in the window.
  service.switcherShortcut?.apply();
  tray.update(service.state(), glance);
  void service.servers.start();
  // A keychain vault is open from the start: a rotation a crash interrupted is finished or rolled back now.
  if (service.vaultAccess.unlocked) void service.keyHygiene.recover();

  app.on('second-instance', () => windows.showMainWindow());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void service.shutdown().finally(() => app.quit());
  });

  // First run, or a vault to unlock: open the window, which says what to do next.
  const state = service.state();
  if (state.storage.locked || state.identities.length === 0 || demo) windows.showMainWindow();

  // For the Electron end-to-end test only: click tray items through the main process.
  if (switches.testHooks) {
    Object.assign(globalThis, { __awsAuthTrayTest: { trayAction: runTrayAction, state: () => service.state() } });
  }
}
