/**
 * Pure tensor operations: each allocates its result and delegates the loop to `kernels.ts`.
 *
 * @module
 */
import * as K from './kernels.js';
import { unsafeMat, unsafeVec, type Mat, type Vec } from './mat.js';

/** `A · B` for `A: R × K`, `B: K × C`. @since 0.1.0 @category combinators */
export const matmul = <R extends number, K_ extends number, C extends number>(a: Mat<R, K_>, b: Mat<K_, C>): Mat<R, C> => {
  const out = new Float64Array(a.rows * b.cols);
  K.matmul(a.data, b.data, out, a.rows, a.cols, b.cols);
  return unsafeMat(a.rows, b.cols, out);
};

/** `A · Bᵀ` for `A: R × K`, `B: C × K`. @since 0.1.0 @category combinators */
export const matmulTransB = <R extends number, K_ extends number, C extends number>(a: Mat<R, K_>, b: Mat<C, K_>): Mat<R, C> => {
  const out = new Float64Array(a.rows * b.rows);
  K.matmulTransB(a.data, b.data, out, a.rows, a.cols, b.rows);
  return unsafeMat(a.rows, b.rows, out);
};

/** `Aᵀ · B` for `A: K × R`, `B: K × C`. @since 0.1.0 @category combinators */
export const matmulTransA = <K_ extends number, R extends number, C extends number>(a: Mat<K_, R>, b: Mat<K_, C>): Mat<R, C> => {
  const out = new Float64Array(a.cols * b.cols);
  K.matmulTransA(a.data, b.data, out, a.rows, a.cols, b.cols);
  return unsafeMat(a.cols, b.cols, out);
};

/** `Aᵀ`. @since 0.1.0 @category combinators */
export const transpose = <R extends number, C extends number>(a: Mat<R, C>): Mat<C, R> => {
  const out = new Float64Array(a.data.length);
  K.transpose(a.data, out, a.rows, a.cols);
  return unsafeMat(a.cols, a.rows, out);
};

/**
 * Element-wise `f(a)`: one call of `f` per entry. When V8 cannot inline `f` into the loop (a busy
 * caller, many different callbacks), each call costs several nanoseconds; prefer a named op
 * (`scale`, `mul`, `mulRowVector`, `add`, `sub`) where one says what `f` does.
 *
 * @since 0.1.0
 * @category combinators
 */
export const map = <R extends number, C extends number>(a: Mat<R, C>, f: (x: number) => number): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.map(a.data, out, f);
  return unsafeMat(a.rows, a.cols, out);
};

/**
 * Element-wise `f(a, b)` for two matrices of the same shape: one call of `f` per entry (see
 * {@link map} for its cost); `mul`, `add` and `sub` do the common cases without a callback.
 *
 * @since 0.1.0
 * @category combinators
 */
export const zipWith = <R extends number, C extends number>(
  a: Mat<R, C>, b: Mat<R, C>, f: (x: number, y: number) => number,
): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.zipWith(a.data, b.data, out, f);
  return unsafeMat(a.rows, a.cols, out);
};

/** Element-wise `f(a, b, c)` for three matrices of the same shape. @since 0.1.0 @category combinators */
export const zipWith3 = <R extends number, C extends number>(
  a: Mat<R, C>, b: Mat<R, C>, c: Mat<R, C>, f: (x: number, y: number, z: number) => number,
): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.zipWith3(a.data, b.data, c.data, out, f);
  return unsafeMat(a.rows, a.cols, out);
};

/** `A + B`. @since 0.1.0 @category combinators */
export const add = <R extends number, C extends number>(a: Mat<R, C>, b: Mat<R, C>): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.axpy(1, b.data, a.data, out);
  return unsafeMat(a.rows, a.cols, out);
};

/** `A − B`. @since 0.1.0 @category combinators */
export const sub = <R extends number, C extends number>(a: Mat<R, C>, b: Mat<R, C>): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.axpy(-1, b.data, a.data, out);
  return unsafeMat(a.rows, a.cols, out);
};

/** `α·A`. @since 0.1.0 @category combinators */
export const scale = <R extends number, C extends number>(a: Mat<R, C>, alpha: number): Mat<R, C> => map(a, (x) => alpha * x);

/**
 * `A ⊙ B`: the element-wise (Hadamard) product of two matrices of the same shape, without a
 * callback per element (the ⊙ of backprop's `δ = (Wᵀδ') ⊙ σ'(z)`).
 *
 * @example
 * ```ts
 * import { ops, unsafeMat } from 'foldnet';
 * const a = unsafeMat(1, 2, Float64Array.from([2, 3]));
 * const b = unsafeMat(1, 2, Float64Array.from([4, 5]));
 * ops.mul(a, b).data; // Float64Array [8, 15]
 * ```
 * @since 0.2.0
 * @category combinators
 */
