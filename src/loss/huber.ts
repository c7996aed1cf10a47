/**
 * The Huber loss: squared near the target, absolute far from it.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { defineLoss } from './define.js';
import type { Loss } from './loss.js';
import { withLossRecipe } from './portable.js';

/**
 * Huber loss with threshold `δ > 0`, on residuals `r = ŷ − y`:
 * `h_δ(r) = ½r²` for `|r| ≤ δ`, `δ(|r| − ½δ)` otherwise; `L = (1/B) Σ_b Σ_j h_δ(r_bj)` (summed
 * over outputs, averaged over the batch rows). Gradient `∂L/∂ŷ = clamp(r, −δ, δ) / B`: continuous,
 * so it behaves like `mse` for small errors and like `mae` (bounded) for outliers. {@link huber}
 * is the loss with `δ = 1`.
 *
 * @example
 * huberWith(2).value(fromRows([[0.5, 3]]), fromRows([[0, 0]]))   // ½·0.25 + 2·(3 − 1) = 4.125
 * @since 0.2.0
 * @category losses
 */
export const huberWith = (delta: number): Loss<number> => {
  if (!(delta > 0 && Number.isFinite(delta))) throw new RangeError(`huberWith: δ must be a positive number, got ${delta}`);
  return withLossRecipe(
    defineLoss(delta === 1 ? 'huber' : `huberWith(${delta})`, (yhat, y, grad, s) => K.huberLoss(yhat.data, y.data, delta, grad, s)),
    { loss: 'huber', delta },
  );
};

/**
 * The Huber loss with `δ = 1` (see {@link huberWith} for the formula and another threshold):
 * `h(r) = ½r²` for `|r| ≤ 1`, `|r| − ½` otherwise.
 *
 * @example
 * huber.value(fromRows([[0.5, 3]]), fromRows([[0, 0]]))   // ½·0.25 + (3 − ½) = 2.625
 * @since 0.1.0
 * @category losses
 */
export const huber: Loss<number> = huberWith(1);
