/**
 * `standardize`: the fixed, non-trained scaling layer `x ↦ (x − μ) / σ`, fitted from training rows
 * and put first in `sequential`, so a saved model carries its own preprocessing.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { unsafeMat, unsafeVec, type Mat, type Vec } from '../tensor/mat.js';
import * as K from '../tensor/kernels.js';
import { defineLayer } from './define.js';
import type { Layer, LayerSpec, NoParams } from './layer.js';
import { checkDim } from '../shape/dim.js';
import { withForm } from './form.js';

/**
 * The scale a column's statistics are computed in: the power of two at or below `max |x|` (1 for
 * an all-zero or non-finite column). Dividing by a power of two is exact, so ordinary data gives
 * the unscaled statistics bit for bit, and squares of scaled values cannot overflow.
 * NaN/±Infinity entries leave the scale at 1; the statistics then carry them, and
 * standardizeWith names the column.
 */
export const scaleOf = (maxAbs: number): number => (maxAbs > 0 && Number.isFinite(maxAbs) ? 2 ** Math.min(1023, Math.floor(Math.log2(maxAbs))) : 1);

/** σ from the scaled σ/s of `rows` rows: a constant column, up to rounding (σ/s ≤ rows·ε), gets 1. */
export const unscaledStd = (scaledSd: number, rows: number, s: number): number => (scaledSd <= rows * Number.EPSILON ? 1 : scaledSd * s);

/**
 * Column means and population standard deviations (ddof = 0) of `x: Mat<n, D>`. Each column is
 * first divided by `s`, the power of two at or below its largest magnitude (so no sum or square can overflow, even
 * for entries near 1e308), then μ = s·mean(x/s) and σ = s·√(mean((x/s − mean(x/s))²)), two passes
 * for accuracy. A column is constant when σ ≤ n·ε·s (ε = 2⁻⁵²: a relative tolerance, the rounding
 * error the two passes can leave on a constant column): it gets σ = 1 (it is only centred), so a column of 0.1s is not
 * read as signal with σ ≈ 1e-17.
 *
 * @since 0.1.0
 * @category preprocessing
 */
export const columnStats = (x: Mat<number, number>): { readonly mean: Float64Array; readonly std: Float64Array } => {
  if (x.rows < 1) throw new RangeError('standardize: needs at least one training row');
  const { rows, cols, data } = x;
  const colSum = (j: number, f: (v: number) => number): number => {
    let s = 0;
    for (let i = 0; i < rows; i++) s += f(data[i * cols + j]!);
    return s;
  };
  const stats = Array.from({ length: cols }, (_, j) => {
    let scale = 0;
    for (let i = 0; i < rows; i++) scale = Math.max(scale, Math.abs(data[i * cols + j]!));
    const s = scaleOf(scale);
    const m = colSum(j, (v) => v / s) / rows;
    const sd = Math.sqrt(colSum(j, (v) => (v / s - m) * (v / s - m)) / rows);
    return { mean: m * s, std: unscaledStd(sd, rows, s) };
  });
  return { mean: Float64Array.from(stats, (c) => c.mean), std: Float64Array.from(stats, (c) => c.std) };
};

/**
 * The standardize layer: an ordinary frozen `Layer<D, D, NoParams>` that also exposes its fitted
 * statistics. They are in `spec.config` as well (`mean`, `std`: comma-separated shortest
 * round-trip decimals), so `save` records them and `load` refuses a model scaled differently.
 *
 * @since 0.1.0
 * @category model
 */
export interface Standardize<D extends number> extends Layer<D, D, NoParams> {
  readonly mean: Vec<D>;
  readonly std: Vec<D>;
}

const encodeList = (xs: Float64Array): string => Array.from(xs, (v) => (Object.is(v, -0) ? '-0' : String(v))).join(',');

/**
 * The layer `y = (x − μ) / σ` for given statistics (σ > 0, all finite). Its Jacobian is the
 * diagonal `diag(1/σ)`: the VJP is `dx = dy / σ` and the JVP `dy = dx / σ`. No parameters.
 *
 * @since 0.1.0
 * @category constructors
 */
