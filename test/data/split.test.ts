import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { fromRows, key, takeRows } from '../../src/index.js';
import { readSplits, trainTestSplit } from '../../src/index.js';

describe('trainTestSplit', () => {
  it('a stratified split takes time linear in the rows (100 000 labels in under 2 s; it was quadratic)', () => {
    const labels = Array.from({ length: 100_000 }, (_, i) => i % 2);
    const t0 = performance.now();
    const s = trainTestSplit(labels, { testFraction: 0.2, stratify: true, key: key(0) });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(s.test).toHaveLength(20_000);
  });
  it('partitions 0..n−1 into disjoint sorted parts of the requested size', () => {
    const s = trainTestSplit(50, { testFraction: 0.2, key: key(0) });
    expect(s.test).toHaveLength(10);
    expect([...s.train, ...s.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...s.test]).toEqual([...s.test].sort((a, b) => a - b));
  });
  it('is a function of the key: the same key gives the same split, another key another', () => {
    expect(trainTestSplit(30, { testFraction: 0.3, key: key(1) })).toEqual(trainTestSplit(30, { testFraction: 0.3, key: key(1) }));
    expect(trainTestSplit(30, { testFraction: 0.3, key: key(1) })).not.toEqual(trainTestSplit(30, { testFraction: 0.3, key: key(2) }));
  });
  it('stratified splits keep each class proportion', () => {
    const labels = [...Array(40).fill(0), ...Array(20).fill(1), ...Array(10).fill(2)] as number[];
    const s = trainTestSplit(labels, { testFraction: 0.2, stratify: true, key: key(3) });
    const count = (idx: ReadonlyArray<number>, c: number): number => idx.filter((i) => labels[i] === c).length;
    expect([count(s.test, 0), count(s.test, 1), count(s.test, 2)]).toEqual([8, 4, 2]);
  });
  it('its indices select exactly those rows with takeRows', () => {
    const x = fromRows([[0], [1], [2], [3], [4]]);
    const s = trainTestSplit(5, { testFraction: 0.4, key: key(0) });
    expect(Array.from(takeRows(x, s.test).data)).toEqual([...s.test]);
  });
  it('rejects a fraction outside (0, 1)', () => {
    expect(() => trainTestSplit(10, { testFraction: 1, key: key(0) })).toThrow(/testFraction must be in \(0, 1\)/);
  });
});

describe('readSplits', () => {
  it('decodes the split-file format of data/*.splits.json', () => {
    const r = readSplits({ n_rows: 3, index_base: 0, splits: [{ seed: 0, train: [0, 2], test: [1] }] }, 3);
    expect(r).toEqual(E.right({ rows: 3, splits: [{ seed: 0, train: [0, 2], test: [1] }] }));
  });
  it('rejects a file for another row count', () => {
    const r = readSplits({ n_rows: 3, splits: [{ train: [0, 2], test: [1] }] }, 4);
    expect(E.isLeft(r) && r.left[0]!.message).toBe('column "n_rows": expected 4 (the data\'s row count), got 3');
  });
});
