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
 * Huber loss with threshold `δ > 0` (default 1), on residuals `r = ŷ − y`:
 * `h_δ(r) = ½r²` for `|r| ≤ δ`, `δ(|r| − ½δ)` otherwise; `L = (1/B) Σ_b Σ_j h_δ(r_bj)` (summed
 * over outputs, averaged over the batch rows). Gradient `∂L/∂ŷ = clamp(r, −δ, δ) / B`: continuous,
 * so it behaves like `mse` for small errors and like `mae` (bounded) for outliers.
 *
 * @example
 * huber(1).value(fromRows([[0.5, 3]]), fromRows([[0, 0]]))   // ½·0.25 + (3 − ½) = 2.625
 * @since 0.1.0
 * @category losses
 */
export const huber = (delta = 1): Loss<number> => {
  if (!(delta > 0 && Number.isFinite(delta))) throw new RangeError(`huber: δ must be a positive number, got ${delta}`);
  return withLossRecipe(
    defineLoss(`huber(${delta})`, (yhat, y, grad, s) => K.huberLoss(yhat.data, y.data, delta, grad, s)),
    { loss: 'huber', delta },
  );
};
