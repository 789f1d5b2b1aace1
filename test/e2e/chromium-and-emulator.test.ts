import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from '../harness/chromium.js';
import { useEmulator } from '../support/emulator-harness.js';

/**
 * Playwright drives Debian's Chromium. First use: a web page in the browser must not be able to
 * read anything from the STS emulator (the demo runs it on the user's machine): no CORS on STS
 * answers, and the control API refuses any request that carries an Origin.
 */
const chromiumLookup = findChromium();
const skipReason = 'missing' in chromiumLookup ? chromiumLookup.missing : undefined;
if (skipReason) console.warn(`SKIP Chromium end-to-end tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(`Chromium via Playwright${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const emulator = useEmulator();
  let browser: Browser;
  let page: Server;
  let pageUrl: string;

  beforeAll(async () => {
    if ('path' in chromiumLookup) browser = await launchChromium(chromiumLookup.path);
    page = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>some web page</title><h1>Hello</h1>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => page?.close(() => resolve()));
  });

  it('loads a page and reads it back', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    expect(await tab.title()).toBe('some web page');
    expect(await tab.textContent('h1')).toBe('Hello');
    await tab.close();
  });

  it('a web page cannot read STS answers or the emulator control API', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const outcomes = await tab.evaluate(async (base) => {
      const attempt = async (url: string, init?: RequestInit): Promise<string> => {
        try {
          const response = await fetch(url, init);
          return `read ${response.status}: ${(await response.text()).slice(0, 80)}`;
        } catch (error) {
          return `blocked: ${(error as Error).name}`;
        }
      };
      return {
        sts: await attempt(base, { method: 'POST', body: new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' }) }),
        control: await attempt(`${base}/__emulator/state`),
      };
    }, emulator().url);
    expect(outcomes.sts).toBe('blocked: TypeError');
    expect(outcomes.control).toBe('blocked: TypeError');
    // The browser's requests did arrive; the control API answered them with a refusal.
    expect(emulator().requests()).toMatchObject([{ action: 'GetCallerIdentity', outcome: 'MissingAuthenticationToken' }]);
    await tab.close();
  });
});
