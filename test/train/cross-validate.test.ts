import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { key, normal, split } from '../../src/random.js';
import { unsafeMat, type Mat } from '../../src/tensor/mat.js';
import { kFold, stratifiedKFold, type Fold } from '../../src/train/kfold.js';
import { crossValidate, summarizeScores } from '../../src/train/cross-validate.js';
import { gridPoints, gridSearch } from '../../src/train/grid-search.js';
import type { Dataset } from '../../src/train/types.js';

const isPartition = (folds: readonly Fold[], n: number): void => {
  const seen = new Array<number>(n).fill(0);
  folds.forEach((f) => {
    f.validation.forEach((i) => seen[i]!++);
    // train is exactly the complement of validation, both ascending
    expect([...f.train, ...f.validation].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect([...f.train]).toEqual([...f.train].sort((a, b) => a - b));
    expect([...f.validation]).toEqual([...f.validation].sort((a, b) => a - b));
  });
  expect(seen.every((c) => c === 1)).toBe(true);
  const sizes = folds.map((f) => f.validation.length);
  expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
};

describe('kFold and stratifiedKFold', () => {
  it('kFold: the validation folds partition the rows, sizes differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 60 }), fc.integer({ min: 2, max: 10 }), fc.integer({ min: 0, max: 1000 }), (n, k, seed) => {
        fc.pre(k <= n);
        const folds = kFold(n, k, key(seed));
        expect(folds.length).toBe(k);
        isPartition(folds, n);
      }),
      { numRuns: 60 },
    );
  });

  it('kFold is deterministic per key and shuffles (another key gives other folds)', () => {
    expect(kFold(30, 3, key(1))).toEqual(kFold(30, 3, key(1)));
    expect(kFold(30, 3, key(1))).not.toEqual(kFold(30, 3, key(2)));
    expect(kFold(30, 3, key(1))[0]!.validation).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('stratifiedKFold: partitions the rows and every fold holds each class in proportion (±1)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 10, maxLength: 80 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 999 }), (labels, k, seed) => {
        const folds = stratifiedKFold(labels, k, key(seed));
        isPartition(folds, labels.length);
        for (const c of new Set(labels)) {
          const counts = folds.map((f) => f.validation.filter((i) => labels[i] === c).length);
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stratified folds keep a 90/10 class ratio that plain folds can break', () => {
    const labels = Array.from({ length: 100 }, (_, i) => (i < 90 ? 0 : 1));
    stratifiedKFold(labels, 5, key(3)).forEach((f) => expect(f.validation.filter((i) => labels[i] === 1).length).toBe(2));
  });

  it('rejects k < 2, k > n and non-finite labels with clear errors', () => {
    expect(() => kFold(10, 1, key(0))).toThrow(/k must be an integer ≥ 2/);
    expect(() => kFold(3, 5, key(0))).toThrow(/cannot make 5 folds from 3 rows/);
    expect(() => stratifiedKFold([0, 1, Number.NaN], 2, key(0))).toThrow(/row 2/);
  });
});

// y = 3x + noise, one feature; the "model" is the ridge slope w = Σxy / (Σx² + nλ).
const n = 60;
const [kx, ke] = split(key(10));
const xs = normal(kx, n);
const ys = normal(ke, n, 0.5).map((e, i) => 3 * xs[i]! + e);
const data: Dataset<1, 1> = { x: unsafeMat(n, 1, xs) as Mat<number, 1>, y: unsafeMat(n, 1, ys) as Mat<number, 1> };
const ridge = (d: Dataset<1, 1>, lambda: number): number => {
  const sxy = d.x.data.reduce((s, x, i) => s + x * d.y.data[i]!, 0);
  const sxx = d.x.data.reduce((s, x) => s + x * x, 0);
  return sxy / (sxx + d.x.rows * lambda);
};
const negMse = (w: number, d: Dataset<1, 1>): number => -d.x.data.reduce((s, x, i) => s + (w * x - d.y.data[i]!) ** 2, 0) / d.x.rows;

