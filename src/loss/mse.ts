/**
 * Mean squared error, the regression loss of the lecture on training multilayer perceptrons.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { defineLoss } from './define.js';
import type { Loss } from './loss.js';
import { withLossRecipe } from './portable.js';

/**
 * The lecture's squared error, `L = (1/B) Σ_b ½‖y_b − ŷ_b‖²` (½ per row, averaged over the
 * batch rows, summed over outputs); gradient `∂L/∂ŷ = (ŷ − y) / B`.
 * Note: TensorFlow.js/PyTorch's `MSE` averages over outputs too and has no ½: for one output,
 * theirs is 2× this one.
 *
 * @example
 * mse.value(fromRows([[1, 2]]), fromRows([[0, 0]]))   // ½(1 + 4) = 2.5
 * @since 0.1.0
 * @category losses
 */
export const mse: Loss<number> = withLossRecipe(
  defineLoss('mse', (yhat, y, grad, s) => K.squaredErrorLoss(yhat.data, y.data, grad, s)),
  { loss: 'mse' },
);
