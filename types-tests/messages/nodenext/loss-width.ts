// A loss fixed to a number of classes must match the net's output width (valueAndGrad, grad,
// and gradCheck all check it through LossFits); width-polymorphic losses fit any net.
import { binaryCrossEntropy, dense, fromRows, grad, gradCheck, key, mse, relu, sequential, softmaxCrossEntropy, valueAndGrad, withWidth } from 'foldnet';

const net = sequential(dense(4, 8), relu, dense(8, 2));
const p = net.init(key(0));
const x = fromRows([[1, 2, 3, 4]]);
const y = fromRows([[0, 1]]);

export const fits = [valueAndGrad(net, softmaxCrossEntropy.classes(2)), valueAndGrad(net, softmaxCrossEntropy), valueAndGrad(net, mse)];
export const a = valueAndGrad(net, softmaxCrossEntropy.classes(3)); // @expect-error: the loss expects width 3, but the net outputs 2
export const b = grad(net, binaryCrossEntropy.classes(1)); // @expect-error: the loss expects width 1, but the net outputs 2
export const c = grad(net, withWidth(mse, 4)); // @expect-error: the loss expects width 4, but the net outputs 2
export const d = gradCheck(net, softmaxCrossEntropy.classes(3), p, x, y); // @expect-error: the loss expects width 3, but the net outputs 2
