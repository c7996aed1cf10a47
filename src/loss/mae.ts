/**
 * Mean absolute error.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { defineLoss } from './define.js';
import type { Loss } from './loss.js';
import { withLossRecipe } from './portable.js';

/**
 * Absolute error `L = (1/B) Σ_b ‖y_b − ŷ_b‖₁` (summed over outputs, averaged over the batch rows,
 * like {@link mse}); gradient `∂L/∂ŷ = sign(ŷ − y) / B`, taken as 0 where `ŷ = y` (the kink).
 * Less sensitive to outliers than `mse`. TensorFlow.js's `MAE` also averages over outputs.
 *
 * @example
 * mae.value(fromRows([[1, -2]]), fromRows([[0, 0]]))   // 3
 * @since 0.1.0
 * @category losses
 */
export const mae: Loss<number> = withLossRecipe(
  defineLoss('mae', (yhat, y, grad, s) => K.absoluteErrorLoss(yhat.data, y.data, grad, s)),
  { loss: 'mae' },
);
