import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';
import { RENDERER_CONTENT_TYPES } from './content-types.js';

/**
 * The renderer is served from `app://aws-auth-tray/` (app-origin.ts), not file:// (Electron
 * security checklist): only files under out/renderer, with our CSP header on every answer.
 */

/**
 * Before the app is ready, in one call (a second call would replace the first). Module scripts
 * are fetched in CORS mode, which Chromium allows for a custom scheme only when it is
 * `corsEnabled`; no other origin exists to use that (renderers may fetch nothing but app://).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
}

/** After the app is ready. */
export function serveRenderer(rendererRoot: string): void {
  const root = normalize(rendererRoot) + sep;
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (url.host !== APP_HOST || !path.startsWith(root)) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(body, {
        headers: {
          'content-type': RENDERER_CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
