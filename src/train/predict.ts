/**
 * Using a trained net: predictions and evaluation, both in evaluation mode (no dropout).
 *
 * @module
 */
import type { Layer } from '../layer/layer.js';
import type { Count, DataFits, WidthFits } from '../layer/shape.js';
import type { Loss } from '../loss/loss.js';
import type { LossFits } from '../diff/grad.js';
import type { Mat } from '../tensor/mat.js';
import type { Dataset, Evaluation, Metric } from './types.js';

/**
 * `ŷ = f(θ, x)` in evaluation mode (stochastic layers such as dropout are off).
 *
 * @example
 * const yhat = predict(net, result.params, xTest) // Mat<B, O>
 * @since 0.1.0
 * @category training
 */
export const predict = <I extends number, O extends number, P, B extends number, C extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  x: Mat<B, C> & WidthFits<NoInfer<I>, C, 'predict: x', 'x', `takes ${Count<NoInfer<I>, 'input'>}`>,
): Mat<B, O> => model.forward(params, x as Mat<B, number> as Mat<B, I>);

/**
 * A report on a held-out dataset, in evaluation mode: `{ loss: L(f(θ, x), y), metric: m(f(θ, x), y) }`,
 * the data loss as a batch mean (no penalty) and, if given, a metric, both from one forward pass.
 * For the curried objective `θ ↦ L` (which also takes a training context, like `valueAndGrad`)
 * use {@link lossValue}.
 *
 * @example
 * const { loss, metric } = evaluate(net, result.params, { x: xTest, y: yTest }, mse)
 * @since 0.1.0
 * @category training
 */
export const evaluate = <I extends number, O extends number, P, N extends number, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: Dataset<X, Y> & DataFits<NoInfer<I>, NoInfer<O>, X, Y, 'evaluate'>,
  loss: Loss<N> & LossFits<O, N>,
  metric?: Metric<NoInfer<O>>,
): Evaluation => {
  // One forward pass feeds both the loss and the metric.
  const x = data.x as Mat<number, number> as Mat<number, I>;
  const yhat = model.forward(params, x);
  const y = data.y as Mat<number, number> as Mat<number, O>;
  const value = (loss as Loss<number>).value(yhat, y);
  return metric === undefined ? { loss: value } : { loss: value, metric: metric.compute(yhat, y) };
};
