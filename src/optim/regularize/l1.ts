/**
 * L1 regularization, `λΣ|θ|`, for sparse networks: as a subgradient {@link Penalty} for `fit`, and
 * as the proximal (soft-thresholding) step for SGD, which sets weights to exactly zero.
 *
 * @module
 */
import * as K from '../../tensor/kernels.js';
import type { GradientTransformation } from '../transform.js';
import { nonNegative } from '../check.js';
import { statelessInPlace } from '../primitives.js';
import { allParams, maskVector, type ParamMask } from './mask.js';
import { penaltyFromKernel, type Penalty } from './penalty.js';

/**
 * `R(θ) = λ Σ_{i∈mask} |θ_i|` with the subgradient `λ·sign(θ)` (0 at θ = 0). With plain
 * (sub)gradient steps weights oscillate around 0 instead of reaching it; use {@link proximalL1}
 * for exact zeros. The mask defaults to every leaf.
 *
 * @example
 * fit(net, p0, data, { loss: mse, optimizer: sgd(0.1), penalty: l1Penalty(1e-3, excludeBiases), epochs: 10, batchSize: 32, key: key(0) })
 * @since 0.1.0
 * @category regularizers
 */
export const l1Penalty = (lambda: number, mask: ParamMask = allParams): Penalty => {
  nonNegative('l1Penalty', 'λ', lambda);
  return penaltyFromKernel('l1', (layout) => {
    const m = maskVector(layout, mask);
    return {
      value: (theta) => lambda * K.l1PenaltyKernel(theta, m, lambda, null, null),
      grad: (theta, g, out) => void K.l1PenaltyKernel(theta, m, lambda, g, out),
    };
  });
};

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
  return statelessInPlace(null, (layout) => {
    const m = maskVector(layout, mask);
    return (u, theta) => K.proximalL1Update(u, theta, m, threshold);
  });
};
