import type { AppService } from '../app-services/app-service.js';
import { isUserFacingError, UserFacingError } from '../core/user-facing-error.js';
import { ipcContract, type Channel, type OutputOf, type ParsedInputOf, type Result } from './ipc-contract.js';

/**
 * What each contract channel does, and the one door every call goes through: the input is
 * validated with the channel's schema (bad input gets a sentence and changes nothing), and any
 * failure comes back as `{ ok: false, error }` with a sentence, never a stack trace.
 */
export type Handlers = { [C in Channel]: (input: ParsedInputOf<C>) => Promise<OutputOf<C>> | OutputOf<C> };

export function createHandlers(
  app: AppService,
  windows: {
    openMainWindow(): void;
    /** Brings the MFA popup to the front; main/app/main.ts passes WindowManager.showMfaPopup. */
    showMfaPopup?(): void;
    /** Hides the quick switcher (Esc in it, or once it has done its work). */
    hideQuickSwitcher?(): void;
  },
): Handlers {
  return {
    'state:get': () => app.state(),
    'identity:save': (input) => app.identities.save(input),
    'identity:remove': ({ id }) => {
      app.identities.remove(id);
      return null;
    },
    'config:choose-file': async () => ({ path: await app.identities.chooseConfigFile() }),
    'config:import': ({ path, importKeys }) => app.identities.importConfig(path, importKeys ?? false),
    'session:sign-in': async () => {
      await app.sessions.signIn('window');
      return null;
    },
    'session:sign-out': () => {
      app.sessions.signOut();
      return null;
    },
    'accounts:verify': ({ profiles }) => app.sessions.verify(profiles, 'window'),
    'export:copy': ({ profile, format }) => app.copier.copyExport(profile, format, 'window'),
    'export:copy-auto-refresh': ({ profile, format }) => app.servers.copyAutoRefreshSetup(profile, format),
    'endpoint:rotate-token': () => app.servers.rotateEndpointToken(),
    'settings:update': (patch) => app.settings.update(patch),
    'notice:dismiss': ({ id }) => {
      app.notices.dismiss(id);
      return null;
    },
    'vault:unlock': async ({ passphrase }) => {
      await app.unlockVault(passphrase);
      return null;
    },
    'mfa:current': () => app.mfa.current(),
    'mfa:submit': ({ requestId, code }) => {
      app.mfa.submit(requestId, code);
      return null;
    },
    'mfa:cancel': ({ requestId }) => {
      app.mfa.cancel(requestId);
      return null;
    },
    'mfa:use-yubikey': async ({ requestId }) => {
      await app.mfa.useYubikey(requestId);
      return null;
    },
    'mfa:show': () => {
      if (app.mfa.current() === null) throw new UserFacingError('mfa-no-prompt', 'No sign-in is waiting for an MFA code.');
      if (!windows.showMfaPopup) throw new UserFacingError('mfa-popup-unavailable', 'This window cannot bring the MFA prompt to the front; use the tray menu.');
      windows.showMfaPopup();
      return null;
    },
    'window:open-main': () => {
      windows.openMainWindow();
      return null;
    },
    'switcher:close': () => {
      windows.hideQuickSwitcher?.();
      return null;
    },
    'profile:set-preferences': (input) => {
      app.profilePreferences.set(input);
      return null;
    },
    'console:open': async ({ profile }) => {
      await app.console.open(profile, 'window');
      return null;
    },
    'identity:key-status': ({ id }) => app.keyHygiene.refresh(id),
    'identity:rotate': ({ id, deleteInactiveKey }) => app.keyHygiene.rotate(id, 'window', { deleteInactiveKey }),
    'identity:mfa-devices': async (input) => ({ devices: await app.keyHygiene.mfaDevices(input) }),
    'identity:rotation-request-seen': ({ requestId }) => {
      app.keyHygiene.rotationRequestSeen(requestId);
      return null;
    },
  };
}

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(ipcContract, name);
}

/** Words for an unexpected failure, whatever was thrown (even a value String() cannot convert). */
function describeUnexpected(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return 'an error that cannot be described';
  }
}

/** Validate, run, and wrap the answer. */
export async function dispatch(handlers: Handlers, channel: string, input: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) return { ok: false, error: { code: 'unknown-channel', message: `There is no operation called ${channel}.` } };
  const parsed = ipcContract[channel].input.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
    return { ok: false, error: { code: 'invalid-input', message: `That request was not valid, so nothing was changed (${detail}).` } };
  }
  try {
    const handler = handlers[channel] as (value: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isUserFacingError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    return { ok: false, error: { code: 'unexpected', message: `Something went wrong: ${describeUnexpected(error)}` } };
  }
}
