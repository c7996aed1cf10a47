/**
 * Gradient checking as public API: compares a layer's analytic derivatives (its VJPs, chained by
 * backprop) with finite differences of the loss, entry by entry, so users can verify their own
 * layers.
 *
 * @module
 */
import * as Params from '../params.js';
import type { Context, Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import type { Mat } from '../tensor/mat.js';
import { centralDifference, defaultStep, perturbMat, perturbParam, stepFor } from './finite-difference.js';
import type { LossFits } from './grad.js';

/**
 * Where a gradient entry lives: entry `index` (row-major) of the parameter leaf at `path` (the
 * paths of `params.leaves`, e.g. `"2.w"` for the weights of the third layer of a `sequential`), or
 * entry (`row`, `col`) of the input batch.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export type GradCheckLocation =
  | { readonly kind: 'param'; readonly path: string; readonly index: number }
  | { readonly kind: 'input'; readonly row: number; readonly col: number };

/** Options of {@link gradCheck}. @since 0.1.0 @category model @inline */
export interface GradCheckOptions {
  /** Relative finite-difference step: `h = step·max(1, |v|)` (default 1e-3, see `defaultStep`). */
  readonly step?: number;
  /** The largest relative error that counts as a pass, for `ok` (default 1e-6). */
  readonly tolerance?: number;
  /**
   * Floor of the relative error's denominator: derivatives both below it are compared absolutely
   * (`|a − n| / tiny`). Default `1e-6·max(1, |L|)` with `L` the loss at `(θ, x)`, since finite
   * differences of `L` carry rounding noise of about `1e-13·|L|` (an exactly-zero gradient,
   * e.g. of a dead relu unit, is measured as ±1e-14 or so).
   */
  readonly tiny?: number;
  /** Also check `∂L/∂x` (default true). */
  readonly inputs?: boolean;
  /** Passed to every forward and backward pass, e.g. `{ training: true, key }` to check dropout with one fixed mask. */
  readonly ctx?: Context;
}

/**
 * The outcome of {@link gradCheck}.
 *
 * @since 0.1.0
 * @category model
 */
export interface GradCheckResult {
  /** The largest relative error `|a − n| / max(|a|, |n|, tiny)` over all entries checked (∞ if one is not finite). */
  readonly maxRelativeError: number;
  /** Where it occurred (`null` only when nothing was checked). */
  readonly where: GradCheckLocation | null;
  /** The analytic (backprop) derivative there. */
  readonly analytic: number;
  /** The finite-difference derivative there. */
  readonly numeric: number;
  /** How many entries were compared (every parameter, plus every input entry unless `inputs: false`). */
  readonly checked: number;
  /** The tolerance `ok` was judged by. */
  readonly tolerance: number;
  /** The denominator floor that was used. */
  readonly tiny: number;
  /** `maxRelativeError ≤ tolerance`. */
  readonly ok: boolean;
  /** `maxRelativeError ≤ tol`, for another tolerance. */
  readonly passes: (tol: number) => boolean;
}

/**
 * The relative error between two numbers, `|a − b| / max(|a|, |b|, tiny)`: 0 for equal numbers,
 * close to 1 when one is far from the other, and an absolute error `|a − b| / tiny` when both are
 * tiny. Infinite when either is not finite.
 *
 * @since 0.1.0
 * @category differentiation
 */
export const relativeError = (a: number, b: number, tiny = 1e-8): number =>
  Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), tiny) : Infinity;

interface Entry {
  readonly where: GradCheckLocation;
  readonly analytic: number;
  readonly numeric: () => number;
}

/**
 * Checks backprop through `layer` and `loss` at `(θ, x, y)` against finite differences, for
 * EVERY parameter entry and (unless `inputs: false`) every input entry: with
 * `L(θ, x) = loss(layer(θ, x), y)`, each analytic `∂L/∂θ_k` (and `∂L/∂x_bj`) from one `vjp` is
 * compared with the fourth-order central difference of `L` along that entry, step
 * `h = step·max(1, |v|)`. Returns the largest relative error `|a − n| / max(|a|, |n|, tiny)`, where
 * it occurred and the two numbers there, and `ok` against `tolerance`.
 *
 * Costs `4·(parameters + inputs)` forward passes: use small nets and batches. Keep away from kinks
 * (relu at 0, mae at ŷ = y): a difference across a kink is not a derivative. Typical results for
 * a correct layer are 1e-9 or below; a wrong VJP gives errors near 1.
 *
 * @example
 * const net = sequential(dense(4, 5), tanh, dense(5, 1))
 * const r = gradCheck(net, mse, net.init(key(0)), x, y)
 * r.ok                  // true: every derivative agrees to 1e-6
 * r.maxRelativeError    // e.g. 3e-11
 * r.where               // e.g. { kind: 'param', path: '0.w', index: 7 }
 * @since 0.1.0
 * @category differentiation
 */
export const gradCheck = <I extends number, O extends number, P, N extends number, B extends number>(
  layer: Layer<I, O, P>,
  loss: Loss<N> & LossFits<O, N>,
  params: P,
  x: Mat<B, I>,
  y: Mat<B, O>,
  options: GradCheckOptions = {},
): GradCheckResult => {
  const step = options.step ?? defaultStep;
  const tolerance = options.tolerance ?? 1e-6;
  const ctx = options.ctx;
  const l = loss as unknown as Loss<number>;
  const lossAt = (p: P, xx: Mat<B, I>): number => l.value(layer.forward(p, xx, ctx), y);

  const [yhat, pullback] = layer.vjp(params, x, ctx);
  const [value, seed] = l.valueAndGrad(yhat, y);
  const [dp, dx] = pullback(seed);
  const tiny = options.tiny ?? 1e-6 * Math.max(1, Math.abs(value));

  const gradLeaves = Params.leaves(dp);
  const paramEntries: Entry[] = Params.leaves(params).flatMap(({ path, tensor }, k) =>
    Array.from(tensor.data, (v, index) => ({
      where: { kind: 'param', path, index } as const,
      analytic: gradLeaves[k]!.tensor.data[index]!,
      numeric: () => centralDifference((t) => lossAt(perturbParam(params, path, index, t), x), stepFor(v, step)),
    })));
  const inputEntries: Entry[] = options.inputs === false
    ? []
    : Array.from(x.data, (v, index) => ({
      where: { kind: 'input', row: Math.floor(index / x.cols), col: index % x.cols } as const,
      analytic: dx.data[index]!,
      numeric: () => centralDifference((t) => lossAt(params, perturbMat(x, index, t)), stepFor(v, step)),
    }));

  type Worst = { error: number; where: GradCheckLocation | null; analytic: number; numeric: number };
  const worst = [...paramEntries, ...inputEntries].reduce<Worst>((acc, e) => {
    const numeric = e.numeric();
    const error = relativeError(e.analytic, numeric, tiny);
    // relativeError is never NaN (non-finite derivatives count as ∞), so `>` finds the worst.
    return acc.where === null || error > acc.error ? { error, where: e.where, analytic: e.analytic, numeric } : acc;
  }, { error: 0, where: null, analytic: 0, numeric: 0 });

  const maxRelativeError = worst.error;
  return Object.freeze({
    maxRelativeError,
    where: worst.where,
    analytic: worst.analytic,
    numeric: worst.numeric,
    checked: paramEntries.length + inputEntries.length,
    tolerance,
    tiny,
    ok: maxRelativeError <= tolerance,
    passes: (tol: number) => maxRelativeError <= tol,
  });
};