export const mul = <R extends number, C extends number>(a: Mat<R, C>, b: Mat<R, C>): Mat<R, C> => {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError(`mul: a ${a.rows}×${a.cols} matrix ⊙ a ${b.rows}×${b.cols} matrix`);
  const out = new Float64Array(a.data.length);
  K.multiplyInto(a.data, 0, b.data, 0, out, 0, out.length);
  return unsafeMat(a.rows, a.cols, out);
};

/**
 * `A · diag(b)`: multiplies column `j` of `A` by `b[j]` (every row by the vector `b`, element-wise).
 *
 * @example
 * ```ts
 * import { ops, unsafeMat, vec } from 'foldnet';
 * const a = unsafeMat(2, 2, Float64Array.from([1, 2, 3, 4]));
 * ops.mulRowVector(a, vec([10, 100])).data; // Float64Array [10, 200, 30, 400]
 * ```
 * @since 0.2.0
 * @category combinators
 */
export const mulRowVector = <R extends number, C extends number>(a: Mat<R, C>, b: Vec<C>): Mat<R, C> => {
  if (b.size !== a.cols) throw new RangeError(`mulRowVector: a vector of ${b.size} for a ${a.rows}×${a.cols} matrix`);
  const out = new Float64Array(a.data.length);
  K.mulRowVectorTo(a.data, b.data, out, a.rows, a.cols);
  return unsafeMat(a.rows, a.cols, out);
};

/** `A + 1·bᵀ`: adds the vector `b` to every row. @since 0.1.0 @category combinators */
export const addRowVector = <R extends number, C extends number>(a: Mat<R, C>, b: Vec<C>): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.addRowVectorTo(a.data, b.data, out, a.rows, a.cols);
  return unsafeMat(a.rows, a.cols, out);
};

/** `1ᵀ·A`: the column sums, as a vector. @since 0.1.0 @category combinators */
export const sumRows = <R extends number, C extends number>(a: Mat<R, C>): Vec<C> => {
  const out = new Float64Array(a.cols);
  K.sumRows(a.data, out, a.rows, a.cols);
  return unsafeVec(a.cols, out);
};

/** Row-wise softmax. @since 0.1.0 @category combinators */
export const softmaxRows = <R extends number, C extends number>(a: Mat<R, C>): Mat<R, C> => {
  const out = new Float64Array(a.data.length);
  K.softmaxRows(a.data, out, a.rows, a.cols);
  return unsafeMat(a.rows, a.cols, out);
};

/** Per-row `s ⊙ (v − ⟨s, v⟩)`: softmax's JVP (and VJP) at output `s`. @since 0.1.0 @category combinators */
export const softmaxRowsJvp = <R extends number, C extends number>(s: Mat<R, C>, v: Mat<R, C>): Mat<R, C> => {
  const out = new Float64Array(s.data.length);
  K.softmaxRowsJvp(s.data, v.data, out, s.rows, s.cols);
  return unsafeMat(s.rows, s.cols, out);
};

/** Argmax of each row. @since 0.1.0 @category destructors */
export const argmaxRows = <R extends number, C extends number>(a: Mat<R, C>): number[] =>
  Array.from({ length: a.rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < a.cols; j++) if (a.data[r * a.cols + j]! > a.data[r * a.cols + best]!) best = j;
    return best;
  });

/** Columns `start … start + width − 1` of `a`, as a new `R × width` matrix. @since 0.2.0 @category combinators */
export const sliceCols = <R extends number, W extends number>(a: Mat<R, number>, start: number, width: W): Mat<R, W> => {
  if (start < 0 || start + width > a.cols) throw new RangeError(`sliceCols: columns ${start}…${start + width - 1} of a ${a.rows}×${a.cols} matrix`);
  const out = new Float64Array(a.rows * width);
  K.copyBlock(a.data, start, a.cols, out, 0, width, a.rows, width);
  return unsafeMat(a.rows, width, out);
};

/** `[A₁, A₂, …]`: matrices with the same rows, side by side. @since 0.2.0 @category combinators */
export const concatCols = <R extends number>(parts: readonly Mat<R, number>[]): Mat<R, number> => {
  const rows = parts[0]!.rows;
  const cols = parts.reduce((s, m) => s + m.cols, 0);
  const out = new Float64Array(rows * cols);
  parts.reduce((off, m) => {
    if (m.rows !== rows) throw new RangeError(`concatCols: ${m.rows} rows next to ${rows}`);
    K.copyBlock(m.data, 0, m.cols, out, off, cols, rows, m.cols);
    return off + m.cols;
  }, 0);
  return unsafeMat(rows, cols, out);
};
