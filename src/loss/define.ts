/**
 * Constructors for loss values: {@link defineLoss} (shape checks and freezing around a kernel)
 * and {@link withWidth} (a width-polymorphic loss fixed to one width, so the compiler can match
 * it against a net's output width).
 *
 * @module
 */
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { Loss } from './loss.js';
import { lossKernelOf, withLossKernel } from '../lowering.js';
import { lossRecipeOf, withLossRecipe } from './portable.js';

/**
 * What a loss is made of: the loss summed over every entry of a batch, and, when `grad` is not
 * null, `s·∂(sum)/∂ŷ` written into `grad` (a fresh array of ŷ's length). {@link defineLoss}
 * calls it with `s = 1/B` and divides the sum by `B`, so every loss is a batch mean.
 *
 * @since 0.1.0
 * @category model
 */
export type SummedLoss = (
  yhat: Mat<number, number>, y: Mat<number, number>, grad: Float64Array | null, s: number,
) => number;

const describe = (m: Mat<number, number>): string => `${m.rows}×${m.cols}`;

const checkShapes = (kind: string, width: number | null, yhat: Mat<number, number>, y: Mat<number, number>): void => {
  if (yhat.rows !== y.rows || yhat.cols !== y.cols) {
    throw new RangeError(`${kind}: predictions are ${describe(yhat)} but targets are ${describe(y)}`);
  }
  if (width !== null && yhat.cols !== width) {
    throw new RangeError(`${kind}: expects ${width} columns, got predictions of ${describe(yhat)}`);
  }
  if (yhat.rows < 1) throw new RangeError(`${kind}: the batch is empty`);
};

/**
 * Makes a frozen `Loss<number>` from its summed form: `value = sum / B` and
 * `∂value/∂ŷ = ∂sum/∂ŷ / B` (the batch-mean convention of every foldnet loss). Predictions and
 * targets of different shapes (possible only from untyped code) raise a `RangeError` naming both.
 *
 * @example
 * // Σ|ŷ − y| per batch; grad (when asked for) gets s·sign(ŷ − y)
 * const l1: Loss<number> = defineLoss('l1', (yhat, y, grad, s) => {
 *   let sum = 0
 *   for (let i = 0; i < yhat.data.length; i += 1) {
 *     const r = yhat.data[i]! - y.data[i]!
 *     sum += Math.abs(r)
 *     if (grad !== null) grad[i] = s * Math.sign(r)
 *   }
 *   return sum
 * })
 * @since 0.1.0
 * @category constructors
 */
export const defineLoss = (kind: string, summed: SummedLoss): Loss<number> => {
  const loss: Loss<number> = {
    kind,
    value: (yhat, y) => {
      checkShapes(kind, null, yhat, y);
      return summed(yhat, y, null, 1 / yhat.rows) / yhat.rows;
    },
    valueAndGrad: (yhat, y) => {
      checkShapes(kind, null, yhat, y);
      const grad = new Float64Array(yhat.data.length);
      const total = summed(yhat, y, grad, 1 / yhat.rows);
      return [total / yhat.rows, unsafeMat(yhat.rows, yhat.cols, grad)] as const;
    },
  };
  // the summed kernel is also the loss's lowered form: fit's interpreter calls it on the arena
  return withLossKernel(Object.freeze(loss), summed);
};

/** Carries `from`'s lowered form (if any) over to `to`, a wrapper computing the same loss. */
const sameKernel = <L extends object>(from: object, to: L): L => {
  const k = lossKernelOf(from);
  const recipe = lossRecipeOf(from);
  if (recipe !== undefined) withLossRecipe(to, recipe);
  return k === undefined ? to : withLossKernel(to, k);
};

/**
 * The loss `loss` restricted to predictions of width `N`: a `Loss<N>`, which `valueAndGrad`,
 * `gradCheck` and `fit` reject at compile time on a net whose output width is not `N`. At run
 * time it also checks the width.
 *
 * @example
 * const ce3 = withWidth(softmaxCrossEntropy, 3)   // Loss<3>
 * valueAndGrad(sequential(dense(4, 8), relu, dense(8, 2)), ce3)
 * //                                                        ~~~ the loss expects width 3, but the net outputs 2
 * @since 0.1.0
 * @category constructors
 */
export const withWidth = <N extends number>(loss: Loss<number>, width: N): Loss<N> => {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`withWidth: width must be a positive integer, got ${width}`);
  const kind = `${loss.kind}[${width}]`;
  const fixed: Loss<N> = {
    kind,
    value: (yhat, y) => {
      checkShapes(kind, width, yhat, y);
      return loss.value(yhat, y);
    },
    valueAndGrad: (yhat, y) => {
      checkShapes(kind, width, yhat, y);
      return loss.valueAndGrad(yhat, y);
    },
  };
  return sameKernel(loss, Object.freeze(fixed));
};

/**
 * A width-polymorphic classification loss (`Loss<number>`, fits any net) that can also be fixed
 * to a number of classes: `loss.classes(3)` is a `Loss<3>`, checked against the net's output
 * width by the compiler.
 *
 * @since 0.1.0
 * @category model
 */
export interface ClassificationLoss extends Loss<number> {
  /** This loss for exactly `C` classes (output columns); see {@link withWidth}. */
  readonly classes: <C extends number>(classes: C) => Loss<C>;
}

/**
 * Adds {@link ClassificationLoss.classes} to a loss.
 *
 * @since 0.1.0
 * @category constructors
 */
export const classificationLoss = (loss: Loss<number>): ClassificationLoss => {
  const withClasses: ClassificationLoss = {
    kind: loss.kind,
    value: loss.value,
    valueAndGrad: loss.valueAndGrad,
    classes: (c) => withWidth(loss, c),
  };
  return sameKernel(loss, Object.freeze(withClasses));
};
