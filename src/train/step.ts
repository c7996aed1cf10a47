/**
 * One training step, `(state, batch) ↦ state'`: the unit that epochs fold over.
 *
 * @module
 */
import { valueAndGrad } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import { applyUpdates, type GradientTransformation } from '../optim/transform.js';
import * as Params from '../params.js';
import { foldIn, type Key } from '../random.js';
import type { Penalty } from './penalty.js';
import type { Dataset } from './types.js';

/**
 * What one step needs and changes: parameters, optimizer state, and the number of updates so
 * far (which also numbers the step's dropout key).
 *
 * @since 0.1.0
 * @category model
 */
export interface StepState<P, S> {
  readonly params: P;
  readonly optState: S;
  readonly step: number;
}

/**
 * The result of a step: the next state and the batch's cost before the update, or the reason the
 * step was refused (non-finite loss, gradient or new parameters; the old state is kept).
 *
 * @since 0.1.0
 * @category model
 */
export type StepOutcome<P, S> =
  | { readonly _tag: 'Stepped'; readonly state: StepState<P, S>; readonly cost: number }
  | { readonly _tag: 'Refused'; readonly cause: 'loss' | 'gradient' | 'parameters'; readonly message: string };

/**
 * A training step over one batch.
 *
 * @since 0.1.0
 * @category model
 */
export type Step<I extends number, O extends number, P, S> = (state: StepState<P, S>, batch: Dataset<I, O>) => StepOutcome<P, S>;

/**
 * The generic training step: `[C, g] = [L + R(θ), ∇L + ∇R(θ)]` on the batch by backprop (the model
 * runs with `{ training: true, key: foldIn(key, step) }`, so dropout draws a fresh mask per step),
 * then `[u, s'] = optimizer.update(g, s, θ)` and `θ' = θ + u`. Refuses (returns `Refused`) when the
 * cost, the gradient or `θ'` is not finite.
 *
 * This is the seam for a faster engine: any function of type {@link Step} that gives the same
 * numbers can replace it in `fit` (see the comment at its use in fit.ts).
 *
 * @since 0.1.0
 * @category training
 */
export const makeStep = <I extends number, O extends number, P, S>(
  model: Layer<I, O, P>,
  loss: Loss<number>,
  optimizer: GradientTransformation<S>,
  options: { readonly penalty?: Penalty | undefined; readonly key: Key },
): Step<I, O, P, S> => {
  const vg = valueAndGrad(model, loss);
  const { penalty, key } = options;
  return (state, batch) => {
    const { params, optState, step } = state;
    const [dataLoss, dataGrad] = vg(params, batch.x, batch.y, { training: true, key: foldIn(key, step) });
    const cost = penalty === undefined ? dataLoss : dataLoss + penalty.value(params);
    if (!Number.isFinite(cost)) return { _tag: 'Refused', cause: 'loss', message: `the loss is ${cost} at update ${step + 1}` };
    const grads = penalty === undefined ? dataGrad : Params.add(dataGrad, penalty.grad(params));
    // ‖g‖² by one tight dot product: NaN or ±∞ when any entry is (or when ‖g‖ overflows, which is
    // divergence too); cheaper than testing every entry.
    const gg = Params.sumOfSquares(grads);
    if (!Number.isFinite(gg)) return { _tag: 'Refused', cause: 'gradient', message: `the gradient is not finite (‖g‖² = ${gg}) at update ${step + 1}` };
    const [updates, nextOpt] = optimizer.update(grads, optState, params);
    const next = applyUpdates(params, updates);
    if (!Params.isFinite(next)) {
      return { _tag: 'Refused', cause: 'parameters', message: `the update made the parameters non-finite at update ${step + 1}` };
    }
    return { _tag: 'Stepped', state: { params: next, optState: nextOpt, step: step + 1 }, cost };
  };
};
