/**
 * Target standardization for regression: fit on training targets, train on `transform(y)`, and
 * map predictions back with `inverse`. The inputs' counterpart is the `standardize` layer.
 *
 * @module
 */
import { unsafeVec, zeros, type Mat, type Vec } from '../tensor/mat.js';
import * as Ops from '../tensor/ops.js';
import { columnStats } from '../layer/standardize.js';

/**
 * A fitted affine scaling of targets, per column: `z = (y − μ) / σ` and back, `y = z·σ + μ`.
 *
 * @since 0.2.0
 * @category model
 */
export interface TargetStandardizer<K extends number> {
  readonly mean: Vec<K>;
  readonly std: Vec<K>;
  readonly transform: <B extends number>(y: Mat<B, K>) => Mat<B, K>;
  readonly inverse: <B extends number>(z: Mat<B, K>) => Mat<B, K>;
}

/**
 * Fits a {@link TargetStandardizer} on training targets `y: Mat<n, K>`: μ is the column mean, σ the
 * population standard deviation (ddof = 0), and a constant column gets σ = 1. An empty `y`, or a
 * later `transform`/`inverse` argument with other than `K` columns, throws a `RangeError` saying
 * so (instead of NaNs). The targets' counterpart of `standardize` (which makes a layer for
 * the inputs: targets are not a layer, they need the way back, `inverse`).
 *
 * @example
 * const s = standardizeTargets(yTrain)
 * const predicted = s.inverse(net.forward(params, xTest))
 * @since 0.2.0
 * @category preprocessing
 */
export const standardizeTargets = <K extends number>(y: Mat<number, K>): TargetStandardizer<K> => {
  if (y.rows < 1) throw new RangeError('standardizeTargets: needs at least one training target row');
  const { mean, std } = columnStats(y);
  const m = unsafeVec(y.cols, mean);
  const s = unsafeVec(y.cols, std);
  const broadcast = <B extends number>(rows: B, v: Vec<K>): Mat<B, K> => Ops.addRowVector(zeros(rows, y.cols), v);
  const checked = <B extends number>(where: string, m: Mat<B, K>): Mat<B, K> => {
    if (m.cols !== y.cols) throw new RangeError(`standardizeTargets.${where}: fitted on ${y.cols} target columns, got ${m.cols}`);
    return m;
  };
  return Object.freeze({
    mean: m,
    std: s,
    transform: <B extends number>(v: Mat<B, K>) => Ops.zipWith3(checked('transform', v), broadcast(v.rows, m), broadcast(v.rows, s), (a, mu, sd) => (a - mu) / sd),
    inverse: <B extends number>(z: Mat<B, K>) => Ops.zipWith3(checked('inverse', z), broadcast(z.rows, s), broadcast(z.rows, m), (a, sd, mu) => a * sd + mu),
  });
};
