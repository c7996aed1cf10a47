/**
 * Time-series tools: sliding windows over a series, time-ordered splits, and the baselines every
 * forecast should be judged against (persistence, seasonal naive, linear autoregression fitted by
 * least squares).
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import * as Ops from '../tensor/ops.js';
import { affine } from '../tensor/affine.js';
import { sliceRows, unsafeMat, unsafeVec, type Mat, type Vec } from '../tensor/mat.js';
import type { Multiply } from '../shape/decimal.js';
import type { Shaped } from '../shape/shaped.js';

/**
 * Options of {@link slidingWindows}: each window has `lookback` consecutive rows of the series (all
 * its columns as features) and is paired with the `targets` columns at the `horizon` rows after it;
 * consecutive windows start `stride` rows apart (default 1).
 *
 * @since 0.2.0
 * @category time series
 * @inline
 */
export interface WindowOptions<L extends number, Hz extends number, Ts extends readonly number[]> {
  readonly lookback: L;
  readonly horizon?: Hz;
  readonly targets: Ts;
  readonly stride?: number;
}

/**
 * Windows cut from a series: inputs `x` (one window `[lookback, features]` per row), targets `y`
 * (row `i` holds the target columns at steps `1 … horizon` after window `i`, step-major:
 * `y[i][(h − 1)·K + k]`), and where each window starts in the series.
 *
 * @since 0.2.0
 * @category time series
 */
export interface Windows<L extends number, F extends number, Hz extends number, K extends number> {
  readonly x: Mat<number, Shaped<[L, F]>>;
  readonly y: Mat<number, Multiply<Hz, K>>;
  readonly lookback: L;
  readonly features: F;
  readonly horizon: Hz;
  readonly targets: readonly number[];
  /** Row of the series where window `i` starts; its first target is at `start[i] + lookback`. */
  readonly start: readonly number[];
}

/**
 * Cuts a series `Mat<N, F>` (rows in time order, columns the features) into supervised pairs:
 * window `i` is rows `s … s + L − 1` (`s = i·stride`) as a `[L, F]` example, its target the
 * `targets` columns at rows `s + L … s + L + H − 1`. There are `⌊(N − L − H) / stride⌋ + 1` windows.
 * Throws a `RangeError` when the series is shorter than `lookback + horizon` or a target column
 * does not exist.
 *
 * @example
 * // next-day maximum temperature (column 1) from the previous 14 days of all 4 columns
 * const w = slidingWindows(series, { lookback: 14, targets: [1] })  // x: Shaped<[14, 4]>, y: width 1
 * @since 0.2.0
 * @category time series
 */
export const slidingWindows = <F extends number, L extends number, const Ts extends readonly number[], Hz extends number = 1>(
  series: Mat<number, F>,
  options: WindowOptions<L, Hz, Ts>,
): Windows<L, F, Hz, Ts['length']> => {
  const L = options.lookback as number;
  const H = (options.horizon ?? 1) as number;
  const stride = options.stride ?? 1;
  const F = series.cols;
  const targets = [...options.targets];
  for (const [v, name] of [[L, 'lookback'], [H, 'horizon'], [stride, 'stride']] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`slidingWindows: ${name} must be a positive integer, got ${v}`);
  }
  if (targets.length === 0) throw new RangeError('slidingWindows: needs at least one target column');
  targets.forEach((t) => {
    if (!Number.isInteger(t) || t < 0 || t >= F) throw new RangeError(`slidingWindows: target column ${t} is not a column of a series with ${F} columns (0…${F - 1})`);
  });
  if (series.rows < L + H) throw new RangeError(`slidingWindows: a series of ${series.rows} rows is shorter than lookback + horizon = ${L + H}`);
  const n = Math.floor((series.rows - L - H) / stride) + 1;
  const start = Array.from({ length: n }, (_, i) => i * stride);
  const k = targets.length;
  const x = new Float64Array(n * L * F);
  const y = new Float64Array(n * H * k);
  start.forEach((s, i) => {
    K.copyBlock(series.data, s * F, 0, x, i * L * F, 0, 1, L * F);
    for (let h = 0; h < H; h++) targets.forEach((t, j) => (y[(i * H + h) * k + j] = series.data[(s + L + h) * F + t]!));
  });
  return Object.freeze({
    x: unsafeMat(n, (L * F) as Shaped<[L, F]>, x),
    y: unsafeMat(n, (H * k) as Multiply<Hz, Ts['length']>, y),
    lookback: L as L,
    features: F,
    horizon: H as Hz,
    targets: Object.freeze(targets),
    start: Object.freeze(start),
  });
};

