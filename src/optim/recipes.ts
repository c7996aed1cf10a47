/**
 * Optimizer recipes: each is a short `chain` of primitives, written to match its textbook update.
 * A learning rate is a number `> 0` or a schedule; invalid hyper-parameters throw a `RangeError`
 * when the optimizer is built (configuration written in code is a programming error).
 *
 * @module
 */
import { chain } from './chain.js';
import { addDecayedWeights } from './regularize/l2.js';
import {
  scaleByAdagrad,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  trace,
  type AdamOptions,
  type AdamState,
  type CountState,
  type SquaresState,
  type TraceState,
} from './primitives.js';
import type { LearningRate } from './schedule.js';
import type { GradientTransformation } from './transform.js';

/**
 * Gradient descent: `θ ← θ − ρ_t·∇L(θ)`.
 *
 * @example
 * const opt = sgd(0.1)                // or sgd(inverseTime(1)) for ρ_r = 1/r
 * @since 0.1.0
 * @category recipes
 */
export const sgd = (lr: LearningRate): GradientTransformation<CountState> => scaleByLearningRate(lr);

/**
 * Momentum: `v ← β·v + g`, `θ ← θ − ρ·v`; with `nesterov: true`, `θ ← θ − ρ·(g + β·v)`.
 * Default β = 0.9.
 *
 * @example
 * const opt = momentum(0.01, 0.9, { nesterov: true })
 * @since 0.1.0
 * @category recipes
 */
export const momentum = (
  lr: LearningRate,
  beta = 0.9,
  options: { readonly nesterov?: boolean } = {},
): GradientTransformation<readonly [TraceState, CountState]> => chain(trace(beta, options), scaleByLearningRate(lr));

/**
 * Adam (Kingma & Ba 2015): `θ ← θ − ρ·m̂ / (√v̂ + ε)` with bias-corrected moments (see
 * `scaleByAdam`); defaults ρ = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 (as PyTorch and Keras).
 *
 * @example
 * const opt = adam(1e-3)
 * @since 0.1.0
 * @category recipes
 */
export const adam = (lr: LearningRate = 1e-3, options: AdamOptions = {}): GradientTransformation<readonly [AdamState, CountState]> =>
  chain(scaleByAdam(options), scaleByLearningRate(lr));

/**
 * AdamW (Loshchilov & Hutter 2019): `θ ← θ − ρ·(m̂ / (√v̂ + ε) + λ·θ)`, the weight decay λ
 * decoupled from the adaptive scaling (default λ = 0.01, as PyTorch's `AdamW`): a chain of
 * `scaleByAdam`, the regularizers' `addDecayedWeights(λ)` and `scaleByLearningRate(ρ)`.
 *
 * @since 0.1.0
 * @category recipes
 */
export const adamw = (
  lr: LearningRate = 1e-3,
  options: AdamOptions & { readonly weightDecay?: number } = {},
): GradientTransformation<readonly [AdamState, null, CountState]> =>
  chain(scaleByAdam(options), addDecayedWeights(options.weightDecay ?? 0.01), scaleByLearningRate(lr));

/**
 * RMSProp: `v ← γv + (1−γ)g²`, `θ ← θ − ρ·g / (√v + ε)`; defaults γ = 0.9, ε = 1e-8.
 *
 * @since 0.1.0
 * @category recipes
 */
export const rmsprop = (
  lr: LearningRate = 1e-3,
  options: { readonly decay?: number; readonly eps?: number } = {},
): GradientTransformation<readonly [SquaresState, CountState]> => chain(scaleByRms(options), scaleByLearningRate(lr));

/**
 * Adagrad: `G ← G + g²`, `θ ← θ − ρ·g / (√G + ε)`; defaults ρ = 0.01, ε = 1e-10.
 *
 * @since 0.1.0
 * @category recipes
 */
export const adagrad = (
  lr: LearningRate = 0.01,
  options: { readonly eps?: number; readonly initialAccumulator?: number } = {},
): GradientTransformation<readonly [SquaresState, CountState]> => chain(scaleByAdagrad(options), scaleByLearningRate(lr));
