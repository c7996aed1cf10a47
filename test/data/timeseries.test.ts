// Time-series tools: windows hold exactly the rows they claim, splits keep time order, and the
// baselines are what their formulas say (linear AR recovers an exact AR process).
import { describe, expect, it } from 'vitest';
import {
  fromArray, fromRows, key, linearAutoregression, normal, persistence, rmse, seasonalNaive, slidingWindows, splitWindows, timeSplit,
} from '../../src/index.js';

// rows t = 0…9, columns [t, 10·t]
const series = fromArray(10, 2, Array.from({ length: 10 }, (_, t) => [t, 10 * t]).flat());

describe('slidingWindows', () => {
  it('window i is rows i…i+L−1 and its target the target columns of the next H rows', () => {
    const w = slidingWindows(series, { lookback: 3, horizon: 2, targets: [1] });
    expect(w.x.rows).toBe(6); // ⌊(10 − 3 − 2)/1⌋ + 1
    expect(Array.from(w.x.data.subarray(0, 6))).toEqual([0, 0, 1, 10, 2, 20]);
    expect(Array.from(w.y.data.subarray(0, 2))).toEqual([30, 40]);
    expect(Array.from(w.x.data.subarray(5 * 6, 6 * 6))).toEqual([5, 50, 6, 60, 7, 70]);
    expect(Array.from(w.y.data.subarray(10, 12))).toEqual([80, 90]);
    expect(w.start).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('with a stride and several targets, targets are step-major', () => {
    const w = slidingWindows(series, { lookback: 2, horizon: 2, targets: [0, 1], stride: 3 });
    expect(w.start).toEqual([0, 3, 6]);
    expect(Array.from(w.y.data.subarray(4, 8))).toEqual([5, 50, 6, 60]);
  });

  it('refuses a series shorter than lookback + horizon and unknown target columns', () => {
    expect(() => slidingWindows(series, { lookback: 9, horizon: 2, targets: [0] })).toThrow('slidingWindows: a series of 10 rows is shorter than lookback + horizon = 11');
    expect(() => slidingWindows(series, { lookback: 2, targets: [2] })).toThrow('slidingWindows: target column 2 is not a column of a series with 2 columns (0…1)');
  });
});

describe('timeSplit and splitWindows', () => {
  it('keep time order: train, then validation, then test, with no row in two spans', () => {
    const s = timeSplit({ x: series }, { train: 0.6, validation: 0.2 });
    expect(Array.from(s.train.x.data.filter((_, i) => i % 2 === 0))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(s.validation.x.data.filter((_, i) => i % 2 === 0))).toEqual([6, 7]);
    expect(Array.from(s.test.x.data.filter((_, i) => i % 2 === 0))).toEqual([8, 9]);
    const w = splitWindows(slidingWindows(series, { lookback: 2, targets: [0] }), { train: 0.5, validation: 0.25 });
    expect(w.train.start).toEqual([0, 1, 2, 3]);
    expect(w.validation.start).toEqual([4, 5]);
    expect(w.test.start).toEqual([6, 7]);
    expect(Array.from(w.test.y.data)).toEqual([8, 9]);
  });

  it('refuses fractions that leave a span empty', () => {
    expect(() => timeSplit({ x: series }, { train: 0.99 })).toThrow('timeSplit: 10 rows give an empty span');
    expect(() => timeSplit({ x: series }, { train: 0.7, validation: 0.3 })).toThrow('timeSplit: fractions must satisfy');
  });
});

describe('baselines', () => {
  it('persistence repeats the last observed value; seasonal naive the value one period back', () => {
    const w = slidingWindows(series, { lookback: 4, horizon: 3, targets: [0] });
    expect(Array.from(persistence(w).data.subarray(0, 3))).toEqual([3, 3, 3]);
    // period 2: steps 1, 2, 3 after window 0…3 take rows 2, 3, 2
    expect(Array.from(seasonalNaive(w, 2).data.subarray(0, 3))).toEqual([2, 3, 2]);
    expect(() => seasonalNaive(w, 5)).toThrow('seasonalNaive: period must be an integer in 1…4 (the lookback), got 5');
  });

  it('linear autoregression by least squares recovers an exact AR(2) process and beats persistence on a noisy one', () => {
    const n = 200;
    const e = normal(key(1), n);
    const exact = [1, 0.5];
    const noisy = [1, 0.5];
    for (let t = 2; t < n; t++) {
      exact.push(0.6 * exact[t - 1]! - 0.3 * exact[t - 2]! + 0.1);
      noisy.push(0.6 * noisy[t - 1]! - 0.3 * noisy[t - 2]! + 0.1 + e[t]!);
    }
    const wNoisy = slidingWindows(fromArray(n, 1, noisy), { lookback: 2, targets: [0] });
    const ar = linearAutoregression(wNoisy);
    expect(ar.w.data[0]).toBeCloseTo(-0.3, 0);
    expect(ar.w.data[1]).toBeCloseTo(0.6, 0);
    const { train, test } = splitWindows(wNoisy, { train: 0.7 });
    const fitted = linearAutoregression(train);
    expect(rmse(Array.from(fitted.predict(test).data), Array.from(test.y.data))).toBeLessThan(rmse(Array.from(persistence(test).data), Array.from(test.y.data)));
    const clean = slidingWindows(fromRows(exact.slice(0, 40).map((v) => [v])), { lookback: 2, targets: [0] });
    const exactFit = linearAutoregression(clean, { ridge: 0 });
    expect(exactFit.w.data[0]).toBeCloseTo(-0.3, 8);
    expect(exactFit.w.data[1]).toBeCloseTo(0.6, 8);
    expect(exactFit.b.data[0]).toBeCloseTo(0.1, 8);
  });

  it('names collinear regressors instead of returning NaN', () => {
    const constant = fromArray(10, 2, Array.from({ length: 10 }, (_, t) => [t, 1]).flat());
    expect(() => linearAutoregression(slidingWindows(constant, { lookback: 2, targets: [0] }))).toThrow('linearAutoregression: the 4 regressors are collinear');
    expect(linearAutoregression(slidingWindows(constant, { lookback: 2, targets: [0] }), { ridge: 1e-6 }).predict).toBeTypeOf('function');
  });
});
