/**
 * Penalties: terms added to the training cost that depend on the parameters only, such as the
 * weight decay λ(Σw² + Σb²) of the lecture on training multilayer perceptrons, or L1's λΣ|w|.
 * `fit` adds `value` to the reported cost and `grad` to the data gradient at every step.
 *
 * @module
 */

/**
 * A parameter penalty `R(θ)` with its (sub)gradient `∂R/∂θ`, of the parameters' type.
 *
 * @since 0.1.0
 * @category model
 */
export interface Penalty {
  readonly kind: string;
  readonly value: <P>(params: P) => number;
  readonly grad: <P>(params: P) => P;
}
