import { expectAssignable, expectError, expectType } from 'tsd';
import {
  binaryCrossEntropy, dense, fromRows, gradCheck, grad, jacobian, key, mse, paramJacobian, relu, sequential,
  softmax, softmaxCrossEntropy, tanh, valueAndGrad, withWidth, categoricalCrossEntropy, huberWith, mae,
  type DenseParams, type GradCheckResult, type Loss, type Mat, type NoParams,
} from '..';

const net = sequential(dense(4, 8), tanh, dense(8, 6), tanh, dense(6, 4), tanh, dense(4, 2));
const p = net.init(key(0));
const x = fromRows([[1, 2, 3, 4]]);
const y = fromRows([[0, 1]]);

// jacobian of ℝ⁴ → ℝ² is a Mat<2, 4> (O × I), in every mode.
expectType<Mat<2, 4>>(jacobian(net, p, x));
expectType<Mat<2, 4>>(jacobian(net, p, x, { mode: 'forward' }));
expectType<Mat<2, 4>>(jacobian(net, p, x, { mode: 'reverse' }));
// A shape-polymorphic layer takes the width of x.
expectType<Mat<3, 3>>(jacobian(tanh, {}, fromRows([[1, 2, 3]])));
// The parameter Jacobian has O rows; its width is known only at run time.
expectType<Mat<2, number>>(paramJacobian(net, p, x));
// x must be one row of the net's input width.
expectError(jacobian(net, p, fromRows([[1, 2, 3]])));
expectError(jacobian(net, p, fromRows([[1, 2, 3, 4], [5, 6, 7, 8]])));
expectError(jacobian(net, p, x, { mode: 'sideways' }));

// valueAndGrad's gradients have exactly the parameters' type.
type NetParams = readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 6>, NoParams, DenseParams<6, 4>, NoParams, DenseParams<4, 2>];
expectType<readonly [value: number, grads: NetParams]>(valueAndGrad(net, mse)(p, x, y));
expectType<NetParams>(grad(net, mse)(p, x, y));
// Targets of the wrong width, or inputs of the wrong width, do not compile.
expectError(valueAndGrad(net, mse)(p, x, fromRows([[0, 1, 2]])));
expectError(valueAndGrad(net, mse)(p, fromRows([[1, 2, 3]]), y));

// Width-polymorphic losses fit any net; fixed-width ones only a net of that output width.
expectType<Loss<3>>(softmaxCrossEntropy.classes(3));
expectType<Loss<2>>(withWidth(mse, 2));
expectAssignable<Loss<number>>(mae);
expectAssignable<Loss<number>>(huberWith(0.5));
valueAndGrad(net, softmaxCrossEntropy);
valueAndGrad(net, binaryCrossEntropy);
valueAndGrad(net, softmaxCrossEntropy.classes(2));
valueAndGrad(net, withWidth(mse, 2));
expectError(valueAndGrad(net, softmaxCrossEntropy.classes(3)));
expectError(valueAndGrad(net, binaryCrossEntropy.classes(1)));
expectError(grad(net, withWidth(mse, 4)));
const classifier = sequential(dense(4, 8), relu, dense(8, 3), softmax);
valueAndGrad(classifier, categoricalCrossEntropy.classes(3));
expectError(valueAndGrad(classifier, categoricalCrossEntropy.classes(2)));

// gradCheck takes the same loss check and returns a GradCheckResult.
expectType<GradCheckResult>(gradCheck(net, mse, p, x, y));
expectError(gradCheck(net, softmaxCrossEntropy.classes(3), p, x, y));
