/**
 * Nonlinear conjugate gradient (Polak–Ribière+, with restarts), a full-batch optimizer.
 *
 * @module
 */
import * as Params from '../params.js';
import { stoppingOptions, type FullBatchOptions, type FullBatchResult, type Objective } from './full-batch.js';
import { strongWolfe, type LineSearchOptions } from './line-search.js';

/**
 * Options of {@link conjugateGradient}: the stopping rules, the line search (default `c2 = 0.1`)
 * and `restartEvery` (default: the number of parameters), after which the direction is reset to
 * steepest descent.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface ConjugateGradientOptions extends FullBatchOptions {
  /** The strong-Wolfe line search's constants (default `c2 = 0.1`). */
  readonly lineSearch?: LineSearchOptions;
  /** Reset the direction to steepest descent after this many iterations (default: the number of parameters). */
  readonly restartEvery?: number;
}

/**
 * Minimises `f` by nonlinear conjugate gradient: `d₀ = −g₀`; `θ_{k+1} = θ_k + α_k d_k` with `α_k`
 * from a strong-Wolfe line search; `β = max(0, g_{k+1}·(g_{k+1} − g_k) / ‖g_k‖²)` (Polak–Ribière+);
 * `d_{k+1} = −g_{k+1} + β d_k`, restarted to `−g_{k+1}` every `restartEvery` iterations or when it
 * is not a descent direction. Stops on gradient norm, loss change or the iteration cap (the
 * `maxIterations`, `gradTol` and `lossTol` options) and reports which.
 *
 * @example
 * const r = conjugateGradient(objective(net, mse, { x, y }), p0, { maxIterations: 200 })
 * r.stopReason._tag // 'GradientNorm' | 'LossChange' | 'IterationsDone' | 'LineSearchFailed'
 * @since 0.1.0
 * @category full-batch
 */
export const conjugateGradient = <P>(f: Objective<P>, params: P, options: ConjugateGradientOptions = {}): FullBatchResult<P> => {
  const { maxIterations, gradTol, lossTol } = stoppingOptions('conjugateGradient', options);
  const restartEvery = options.restartEvery ?? Params.size(params);
  const ls = { c2: 0.1, ...options.lineSearch };
  let [value, grad] = f(params);
  let evaluations = 1;
  if (!Number.isFinite(value) || !Params.isFinite(grad)) throw new RangeError('conjugateGradient: the objective is not finite at the starting point');
  let theta = params;
  let d = Params.scale(grad, -1);
  let gg = Params.sumOfSquares(grad);
  let alphaPrev = 0;
  let slopePrev = 0;
  const losses = [value];
  let k = 0;
  let stop: FullBatchResult<P>['stopReason'] = { _tag: 'IterationsDone' };
  let sinceRestart = 0;
  for (;;) {
    if (Math.sqrt(gg) <= gradTol) { stop = { _tag: 'GradientNorm' }; break; }
    if (k >= maxIterations) { stop = { _tag: 'IterationsDone' }; break; }
    const slope = Params.dot(grad, d);
    // First step: a unit-length move; later: the previous step's predicted decrease (N&W 3.60).
    const alpha0 = k === 0 || alphaPrev === 0 ? Math.min(1, 1 / Math.sqrt(gg)) : Math.min(1e10, (alphaPrev * slopePrev) / slope);
    const s = strongWolfe(f, theta, value, grad, d, alpha0, ls);
    evaluations += s.evaluations;
    if (s._tag === 'Failed') { stop = { _tag: 'LineSearchFailed' }; break; }
    k++;
    const change = value - s.value;
    const ggNew = Params.sumOfSquares(s.grad);
    const beta = Math.max(0, (ggNew - Params.dot(s.grad, grad)) / gg);
    theta = s.params;
    value = s.value;
    losses.push(value);
    grad = s.grad;
    alphaPrev = s.alpha;
    slopePrev = slope;
    sinceRestart++;
    let dNew = Params.axpy(beta, d, Params.scale(grad, -1));
    if (sinceRestart >= restartEvery || !(Params.dot(grad, dNew) < 0)) {
      dNew = Params.scale(grad, -1);
      sinceRestart = 0;
    }
    d = dNew;
    gg = ggNew;
    if (change <= lossTol * Math.max(1, Math.abs(value))) { stop = Math.sqrt(gg) <= gradTol ? { _tag: 'GradientNorm' } : { _tag: 'LossChange' }; break; }
  }
  return Object.freeze({ params: theta, value, gradNorm: Math.sqrt(gg), losses: Object.freeze(losses), iterations: k, evaluations, stopReason: stop });
};
