import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import type { TrayIconState } from '../main/tray/tray-menu-model.js';
import { CHROMIUM_ARGS, findChromium } from '../test/harness/chromium.js';
import { decodePng, encodeIco, nonBlackPixels, pngInfo } from './icon-files.js';

/**
 * Renders the icons from their SVG sources in build/icons/src with Debian's Chromium (Playwright,
 * transparent screenshots), into the files electron-builder and the tray use:
 *
 *   build/icons/icon.png               1024 px app icon (macOS: electron-builder makes the .icns from it)
 *   build/icons/png/<n>x<n>.png        the Linux icon set, 16 to 512 px
 *   build/icons/icon.ico               Windows: PNG entries of 16, 32, 48 and 256 px
 *   build/icons/tray/tray-<state>.png  Windows/Linux tray, 32 px, coloured
 *   build/icons/tray/tray-<state>Template.png (+ @2x)   macOS menu bar, 16 and 32 px, black + alpha
 *
 * The PNGs are committed; run this (`npm run icons`) only after changing an SVG.
 * `--preview <file.png>` also writes a contact sheet of every small icon, magnified, on light
 * and dark backgrounds, for looking at them.
 */
export const ICON_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'build', 'icons');
export const APP_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512] as const;
export const ICO_SIZES = [16, 32, 48, 256] as const;
export const TRAY_STATES = ['signed-out', 'signed-in', 'attention'] as const satisfies readonly TrayIconState[];
// Every state the tray can show has an icon (a compile error otherwise).
const everyTrayState: [Exclude<TrayIconState, (typeof TRAY_STATES)[number]>] extends [never] ? true : never = true;
void everyTrayState;

/** Below this size the app icon is drawn from the simplified source (no cloud). */
const SMALL_APP_ICON_MAX = 48;

export interface IconRender {
  source: string;
  /** Relative to build/icons. */
  output: string;
  size: number;
  /** macOS template image: black and alpha only. */
  template: boolean;
}

export function iconPlan(): IconRender[] {
  const app = (size: number, output: string): IconRender => ({
    source: size <= SMALL_APP_ICON_MAX ? 'app-icon-small.svg' : 'app-icon.svg',
    output,
    size,
    template: false,
  });
  return [
    app(1024, 'icon.png'),
    ...APP_ICON_SIZES.map((size) => app(size, `png/${size}x${size}.png`)),
    ...TRAY_STATES.flatMap((state): IconRender[] => [
      { source: `tray-${state}.svg`, output: `tray/tray-${state}.png`, size: 32, template: false },
      { source: `tray-${state}Template.svg`, output: `tray/tray-${state}Template.png`, size: 16, template: true },
      { source: `tray-${state}Template.svg`, output: `tray/tray-${state}Template@2x.png`, size: 32, template: true },
    ]),
  ];
}

function pageFor(svg: string, size: number): string {
  return `<!doctype html><html><head><style>
    html, body { margin: 0; padding: 0; background: transparent; overflow: hidden; }
    svg { display: block; width: ${size}px; height: ${size}px; }
  </style></head><body>${svg}</body></html>`;
}

async function render(page: Page, svg: string, size: number): Promise<Buffer> {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(pageFor(svg, size));
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size }, type: 'png' });
}

async function writePreview(page: Page, files: ReadonlyMap<string, Buffer>, path: string): Promise<void> {
  const small = [...files].filter(([output]) => output.startsWith('tray/') || /png\/(16|32|48)x/.test(output));
  const cell = (output: string, png: Buffer, background: string): string => {
    const { width } = pngInfo(png);
    const scale = width <= 16 ? 8 : width <= 32 ? 4 : 3;
    // Template images are shown as macOS draws them: tinted for the menu bar.
    const tint = output.includes('Template') && background !== '#ffffff' ? 'filter: invert(1);' : '';
    return `<figure style="background:${background}"><img style="width:${width * scale}px;${tint}" src="data:image/png;base64,${png.toString('base64')}"><figcaption>${output}</figcaption></figure>`;
  };
  const html = `<!doctype html><html><head><style>
    body { margin: 0; font: 10px sans-serif; display: flex; flex-wrap: wrap; width: 1200px; background: #888; }
    figure { margin: 4px; padding: 8px; width: 176px; height: 176px; box-sizing: border-box; display: flex; flex-direction: column; align-items: center; justify-content: center; }
    img { image-rendering: pixelated; }
    figcaption { color: #888; margin-top: 4px; }
  </style></head><body>${['#ffffff', '#1e1e1e', '#2d5a88']
    .flatMap((background) => small.map(([output, png]) => cell(output, png, background)))
    .join('')}</body></html>`;
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.setContent(html);
  writeFileSync(path, await page.screenshot({ fullPage: true }));
}

export async function renderIcons({ preview }: { preview?: string } = {}): Promise<string[]> {
  const lookup = findChromium();
  if ('missing' in lookup) throw new Error(`Cannot render the icons: ${lookup.missing}`);
  // sRGB exactly as written in the SVGs, whatever the machine's display profile.
  const browser = await chromium.launch({ executablePath: lookup.path, headless: true, args: [...CHROMIUM_ARGS, '--force-color-profile=srgb'] });
  const written: string[] = [];
  const files = new Map<string, Buffer>();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    for (const icon of iconPlan()) {
      const png = await render(page, readFileSync(join(ICON_ROOT, 'src', icon.source), 'utf8'), icon.size);
      const { width, height } = pngInfo(png);
      if (width !== icon.size || height !== icon.size) throw new Error(`${icon.output}: rendered ${width}x${height}, wanted ${icon.size}px`);
      if (icon.template) {
        const stray = nonBlackPixels(decodePng(png));
        if (stray > 0) throw new Error(`${icon.output}: a template image must be black and alpha only; ${stray} pixels have colour`);
      }
      const path = join(ICON_ROOT, icon.output);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, png);
      files.set(icon.output, png);
      written.push(icon.output);
    }
    const icoEntries = ICO_SIZES.map((size) => {
      const png = files.get(`png/${size}x${size}.png`);
      if (!png) throw new Error(`no ${size} px app icon to put in icon.ico`);
      return { size, png };
    });
    writeFileSync(join(ICON_ROOT, 'icon.ico'), encodeIco(icoEntries));
    written.push('icon.ico');
    if (preview) await writePreview(page, files, preview);
  } finally {
    await browser.close();
  }
  return written;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--preview');
  const preview = at > 0 ? process.argv[at + 1] : undefined;
  const written = await renderIcons(preview ? { preview } : {});
  console.log(`Rendered ${written.length} icon files under build/icons:\n  ${written.join('\n  ')}`);
  if (preview) console.log(`Preview: ${preview}`);
}
