/**
 * Using a trained net: predictions and evaluation, both in evaluation mode (no dropout).
 *
 * @module
 */
import type { Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import type { LossFits } from '../diff/grad.js';
import type { Mat } from '../tensor/mat.js';
import type { Dataset, Evaluation, Metric } from './types.js';
import { compileForward } from './engine.js';

/**
 * `ŷ = f(θ, x)` in evaluation mode (stochastic layers such as dropout are off). Runs the
 * model's lowered forward pass on the compute arena when it has one (the same numbers as
 * `model.forward(θ, x)`, bit for bit, at GEMM speed), else `model.forward`.
 *
 * @example
 * const yhat = predict(net, result.params, xTest) // Mat<B, O>
 * @since 0.1.0
 * @category training
 */
export const predict = <I extends number, O extends number, P, B extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  x: Mat<B, NoInfer<I>>,
): Mat<B, O> => {
  // the lowered forward on the arena (bitwise model.forward) when the model carries one; input of
  // the wrong width goes to model.forward, which names the problem
  const lowered = x.cols === model.inputDim ? compileForward(model, params) : undefined;
  return lowered === undefined ? model.forward(params, x) : (lowered(params, x) as Mat<B, O>);
};

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
export const evaluate = <I extends number, O extends number, P, N extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: Dataset<NoInfer<I>, NoInfer<O>>,
  loss: Loss<N> & LossFits<O, N>,
  metric?: Metric<NoInfer<O>>,
): Evaluation => {
  // One forward pass feeds both the loss and the metric.
  const yhat = predict(model, params, data.x);
  const value = (loss as Loss<number>).value(yhat, data.y);
  return metric === undefined ? { loss: value } : { loss: value, metric: metric.compute(yhat, data.y) };
};
