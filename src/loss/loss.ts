/**
 * The `Loss` type: a scalar cost of predictions against targets, with its gradient.
 *
 * @module
 */
import type { Mat } from '../tensor/mat.js';

/**
 * A loss `L(ŷ, y)` on a batch, averaged over the batch rows, together with its gradient with
 * respect to the predictions, `∂L/∂ŷ` (the seed u_{K+1} of backprop).
 *
 * A loss is typed by the width `N` it accepts: width-polymorphic losses (`mse`) are
 * `Loss<number>` and fit any net; losses built for a fixed number of classes are `Loss<C>` and the
 * compiler rejects them on a net whose output width differs.
 *
 * @since 0.1.0
 * @category model
 */
export interface Loss<N extends number = number> {
  readonly kind: string;
  /** `L(ŷ, y)`, averaged over the batch rows. */
  readonly value: <B extends number, M extends N>(yhat: Mat<B, M>, y: Mat<B, M>) => number;
  /** `[L(ŷ, y), ∂L/∂ŷ]`, the gradient having the predictions' shape. */
  readonly valueAndGrad: <B extends number, M extends N>(yhat: Mat<B, M>, y: Mat<B, M>) => readonly [value: number, grad: Mat<B, M>];
}