export const standardizeWith = <D extends number>(mean: Vec<D>, std: Vec<D>): Standardize<D> => {
  const d = mean.size;
  checkDim(d, 'standardize: width');
  if (std.size !== d) throw new RangeError(`standardize: ${d} means but ${std.size} standard deviations`);
  mean.data.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new RangeError(`standardize: mean of column ${j + 1} is ${v}`);
  });
  std.data.forEach((v, j) => {
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`standardize: std of column ${j + 1} is ${v}, expected a finite positive number`);
  });
  const mu = unsafeVec(d, mean.data.slice());
  const sigma = unsafeVec(d, std.data.slice());
  // (x − μ)/σ with μ as `0 + μ` (a −0 mean acts as +0, as a broadcast sum would give), and
  // the VJP/JVP dy/σ: the kernels fit's interpreter runs too
  const mu0 = mu.data.map((m) => 0 + m);
  const forward = <B extends number>(x: Mat<B, D>): Mat<B, D> => {
    const out = new Float64Array(x.data.length);
    K.standardizeRows(x.data, 0, x.rows, d, mu0, sigma.data, out, 0);
    return unsafeMat(x.rows, d, out);
  };
  const scaleRows = <B extends number>(a: Mat<B, D>): Mat<B, D> => {
    const out = new Float64Array(a.data.length);
    K.divideColumns(a.data, 0, a.rows, d, sigma.data, out, 0);
    return unsafeMat(a.rows, d, out);
  };
  const layer = defineLayer<D, D, NoParams>({
    kind: 'standardize',
    inputDim: mean.size,
    outputDim: mean.size,
    config: { mean: encodeList(mu.data), std: encodeList(sigma.data) },
    init: () => Object.freeze({}) as NoParams,
    forward: (_p, x) => forward(x),
    vjp: (p, x) => [forward(x), (dy) => [p, scaleRows(dy)]],
    jvp: (_p, x, _dp, dx) => [forward(x), scaleRows(dx)],
  });
  // the form's μ is 0 + μ, as forward broadcasts it (a −0 mean acts as +0)
  return withForm(Object.freeze({ ...layer, mean: mu, std: sigma }), { op: 'standardize', mean: mu0, std: sigma.data });
};

/**
 * Fits `standardize` on training rows `x: Mat<n, D>` (μ = column mean, σ = population std with
 * ddof = 0, a constant column, up to rounding, divided by 1) and returns the frozen, non-trained layer
 * `Layer<D, D, NoParams>`. Put it first in `sequential`; fit it on the training rows only.
 *
 * @example
 * const net = sequential(standardize(xTrain), dense(4, 8), relu, dense(8, 3))
 * @since 0.1.0
 * @category constructors
 */
export const standardize = <D extends number>(x: Mat<number, D>): Standardize<D> => {
  const { mean, std } = columnStats(x);
  return standardizeWith(unsafeVec(x.cols, mean), unsafeVec(x.cols, std));
};

const decodeList = (s: unknown, d: number): Float64Array | null => {
  if (typeof s !== 'string') return null;
  const parts = s.split(',');
  if (parts.length !== d) return null;
  const xs = parts.map(Number);
  return xs.every(Number.isFinite) && parts.every((p) => /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/.test(p)) ? Float64Array.from(xs) : null;
};

/**
 * Rebuilds a standardize layer of width `D` from its saved spec (e.g. `readSpec(json)`'s first
 * child), so a fresh process can rebuild the model it loads. `Left` names what is wrong.
 *
 * @since 0.1.0
 * @category constructors
 */
export const standardizeFromSpec = <D extends number>(width: D, spec: LayerSpec | undefined): E.Either<string, Standardize<D>> => {
  if (spec === undefined || spec.kind !== 'standardize') return E.left(`expected a standardize layer spec, got ${spec === undefined ? 'nothing' : spec.kind}`);
  if (spec.inputDim !== width) return E.left(`standardize: expected width ${width}, got ${String(spec.inputDim)}`);
  const mean = decodeList(spec.config?.['mean'], width);
  const std = decodeList(spec.config?.['std'], width);
  if (mean === null) return E.left(`standardize: config.mean is not ${width} finite numbers`);
  if (std === null || !std.every((v) => v > 0)) return E.left(`standardize: config.std is not ${width} finite positive numbers`);
  return E.right(standardizeWith(unsafeVec(width, mean), unsafeVec(width, std)));
};
