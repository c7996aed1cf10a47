// Tensors: constructors and destructors round-trip, bad literal data fails loudly, results are frozen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  at, eye, fromArray, fromRows, isTensor, row, shapeOf, sliceRows, takeRows, toRows, unsafeMat, unsafeVec, vec, zeros,
} from '../../src/tensor/mat.js';

describe('Mat', () => {
  it('toRows(fromRows(rows)) returns the rows (fast-check over shapes and values)', () => {
    const rowsArb = fc.integer({ min: 1, max: 6 }).chain((c) =>
      fc.array(fc.array(fc.double({ noNaN: true }), { minLength: c, maxLength: c }), { minLength: 1, maxLength: 8 }),
    );
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const m = fromRows(rows);
        expect([m.rows, m.cols]).toEqual([rows.length, rows[0]!.length]);
        expect(toRows(m)).toEqual(rows);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('fromRows is row-major, copies its input, and returns a frozen matrix', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const m = fromRows(rows);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(at(m, 1, 0)).toBe(4);
    rows[0]![0] = 99;
    expect(at(m, 0, 0)).toBe(1);
    expect(Object.isFrozen(m)).toBe(true);
    const out = toRows(m);
    out[0]![0] = -1;
    expect(at(m, 0, 0)).toBe(1);
  });

  it('fromRows rejects ragged and empty input with the offending row', () => {
    expect(() => fromRows([[1, 2], [3]])).toThrow('fromRows: row 1 has 1 values, expected 2');
    expect(() => fromRows([])).toThrow('fromRows: no rows');
  });

  it('unsafeMat, unsafeVec and fromArray check the length against the dims', () => {
    expect(() => unsafeMat(2, 2, new Float64Array(3))).toThrow('Mat 2×2 needs 4 values, got 3');
    expect(() => unsafeVec(3, new Float64Array(2))).toThrow('Vec 3 needs 3 values, got 2');
    expect(toRows(fromArray(2, 2, [1, 2, 3, 4]))).toEqual([[1, 2], [3, 4]]);
  });

  it('zeros, eye and vec build what they say', () => {
    expect(toRows(zeros(2, 3))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(toRows(eye(3))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const v = vec([1, 2]);
    expect([v.size, Array.from(v.data)]).toEqual([2, [1, 2]]);
  });

  it('row, takeRows and sliceRows copy the selected rows', () => {
    const m = fromRows([[1, 2], [3, 4], [5, 6]]);
    expect(toRows(row(m, 1))).toEqual([[3, 4]]);
    expect(toRows(takeRows(m, [2, 0, 2]))).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(toRows(sliceRows(m, 1, 3))).toEqual([[3, 4], [5, 6]]);
    // Clamped like Array.prototype.slice: a last mini-batch may ask past the end.
    expect(toRows(sliceRows(m, 2, 10))).toEqual([[5, 6]]);
    expect(sliceRows(m, 5, 9).rows).toBe(0);
    expect(sliceRows(m, 2, 1).rows).toBe(0);
    expect(() => takeRows(m, [3])).toThrow('takeRows: index 3 out of range 0..2');
    const r = row(m, 0);
    expect(r.data.buffer).not.toBe(m.data.buffer);
  });

  it('shapeOf and isTensor describe tensors', () => {
    expect(shapeOf(zeros(8, 6))).toBe('8×6');
    expect(shapeOf(vec([1, 2, 3]))).toBe('3');
    expect(isTensor(zeros(1, 1))).toBe(true);
    expect(isTensor({ data: [1, 2] })).toBe(false);
    expect(isTensor(null)).toBe(false);
  });
});
