import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildBrowser } from '../../browser/build.js';

const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

/** A static file server for the built page, on 127.0.0.1 and a free port. */
const serve = (dir: string): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
      const file = join(dir, path);
      if (!file.startsWith(dir) || !existsSync(file)) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

describe('browser demo', () => {
  let server: Server;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const dir = await buildBrowser();
    server = await serve(dir);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  });

  it('trains on iris in the page, draws the loss curve and shows a test accuracy of at least 0.9', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 150_000 });
    const status = await page.textContent('#status');
    expect(await page.getAttribute('#status', 'data-state'), `status: ${status}`).toBe('done');
    expect(errors).toEqual([]);

    const shown = Number(await page.textContent('#accuracy'));
    expect(shown).toBeGreaterThanOrEqual(0.9);
    expect(shown).toBeLessThanOrEqual(1);

    // The chart is the live SVG from historySvg, with the loss lines drawn.
    expect(await page.locator('#chart svg path').count()).toBeGreaterThanOrEqual(2);
    expect(await page.textContent('#epoch')).toMatch(/^100\/100 /);
    // The confusion matrix holds the 30 test flowers.
    const cells = await page.locator('#confusion td').allTextContents();
    expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(30);
    await page.close();
  });
});
