/**
 * L2 regularization (weight decay), as the lecture on training multilayer perceptrons writes it: C ← C + λ(Σw² + Σb²). Three forms:
 * a {@link Penalty} for `fit`'s `penalty` option, the same gradient as an optimizer primitive for
 * `chain(weightDecay(λ), sgd(ρ))`, and decoupled (AdamW-style) decay.
 *
 * @module
 */
import * as K from '../../tensor/kernels.js';
import { addMaskedDecayOnArena } from '../../tensor/wasm/arena.js';
import type { ParamLayout, UpdateKernel } from '../../lowering.js';
import type { GradientTransformation } from '../transform.js';
import { nonNegative } from '../check.js';
import { statelessInPlace } from '../primitives.js';
import { allParams, maskVector, type ParamMask } from './mask.js';
import { penaltyFromKernel, type Penalty } from './penalty.js';

/**
 * The lecture's weight decay as a cost term: `R(θ) = λ Σ_{i∈mask} θ_i²`, `∂R/∂θ = 2λθ` on the
 * masked leaves and 0 elsewhere. The mask defaults to {@link allParams} (weights and biases,
 * as in the lecture's formula); pass `excludeBiases` for `λΣw²`.
 *
 * @example
 * fit(net, p0, data, { loss: mse, optimizer: sgd(0.1), penalty: l2Penalty(1e-3, excludeBiases), epochs: 10, batchSize: 32, key: key(0) })
 * @since 0.1.0
 * @category regularizers
 */
export const l2Penalty = (lambda: number, mask: ParamMask = allParams): Penalty => {
  nonNegative('l2Penalty', 'λ', lambda);
  return penaltyFromKernel('l2', (layout) => {
    const m = maskVector(layout, mask);
    const mt = new Float64Array(layout.size);
    return {
      // λ Σ_leaves Σ_i θ_i·(θ_i·m_i), leaf by leaf as params.dot sums
      value: (theta) => {
        K.multiplyInto(theta, 0, m, 0, mt, 0, theta.length);
        let s = 0;
        for (const l of layout.leaves) {
          let d = 0;
          for (let i = l.offset; i < l.offset + l.length; i++) d += theta[i]! * mt[i]!;
          s += d;
        }
        return lambda * s;
      },
      grad: (theta, g, out) => K.l2PenaltyGrad(theta, m, lambda, g, out),
    };
  });
};

/** The kernel `u ← u + c·θ` on the masked leaves of `layout` (SIMD on the arena when every leaf is masked). */
const decayOn = (layout: ParamLayout, mask: ParamMask, c: number): UpdateKernel => {
  const m = maskVector(layout, mask);
  const allOnes = m.every((x) => x === 1);
  return (u, theta) => addMaskedDecayOnArena(u, theta, m, allOnes, c);
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
  return statelessInPlace(null, (layout) => decayOn(layout, mask, 2 * lambda));
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
  return statelessInPlace(null, (layout) => (lambda === 0 ? () => undefined : decayOn(layout, mask, lambda)));
};
