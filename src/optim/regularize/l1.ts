/**
 * L1 regularization, `λΣ|θ|`, for sparse networks: as a subgradient {@link Penalty} for `fit`, and
 * as the proximal (soft-thresholding) step for SGD, which sets weights to exactly zero.
 *
 * @module
 */
import * as Params from '../../params.js';
import type { Penalty } from '../../train/penalty.js';
import type { GradientTransformation } from '../transform.js';
import { nonNegative } from '../check.js';
import { allParams, maskTree, type ParamMask } from './mask.js';

/**
 * `R(θ) = λ Σ_{i∈mask} |θ_i|` with the subgradient `λ·sign(θ)` (0 at θ = 0). With plain
 * (sub)gradient steps weights oscillate around 0 instead of reaching it; use {@link proximalL1}
 * for exact zeros. The mask defaults to every leaf.
 *
 * @example
 * fit(net, data, { …, penalty: l1Penalty(1e-3, excludeBiases) })
 * @since 0.1.0
 * @category regularizers
 */
export const l1Penalty = (lambda: number, mask: ParamMask = allParams): Penalty => {
  nonNegative('l1Penalty', 'λ', lambda);
  return Object.freeze({
    kind: 'l1',
    value: <P>(params: P): number => lambda * Params.sumAbs(Params.zipWith(params, maskTree(params, mask), (t, m) => t * m)),
    grad: <P>(params: P): P => Params.zipWith(params, maskTree(params, mask), (t, m) => lambda * Math.sign(t) * m),
  });
};

/** Soft thresholding `S_τ(x) = sign(x)·max(|x| − τ, 0)`. */
const softThreshold = (x: number, tau: number): number => (x > tau ? x - tau : x < -tau ? x + tau : 0);

/**
 * The proximal step of `τΣ|θ|` (ISTA): given the optimizer's update `u`, the new parameters are
 * `θ' = S_τ(θ + u)`, `S_τ(x) = sign(x)·max(|x| − τ, 0)`, and the returned update is `θ' − θ`
 * (so a masked entry that lands in [−τ, τ] becomes exactly 0). For SGD with rate ρ and penalty
 * `λΣ|w|` take `τ = ρλ`. Put it LAST in the chain, after the learning-rate step. Stateless.
 *
 * @example
 * const opt = chain(sgd(0.05), proximalL1(0.05 * 1e-3, excludeBiases))   // τ = ρλ
 * @since 0.1.0
 * @category regularizers
 */
export const proximalL1 = (threshold: number, mask: ParamMask = allParams): GradientTransformation<null> => {
  nonNegative('proximalL1', 'the threshold τ', threshold);
  return Object.freeze({
    init: () => null,
    update: <P>(updates: P, state: null, params: P): readonly [P, null] =>
      [
        Params.zipWith3(updates, params, maskTree(params, mask), (u, t, m) => (m === 0 ? u : softThreshold(t + u, threshold) - t)),
        state,
      ] as const,
  });
};
