import type { Settings } from '../ipc/ipc-contract.js';

/**
 * What the app services need from the desktop, as plain interfaces: Electron implements them
 * in the app, the browser test harness with recorders. Nothing here imports Electron.
 */
/** Asynchronous, as Electron's clipboard is since Electron 44 (aligned with the W3C Clipboard API). */
export interface ClipboardPort {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
  clear(): void;
}

export interface NotifierPort {
  /** Show a notification; `onClick` runs when the person clicks it (where the OS supports that). */
  notify(title: string, body: string, options?: { onClick?: () => void }): void;
}

export interface WindowsPort {
  showMfaPopup(): void;
  hideMfaPopup(): void;
  showMainWindow(): void;
  showQuickSwitcher(): void;
  hideQuickSwitcher(): void;
}

/** The OS's global shortcuts (Electron's globalShortcut): `register` is false when the OS refuses. */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface LoginItemPort {
  setLaunchAtLogin(enabled: boolean): void;
}

export interface FileDialogPort {
  /** Ask the user for an AWS config file; null when they cancel. */
  chooseConfigFile(defaultPath: string): Promise<string | null>;
}

export interface SettingsStorePort {
  read(): Partial<Settings>;
  write(settings: Settings): void;
}

/** The OS's default browser (Electron's shell.openExternal): for console sign-in links only, never an app window. */
export interface ExternalUrlPort {
  openExternal(url: string): Promise<void>;
}

export interface AppPorts {
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  windows: WindowsPort;
  loginItem: LoginItemPort;
  fileDialog: FileDialogPort;
  settingsStore: SettingsStorePort;
  /** Absent where there is no browser to open (the console action then says so). */
  externalUrl?: ExternalUrlPort | undefined;
  /** The OS's global shortcuts (the quick switcher's); absent in tests that do not need it. */
  globalShortcut?: GlobalShortcutPort | undefined;
}
