/**
 * Builds the browser demo into `out/browser/` (`npm run build:browser`): bundles `browser/main.ts`
 * with esbuild for the browser (the data files embedded as text/JSON), copies `index.html`, and
 * fails if the bundle would need a Node built-in.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
/** Where the built page goes. */
export const outDir = resolve(here, '..', 'out', 'browser');

/** Bundles the page; resolves to the output folder. */
export const buildBrowser = async (): Promise<string> => {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    loader: { '.csv': 'text' },
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'));
  return outDir;
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = await buildBrowser();
  console.log(`built ${dir} (serve it with any static file server, e.g. python3 -m http.server -d out/browser, or run npm run test:browser)`);
}
