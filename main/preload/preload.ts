import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENTS, API_FUNCTIONS, API_GLOBAL } from '../ipc/api-names.js';

/**
 * The sandboxed preload: exposes `window.awsAuthTray` with one named function per contract
 * channel and one subscription per event. It never exposes ipcRenderer, the IPC event object,
 * or anything of Node (process, require).
 */
const api: Record<string, unknown> = {};
for (const [name, channel] of Object.entries(API_FUNCTIONS)) {
  api[name] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}
for (const [name, event] of Object.entries(API_EVENTS)) {
  api[name] = (listener: (payload: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  };
}
contextBridge.exposeInMainWorld(API_GLOBAL, Object.freeze(api));
