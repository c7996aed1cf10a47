/**
 * Standardization statistics of data that arrives in batches (a file larger than memory): one
 * pass, Welford's running mean and sum of squared deviations of the values shifted by the
 * column's first value (so a large mean costs no precision), in each column's power-of-two scale
 * (so that no square overflows).
 *
 * @module
 */
import { scaleOf, standardizeWith, unscaledStd, type Standardize } from '../layer/standardize.js';
import { unsafeVec, type Mat } from '../tensor/mat.js';

/**
 * The running statistics of the rows seen so far: per column the shift `k` (its first value), the
 * largest magnitude, the scale `s` (a power of two at or below it), the mean of w = x/s − k/s and
 * the sum of squared deviations of w.
 * A value: `addRows` returns a new one.
 *
 * @since 0.2.0
 * @category preprocessing
 */
export interface RunningStats {
  readonly rows: number;
  readonly shift: Float64Array;
  readonly maxAbs: Float64Array;
  readonly scale: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
}

/**
 * No rows yet, `cols` columns wide.
 *
 * @since 0.2.0
 * @category preprocessing
 */
export const runningStats = (cols: number): RunningStats =>
  Object.freeze({ rows: 0, shift: new Float64Array(cols), maxAbs: new Float64Array(cols), scale: new Float64Array(cols).fill(1), mean: new Float64Array(cols), m2: new Float64Array(cols) });

/**
 * Adds the rows of `x` (Welford): for each value, with n the rows so far and w = x/s − k/s,
 * δ = w − m, m ← m + δ/n, M₂ ← M₂ + δ·(w − m). When a column's largest magnitude moves to a higher
 * power of two s′, its m and M₂ are first rescaled by s/s′ and (s/s′)² (exact: powers of two).
 *
 * @since 0.2.0
 * @category preprocessing
 */
export const addRows = (acc: RunningStats, x: Mat<number, number>): RunningStats => {
  const cols = acc.mean.length;
  if (x.cols !== cols) throw new RangeError(`columnStatsStream: a batch has ${x.cols} columns, the first had ${cols}`);
  const shift = acc.shift.slice();
  const maxAbs = acc.maxAbs.slice();
  const scale = acc.scale.slice();
  const mean = acc.mean.slice();
  const m2 = acc.m2.slice();
  const d = x.data;
  let n = acc.rows;
  if (n === 0 && x.rows > 0) shift.set(d.subarray(0, cols));
  for (let i = 0; i < x.rows; i++) {
    n++;
    for (let j = 0; j < cols; j++) {
      const v = d[i * cols + j]!;
      const a = Math.abs(v);
      if (!(a <= maxAbs[j]!)) {
        maxAbs[j] = a;
        const s = scaleOf(a);
        const r = scale[j]! / s;
        mean[j] = mean[j]! * r;
        m2[j] = m2[j]! * r * r;
        scale[j] = s;
      }
      const w = v / scale[j]! - shift[j]! / scale[j]!;
      const delta = w - mean[j]!;
      mean[j] = mean[j]! + delta / n;
      m2[j] = m2[j]! + delta * (w - mean[j]!);
    }
  }
  return Object.freeze({ rows: n, shift, maxAbs, scale, mean, m2 });
};

/**
 * The statistics of all rows added: μ = s·(k/s + m) and σ = s·√(M₂/n) per column (ddof = 0; a constant
 * column gets σ = 1, as `columnStats` gives it).
 *
 * @since 0.2.0
 * @category preprocessing
 */
export const statsOf = (acc: RunningStats): { readonly mean: Float64Array; readonly std: Float64Array } => {
  if (acc.rows < 1) throw new RangeError('columnStatsStream: needs at least one row');
  const mean = acc.mean.map((m, j) => (acc.shift[j]! / acc.scale[j]! + m) * acc.scale[j]!);
  const std = acc.m2.map((m2, j) => unscaledStd(Math.sqrt(m2 / acc.rows), acc.rows, acc.scale[j]!));
  return { mean, std };
};

/**
 * `columnStats` in one pass over batches of rows (matrices, or data sets whose `x` is used):
 * the same μ and σ as on all rows in memory, to rounding (Welford's update instead of two passes,
 * about 1e-12 relative on ordinary data). Memory is one batch and a few numbers per column.
 *
 * @example
 * const columns = { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' } as const
 * const { mean, std } = await columnStatsStream(csvBatches('big.csv', columns, { batchSize: 256 })(1))
 * @since 0.2.0
 * @category preprocessing
 */
export const columnStatsStream = async (
  batches: AsyncIterable<Mat<number, number> | { readonly x: Mat<number, number> }> | Iterable<Mat<number, number> | { readonly x: Mat<number, number> }>,
): Promise<{ readonly mean: Float64Array; readonly std: Float64Array; readonly rows: number }> => {
  let acc: RunningStats | undefined;
  for await (const b of batches) {
    const x = 'data' in b ? b : b.x;
    acc = addRows(acc ?? runningStats(x.cols), x);
  }
  if (acc === undefined) throw new RangeError('columnStatsStream: needs at least one row');
  return { ...statsOf(acc), rows: acc.rows };
};

/**
 * `standardize` fitted in one streaming pass (see {@link columnStatsStream}): the frozen layer
 * `(x − μ)/σ`, `Layer<D, D, NoParams>`, for `sequential`.
 *
 * @example
 * const columns = { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' } as const
 * const scale = await standardizeStream(csvBatches('big.csv', columns, { batchSize: 256 })(1))   // Standardize<4>
 * @since 0.2.0
 * @category preprocessing
 */
export const standardizeStream = async <D extends number>(
  batches: AsyncIterable<Mat<number, D> | { readonly x: Mat<number, D> }> | Iterable<Mat<number, D> | { readonly x: Mat<number, D> }>,
): Promise<Standardize<D>> => {
  const { mean, std } = await columnStatsStream(batches);
  return standardizeWith(unsafeVec(mean.length as D, mean), unsafeVec(std.length as D, std));
};
