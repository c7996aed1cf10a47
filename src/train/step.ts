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
import type { Penalty } from '../optim/regularize/penalty.js';
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
 * Why an update was refused, with its message: the cost was not finite (`loss`), ‖g‖² was not
 * (`gradient`), or the new parameters were not (`parameters`).
 *
 * @since 0.2.0
 * @category model
 */
export interface Refusal {
  readonly cause: 'loss' | 'gradient' | 'parameters';
  readonly message: string;
}

/**
 * The one refusal check's verdict, shared by the generic step and fit's interpreter: `cause` at
 * the update after `step` updates, with `value` the offending cost or ‖g‖².
 *
 * @since 0.2.0
 * @category destructors
 */
export const refusal = (cause: Refusal['cause'], value: number, step: number): Refusal => {
  const at = `at update ${step + 1}`;
  const message =
    cause === 'loss'
      ? `the loss is ${value} ${at}`
      : cause === 'gradient'
        ? `the gradient is not finite (‖g‖² = ${value}) ${at}`
        : `the update made the parameters non-finite ${at}`;
  return { cause, message };
};

/**
 * The result of a step: the next state with the batch's data loss and cost (loss + penalty)
 * before the update, or the reason the step was refused (the old state is kept).
 *
 * @since 0.1.0
 * @category model
 */
export type StepOutcome<P, S> =
  | { readonly _tag: 'Stepped'; readonly state: StepState<P, S>; readonly loss: number; readonly cost: number }
  | ({ readonly _tag: 'Refused' } & Refusal);

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
 * It is the reference for fit's in-place interpreter (src/train/engine.ts), which computes the
 * same numbers from the lowered forms of the same values.
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
    if (!Number.isFinite(cost)) return { _tag: 'Refused', ...refusal('loss', cost, step) };
    const grads = penalty === undefined ? dataGrad : Params.add(dataGrad, penalty.grad(params));
    // ‖g‖² by one tight dot product: NaN or ±∞ when any entry is (or when ‖g‖ overflows, which is
    // divergence too); cheaper than testing every entry.
    const gg = Params.sumOfSquares(grads);
    if (!Number.isFinite(gg)) return { _tag: 'Refused', ...refusal('gradient', gg, step) };
    const [updates, nextOpt] = optimizer.update(grads, optState, params);
    const next = applyUpdates(params, updates);
    if (!Params.isFinite(next)) return { _tag: 'Refused', ...refusal('parameters', NaN, step) };
    return { _tag: 'Stepped', state: { params: next, optState: nextOpt, step: step + 1 }, loss: dataLoss, cost };
  };
};
