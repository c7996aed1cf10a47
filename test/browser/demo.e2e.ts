import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildBrowser } from '../../browser/build.js';
import { compose, dense, dyn, fromRows, graphSvg, jacobianSvg, relu, sequential, tanh, type AnyLayer, type Part } from '../../src/index.js';

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
    // Next to it, the net's computational graph: f₁ standardize, f₂ dense · relu, f₃ dense.
    expect(await page.locator('#graph svg g.layer').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-kinds')))).toEqual(['standardize', 'dense relu', 'dense']);
    expect(await page.locator('#graph svg .edge.backward').count()).toBe(4);
    // The confusion matrix holds the 30 test flowers.
    const cells = await page.locator('#confusion td').allTextContents();
    expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(30);
    await page.close();
  });

  /**
   * Renders an SVG string alone in a page and measures it: whether it parsed, whether every text of
   * every box fits inside that box, whether boxes overlap, and whether everything lies inside the
   * picture. The text widths in graphSvg are estimates (no DOM at build time); this checks them.
   */
  const measure = async (svg: string) => {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    // Plain JavaScript run in the page (the test's own tsconfig has no DOM types).
    const result = (await page.evaluate(`(() => {
      const root = document.querySelector('svg');
      const vb = root.viewBox.baseVal;
      const inside = (b, r, tol = 1) =>
        b.x >= r.x - tol && b.y >= r.y - tol && b.x + b.width <= r.x + r.width + tol && b.y + b.height <= r.y + r.height + tol;
      const boxes = [...root.querySelectorAll('g.layer')].map((g) => {
        const rect = g.querySelector('rect').getBBox();
        return { rect, textsFit: [...g.querySelectorAll('text')].every((t) => inside(t.getBBox(), rect)) };
      });
      const overlaps = boxes.some((a, i) => boxes.some((b, j) => i < j && a.rect.x < b.rect.x + b.rect.width && b.rect.x < a.rect.x + a.rect.width
        && a.rect.y < b.rect.y + b.rect.height && b.rect.y < a.rect.y + a.rect.height));
      const all = [...root.querySelectorAll('text, rect, circle, line, path')].map((e) => e.getBBox());
      return {
        layers: boxes.length,
        textsFit: boxes.every((b) => b.textsFit),
        overlaps,
        withinPicture: all.every((b) => inside(b, vb, 2)),
        cells: root.querySelectorAll('rect.cell').length,
      };
    })()`)) as { layers: number; textsFit: boolean; overlaps: boolean; withinPicture: boolean; cells: number };
    await page.close();
    return result;
  };

  it('draws graphs of 3 and 30 layers and Jacobian heatmaps that render cleanly: texts inside their boxes, no overlaps, nothing clipped', async () => {
    const small = await measure(graphSvg(sequential(dense(3, 5), tanh, dense(5, 2)), { backward: true }));
    expect(small).toMatchObject({ layers: 2, textsFit: true, overlaps: false, withinPicture: true });
    const lecture = await measure(graphSvg(compose(dense(4, 2), relu, dense(6, 4), relu, dense(8, 6), relu, dense(4, 8)), { backward: true, mergeActivations: false }));
    expect(lecture).toMatchObject({ layers: 7, textsFit: true, overlaps: false, withinPicture: true });
    const widths = Array.from({ length: 31 }, (_, i) => 100 + 37 * i);
    const parts: Part[] = widths.slice(1).flatMap((w, i) => [dense(dyn(widths[i]!), dyn(w)), relu]);
    const deep = (sequential as unknown as (...ls: readonly Part[]) => AnyLayer)(sequential(...([parts[0]!, parts[1]!] as [Part, Part])), ...parts.slice(2));
    expect(await measure(graphSvg(deep, { backward: true }))).toMatchObject({ layers: 30, textsFit: true, overlaps: false, withinPicture: true });
    const J = fromRows([[0.1, -0.25, 0.002], [3, -1e-4, Number.NaN]]);
    expect(await measure(jacobianSvg([{ matrix: J, title: '(13) forward mode: 3 JVPs (columns)' }, { matrix: J, title: 'reverse' }], { title: 'J' }))).toMatchObject({ cells: 12, withinPicture: true });
  });
});
