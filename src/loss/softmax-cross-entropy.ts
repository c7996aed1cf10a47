/**
 * Softmax cross-entropy on logits, the classification loss for a net with a linear output.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { classificationLoss, defineLoss, type ClassificationLoss } from './define.js';
import { withLossRecipe } from './portable.js';

/**
 * Cross-entropy of `softmax(z)` against targets `t` (one-hot rows, or probability rows), for a
 * net that outputs logits `z` (no softmax layer at the end):
 * `L = (1/B) Σ_b Σ_j t_bj (lse(z_b) − z_bj)`, with `lse(z) = m + log Σ_k e^{z_k − m}`, `m = max z`
 * (log-sum-exp, so logits of ±1e4 give finite values and gradients).
 * Gradient `∂L/∂z_b = (softmax(z_b)·Σ_j t_bj − t_b) / B`, i.e. `(softmax(z_b) − t_b) / B` for
 * targets that sum to 1. Width-polymorphic; `softmaxCrossEntropy.classes(3)` is the `Loss<3>`.
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 3))
 * const [loss, grads] = valueAndGrad(net, softmaxCrossEntropy.classes(3))(params, iris.x, oneHot(iris.labels, 3))
 * @since 0.1.0
 * @category losses
 */
export const softmaxCrossEntropy: ClassificationLoss = classificationLoss(
  withLossRecipe(
    defineLoss('softmaxCrossEntropy', (z, t, grad, s) => K.softmaxCrossEntropyLoss(z.data, t.data, grad, z.rows, z.cols, s)),
    { loss: 'softmaxCrossEntropy' },
  ),
);
