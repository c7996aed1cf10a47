// Data and parameters of the wrong shape are compile errors too (plain TypeScript messages).
import { denseParams, dense, fromRows, key, relu, sequential, zeros, zerosVec, type DenseParams, type Mat, type Vec } from 'foldnet';

const net = sequential(dense(4, 8), relu, dense(8, 2));
const params = net.init(key(0));

export const ok = net.forward(params, fromRows([[5.1, 3.5, 1.4, 0.2]]));
export const fiveColumns = net.forward(params, fromRows([[5.1, 3.5, 1.4, 0.2, 9]])); // @expect-error: Argument of type 'Mat<1, 5>' is not assignable to parameter of type 'Mat<1, 4>'

// The tuple is in argument order: the 8 → 2 layer's parameters cannot go first.
export const swapped = net.forward([params[2], params[1], params[2]], fromRows([[1, 2, 3, 4]])); // @expect-error: Type 'DenseParams<8, 2>' is not assignable to type 'DenseParams<4, 8>'

// A record whose bias has the wrong length.
const wrongBias: { w: Mat<8, 2>; b: Vec<3> } = { w: zeros(8, 2), b: zerosVec(3) };
export const badRecord: DenseParams<8, 2> = wrongBias; // @expect-error: Type 'Vec<3>' is not assignable to type 'Vec<2>'

// Too few parameter records.
export const short = net.forward([params[0], params[1]], fromRows([[1, 2, 3, 4]])); // @expect-error: is not assignable to parameter of type 'readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]'

// The output type carries the net's width.
const y = net.forward(params, fromRows([[1, 2, 3, 4]]));
export const wrongWidth: Mat<1, 3> = y; // @expect-error: Type 'Mat<1, 2>' is not assignable to type 'Mat<1, 3>'
export const built = denseParams(zeros(8, 2), zerosVec(2));
