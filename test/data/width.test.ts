import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { dense, dyn, evaluate, fit, fromRows, key, mse, predict, relu, sequential, sgd, withCols, withColsEither, type Mat } from '../../src/index.js';

const rows: number[][] = [[1, 2, 3, 4], [5, 6, 7, 8]];

describe('withCols: a run-time width checked into a literal one', () => {
  it('returns the same matrix (no copy) when the width matches', () => {
    const x = fromRows(rows);
    const r = withColsEither(x, 4);
    expect(E.isRight(r) && r.right).toBe(x);
    expect(withCols(x, 4)).toBe(x);
  });

  it('gives a Left WidthError naming both widths when it differs', () => {
    expect(withColsEither(fromRows(rows), 3)).toEqual(
      E.left({ _tag: 'WidthError', expected: 3, got: 4, message: 'withCols: expected 3 columns, got 4' }),
    );
  });

  it('the throwing form throws a RangeError with the same message', () => {
    expect(() => withCols(fromRows(rows), 5)).toThrow(new RangeError('withCols: expected 5 columns, got 4'));
  });

  it('rejects a width that is not a positive integer (from untyped callers or dyn)', () => {
    expect(() => withColsEither(fromRows(rows), 0 as never)).toThrow(/withCols: width must be a positive integer, got 0/);
    expect(() => withCols(fromRows(rows), 2.5 as never)).toThrow(/got 2\.5/);
  });

  it('a checked matrix trains and predicts like literal data, and a dyn net takes the unchecked one', () => {
    const net = sequential(dense(4, 3), relu, dense(3, 1));
    const y = fromRows([[1], [0]]);
    const opts = { loss: mse, optimizer: sgd(0.05), epochs: 3, batchSize: 'full', key: key(1) } as const;
    const checked = fit(net, net.init(key(0)), { x: withCols(fromRows(rows), 4), y }, opts);
    const literal = fit(net, net.init(key(0)), { x: fromRows([[1, 2, 3, 4], [5, 6, 7, 8]]), y }, opts);
    expect(Array.from(predict(net, checked.params, withCols(fromRows(rows), 4)).data)).toEqual(Array.from(predict(net, literal.params, fromRows([[1, 2, 3, 4], [5, 6, 7, 8]])).data));

    const x: Mat<number, number> = fromRows(rows);
    const dynNet = sequential(dense(dyn(x.cols), 3), relu, dense(3, 1));
    const r = fit(dynNet, dynNet.init(key(0)), { x: withCols(x, dyn(x.cols)), y }, opts);
    expect(r.history.trainLoss).toHaveLength(3);
  });
});

describe('a net built with dyn(n) checks the width of what it is given at run time', () => {
  const dynNet = sequential(dense(dyn(3), 2), relu, dense(2, dyn(1)));
  const p = dynNet.init(key(0));
  it('predict names the argument and both widths', () => {
    expect(() => predict(dynNet, p, fromRows([[1, 2, 3, 4]]))).toThrow(new RangeError('predict: x has 4 columns, but the model takes 3 inputs'));
    expect(predict(dynNet, p, fromRows([[1, 2, 3]])).cols).toBe(1);
  });
  it('evaluate checks x and y', () => {
    expect(() => evaluate(dynNet, p, { x: fromRows([[1, 2]]), y: fromRows([[1]]) }, mse)).toThrow(/evaluate: data\.x has 2 columns, but the model takes 3 inputs/);
    expect(() => evaluate(dynNet, p, { x: fromRows([[1, 2, 3]]), y: fromRows([[1, 2]]) }, mse)).toThrow(/evaluate: data\.y has 2 columns, but the model gives 1 output/);
  });
});

describe('fromRows infers the width from tuple-typed rows', () => {
  it('an array of pairs is a Mat<number, 2> with the rows copied in order', () => {
    const pairs: [number, number][] = [[1, 2], [3, 4], [5, 6]];
    const m: Mat<number, 2> = fromRows(pairs);
    expect([m.rows, m.cols, Array.from(m.data)]).toEqual([3, 2, [1, 2, 3, 4, 5, 6]]);
  });
});
