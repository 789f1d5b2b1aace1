import { ipcMain, type WebFrameMain } from 'electron';
import { isAppUrl } from '../windows/app-origin.js';
import { ipcContract, type EventName, type EventPayloads } from './ipc-contract.js';
import { dispatch, type Handlers } from './ipc-handlers.js';

/**
 * Every contract channel as an ipcMain handler. A call is answered only for the top frame of
 * one of our own pages (app://aws-auth-tray/...); anything else gets a refusal and changes
 * nothing. Inputs are validated in dispatch().
 */
export function isTrustedSender(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function registerIpc(handlers: Handlers): void {
  for (const channel of Object.keys(ipcContract)) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        return { ok: false, error: { code: 'untrusted-sender', message: 'This page may not talk to AWS Auth Tray.' } };
      }
      return dispatch(handlers, channel, input);
    });
  }
}

export function sendEvent<E extends EventName>(targets: readonly Electron.BrowserWindow[], event: E, payload: EventPayloads[E]): void {
  for (const window of targets) if (!window.isDestroyed()) window.webContents.send(event, payload);
}
