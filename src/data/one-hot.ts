/**
 * One-hot encoding of class labels.
 *
 * @module
 */
import { unsafeMat, type Mat } from '../tensor/mat.js';
import { checkDim } from '../shape/dim.js';
import type { Labels } from './labels.js';

/**
 * `oneHot(y, C)`: row `i` is the unit vector `e_{y_i}` of length `C`, so `Mat<n, C>`.
 * Labels must be integers in `0..C−1` (decode untrusted labels with `labels(C)` first); anything
 * else is a programming error and throws a `RangeError` naming the row.
 *
 * @example
 * oneHot([0, 2], 3) // [[1, 0, 0], [0, 0, 1]]
 * @since 0.1.0
 * @category preprocessing
 */
export const oneHot = <C extends number>(y: Labels<C> | ReadonlyArray<number>, classes: C): Mat<number, C> => {
  checkDim(classes, 'oneHot: class count');
  const data = new Float64Array(y.length * classes);
  y.forEach((v, i) => {
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new RangeError(`oneHot: row ${i + 1} has label ${v}, expected an integer in 0..${classes - 1}`);
    data[i * classes + v] = 1;
  });
  return unsafeMat(y.length, classes, data);
};
