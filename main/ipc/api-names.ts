import type { Channel, EventName } from './ipc-contract.js';

/**
 * The preload's API: one named function per channel, one subscription per event. Kept free of
 * zod so the sandboxed preload bundle stays small; `satisfies` keeps it in step with the contract.
 */
export const API_FUNCTIONS = {
  getState: 'state:get',
  saveIdentity: 'identity:save',
  removeIdentity: 'identity:remove',
  chooseConfigFile: 'config:choose-file',
  importConfig: 'config:import',
  signIn: 'session:sign-in',
  signOut: 'session:sign-out',
  verifyAccounts: 'accounts:verify',
  copyExport: 'export:copy',
  copyAutoRefreshSetup: 'export:copy-auto-refresh',
  rotateEndpointToken: 'endpoint:rotate-token',
  updateSettings: 'settings:update',
  dismissNotice: 'notice:dismiss',
  unlockVault: 'vault:unlock',
  currentMfaPrompt: 'mfa:current',
  submitMfaCode: 'mfa:submit',
  cancelMfaPrompt: 'mfa:cancel',
  useYubikey: 'mfa:use-yubikey',
  showMfaPrompt: 'mfa:show',
  openMainWindow: 'window:open-main',
  closeQuickSwitcher: 'switcher:close',
  setProfilePreferences: 'profile:set-preferences',
  openConsole: 'console:open',
  checkAccessKey: 'identity:key-status',
  rotateAccessKey: 'identity:rotate',
  listMfaDevices: 'identity:mfa-devices',
  rotationRequestSeen: 'identity:rotation-request-seen',
} as const satisfies Record<string, Channel>;

export const API_EVENTS = {
  onStateChanged: 'state:changed',
  onMfaPrompt: 'mfa:prompt',
  onFocusSearch: 'window:focus-search',
} as const satisfies Record<string, EventName>;

/** The global the preload exposes in the renderer. */
export const API_GLOBAL = 'awsAuthTray';
