import type { WebPreferences } from 'electron';

/**
 * The webPreferences of every window, per the Electron security checklist: sandboxed renderer,
 * context isolation, no Node, no remote content, no webviews, and only our preload. Dev tools only
 * when a developer asked for them in an unpackaged build (main/app/developer-switches.ts).
 */
export function secureWebPreferences(preloadPath: string, { devTools = false }: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    disableBlinkFeatures: 'Auxclick',
    devTools,
  };
}
