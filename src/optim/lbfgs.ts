/**
 * L-BFGS (limited-memory BFGS, two-loop recursion), a full-batch quasi-Newton optimizer.
 *
 * @module
 */
import * as Params from '../params.js';
import { stoppingOptions, type FullBatchOptions, type FullBatchResult, type Objective } from './full-batch.js';
import { strongWolfe, type LineSearchOptions } from './line-search.js';

/**
 * Options of {@link lbfgs}: the stopping rules, `memory` m (default 10 pairs) and the line search
 * (default `c2 = 0.9`).
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface LbfgsOptions extends FullBatchOptions {
  /** How many recent (step, gradient change) pairs approximate the inverse Hessian (default 10). */
  readonly memory?: number;
  /** The strong-Wolfe line search's constants (default `c2 = 0.9`). */
  readonly lineSearch?: LineSearchOptions;
}

/**
 * Minimises `f` by L-BFGS (Nocedal 1980; Liu & Nocedal 1989): the direction `d = −H_k g_k`, with
 * `H_k` the BFGS inverse-Hessian built from the last m pairs `s_i = θ_{i+1} − θ_i`,
 * `y_i = g_{i+1} − g_i` by the two-loop recursion and `H⁰ = (sᵀy / yᵀy)·I`; the step comes from a
 * strong-Wolfe line search (trying `α = 1` first), which keeps `sᵀy > 0`. Stops on gradient norm,
 * loss change or the iteration cap and reports which.
 *
 * @example
 * const r = lbfgs(objective(net, mse, { x, y }), p0, { maxIterations: 100, memory: 10 })
 * @since 0.1.0
 * @category full-batch
 */
export const lbfgs = <P>(f: Objective<P>, params: P, options: LbfgsOptions = {}): FullBatchResult<P> => {
  const { maxIterations, gradTol, lossTol } = stoppingOptions('lbfgs', options);
  const m = options.memory ?? 10;
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`lbfgs: memory must be an integer ≥ 1, got ${m}`);
  const ls = { c2: 0.9, ...options.lineSearch };
  let [value, grad] = f(params);
  let evaluations = 1;
  if (!Number.isFinite(value) || !Params.isFinite(grad)) throw new RangeError('lbfgs: the objective is not finite at the starting point');
  let theta = params;
  let pairs: readonly { readonly s: P; readonly y: P; readonly rho: number }[] = [];
  const losses = [value];
  let k = 0;
  let stop: FullBatchResult<P>['stopReason'] = { _tag: 'IterationsDone' };
  const direction = (g: P): P => {
    // Two-loop recursion: q ← g; newest to oldest a_i = ρ_i s_iᵀq, q ← q − a_i y_i; r ← H⁰q;
    // oldest to newest b = ρ_i y_iᵀr, r ← r + (a_i − b) s_i; d = −r.
    let q = g;
    const a: number[] = [];
    for (let i = pairs.length - 1; i >= 0; i--) {
      const pr = pairs[i]!;
      a[i] = pr.rho * Params.dot(pr.s, q);
      q = Params.axpy(-a[i]!, pr.y, q);
    }
    const last = pairs[pairs.length - 1];
    let r = last === undefined ? q : Params.scale(q, Params.dot(last.s, last.y) / Params.sumOfSquares(last.y));
    for (let i = 0; i < pairs.length; i++) {
      const pr = pairs[i]!;
      r = Params.axpy(a[i]! - pr.rho * Params.dot(pr.y, r), pr.s, r);
    }
    return Params.scale(r, -1);
  };
  for (;;) {
    const gnorm = Params.norm(grad);
    if (gnorm <= gradTol) { stop = { _tag: 'GradientNorm' }; break; }
    if (k >= maxIterations) { stop = { _tag: 'IterationsDone' }; break; }
    let d = direction(grad);
    if (!(Params.dot(grad, d) < 0)) {
      pairs = [];
      d = Params.scale(grad, -1);
    }
    const alpha0 = pairs.length === 0 ? Math.min(1, 1 / gnorm) : 1;
    const s = strongWolfe(f, theta, value, grad, d, alpha0, ls);
    evaluations += s.evaluations;
    if (s._tag === 'Failed') { stop = { _tag: 'LineSearchFailed' }; break; }
    k++;
    const change = value - s.value;
    const sk = Params.sub(s.params, theta);
    const yk = Params.sub(s.grad, grad);
    const sy = Params.dot(sk, yk);
    if (sy > 1e-12 * Params.norm(sk) * Params.norm(yk)) pairs = [...pairs, { s: sk, y: yk, rho: 1 / sy }].slice(-m);
    theta = s.params;
    value = s.value;
    grad = s.grad;
    losses.push(value);
    if (change <= lossTol * Math.max(1, Math.abs(value))) { stop = Params.norm(grad) <= gradTol ? { _tag: 'GradientNorm' } : { _tag: 'LossChange' }; break; }
  }
  return Object.freeze({ params: theta, value, gradNorm: Params.norm(grad), losses: Object.freeze(losses), iterations: k, evaluations, stopReason: stop });
};
