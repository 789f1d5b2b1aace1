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
  notify(title: string, body: string): void;
}

export interface WindowsPort {
  showMfaPopup(): void;
  hideMfaPopup(): void;
  showMainWindow(): void;
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

export interface AppPorts {
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  windows: WindowsPort;
  loginItem: LoginItemPort;
  fileDialog: FileDialogPort;
  settingsStore: SettingsStorePort;
}
