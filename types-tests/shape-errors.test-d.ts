// Shape mistakes that must not compile (tsd; the messages themselves are checked on TypeScript 6
// and 7 by messages/check.mjs).
import { expectError } from 'tsd';
import {
  compose, dense, dyn, fromRows, key, relu, sequential, softmax, tanh, zeros, zerosVec,
  type DenseParams, type Layer, type Mat, type Part, type Vec,
} from '..';

// sequential: first, middle and last junction.
expectError(sequential(dense(4, 8), dense(6, 2)));
expectError(sequential(dense(4, 8), relu, dense(8, 6), tanh, dense(5, 4), relu, dense(4, 2)));
expectError(sequential(dense(4, 8), relu, dense(8, 6), relu, dense(7, 2)));

// compose: first, middle and last junction.
expectError(compose(dense(5, 2), dense(4, 8)));
expectError(compose(dense(4, 2), relu, dense(6, 4), relu, dense(4, 5)));
expectError(compose(softmax, dense(4, 3), tanh, dense(6, 4), relu, dense(7, 6), dense(4, 8)));

// Nested composites are checked like any layer.
const block = sequential(dense(4, 8), relu);
expectError(sequential(block, dense(6, 2)));
expectError(compose(sequential(dense(6, 2), softmax), block));

// forward fed 5 columns on a 4-input net; vjp and jvp likewise.
const net = sequential(dense(4, 8), relu, dense(8, 2));
const params = net.init(key(0));
const x5 = fromRows([[1, 2, 3, 4, 5]]);
expectError(net.forward(params, x5));
expectError(net.vjp(params, x5));
expectError(net.jvp(params, x5, params, x5));
declare const batchOf5: Mat<number, 5>;
expectError(net.forward(params, batchOf5));

// The output has the net's width, not another.
const out: Mat<1, 2> = net.forward(params, fromRows([[1, 2, 3, 4]]));
expectError<Mat<1, 3>>(out);

// Parameter records of the wrong shape.
declare const wrongBias: { readonly w: Mat<8, 2>; readonly b: Vec<3> };
declare const wrongWeights: { readonly w: Mat<2, 8>; readonly b: Vec<2> };
expectError(net.forward([params[0], params[1], wrongBias], fromRows([[1, 2, 3, 4]])));
expectError(net.forward([params[0], params[1], wrongWeights], fromRows([[1, 2, 3, 4]])));
expectError(net.forward([params[2], params[1], params[0]], fromRows([[1, 2, 3, 4]])));
expectError(net.forward([params[0], params[1]], fromRows([[1, 2, 3, 4]])));
expectError(dense(8, 2).forward({ w: zeros(8, 2), b: zerosVec(3) }, fromRows([[1, 2, 3, 4, 5, 6, 7, 8]])));
declare const dp: DenseParams<8, 2>;
expectError(dense(4, 8).forward(dp, fromRows([[1, 2, 3, 4]])));

// Non-literal dims are rejected; dyn(n) is the explicit way in.
declare const n: number;
expectError(dense(n, 8));
expectError(dense(4, n));
dense(dyn(n), 8);

// An array of unknown length cannot be checked, so it cannot be spread in.
declare const layers: Layer<4, 4, unknown>[];
declare const parts: Part[];
expectError(sequential(...layers));
expectError(compose(...layers));
expectError(sequential(dense(4, 4), ...parts));

// Literal dims must be positive integers.
expectError(dense(0, 3));
expectError(dense(4, -2));
expectError(dense(2.5, 3));
