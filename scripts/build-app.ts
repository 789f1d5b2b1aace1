import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { META_CONTENT_SECURITY_POLICY } from '../main/windows/content-security-policy.js';

/**
 * Builds the desktop app into out/:
 *   out/main/main.js          the main process (ESM; Electron is external)
 *   out/preload/preload.cjs   the sandboxed preload (one CommonJS file, as sandboxing requires)
 *   out/renderer/<window>/    each window's index.html, index.js, index.css
 *   out/icons/                tray icons
 * Every HTML file must carry exactly our Content Security Policy; the build fails otherwise.
 */
export const RENDERER_WINDOWS = ['main-window', 'mfa-popup', 'quick-switcher'] as const;

const common: BuildOptions = { bundle: true, logLevel: 'warning', legalComments: 'none', sourcemap: false, target: 'es2022' };

export async function buildApp({ clean = true }: { clean?: boolean } = {}): Promise<void> {
  if (clean) rmSync('out', { recursive: true, force: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: { main: 'main/app/main.ts' },
      outdir: 'out/main',
      format: 'esm',
      platform: 'node',
      target: 'node24', // Electron 45 runs Node.js 24
      mainFields: ['module', 'main'],
      external: ['electron'],
      banner: { js: "import { createRequire as __aatCreateRequire } from 'node:module'; const require = __aatCreateRequire(import.meta.url);" },
    }),
    build({
      ...common,
      entryPoints: { preload: 'main/preload/preload.ts' },
      outdir: 'out/preload',
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      platform: 'node',
      external: ['electron'],
    }),
    ...RENDERER_WINDOWS.map((name) =>
      build({
        ...common,
        entryPoints: { index: `renderer/${name}/index.tsx` },
        outdir: `out/renderer/${name}`,
        format: 'esm',
        platform: 'browser',
        jsx: 'automatic',
        jsxImportSource: 'preact',
        loader: { '.svg': 'text' },
        minify: true,
      }),
    ),
  ]);
  for (const name of RENDERER_WINDOWS) {
    const html = readFileSync(`renderer/${name}/index.html`, 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    if (csp !== META_CONTENT_SECURITY_POLICY) {
      throw new Error(`renderer/${name}/index.html must carry the Content Security Policy of main/windows/content-security-policy.ts exactly.`);
    }
    if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) throw new Error(`renderer/${name}/index.html has an inline script; the CSP forbids them.`);
    writeFileSync(`out/renderer/${name}/index.html`, html);
  }
  mkdirSync('out/icons', { recursive: true });
  const trayIcons = 'build/icons/tray';
  if (existsSync(trayIcons)) for (const file of readdirSync(trayIcons)) cpSync(join(trayIcons, file), join('out/icons', file));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildApp();
