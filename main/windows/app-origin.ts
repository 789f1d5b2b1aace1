/**
 * Where our own pages live: the `app://aws-auth-tray` origin the renderer is served from, the
 * URL of each window's page, and the test for "one of our pages". Plain strings, no Electron:
 * the protocol handler, the app-wide hardening and the IPC sender check all ask here.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'aws-auth-tray';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True for a page of ours (app://aws-auth-tray/...), and for nothing else. */
export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function rendererUrl(window: string): string {
  return `${APP_ORIGIN}/${window}/index.html`;
}
