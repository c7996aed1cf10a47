/**
 * From a width known at run time to a literal width the compiler can check: `withColsEither(x, 4)`
 * turns a `Mat<R, number>` or `Mat<R, DynDim>` (rows from `number[][]`, CSV features read with
 * `'all-but-target'`) into a `Mat<R, 4>` after checking `x.cols = 4` once, here, at the boundary.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { checkDim, type Dim } from '../shape/dim.js';
import type { Mat } from '../tensor/mat.js';

/**
 * Why a matrix could not be given a literal width: it has `got` columns where `expected` were
 * asked for.
 *
 * @since 0.2.0
 * @category model
 */
export interface WidthError {
  readonly _tag: 'WidthError';
  readonly expected: number;
  readonly got: number;
  readonly message: string;
}

/**
 * Checks that `x` has `cols` columns and returns it typed `Mat<R, C>` (the same value: nothing is
 * copied), or a `Left` {@link WidthError} `withCols: expected 4 columns, got 3`. This is the
 * checked way from data whose width is known only at run time (`Mat<R, number>`,
 * `Mat<R, DynDim>`) to a net with literal dims; `cols` must itself be a positive integer literal
 * (or `dyn(n)`).
 *
 * @example
 * const x = fromRows(rows)                                 // Mat<number, number>
 * const typed = withColsEither(x, 4)                            // Either<WidthError, Mat<number, 4>>
 * @since 0.2.0
 * @category refinements
 */
export const withColsEither = <R extends number, C extends number>(x: Mat<R, number>, cols: Dim<C, 'withCols: width'>): E.Either<WidthError, Mat<R, C>> => {
  checkDim(cols, 'withCols: width');
  return x.cols === cols
    ? E.right(x as Mat<R, C>)
    : E.left({ _tag: 'WidthError', expected: cols, got: x.cols, message: `withCols: expected ${cols} columns, got ${x.cols}` });
};

/**
 * {@link withColsEither} that throws a `RangeError` with the {@link WidthError}'s message when the
 * width differs: `withCols(x, 4)` is `x` typed `Mat<R, 4>` (for data a program made itself, where a
 * wrong width is a bug rather than bad input).
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 1))
 * const y = net.forward(net.init(key(0)), withCols(fromRows(rows), 4))   // Mat<number, 1>
 * @since 0.2.0
 * @category refinements
 */
export const withCols = <R extends number, C extends number>(x: Mat<R, number>, cols: Dim<C, 'withCols: width'>): Mat<R, C> => {
  const r = withColsEither(x, cols);
  if (E.isLeft(r)) throw new RangeError(r.left.message);
  return r.right;
};