/**
 * Fractions of a time-ordered split: `train` and `validation` in (0, 1) with sum < 1; the rest is
 * the test span. `validation` defaults to 0.
 *
 * @since 0.2.0
 * @category time series
 * @inline
 */
export interface TimeSplitOptions {
  readonly train: number;
  readonly validation?: number;
}

/** The three spans of a {@link timeSplit}, each with the same fields as the input. @since 0.2.0 @category time series */
export interface TimeSplit<T> {
  readonly train: T;
  readonly validation: T;
  readonly test: T;
}

/**
 * Splits matrices that share their rows (e.g. windows `{ x, y }`, or a series) into a training
 * span, a validation span and a test span, in time order, without shuffling: the first
 * `round(n·train)` rows, the next `round(n·validation)`, the rest. Nothing of a later span can
 * reach an earlier one, so fit scalers (`standardizeFeatures(split.train.x, …)`) and models on
 * `train` only. Throws a `RangeError` on bad fractions, an empty span, or matrices of different
 * lengths.
 *
 * @example
 * const w = slidingWindows(series, { lookback: 14, targets: [1] })
 * const { train, validation, test } = timeSplit({ x: w.x, y: w.y }, { train: 0.7, validation: 0.15 })
 * @since 0.2.0
 * @category time series
 */
export const timeSplit = <T extends Readonly<Record<string, Mat<number, number>>>>(data: T, options: TimeSplitOptions): TimeSplit<T> => {
  const names = Object.keys(data);
  if (names.length === 0) throw new RangeError('timeSplit: needs at least one matrix');
  const n = data[names[0]!]!.rows;
  names.forEach((k) => {
    if (data[k]!.rows !== n) throw new RangeError(`timeSplit: ${k} has ${data[k]!.rows} rows, ${names[0]} has ${n}`);
  });
  const v = options.validation ?? 0;
  if (!(options.train > 0 && options.train < 1 && v >= 0 && options.train + v < 1)) {
    throw new RangeError(`timeSplit: fractions must satisfy 0 < train < 1, 0 ≤ validation, train + validation < 1; got ${options.train} and ${v}`);
  }
  const a = Math.round(n * options.train);
  const b = a + Math.round(n * v);
  if (a === 0 || b === n || (v > 0 && b === a)) throw new RangeError(`timeSplit: ${n} rows give an empty span at fractions ${options.train}, ${v}`);
  const span = (from: number, to: number): T => Object.freeze(Object.fromEntries(names.map((k) => [k, sliceRows(data[k]!, from, to)]))) as T;
  return Object.freeze({ train: span(0, a), validation: span(a, b), test: span(b, n) });
};

type AnyWindows = Windows<number, number, number, number>;

/** The forecast `y[i][(h − 1)·K + k] = x_i[row(h)][target k]` for a window row chosen per horizon step. */
const repeatRows = (w: AnyWindows, row: (h: number) => number): Mat<number, number> => {
  const { lookback: L, features: F, horizon: H, targets } = w;
  const n = w.x.rows;
  const k = targets.length;
  const out = new Float64Array(n * H * k);
  for (let i = 0; i < n; i++) {
    for (let h = 1; h <= H; h++) targets.forEach((t, j) => (out[(i * H + h - 1) * k + j] = w.x.data[i * L * F + row(h) * F + t]!));
  }
  return unsafeMat(n, H * k, out);
};

/**
 * The persistence (naive) forecast: every future step equals the last observed value,
 * `ŷ_{t+h} = y_t`. Aligned with `windows.y`.
 *
 * @since 0.2.0
 * @category time series
 */
export const persistence = <L extends number, F extends number, Hz extends number, K_ extends number>(windows: Windows<L, F, Hz, K_>): Mat<number, Multiply<Hz, K_>> =>
  repeatRows(windows as unknown as AnyWindows, () => windows.lookback - 1) as Mat<number, Multiply<Hz, K_>>;

/**
 * The seasonal naive forecast with period `m`: each future step equals the value one season
 * earlier, `ŷ_{t+h} = y_{t+h−m·⌈h/m⌉}`. Needs `m ≤ lookback`. Aligned with `windows.y`.
 *
 * @since 0.2.0
 * @category time series
 */
export const seasonalNaive = <L extends number, F extends number, Hz extends number, K_ extends number>(windows: Windows<L, F, Hz, K_>, period: number): Mat<number, Multiply<Hz, K_>> => {
  const L = windows.lookback;
  if (!Number.isInteger(period) || period < 1 || period > L) throw new RangeError(`seasonalNaive: period must be an integer in 1…${L} (the lookback), got ${period}`);
  return repeatRows(windows as unknown as AnyWindows, (h) => L - period + ((h - 1) % period)) as Mat<number, Multiply<Hz, K_>>;
};

