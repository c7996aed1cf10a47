/**
 * Dense tensors: `Mat<R, C>` (row-major, batch = rows) and `Vec<N>`, both over `Float64Array`.
 *
 * The dimensions are type parameters so that the compiler can check shapes; at run time a
 * tensor is a frozen record `{ rows, cols, data }`. Nothing in foldnet writes into `data` after a
 * tensor has been returned to a caller: the only writes happen in `kernels.ts`, on arrays that
 * were freshly allocated for the result.
 *
 * @module
 */
import { gatherRows } from './kernels.js';

/**
 * A `R × C` matrix stored row-major in a `Float64Array` of length `R·C`; entry (i, j) is
 * `data[i * cols + j]`. In a batch, each row is one example.
 *
 * @since 0.1.0
 * @category model
 */
export interface Mat<R extends number = number, C extends number = number> {
  readonly rows: R;
  readonly cols: C;
  readonly data: Float64Array;
}

/**
 * A vector of length `N` (used for biases and other per-unit parameters).
 *
 * @since 0.1.0
 * @category model
 */
export interface Vec<N extends number = number> {
  readonly size: N;
  readonly data: Float64Array;
}

/** Any tensor, `Mat<R, C>` or `Vec<N>`: the leaves of a parameter tree. @since 0.1.0 @category model */
export type Tensor = Mat<number, number> | Vec<number>;

/**
 * Wraps an array as a `R × C` matrix without copying. The caller hands the array over: it must
 * not be written afterwards. Throws if the length is not `rows·cols` (a programming error).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeMat = <R extends number, C extends number>(rows: R, cols: C, data: Float64Array): Mat<R, C> => {
  if (data.length !== rows * cols) {
    throw new RangeError(`Mat ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return Object.freeze({ rows, cols, data });
};

/**
 * Wraps an array as a vector without copying (the caller hands the array over).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unsafeVec = <N extends number>(size: N, data: Float64Array): Vec<N> => {
  if (data.length !== size) throw new RangeError(`Vec ${size} needs ${size} values, got ${data.length}`);
  return Object.freeze({ size, data });
};

/** The all-zero `R × C` matrix. @since 0.1.0 @category constructors */
export const zeros = <R extends number, C extends number>(rows: R, cols: C): Mat<R, C> =>
  unsafeMat(rows, cols, new Float64Array(rows * cols));

/** The all-zero vector of length `N`. @since 0.1.0 @category constructors */
export const zerosVec = <N extends number>(size: N): Vec<N> => unsafeVec(size, new Float64Array(size));

/** The `N × N` identity matrix. @since 0.1.0 @category constructors */
export const eye = <N extends number>(n: N): Mat<N, N> => {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return unsafeMat(n, n, data);
};

/**
 * Number of columns of a row list as a literal type when the rows are tuples: the first row's
 * length for literal rows (`[[1, 2], [3, 4]]`), the element's length for an array of tuples
 * (`[number, number][]`), and `number` for `number[][]`.
 */
type Width<Rs extends readonly (readonly number[])[]> = Rs extends readonly [infer F extends readonly number[], ...unknown[]]
  ? F['length']
  : Rs[number]['length'];

/**
 * Builds a matrix from a list of rows (copied). With literal rows the dims are literal types:
 * `fromRows([[1, 2, 3]])` is a `Mat<1, 3>`; rows typed as tuples give a literal width and a
 * run-time row count (`rows: [number, number][]` gives `Mat<number, 2>`); `number[][]` gives
 * `Mat<number, number>`, which {@link withCols} checks into a literal width. Throws on ragged or
 * empty input, since literal data in code is a programming error; untrusted data goes through
 * the io-ts codecs instead.
 *
 * @example
 * const x = fromRows([[5.1, 3.5, 1.4, 0.2]]) // Mat<1, 4>
 * const points = [{ x: 0, y: 1 }, { x: 1, y: 3 }]
 * const pairs: [number, number][] = points.map((p) => [p.x, p.y])
 * const xs = fromRows(pairs)                   // Mat<number, 2>
 * @since 0.1.0
 * @category constructors
 */
export const fromRows = <const Rs extends readonly (readonly number[])[]>(rows: Rs): Mat<Rs['length'], Width<Rs>> => {
  if (rows.length === 0) throw new RangeError('fromRows: no rows (a matrix needs at least one row)');
  const cols = rows[0]!.length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`fromRows: row ${i} has ${row.length} values, expected ${cols}`);
    data.set(row, i * cols);
  });
  return unsafeMat(rows.length as Rs['length'], cols as Width<Rs>, data);
};

/**
 * Builds a matrix of known dims from a flat row-major list (copied).
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromArray = <R extends number, C extends number>(rows: R, cols: C, values: ArrayLike<number>): Mat<R, C> =>
  unsafeMat(rows, cols, Float64Array.from(values));

/** Builds a vector from numbers (copied). @since 0.1.0 @category constructors */
export const vec = <const Xs extends readonly number[]>(values: Xs): Vec<Xs['length']> =>
  unsafeVec(values.length as Xs['length'], Float64Array.from(values));

/** The rows of a matrix as fresh arrays of numbers. @since 0.1.0 @category destructors */
export const toRows = <R extends number, C extends number>(m: Mat<R, C>): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

/** Entry (i, j) of a matrix. @since 0.1.0 @category destructors */
export const at = <R extends number, C extends number>(m: Mat<R, C>, i: number, j: number): number => m.data[i * m.cols + j]!;

/** Row `i` as a `1 × C` matrix (copied). @since 0.1.0 @category combinators */
export const row = <R extends number, C extends number>(m: Mat<R, C>, i: number): Mat<1, C> =>
  unsafeMat(1, m.cols, m.data.slice(i * m.cols, (i + 1) * m.cols));

/**
 * The rows at the given indices, in that order, as a new matrix (a mini-batch).
 *
 * @since 0.1.0
 * @category combinators
 */
export const takeRows = <R extends number, C extends number>(m: Mat<R, C>, indices: ArrayLike<number>): Mat<number, C> => {
  const c = m.cols;
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (!(i >= 0 && i < m.rows && Number.isInteger(i))) throw new RangeError(`takeRows: index ${i} out of range 0..${m.rows - 1}`);
  }
  // one copy loop per row (a subarray view per row would allocate as many objects as rows)
  const data = new Float64Array(indices.length * c);
  gatherRows(m.data, c, m.rows, indices, 0, indices.length, data, 0);
  return unsafeMat(indices.length, c, data);
};

/**
 * Rows `start` (inclusive) to `end` (exclusive), copied; the range is clamped to the matrix, as
 * `Array.prototype.slice` does.
 *
 * @since 0.1.0
 * @category combinators
 */
export const sliceRows = <R extends number, C extends number>(m: Mat<R, C>, start: number, end: number): Mat<number, C> => {
  const from = Math.min(Math.max(0, start), m.rows);
  const to = Math.min(Math.max(from, end), m.rows);
  return unsafeMat(to - from, m.cols, m.data.slice(from * m.cols, to * m.cols));
};

/** The shape of a tensor as a human-readable string, e.g. `"8×6"` or `"6"`. @since 0.1.0 @category destructors */
export const shapeOf = (t: Tensor): string => ('rows' in t ? `${t.rows}×${t.cols}` : `${t.size}`);

/** True when a value is a tensor leaf (a matrix or vector). @since 0.1.0 @category refinements */
export const isTensor = (u: unknown): u is Tensor =>
  typeof u === 'object' && u !== null && (u as { data?: unknown }).data instanceof Float64Array;
