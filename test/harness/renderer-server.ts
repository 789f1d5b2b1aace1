import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../main/windows/content-security-policy.js';
import { RENDERER_CONTENT_TYPES } from '../../main/windows/content-types.js';

/**
 * Serves the production renderer bundle (out/renderer) on 127.0.0.1, as the app's protocol
 * handler does: our files only, each with the Content Security Policy as a response header.
 * Every request is recorded, so tests can prove the pages asked for nothing else.
 */

export interface RendererServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `<origin>/<window>/index.html` */
  urlOf(window: string): string;
  /** Paths asked for, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function serveRendererBundle(root: string): Promise<RendererServer> {
  const base = resolve(root);
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    requests.push(path);
    const file = resolve(base, `.${path}`);
    const headers = { 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    const type = RENDERER_CONTENT_TYPES[extname(file)];
    if (req.method !== 'GET' || !file.startsWith(base + sep) || !type) {
      res.writeHead(404, headers).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { ...headers, 'content-type': type }).end(body),
      () => res.writeHead(404, headers).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    urlOf: (window) => `${origin}/${window}/index.html`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
