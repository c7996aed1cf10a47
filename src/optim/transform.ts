/**
 * Optimizers as data: a gradient transformation is a pair of pure functions, `init` and `update`
 * (the shape Optax made standard). Primitives transform gradients; recipes chain primitives.
 *
 * @module
 */
import * as Params from '../params.js';

/**
 * A gradient transformation with state `S`:
 * `init(θ) → s₀`; `update(g, s, θ) → [u, s']`, where the updates `u` are added to the parameters
 * by {@link applyUpdates} (so a descent step returns `u = −ρ·g`).
 *
 * @since 0.1.0
 * @category model
 */
export interface GradientTransformation<S = unknown> {
  readonly init: <P>(params: P) => S;
  readonly update: <P>(grads: P, state: S, params: P) => readonly [updates: P, state: S];
}

/**
 * `θ' = θ + u`: applies updates to parameters, returning new parameters (the inputs are untouched).
 *
 * @since 0.1.0
 * @category combinators
 */
export const applyUpdates = <P>(params: P, updates: P): P => Params.add(params, updates);
