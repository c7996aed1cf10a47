import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromArray } from '../../src/index.js';
import { irisQuickStart } from '../../examples/_iris-quick-start.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): string => readFileSync(`${root}/${file}`, 'utf8');

/** Code lines without trailing semicolons, with the examples' import paths mapped to the package's. */
const normalize = (code: string): string[] =>
  code
    .trim()
    .split('\n')
    .map((l) => l.replace(/;(\s*(\/\/.*)?)$/, '$1').replace("'../src/index.js'", "'foldnet'").replace("'../src/node.js'", "'foldnet/node'"));

describe('README quick start and tour', () => {
  it('the README tour is exactly examples/tour.ts, which the compiler checks', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## A 30-line tour'));
    const snippet = section.slice(section.indexOf('```ts\n') + 6, section.indexOf('\n```', section.indexOf('```ts\n')));
    const tour = read('examples/tour.ts');
    expect(normalize(snippet)).toEqual(normalize(tour.slice(tour.indexOf('import * as E'))));
    expect(normalize(snippet).length).toBeLessThanOrEqual(32);
  });

  it('the demo watches a validation set carved from the training rows and never sees the test rows while training', () => {
    const iris = { x: fromArray(150, 4, Float64Array.from({ length: 600 }, (_, k) => Math.floor(k / 4))), labels: Array.from({ length: 150 }, (_, i) => i % 3) };
    const split = { train: Array.from({ length: 120 }, (_, i) => i), test: Array.from({ length: 30 }, (_, i) => 120 + i) };
    const { rows, xTrain, xVal } = irisQuickStart(iris, split, 1);
    expect([rows.fit.length, rows.validation.length, xTrain.rows, xVal.rows]).toEqual([96, 24, 96, 24]);
    expect([...rows.fit, ...rows.validation].sort((a, b) => a - b)).toEqual(split.train);
    expect(rows.validation.filter((i) => split.test.includes(i))).toEqual([]);
    // stratified: 8 validation rows of each class
    expect([0, 1, 2].map((c) => rows.validation.filter((i) => iris.labels[i] === c).length)).toEqual([8, 8, 8]);
  });

  it('npm run demo trains on the bundled iris data and prints a test accuracy of at least 90%', () => {
    const out = execFileSync(process.execPath, [`${root}/node_modules/tsx/dist/cli.mjs`, 'examples/demo.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const m = /test accuracy: ([\d.]+)% \((\d+)\/30\)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(90);
    expect(out).toContain('confusion matrix');
    expect(out).toMatch(/24 validation rows \(both from split 0's training rows\)/);
    const progress = out.split('\n').filter((l) => l.startsWith('epoch'));
    expect(progress.length).toBeGreaterThan(0);
    for (const l of progress) expect(l).toMatch(/val loss .* val acc /);
    expect(out).toMatch(/loss curve: .*demo-iris\.svg/);
  });
});