describe('crossValidate', () => {
  it('trains once per fold on exactly the training rows and scores on the held-out rows', () => {
    const folds = kFold(n, 4, key(5));
    const seen: number[][] = [];
    const cv = crossValidate({
      data, folds, key: key(6),
      train: (d, _k, f) => {
        seen.push(Array.from(d.x.data));
        expect(d.x.rows).toBe(folds[f]!.train.length);
        return ridge(d, 0);
      },
      score: negMse,
    });
    expect(seen.length).toBe(4);
    seen.forEach((xsTrain, f) => expect(xsTrain).toEqual(folds[f]!.train.map((i) => xs[i]!)));
    cv.folds.forEach((r, f) => {
      const valid = { x: unsafeMat(folds[f]!.validation.length, 1, Float64Array.from(folds[f]!.validation, (i) => xs[i]!)), y: unsafeMat(folds[f]!.validation.length, 1, Float64Array.from(folds[f]!.validation, (i) => ys[i]!)) };
      expect(r.score).toBe(negMse(r.model, valid as Dataset<1, 1>));
    });
    const mean = cv.scores.reduce((s, v) => s + v, 0) / 4;
    expect(cv.mean).toBeCloseTo(mean, 14);
    expect(cv.std).toBeCloseTo(Math.sqrt(cv.scores.reduce((s, v) => s + (v - mean) ** 2, 0) / 3), 14);
  });

  it('draws folds from the key when given k, stratified when labels are given, and is deterministic', () => {
    const run = (seed: number) => crossValidate({ data, folds: 5, key: key(seed), train: (d) => ridge(d, 0.1), score: negMse });
    expect(run(1).scores).toEqual(run(1).scores);
    expect(run(1).folds.map((f) => f.fold)).toEqual(kFold(n, 5, key(1)));
    const labels = Array.from(xs, (x) => (x > 0 ? 1 : 0));
    const cv = crossValidate({ data, folds: 3, key: key(2), stratify: labels, train: (d) => ridge(d, 0), score: negMse });
    expect(cv.folds.map((f) => f.fold)).toEqual(stratifiedKFold(labels, 3, key(2)));
  });

  it('a stratify list of the wrong length, or no folds at all, is a RangeError naming crossValidate (not a NaN mean)', () => {
    const opts = { data, key: key(0), train: (d: Dataset<1, 1>) => ridge(d, 0), score: negMse };
    expect(() => crossValidate({ ...opts, folds: 5, stratify: [0, 1, 0] })).toThrow(/crossValidate: stratify has 3 labels for \d+ rows/);
    expect(() => crossValidate({ ...opts, folds: [] })).toThrow(/crossValidate: no folds given/);
  });

  it('summarizeScores: mean and sample std (n − 1), std 0 for one score', () => {
    expect(summarizeScores([1, 2, 3, 4])).toEqual({ scores: [1, 2, 3, 4], mean: 2.5, std: Math.sqrt(5 / 3) });
    expect(summarizeScores([7]).std).toBe(0);
  });
});

describe('gridSearch', () => {
  it('enumerates the grid in order (last option fastest)', () => {
    expect(gridPoints({ a: [1, 2], b: ['x', 'y', 'z'] }).map((p) => `${p.a}${p.b}`)).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
    expect(() => gridPoints({ a: [] })).toThrow(/option "a" has no values/);
  });

  it('picks the λ with the best mean validation score and returns the whole table', () => {
    const lambdas = [0, 0.01, 0.1, 1, 10];
    const result = gridSearch({
      grid: { lambda: lambdas }, mode: 'max', key: key(8),
      evaluate: ({ lambda }, k) => crossValidate({ data, folds: 5, key: k, train: (d) => ridge(d, lambda), score: negMse }),
    });
    expect(result.table.map((r) => r.point.lambda)).toEqual(lambdas);
    const bestMean = Math.max(...result.table.map((r) => r.mean));
    expect(result.bestRow.mean).toBe(bestMean);
    expect(result.best.lambda).toBe(result.table.find((r) => r.mean === bestMean)!.point.lambda);
    // heavy shrinkage is clearly worse on this well-posed problem
    expect(result.best.lambda).toBeLessThan(1);
    expect(result.table[4]!.mean).toBeLessThan(result.bestRow.mean);
    // deterministic per key
    const again = gridSearch({
      grid: { lambda: lambdas }, mode: 'max', key: key(8),
      evaluate: ({ lambda }, k) => crossValidate({ data, folds: 5, key: k, train: (d) => ridge(d, lambda), score: negMse }),
    });
    expect(again).toEqual(result);
  });

  it("mode 'min' picks the lowest mean, ties go to the first point, NaN ranks last", () => {
    const scores: Record<string, number> = { a: 3, b: 1, c: Number.NaN, d: 1 };
    const r = gridSearch({ grid: { name: ['c', 'a', 'b', 'd'] }, mode: 'min', key: key(0), evaluate: ({ name }) => scores[name]! });
    expect(r.best.name).toBe('b');
    const r2 = gridSearch({ grid: { name: ['c', 'a'] }, mode: 'max', key: key(0), evaluate: ({ name }) => scores[name]! });
    expect(r2.best.name).toBe('a');
  });

  it('searches several options at once', () => {
    const r = gridSearch({ grid: { a: [0, 1, 2], b: [0, 5] }, mode: 'max', key: key(0), evaluate: ({ a, b }) => -((a - 1) ** 2) - (b - 5) ** 2 });
    expect(r.best).toEqual({ a: 1, b: 5 });
    expect(r.table.length).toBe(6);
  });
});
