/**
 * Mean squared error, the lecture's regression loss.
 *
 * @module
 */
import * as Ops from '../tensor/ops.js';
import type { Loss } from './loss.js';

const mseLoss: Loss<number> = {
  kind: 'mse',
  value: (yhat, y) => {
    let s = 0;
    for (let i = 0; i < yhat.data.length; i++) s += (yhat.data[i]! - y.data[i]!) ** 2;
    return (0.5 * s) / yhat.rows;
  },
  valueAndGrad: (yhat, y) => {
    const diff = Ops.sub(yhat, y);
    let s = 0;
    for (let i = 0; i < diff.data.length; i++) s += diff.data[i]! ** 2;
    return [(0.5 * s) / yhat.rows, Ops.scale(diff, 1 / yhat.rows)] as const;
  },
};

/**
 * The lecture's squared error, `L = (1/B) Σ_b ½‖y_b − ŷ_b‖²` (½ per row, averaged over the
 * batch rows, summed over outputs); gradient `∂L/∂ŷ = (ŷ − y) / B`.
 * Note: TensorFlow.js/PyTorch's `MSE` averages over outputs too and has no ½: for one output,
 * theirs is 2× this one.
 *
 * @since 0.1.0
 * @category losses
 */
export const mse: Loss<number> = Object.freeze(mseLoss);
