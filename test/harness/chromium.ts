import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium driven by Playwright. `npx playwright install` cannot download browsers on
 * our CI machines, so we always launch a system Chromium by path.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags that keep Chromium off the network and quiet in a sandboxed CI container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

export type ChromiumLookup = { path: string } | { missing: string };

export function findChromium(): ChromiumLookup {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv } : { missing: `CHROMIUM_PATH=${fromEnv} does not exist` };
  const path = CANDIDATES.find((p) => existsSync(p));
  return path
    ? { path }
    : { missing: `no Chromium at ${CANDIDATES.join(', ')}; install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH` };
}

export async function launchChromium(path: string): Promise<Browser> {
  return chromium.launch({ executablePath: path, headless: true, args: CHROMIUM_ARGS });
}
