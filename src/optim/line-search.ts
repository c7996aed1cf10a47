/**
 * A line search satisfying the strong Wolfe conditions (Nocedal & Wright, Algorithms 3.5 and 3.6),
 * shared by conjugate gradient and L-BFGS.
 *
 * @module
 */
import * as Params from '../params.js';
import type { Objective } from './full-batch.js';

/**
 * Line-search constants: sufficient decrease `c1` (default 1e-4), curvature `c2` (0.9 suits
 * quasi-Newton, 0.1 conjugate gradient), and the maximum number of objective evaluations.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface LineSearchOptions {
  /** Sufficient decrease: `f(θ + αd) ≤ f(θ) + c1·α·∇f·d` (default 1e-4). */
  readonly c1?: number;
  /** Curvature: `|∇f(θ + αd)·d| ≤ c2·|∇f·d|` (default 0.9, which suits quasi-Newton; 0.1 suits conjugate gradient). */
  readonly c2?: number;
  /** The most objective evaluations one search may spend (default 30). */
  readonly maxEvaluations?: number;
}

/**
 * A successful step `α` along `d`, with the point `θ + αd`, its value and gradient, and the number of
 * evaluations spent; or a failure with the evaluations spent.
 *
 * @since 0.1.0
 * @category model
 */
export type LineSearchResult<P> =
  | { readonly _tag: 'Found'; readonly alpha: number; readonly params: P; readonly value: number; readonly grad: P; readonly evaluations: number }
  | { readonly _tag: 'Failed'; readonly evaluations: number };

/** The minimiser of the cubic through (a, fa, ga), (b, fb, gb), or undefined if it has none. */
const cubicMin = (a: number, fa: number, ga: number, b: number, fb: number, gb: number): number | undefined => {
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (!(disc >= 0)) return undefined;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  const t = b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
  return Number.isFinite(t) ? t : undefined;
};

/**
 * Finds `α > 0` with `φ(α) ≤ φ(0) + c1·α·φ'(0)` and `|φ'(α)| ≤ c2·|φ'(0)|`, where
 * `φ(α) = f(θ + αd)` and `d` is a descent direction (`φ'(0) < 0`). Brackets by doubling from
 * `alpha0`, then zooms with safeguarded cubic interpolation. A non-finite value counts as too big.
 *
 * @since 0.1.0
 * @category full-batch
 */
export const strongWolfe = <P>(
  f: Objective<P>,
  params: P,
  value: number,
  grad: P,
  direction: P,
  alpha0: number,
  options: LineSearchOptions = {},
): LineSearchResult<P> => {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEval = options.maxEvaluations ?? 30;
  const d0 = Params.dot(grad, direction);
  if (!(d0 < 0)) return { _tag: 'Failed', evaluations: 0 };
  let evaluations = 0;
  const phi = (alpha: number) => {
    evaluations++;
    const p = Params.axpy(alpha, direction, params);
    const [v, g] = f(p);
    return { alpha, p, v: Number.isFinite(v) ? v : Infinity, g, d: Number.isFinite(v) ? Params.dot(g, direction) : NaN };
  };
  type Pt = ReturnType<typeof phi>;
  const found = (s: Pt): LineSearchResult<P> => ({ _tag: 'Found', alpha: s.alpha, params: s.p, value: s.v, grad: s.g, evaluations });
  const armijo = (s: Pt): boolean => s.v <= value + c1 * s.alpha * d0;
  const curvature = (s: Pt): boolean => Math.abs(s.d) <= -c2 * d0;

  const zoom = (lo0: Pt | { alpha: 0; v: number; d: number }, hi0: Pt): LineSearchResult<P> => {
    let lo = lo0;
    let hi = hi0;
    while (evaluations < maxEval) {
      const [a, b] = [Math.min(lo.alpha, hi.alpha), Math.max(lo.alpha, hi.alpha)];
      const width = b - a;
      if (width <= 1e-16 * Math.max(1, b)) break;
      const cubic = Number.isFinite(hi.v) && Number.isFinite(hi.d) ? cubicMin(lo.alpha, lo.v, lo.d, hi.alpha, hi.v, hi.d) : undefined;
      // Keep the trial inside the interval, away from its ends; else bisect.
      const alpha = cubic !== undefined && cubic > a + 0.1 * width && cubic < b - 0.1 * width ? cubic : 0.5 * (a + b);
      const s = phi(alpha);
      if (!armijo(s) || s.v >= lo.v) hi = s;
      else {
        if (curvature(s)) return found(s);
        if (s.d * (hi.alpha - lo.alpha) >= 0) hi = lo as Pt;
        lo = s;
      }
    }
    return { _tag: 'Failed', evaluations };
  };

  let prev: Pt | { alpha: 0; v: number; d: number } = { alpha: 0, v: value, d: d0 };
  let alpha = alpha0;
  for (let i = 0; evaluations < maxEval; i++) {
    const s = phi(alpha);
    if (!armijo(s) || (i > 0 && s.v >= prev.v)) return zoom(prev, s);
    if (curvature(s)) return found(s);
    if (s.d >= 0) return zoom(s, prev as Pt);
    prev = s;
    alpha *= 2;
  }
  return { _tag: 'Failed', evaluations };
};
