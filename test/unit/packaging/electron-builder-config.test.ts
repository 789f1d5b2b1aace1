import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Configuration, TargetConfigType } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeIco, decodePng, nonBlackPixels, pngInfo, visiblePixels } from '../../../scripts/icon-files.js';
import { APP_ICON_SIZES, ICO_SIZES, TRAY_STATES } from '../../../scripts/render-icons.js';

/**
 * The packaging configuration, checked without packaging (that needs the Electron binary, which
 * cannot be downloaded here): electron-builder's own schema, the fuses, the macOS menu-bar-app
 * settings, the targets per OS, the files that go into app.asar (with electron-builder's own file
 * matcher), and every icon and entitlements file it names.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const CONFIG_PATH = join(ROOT, 'build', 'electron-builder.yml');
const config = parse(readFileSync(CONFIG_PATH, 'utf8')) as Configuration;
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

// electron-builder's internals, loaded from where electron-builder itself loads them.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
interface ConfigModule {
  validateConfiguration: (config: Configuration, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }) => Promise<void>;
}
interface FileMatcherModule {
  FileMatcher: new (from: string, to: string, macroExpander: (pattern: string) => string, patterns: unknown) => {
    createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean;
  };
}
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { FileMatcher } = builderRequire('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;

function targetNames(target: TargetConfigType | undefined): string[] {
  if (target === null || target === undefined) return [];
  return (Array.isArray(target) ? target : [target]).map((t) => (typeof t === 'string' ? t : t.target));
}

function resolveFromRoot(path: string | null | undefined): string {
  if (!path) throw new Error('a path was expected');
  return join(ROOT, path);
}

function png(path: string): Buffer {
  return readFileSync(join(ROOT, path));
}

describe('build/electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
  });

  it('names the app, packs it into an asar, and writes to release/', () => {
    expect(config.appId).toBe('dev.aws-auth-tray.app');
    expect(config.productName).toBe('AWS Auth Tray');
    expect(config.asar).toBe(true);
    expect(config.directories?.output).toBe('release');
    expect(config.publish).toBeNull();
  });

  it('flips the Electron fuses of the security rules', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a dmg for macOS: a menu bar app (no Dock icon), hardened, with minimal entitlements', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    const extendInfo: unknown = config.mac?.extendInfo;
    expect(extendInfo).toEqual({ LSUIElement: true });
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.entitlements).toBe('build/entitlements.mac.plist');
    // Without it the helpers would be signed with electron-builder's permissive template.
    expect(config.mac?.entitlementsInherit).toBe('build/entitlements.mac.plist');
    const plist = readFileSync(resolveFromRoot(config.mac?.entitlements), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(granted).toEqual(['com.apple.security.cs.allow-jit']);
    expect(plist).not.toMatch(/allow-unsigned-executable-memory|disable-library-validation/);
  });

  it('builds AppImage and deb for Linux (Utility, with a desktop entry) and nsis for Windows', () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Utility');
    expect(config.linux?.executableName).toBe('aws-auth-tray');
    expect(config.linux?.desktop?.entry).toMatchObject({ Name: 'AWS Auth Tray' });
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(config.nsis?.perMachine).toBe(false);
  });

  it('has every file it references', () => {
    for (const path of [config.mac?.icon, config.win?.icon, config.linux?.icon, config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(existsSync(resolveFromRoot(path)), `${path} exists`).toBe(true);
    }
    const linuxIcons = readdirSync(resolveFromRoot(config.linux?.icon)).sort();
    expect(linuxIcons).toEqual(APP_ICON_SIZES.map((n) => `${n}x${n}.png`).sort());
  });

  it('packs only the built app and package.json, never sources, tests, docs or build files', () => {
    const included = new FileMatcher(ROOT, '/', (pattern) => pattern, config.files).createFilter();
    const file = { isDirectory: () => false };
    const packed = (path: string): boolean => included(join(ROOT, path), file);
    for (const path of ['package.json', 'out/main/main.js', 'out/preload/preload.cjs', 'out/renderer/main-window/index.html', 'out/renderer/mfa-popup/index.js', 'out/icons/tray-signed-in.png']) {
      expect(packed(path), `${path} is packed`).toBe(true);
    }
    for (const path of ['out/main/main.js.map', 'main/app/main.ts', 'renderer/main-window/index.tsx', 'test/unit/core/vault.test.ts', 'scripts/build-app.ts', 'docs/main-window.png', 'build/electron-builder.yml', 'build/icons/icon.png', 'dist/aws-auth-tray.js', 'README.md', 'tsconfig.json']) {
      expect(packed(path), `${path} is not packed`).toBe(false);
    }
    // And nothing in the work tree outside out/ but package.json.
    const strays: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const rel = relative(ROOT, path);
        if (['node_modules', '.git', 'out', 'release'].includes(rel)) continue;
        // Other tests create and remove files while this runs: skip what vanished.
        const stat = statSync(path, { throwIfNoEntry: false });
        if (!stat) continue;
        if (stat.isDirectory()) walk(path);
        else if (included(path, file) && rel !== 'package.json') strays.push(rel);
      }
    };
    walk(ROOT);
    expect(strays).toEqual([]);
    // package.json's "main" is inside what is packed.
    expect(packed(packageJson.main)).toBe(true);
  });

  it('is run by `npm run dist` (scripts/dist.ts), with electron-builder pinned exactly', () => {
    expect(packageJson.scripts.dist).toBe('tsx scripts/dist.ts');
    expect(readFileSync(join(ROOT, 'scripts', 'dist.ts'), 'utf8')).toContain("'../build/electron-builder.yml'");
    expect(packageJson.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('names the project as author, maintainer and vendor, with no invented person or address', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { author?: unknown };
    expect(pkg.author).toBe('AWS Auth Tray contributors');
    expect(config.linux?.maintainer).toBe('AWS Auth Tray contributors');
    expect(config.linux?.vendor).toBe('AWS Auth Tray contributors');
    expect(config.copyright).toMatch(/AWS Auth Tray contributors/);
    expect(readFileSync(CONFIG_PATH, 'utf8')).not.toMatch(/@[\w-]+\.\w+|example\.com/);
  });

  it('decides every fuse the installed electron-builder can set (a new one fails here until decided)', () => {
    const scheme = JSON.parse(readFileSync(builderRequire.resolve('app-builder-lib/scheme.json'), 'utf8')) as {
      definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
    };
    const settable = Object.keys(scheme.definitions.FuseOptionsV1.properties).filter((key) => key !== 'resetAdHocDarwinSignature');
    expect(Object.keys(config.electronFuses ?? {}).sort()).toEqual(settable.sort());
  });
});

describe('icons', () => {
  it('app icon: 1024 px PNG for macOS, and the Linux set', () => {
    expect(pngInfo(png('build/icons/icon.png'))).toMatchObject({ width: 1024, height: 1024 });
    for (const size of APP_ICON_SIZES) {
      expect(pngInfo(png(`build/icons/png/${size}x${size}.png`)), `${size} px`).toMatchObject({ width: size, height: size });
    }
  });

  it('icon.ico holds PNG entries of 16, 32, 48 and 256 px', () => {
    const entries = decodeIco(png('build/icons/icon.ico'));
    expect(entries.map((e) => e.size)).toEqual([...ICO_SIZES]);
    for (const entry of entries) expect(pngInfo(entry.png)).toMatchObject({ width: entry.size, height: entry.size });
  });

  it.each(TRAY_STATES)('tray %s: a coloured 32 px icon, and black-and-alpha macOS templates at 16 and 32 px', (state) => {
    const coloured = decodePng(png(`build/icons/tray/tray-${state}.png`));
    expect([coloured.width, coloured.height]).toEqual([32, 32]);
    expect(nonBlackPixels(coloured)).toBeGreaterThan(0);
    for (const [suffix, size] of [['', 16], ['@2x', 32]] as const) {
      const template = decodePng(png(`build/icons/tray/tray-${state}Template${suffix}.png`));
      expect([template.width, template.height]).toEqual([size, size]);
      expect(nonBlackPixels(template), 'pixels with colour in a template image').toBe(0);
      expect(visiblePixels(template)).toBeGreaterThan(size * 2);
    }
  });

  it('the attention icon carries a red badge', () => {
    const image = decodePng(png('build/icons/tray/tray-attention.png'));
    let red = 0;
    for (let i = 0; i < image.pixels.length; i += 4) {
      const [r = 0, g = 0, b = 0, a = 0] = image.pixels.subarray(i, i + 4);
      if (a > 200 && r > 200 && g < 90 && b < 90) red++;
    }
    expect(red).toBeGreaterThan(40);
  });
});