/**
 * A fitted linear autoregression: `ŷ = vec(window)·W + b`, with `W: (L·F) × (H·K)`.
 *
 * @since 0.2.0
 * @category time series
 */
export interface LinearAutoregression {
  readonly w: Mat<number, number>;
  readonly b: Vec<number>;
  /** Forecasts for windows of the same lookback, features and targets, aligned with their `y`. */
  readonly predict: <L extends number, F extends number, Hz extends number, K_ extends number>(windows: Windows<L, F, Hz, K_>) => Mat<number, Multiply<Hz, K_>>;
}

/**
 * Fits the linear autoregression `ŷ = vec(window)·W + b` on training windows by least squares,
 * every lagged value of every feature a regressor: `min ‖[X, 1]·[W; bᵀ] − Y‖² + λ‖W‖²` (the bias
 * is not penalized), solved from the normal equations by Cholesky. `ridge` λ ≥ 0 (default 0);
 * collinear regressors (a constant feature, more regressors than windows) need λ > 0 and are
 * reported with a `RangeError` saying so.
 *
 * @example
 * const { train, test } = splitWindows(slidingWindows(series, { lookback: 14, targets: [1] }), { train: 0.7, validation: 0.15 })
 * const ar = linearAutoregression(train, { ridge: 1e-6 })
 * rmse(ar.predict(test), test.y)
 * @since 0.2.0
 * @category time series
 */
export const linearAutoregression = <L extends number, F extends number, Hz extends number, K_ extends number>(
  windows: Windows<L, F, Hz, K_>,
  options: { readonly ridge?: number } = {},
): LinearAutoregression => {
  const lambda = options.ridge ?? 0;
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError(`linearAutoregression: ridge must be a finite number ≥ 0, got ${lambda}`);
  const n = windows.x.rows;
  const d: number = windows.x.cols;
  const m: number = windows.y.cols;
  const ones = unsafeMat(n, 1, new Float64Array(n).fill(1));
  const a = Ops.concatCols([windows.x, ones]);
  const gram = Ops.matmulTransA(a, a).data.slice();
  for (let j = 0; j < d; j++) gram[j * (d + 1) + j] += lambda;
  const rhs = Ops.matmulTransA(a, windows.y).data.slice();
  if (!K.choleskySolve(gram, rhs, d + 1, m)) {
    throw new RangeError(`linearAutoregression: the ${d} regressors are collinear on these ${n} windows (a constant feature, or more regressors than windows); pass ridge > 0`);
  }
  const w = unsafeMat(d, m, rhs.slice(0, d * m));
  const b = unsafeVec(m, rhs.slice(d * m));
  const predict = <L2 extends number, F2 extends number, H2 extends number, K2 extends number>(v: Windows<L2, F2, H2, K2>): Mat<number, Multiply<H2, K2>> => {
    if (v.x.cols !== d || v.y.cols !== m) throw new RangeError(`linearAutoregression: fitted on windows of ${d} values → ${m} targets, got ${v.x.cols} → ${v.y.cols}`);
    return affine(v.x as Mat<number, number>, w, b) as Mat<number, Multiply<H2, K2>>;
  };
  return Object.freeze({ w, b, predict });
};

/**
 * {@link timeSplit} for windows: the training, validation and test windows in time order, each a
 * `Windows` value (so the baselines and `linearAutoregression` take them directly).
 *
 * @example
 * const { train, validation, test } = splitWindows(slidingWindows(series, { lookback: 14, targets: [1] }), { train: 0.7, validation: 0.15 })
 * @since 0.2.0
 * @category time series
 */
export const splitWindows = <L extends number, F extends number, Hz extends number, K_ extends number>(
  windows: Windows<L, F, Hz, K_>,
  options: TimeSplitOptions,
): TimeSplit<Windows<L, F, Hz, K_>> => {
  const parts = timeSplit({ x: windows.x as Mat<number, number>, y: windows.y as Mat<number, number> }, options);
  let from = 0;
  const span = (p: { x: Mat<number, number>; y: Mat<number, number> }): Windows<L, F, Hz, K_> => {
    const start = windows.start.slice(from, from + p.x.rows);
    from += p.x.rows;
    return Object.freeze({ ...windows, x: p.x as Windows<L, F, Hz, K_>['x'], y: p.y as Windows<L, F, Hz, K_>['y'], start: Object.freeze(start) });
  };
  const train = span(parts.train);
  const validation = span(parts.validation);
  return Object.freeze({ train, validation, test: span(parts.test) });
};
