/**
 * Using a trained net: predictions and evaluation, both in evaluation mode (no dropout).
 *
 * @module
 */
import type { Layer } from '../layer/layer.js';
import type { Count, DataFits, WidthFits } from '../shape/dim.js';
import type { Loss } from '../loss/loss.js';
import type { LossFits } from '../diff/grad.js';
import type { Mat } from '../tensor/mat.js';
import type { Dataset, Evaluation, Metric } from './types.js';
import { compileForward } from './engine.js';

/**
 * `m` typed `Mat<B, W>` after checking its width at run time: the compiler lets a width known only
 * at run time meet a model built with `dyn(n)`, so this is where such a pair is checked.
 */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const checkedWidth = <B extends number, W extends number>(where: string, m: Mat<B, number>, width: W, side: string): Mat<B, W> => {
  if (m.cols !== width) throw new RangeError(`${where} has ${m.cols} columns, but the model ${side}`);
  return m as Mat<B, W>;
};

/**
 * `ŷ = f(θ, x)` in evaluation mode (stochastic layers such as dropout are off); `x` is `B × I`,
 * `ŷ` is `B × O`. Runs the model's lowered forward pass on the compute arena when it has one (the
 * same numbers as `model.forward(θ, x)`, bit for bit, at GEMM speed; compiled once per model and
 * reused, so one row at a time costs no more than `model.forward`), else `model.forward`. Data of
 * a width known only at run time does not compile against a literal `I` (the message points at
 * {@link withCols}); against a net built with `dyn(n)` it is checked here, throwing a `RangeError`
 * `predict: x has 5 columns, but the model takes 4 inputs`.
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
): Mat<B, O> => {
  const checked = checkedWidth('predict: x', x, model.inputDim, `takes ${count(model.inputDim, 'input')}`);
  return loweredForward(model, params, checked);
};

/** `model.forward(params, x)` (evaluation mode), on the arena when the model carries a lowered form (bitwise the same). */
const loweredForward = <I extends number, O extends number, P, B extends number>(model: Layer<I, O, P>, params: P, x: Mat<B, I>): Mat<B, O> => {
  const lowered = compileForward(model, params);
  return lowered === undefined ? model.forward(params, x) : (lowered(params, x) as Mat<B, O>);
};

/**
 * A report on a held-out dataset, in evaluation mode: `{ loss: L(f(θ, x), y), metric: m(f(θ, x), y) }`,
 * the data loss as a batch mean (no penalty) and, if given, a metric, both from one forward pass
 * (the lowered forward of {@link predict}, bitwise `model.forward`).
 * The loss together with its gradient is {@link valueAndGrad}; the loss of predictions you
 * already have is `loss.value(ŷ, y)`.
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
  const yhat = loweredForward(model, params, checkedWidth('evaluate: data.x', data.x, model.inputDim, `takes ${count(model.inputDim, 'input')}`));
  const y = checkedWidth('evaluate: data.y', data.y, model.outputDim, `gives ${count(model.outputDim, 'output')}`);
  const value = (loss as Loss<number>).value(yhat, y);
  return metric === undefined ? { loss: value } : { loss: value, metric: metric.compute(yhat, y) };
};
