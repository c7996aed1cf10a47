/**
 * The dense layer's forward map as one fused kernel call.
 *
 * @module
 */
import * as K from './kernels.js';
import { unsafeMat, type Mat, type Vec } from './mat.js';

/**
 * `X·W + 1·bᵀ` for `X: R × I`, `W: I × O`, `b: O`, computed in one sweep (each output starts
 * from its bias and accumulates the products in order), allocating only the result.
 *
 * @example
 * affine(fromRows([[1, 2]]), fromRows([[1, 0], [0, 1]]), vec([10, 20]))  // [[11, 22]]
 * @since 0.1.0
 * @category combinators
 */
export const affine = <R extends number, I extends number, O extends number>(x: Mat<R, I>, w: Mat<I, O>, b: Vec<O>): Mat<R, O> => {
  const out = new Float64Array(x.rows * w.cols);
  K.matmulBiasAct(x.data, w.data, b.data, out, x.rows, x.cols, w.cols, 0);
  return unsafeMat(x.rows, w.cols, out);
};
