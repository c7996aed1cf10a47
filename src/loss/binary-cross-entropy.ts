/**
 * Binary (sigmoid) cross-entropy on logits, for one yes/no output or several independent labels.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { classificationLoss, defineLoss, type ClassificationLoss } from './define.js';
import { withLossRecipe } from './portable.js';

/**
 * Cross-entropy of `σ(z)` against targets `t ∈ [0, 1]`, for a net that outputs logits `z` (no
 * sigmoid at the end), each column an independent label (width 1 for a yes/no task, width `k` for
 * multi-label): `L = (1/B) Σ_b Σ_j [max(z, 0) − z·t + log(1 + e^{−|z|})]_bj`, which equals
 * `−t log σ(z) − (1 − t) log(1 − σ(z))` but never overflows (finite for logits of ±1e4).
 * Summed over labels, averaged over the batch rows. Gradient `∂L/∂z = (σ(z) − t) / B`.
 * `binaryCrossEntropy.classes(1)` is the `Loss<1>` for a single-output net.
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 1))
 * const vg = valueAndGrad(net, binaryCrossEntropy.classes(1))
 * @since 0.1.0
 * @category losses
 */
export const binaryCrossEntropy: ClassificationLoss = classificationLoss(
  withLossRecipe(
    defineLoss('binaryCrossEntropy', (z, t, grad, s) => K.sigmoidCrossEntropyLoss(z.data, t.data, grad, s)),
    { loss: 'binaryCrossEntropy' },
  ),
);
