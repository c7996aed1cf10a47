/**
 * The full-batch training cost as an objective for conjugate gradient and L-BFGS.
 *
 * @module
 */
import { valueAndGrad, type LossFits } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import type { Objective } from '../optim/full-batch.js';
import * as Params from '../params.js';
import type { Penalty } from '../optim/regularize/penalty.js';
import type { Dataset } from './types.js';

/**
 * `θ ↦ [C(θ), ∇C(θ)]` with `C(θ) = L(f(θ, X), Y) + R(θ)` over the whole data set (evaluation mode,
 * so deterministic): what `conjugateGradient` and `lbfgs` minimise.
 *
 * @example
 * const r = lbfgs(objective(net, mse, { x, y }), net.init(key(0)))
 * @since 0.1.0
 * @category training
 */
export const objective = <I extends number, O extends number, P, N extends number>(
  model: Layer<I, O, P>,
  loss: Loss<N> & LossFits<O, N>,
  data: Dataset<NoInfer<I>, NoInfer<O>>,
  penalty?: Penalty,
): Objective<P> => {
  const vg = valueAndGrad(model, loss);
  return (params) => {
    const [v, g] = vg(params, data.x, data.y);
    return penalty === undefined ? [v, g] : [v + penalty.value(params), Params.add(g, penalty.grad(params))];
  };
};
