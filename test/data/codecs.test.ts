import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { dyn, oneHot } from '../../src/index.js';
import { formatErrors, fromType, labels, matrix, readCsv } from '../../src/index.js';

describe('matrix', () => {
  it('decodes rows of numbers into Mat<n, C>, copying them', () => {
    const input = [[1, 2], [3, -0]];
    const r = matrix(2).decode(input);
    expect(E.isRight(r) && [r.right.rows, r.right.cols, Array.from(r.right.data)]).toEqual([2, 2, [1, 2, 3, -0]]);
    expect(input).toEqual([[1, 2], [3, -0]]);
  });
  it('decodes records by column name, ignoring extra fields', () => {
    const r = matrix(2, { columns: ['a', 'b'] }).decode([{ b: 2, a: 1, note: 'x' }]);
    expect(E.isRight(r) && Array.from(r.right.data)).toEqual([1, 2]);
  });
  it('accepts a run-time width through dyn', () => {
    const r = matrix(dyn(3)).decode([[1, 2, 3]]);
    expect(E.isRight(r) && r.right.cols).toBe(3);
  });
  it('a decoder\'s decode composes with E.map in an fp-ts pipe (Right carries the decoded matrix)', () => {
    const sums = pipe([[1, 2], [3, 4]], matrix(2).decode, E.map((m) => m.data.reduce((a, v) => a + v, 0)));
    expect(sums).toEqual(E.right(10));
  });
  it('is also an io-ts Type that embeds in larger codecs, with the same messages', () => {
    const Body = t.type({ x: matrix(2).type, y: labels(3).type });
    expect(E.isRight(Body.decode({ x: [[1, 2]], y: [2] }))).toBe(true);
    const bad = Body.decode({ x: [[1, 'a']], y: [5] });
    expect(E.isLeft(bad) && bad.left.map((e) => e.message)).toEqual([
      'row 1, column "#2": expected a finite number, got "a"',
      'row 1: expected an integer label in 0..2, got 5 (out of range)',
    ]);
  });
  it('fromType turns io-ts errors into row/column errors', () => {
    const r = fromType(t.array(t.type({ a: t.number }))).decode([{ a: 1 }, { a: 'x' }]);
    expect(E.isLeft(r) && [r.left[0]!.row, r.left[0]!.column]).toEqual([2, 'a']);
  });
});

describe('readCsv', () => {
  const text = 'f1,f2,f3,label\n1,2,3,0\n4,5,6,2\n\n7,8,9,1\n';
  it('maps named columns to features, in the order asked, and the target to labels', () => {
    const r = readCsv(text, { features: ['f3', 'f1'], target: 'label', task: 'classification', classes: 3 });
    expect(E.isRight(r) && [Array.from(r.right.x.data), r.right.labels, r.right.lines, r.right.classes]).toEqual([[3, 1, 6, 4, 9, 7], [0, 2, 1], [2, 3, 5], 3]);
  });
  it("'all-but-target' takes every other column; classes default to max label + 1", () => {
    const r = readCsv(text, { features: 'all-but-target', target: 'label', task: 'classification' });
    expect(E.isRight(r) && [r.right.features, r.right.x.cols, r.right.classes]).toEqual([['f1', 'f2', 'f3'], 3, 3]);
  });
  it('reads a regression target as Mat<n, 1>', () => {
    const r = readCsv('a,target\n1,2.5\n2,-3e2\n', { features: ['a'], target: 'target', task: 'regression' });
    expect(E.isRight(r) && Array.from(r.right.y.data)).toEqual([2.5, -300]);
  });
  it('handles quoting, CRLF and a BOM through csv-parse', () => {
    const r = readCsv('\uFEFF"a","b",label\r\n" 1.5",2,0\r\n', { features: ['a', 'b'], target: 'label', task: 'classification' });
    expect(E.isRight(r) && Array.from(r.right.x.data)).toEqual([1.5, 2]);
  });
  it('formatErrors lists every problem, optionally capped', () => {
    const r = readCsv('a,label\nx,0\ny,0\nz,0\n', { features: ['a'], target: 'label', task: 'classification' });
    const msg = E.isLeft(r) ? formatErrors(r.left, 2) : '';
    expect(msg).toBe('3 problems:\n  - row 1 (line 2), column "a": expected a finite number, got "x"\n  - row 2 (line 3), column "a": expected a finite number, got "y"\n  … and 1 more');
  });
});

describe('labels and oneHot', () => {
  it('oneHot puts a 1 at each label', () => {
    expect(Array.from(oneHot([0, 2], 3).data)).toEqual([1, 0, 0, 0, 0, 1]);
  });
  it('labels decode integers in range', () => {
    expect(labels(3).decode([0, 2, 1])).toEqual(E.right([0, 2, 1]));
  });
});

describe('the example CSV', () => {
  it('has exactly its five planted bad rows, each reported with row, line and column', async () => {
    const { readCsvFile } = await import('../../src/node.js');
    const r = readCsvFile(new URL('../../examples/data/flowers-with-bad-rows.csv', import.meta.url).pathname, {
      features: ['petal_len', 'petal_wid', 'stem_len', 'leaf_area'], target: 'label', task: 'classification', classes: 3,
    });
    expect(E.isLeft(r) && r.left.map((e) => [e.row, e.line, e.column])).toEqual([
      [6, 7, 'petal_wid'], [18, 19, 'stem_len'], [31, 32, 'label'], [45, 46, null], [59, 60, 'petal_len'],
    ]);
  });
  it('a missing file is a Left naming the path', async () => {
    const { readCsvFile } = await import('../../src/node.js');
    const r = readCsvFile('/nonexistent/x.csv', { features: 'all-but-target', target: 'label', task: 'classification' });
    expect(E.isLeft(r) && r.left[0]!.message).toBe('expected a readable file at /nonexistent/x.csv, got ENOENT');
  });
});

describe('io-ts round trip', () => {
  it('fromType(matrix(C).type) keeps the decoder\'s own messages', () => {
    const r = fromType(matrix(2).type).decode([[1, 'x']]);
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual(['row 1, column "#2": expected a finite number, got "x"']);
  });
});
