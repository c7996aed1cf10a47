import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { takeRows } from '../../src/index.js';
import { readCsv, readSplits, standardize } from '../../src/index.js';

// The datasets bundled in the repo's data/ folder (sources, licenses and checksums in data/README.md).
const dir = new URL('../../data/', import.meta.url);

/** The sha256 data/README.md lists for a file (its `sha256sum -c` block: `<hex>  <file>`). */
const listedSha = (file: string): string | undefined =>
  readFileSync(new URL('README.md', dir), 'utf8').match(new RegExp(`^([0-9a-f]{64})  ${file.replaceAll('.', '\\.')}$`, 'm'))?.[1];

describe('the bundled iris data', () => {
  it('files match the checksums in data/README.md', () => {
    for (const f of ['iris.csv', 'iris.splits.json']) {
      const sha = createHash('sha256').update(readFileSync(new URL(f, dir))).digest('hex');
      expect(sha, f).toBe(listedSha(f));
    }
  });

  it('decodes to 150 × 4 features and labels 0..2 with 50 of each, and its 5 splits cover every row', () => {
    const data = readCsv(readFileSync(new URL('iris.csv', dir), 'utf8'), {
      features: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'], target: 'label', task: 'classification', classes: 3,
    });
    if (E.isLeft(data)) throw new Error(data.left.map((e) => e.message).join('\n'));
    const { x, labels } = data.right;
    expect([x.rows, x.cols]).toEqual([150, 4]);
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).toEqual([50, 50, 50]);
    const splits = readSplits(readFileSync(new URL('iris.splits.json', dir), 'utf8'), x.rows);
    if (E.isLeft(splits)) throw new Error(splits.left.map((e) => e.message).join('\n'));
    expect(splits.right.splits).toHaveLength(5);
    const s0 = splits.right.splits[0]!;
    expect([s0.train.length, s0.test.length]).toEqual([120, 30]);
    // stratified 80/20: 10 test rows per class
    expect([0, 1, 2].map((c) => s0.test.filter((i) => labels[i] === c).length)).toEqual([10, 10, 10]);
    const s = standardize(takeRows(x, s0.train));
    expect(s.mean.data[0]).toBeGreaterThan(5);
    expect(s.mean.data[0]).toBeLessThan(6.5);
  });
});

const others = ['breast_cancer', 'diabetes'] as const;

describe('the other bundled data sets', () => {
  it('match their checksums and decode with their splits', () => {
    for (const n of others) {
      for (const f of [`${n}.csv`, `${n}.splits.json`]) {
        expect(createHash('sha256').update(readFileSync(new URL(f, dir))).digest('hex'), f).toBe(listedSha(f));
      }
    }
    const text = (f: string): string => readFileSync(new URL(f, dir), 'utf8');
    const cancer = readCsv(text('breast_cancer.csv'), { features: 'all-but-target', target: 'label', task: 'classification', classes: 2 });
    const diabetes = readCsv(text('diabetes.csv'), { features: 'all-but-target', target: 'target', task: 'regression' });
    expect(E.isRight(cancer) && [cancer.right.x.rows, cancer.right.x.cols]).toEqual([569, 30]);
    expect(E.isRight(diabetes) && [diabetes.right.x.rows, diabetes.right.x.cols, diabetes.right.y.rows]).toEqual([442, 10, 442]);
    expect(E.isRight(readSplits(text('breast_cancer.splits.json'), 569))).toBe(true);
    expect(E.isRight(readSplits(text('diabetes.splits.json'), 442))).toBe(true);
  });
});
