// Data whose width is known only at run time meets a net with literal dims: the error names the fix.
import { dense, dyn, evaluate, fit, fitEither, fromRows, key, mse, predict, relu, sequential, sgd, withCols, withColsEither, type DynDim, type Mat } from 'foldnet';

const net = sequential(dense(4, 8), relu, dense(8, 1));
const p = net.init(key(0));
const opts = { loss: mse, optimizer: sgd(0.1), epochs: 1, batchSize: 'full', key: key(1) } as const;

declare const rows: number[][];
declare const csvX: Mat<number, DynDim>;
declare const y: Mat<number, 1>;
declare const yLoose: Mat<number, number>;

export const loose = fit(net, p, { x: fromRows(rows), y }, opts); // @expect-shape-error: fit: data.x has a width known only at run time, but the model takes 4 inputs; check it with withCols(x, 4) or build the model with dyn(n)
export const fromCsv = fitEither(net, p, { x: csvX, y }, opts); // @expect-shape-error: fit: data.x has a width known only at run time, but the model takes 4 inputs; check it with withCols(x, 4) or build the model with dyn(n)
export const looseY = fit(net, p, { x: withCols(csvX, 4), y: yLoose }, opts); // @expect-shape-error: fit: data.y has a width known only at run time, but the model gives 1 output; check it with withCols(y, 1) or build the model with dyn(n)
export const fiveWide = fit(net, p, { x: fromRows([[1, 2, 3, 4, 5]]), y: fromRows([[1]]) }, opts); // @expect-shape-error: fit: data.x has 5 columns, but the model takes 4 inputs
export const predicted = predict(net, p, fromRows(rows)); // @expect-shape-error: predict: x has a width known only at run time, but the model takes 4 inputs; check it with withCols(x, 4) or build the model with dyn(n)
export const evaluated = evaluate(net, p, { x: csvX, y }, mse); // @expect-shape-error: evaluate: data.x has a width known only at run time, but the model takes 4 inputs; check it with withCols(x, 4) or build the model with dyn(n)

// The fixes: check the width once (Either or throw), or build the net with dyn(n).
export const checked = fit(net, p, { x: withCols(fromRows(rows), 4), y }, opts);
export const either = withColsEither(csvX, 4);
const dynNet = sequential(dense(dyn(csvX.cols), 8), relu, dense(8, 1));
export const dynFit = fit(dynNet, dynNet.init(key(0)), { x: csvX, y }, opts);
export const notLiteral = withCols(csvX, csvX.cols as number); // @expect-shape-error: withCols: width must be a literal number (use dyn(n) for a dimension known only at run time)

// Rows typed as tuples give a literal width without a run-time check.
declare const pairs: [number, number, number, number][];
export const tupleRows = predict(net, p, fromRows(pairs));
