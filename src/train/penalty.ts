/**
 * Penalties (`l2Penalty`, `l1Penalty`, or your own {@link Penalty}) for `fit`'s `penalty` option;
 * the type lives with the regularizers in `src/optim/regularize`.
 *
 * @module
 */
export type { Penalty } from '../optim/regularize/penalty.js';
