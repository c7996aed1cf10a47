import { expectError, expectType } from 'tsd';
import * as E from 'fp-ts/lib/Either.js';
import {
  dense, dyn, evaluate, fit, fromRows, key, mse, predict, relu, sequential, sgd, withCols, withColsEither,
  type DynDim, type Layer, type Mat, type WidthError,
} from '..';

// fromRows: literal rows and tuple-typed rows give a literal width; number[][] a run-time one.
expectType<Mat<2, 2>>(fromRows([[1, 2], [3, 4]]));
expectType<Mat<2, 2>>(fromRows([[1, 2], [3, 4]] as const));
declare const pairs: [number, number][];
expectType<Mat<number, 2>>(fromRows(pairs));
declare const triples: ReadonlyArray<readonly [number, number, number]>;
expectType<Mat<number, 3>>(fromRows(triples));
declare const rows: number[][];
expectType<Mat<number, number>>(fromRows(rows));

// withCols / withColsEither: the checked way from a run-time width to a literal one.
declare const csvX: Mat<number, DynDim>;
expectType<Mat<number, 4>>(withCols(csvX, 4));
expectType<Mat<number, 4>>(withCols(fromRows(rows), 4));
expectType<Mat<7, 4>>(withCols(null as unknown as Mat<7, number>, 4));
expectType<E.Either<WidthError, Mat<number, 4>>>(withColsEither(csvX, 4));
expectType<Mat<number, DynDim>>(withCols(fromRows(rows), dyn(4)));
declare const n: number;
expectError(withCols(csvX, n));
expectError(withCols(csvX, 0));

// fit, predict and evaluate refuse a run-time width against a literal one (with a hint) ...
const net = sequential(dense(4, 8), relu, dense(8, 1));
const p = net.init(key(0));
const opts = { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 'full', key: key(1) } as const;
const y = fromRows([[1]]);
expectError(fit(net, p, { x: csvX, y }, opts));
expectError(fit(net, p, { x: fromRows(rows), y }, opts));
expectError(fit(net, p, { x: withCols(csvX, 4), y: fromRows(rows) }, opts));
expectError(fit(net, p, { x: fromRows([[1, 2, 3]]), y }, opts));
expectError(predict(net, p, csvX));
expectError(evaluate(net, p, { x: csvX, y }, mse));
// ... and accept it once checked, or with a net built with dyn(n).
fit(net, p, { x: withCols(csvX, 4), y }, opts);
expectType<Mat<number, 1>>(predict(net, p, withCols(csvX, 4)));
const dynNet = sequential(dense(dyn(csvX.cols), 8), relu, dense(8, 1));
fit(dynNet, dynNet.init(key(0)), { x: csvX, y }, opts);
fit(dynNet, dynNet.init(key(0)), { x: fromRows([[1, 2, 3, 4]]), y }, opts);

// Generic code passing Mat<B, I> to a Layer<I, …> still type-checks.
export const generic = <I extends number, O extends number, P>(model: Layer<I, O, P>, params: P, x: Mat<number, I>, t: Mat<number, O>) => {
  fit(model, params, { x, y: t }, { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 'full', key: key(1) });
  return predict(model, params, x);
};
