/**
 * `standardizeFeatures`: standardize for shaped examples (sequences, images), with one mean and
 * one standard deviation per feature (the last axis), pooled over every row and position.
 *
 * @module
 */
import { unsafeMat, unsafeVec, type Mat } from '../tensor/mat.js';
import { columnStats, standardizeWith, type Standardize } from './standardize.js';
import { checkShape, formatShape, shapeSize, type Mutable, type Shaped, type ShapeCheck } from '../shape/shaped.js';

/**
 * Fits a standardize layer on shaped training examples `x: Mat<n, Shaped<[…, F]>>` with statistics
 * per feature: `μ_f`, `σ_f` over all rows and all positions (time steps, pixels) of feature `f`
 * (population σ, a zero σ divided by 1), applied at every position:
 * `y[…, f] = (x[…, f] − μ_f) / σ_f`. This is what a sequence model wants: every time step scaled
 * alike, so the scaling does not depend on where in the window a value sits. Fit it on the
 * training span only. The layer is `standardize`'s, with the per-feature statistics repeated
 * over the positions (so save/load and the fast engine treat it as any standardize layer).
 *
 * @example
 * const windows = slidingWindows(series, { lookback: 24, targets: [1] })   // x: Shaped<[24, 4]>
 * const { train } = splitWindows(windows, { train: 0.7, validation: 0.15 })
 * const scale = standardizeFeatures(train.x, [24, 4])  // Standardize<Shaped<[24, 4]>>
 * const net = sequential(scale, lstm([24, 4], 32), dense(32, 1))
 * @since 0.2.0
 * @category constructors
 */
export const standardizeFeatures = <const S extends readonly number[]>(
  x: Mat<number, Shaped<Mutable<S>>>,
  shape: ShapeCheck<S, 'standardizeFeatures: shape'>,
): Standardize<Shaped<Mutable<S>>> => {
  const s = checkShape(shape, 'standardizeFeatures: shape');
  const width = shapeSize(s);
  if (x.cols !== width) throw new RangeError(`standardizeFeatures: shape ${formatShape(s)} needs ${width} columns, the data has ${x.cols}`);
  const f = s[s.length - 1]!;
  const positions = width / f;
  // rows × positions examples of the F features: the same data, read as (n·positions) × F
  const { mean, std } = columnStats(unsafeMat(x.rows * positions, f, x.data));
  const tile = (v: Float64Array): Float64Array => Float64Array.from({ length: width }, (_, j) => v[j % f]!);
  type D = Shaped<Mutable<S>>;
  return standardizeWith(unsafeVec(width as D, tile(mean)), unsafeVec(width as D, tile(std)));
};
