/**
 * Categorical cross-entropy on probabilities, for nets that end in `softmax`.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { classificationLoss, defineLoss, type ClassificationLoss } from './define.js';
import { withLossRecipe } from './portable.js';

/**
 * The clamp used by {@link categoricalCrossEntropy}: probabilities below it count as it (as in
 * Keras, whose default ε is also 1e-7).
 *
 * @since 0.1.0
 * @category losses
 */
export const probabilityEpsilon = 1e-7;

/**
 * Cross-entropy of predicted probabilities `p` (rows of a `softmax` output) against targets `t`
 * (one-hot or probability rows), with `log` guarded by a clamp at `ε`:
 * `L = −(1/B) Σ_b Σ_j t_bj log max(p_bj, ε)`. Gradient `∂L/∂p = −t / (B·p)` where `p > ε`, and 0
 * where the clamp is active (so a confidently wrong prediction costs at most `−log ε ≈ 16.1` per
 * row and sends no gradient through that entry). Numerically, `softmaxCrossEntropy` on logits
 * is better: prefer a linear output and that loss; use this one when the net must end in
 * `softmax`. `categoricalCrossEntropy.classes(3)` is the `Loss<3>`.
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 3), softmax)
 * const vg = valueAndGrad(net, categoricalCrossEntropy.classes(3))
 * @since 0.1.0
 * @category losses
 */
export const categoricalCrossEntropy: ClassificationLoss = classificationLoss(
  withLossRecipe(
    defineLoss('categoricalCrossEntropy', (p, t, grad, s) => K.probabilityCrossEntropyLoss(p.data, t.data, probabilityEpsilon, grad, s)),
    { loss: 'categoricalCrossEntropy', eps: probabilityEpsilon },
  ),
);

/**
 * {@link categoricalCrossEntropy} with another clamp `ε ∈ (0, 1)`.
 *
 * @since 0.1.0
 * @category losses
 */
export const categoricalCrossEntropyWith = (eps: number): ClassificationLoss => {
  if (!(eps > 0 && eps < 1)) throw new RangeError(`categoricalCrossEntropyWith: ε must be in (0, 1), got ${eps}`);
  return classificationLoss(
    withLossRecipe(
      defineLoss(`categoricalCrossEntropy(ε=${eps})`, (p, t, grad, s) => K.probabilityCrossEntropyLoss(p.data, t.data, eps, grad, s)),
      { loss: 'categoricalCrossEntropy', eps },
    ),
  );
};
