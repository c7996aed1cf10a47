/**
 * Which optimizers the fast engine can run: the `sgd` and `adam` recipes register what they are
 * here when built (a `WeakMap` from the transformation value to its description), so `fit` can
 * hand a plain dense chain to the engine. Anything unregistered — custom chains, momentum, an
 * optimizer copied with `{ ...opt }` — stays on the generic step.
 *
 * @module
 */
import type { GradientTransformation } from '../optim/transform.js';
import type { FastOptimizer } from './engine.js';

const described = new WeakMap<object, FastOptimizer>();

/**
 * Records that `t` is the optimizer `d` (called by the `sgd` and `adam` recipes); returns `t`.
 *
 * @since 0.1.0
 * @category internals
 */
export const describeOptimizer = <S>(t: GradientTransformation<S>, d: FastOptimizer): GradientTransformation<S> => {
  described.set(t, d);
  return t;
};

/**
 * The fast engine's description of an optimizer, or `undefined` when it has none.
 *
 * @since 0.1.0
 * @category internals
 */
export const fastOptimizerOf = (t: object): FastOptimizer | undefined => described.get(t);
