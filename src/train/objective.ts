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
import type { AnyLayer } from '../layer/layer.js';
import { compileValueAndGrad, type TrainingData } from './engine.js';
import { arenaHeld } from '../tensor/wasm/arena.js';

/**
 * `θ ↦ [C(θ), ∇C(θ)]` with `C(θ) = L(f(θ, X), Y) + R(θ)` over the whole data set (evaluation mode,
 * so deterministic): what `conjugateGradient` and `lbfgs` minimise. `L` and its gradient run as
 * one compiled program on the arena, as in `fit` (bitwise `valueAndGrad(model, loss)`), when the
 * model, loss and data allow it (every part lowered, a built-in loss, at most 512 MiB of buffers
 * for the rows); otherwise through the layers' own `vjp`.
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
  // compiled on the first call (it needs the parameters' layout), for this data set's rows
  let compiled: ((p: P, d: TrainingData) => readonly [number, P]) | undefined;
  let size = -1;
  const valueAndGradOf = (params: P): readonly [number, P] => {
    if (size < 0) {
      compiled = compileValueAndGrad(model as AnyLayer, params, loss as Loss<number>, data.x.rows);
      size = Params.size(params);
    }
    // (inside a running program — a layer of one's own — the arena is the program's)
    return compiled !== undefined && !arenaHeld() && Params.size(params) === size ? compiled(params, data) : vg(params, data.x, data.y);
  };
  return (params) => {
    const [v, g] = valueAndGradOf(params);
    return penalty === undefined ? [v, g] : [v + penalty.value(params), Params.add(g, penalty.grad(params))];
  };
};
