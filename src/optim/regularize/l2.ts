/**
 * L2 regularization (weight decay), as the lecture on training multilayer perceptrons writes it: C ← C + λ(Σw² + Σb²). Three forms:
 * a {@link Penalty} for `fit`'s `penalty` option, the same gradient as an optimizer primitive for
 * `chain(weightDecay(λ), sgd(ρ))`, and decoupled (AdamW-style) decay.
 *
 * @module
 */
import * as Params from '../../params.js';
import type { Penalty } from '../../train/penalty.js';
import type { GradientTransformation } from '../transform.js';
import { nonNegative } from '../check.js';
import { allParams, maskTree, type ParamMask } from './mask.js';

/**
 * The lecture's weight decay as a cost term: `R(θ) = λ Σ_{i∈mask} θ_i²`, `∂R/∂θ = 2λθ` on the
 * masked leaves and 0 elsewhere. The mask defaults to {@link allParams} (weights and biases,
 * as in the lecture's formula); pass `excludeBiases` for `λΣw²`.
 *
 * @example
 * fit(net, mse, sgd(0.1), data, { penalty: l2Penalty(1e-3, excludeBiases) })
 * @since 0.1.0
 * @category regularizers
 */
export const l2Penalty = (lambda: number, mask: ParamMask = allParams): Penalty => {
  nonNegative('l2Penalty', 'λ', lambda);
  return Object.freeze({
    kind: 'l2',
    value: <P>(params: P): number =>
      lambda * (mask === allParams ? Params.sumOfSquares(params) : Params.dot(params, Params.zipWith(params, maskTree(params, mask), (t, m) => t * m))),
    grad: <P>(params: P): P =>
      mask === allParams ? Params.scale(params, 2 * lambda) : Params.zipWith(params, maskTree(params, mask), (t, m) => 2 * lambda * t * m),
  });
};

/**
 * Weight decay as a gradient transformation: `g ← g + 2λθ` on the masked leaves (the gradient of
 * {@link l2Penalty}). Put it before the optimizer: with `chain(weightDecay(λ), sgd(ρ))` a step is
 * `θ ← θ − ρ(g + 2λθ)`, so with no data gradient `θ_t = (1 − 2ρλ)^t θ₀`. Stateless.
 *
 * @example
 * const opt = chain(weightDecay(1e-4, excludeBiases), sgd(0.05))
 * @since 0.1.0
 * @category regularizers
 */
export const weightDecay = (lambda: number, mask: ParamMask = allParams): GradientTransformation<null> => {
  nonNegative('weightDecay', 'λ', lambda);
  return Object.freeze({
    init: () => null,
    update: <P>(grads: P, state: null, params: P): readonly [P, null] =>
      [
        mask === allParams ? Params.axpy(2 * lambda, params, grads) : Params.zipWith3(grads, params, maskTree(params, mask), (g, t, m) => g + 2 * lambda * t * m),
        state,
      ] as const,
  });
};

/**
 * Decoupled weight decay (Loshchilov & Hutter 2019, "AdamW"; Optax's `add_decayed_weights`):
 * `u ← u + λθ` on the masked leaves (default: all). Put it after the adaptive scaling and before
 * the learning-rate step, so the decay is not divided by Adam's √v:
 * `θ ← θ − ρ(m̂/(√v̂ + ε) + λθ)`. Note the factor: λ here, where {@link weightDecay} adds 2λ.
 *
 * @example
 * const opt = chain(scaleByAdam(), addDecayedWeights(1e-2, excludeBiases), scaleByLearningRate(1e-3))
 * @since 0.1.0
 * @category regularizers
 */
export const addDecayedWeights = (lambda: number, mask: ParamMask = allParams): GradientTransformation<null> => {
  nonNegative('addDecayedWeights', 'λ', lambda);
  return Object.freeze({
    init: () => null,
    update: <P>(updates: P, state: null, params: P): readonly [P, null] =>
      [
        lambda === 0
          ? updates
          : mask === allParams
            ? Params.axpy(lambda, params, updates)
            : Params.zipWith3(updates, params, maskTree(params, mask), (u, t, m) => u + lambda * t * m),
        state,
      ] as const,
  });
};
