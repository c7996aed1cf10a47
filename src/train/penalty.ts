/**
 * Penalties: terms added to the training cost that depend on the parameters only, such as the
 * weight decay λ(Σw² + Σb²) of the lecture on training multilayer perceptrons, or L1's λΣ|w|
 * (`l2Penalty`, `l1Penalty`, or your own {@link Penalty}, for `fit`'s `penalty` option). `fit` adds
 * `value` to the reported cost and `grad` to the data gradient at every step; the type lives with
 * the regularizers in `src/optim/regularize`.
 *
 * @module
 */
export type { Penalty } from '../optim/regularize/penalty.js';
