/**
 * Penalties: terms added to the training cost that depend on the parameters only, such as the
 * lecture's weight decay λ(Σw² + Σb²) or L1's λΣ|w|. `fit` adds `value` to the reported cost and
 * `grad` to the data gradient at every step.
 *
 * @module
 */
import * as Params from '../../params.js';
import { layoutOf, withPenaltyKernel, type PenaltyLowering } from '../../lowering.js';

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

/**
 * A penalty from its kernel over the flat parameters: `value` and `grad` are derived from it,
 * and the kernel is attached as the value's lowered form (so `fit`'s interpreter runs the same
 * formula in place).
 *
 * @since 0.2.0
 * @category constructors
 */
export const penaltyFromKernel = (kind: string, lower: PenaltyLowering): Penalty => {
  const penalty: Penalty = Object.freeze({
    kind,
    value: <P>(params: P): number => lower(layoutOf(params)).value(Params.flatten(params)),
    grad: <P>(params: P): P => {
      const theta = Params.flatten(params);
      const out = new Float64Array(theta.length);
      lower(layoutOf(params)).grad(theta, null, out);
      return Params.unflatten(params, out);
    },
  });
  return withPenaltyKernel(penalty, lower);
};
