// Positive cases: this file must compile with no error on every compiler, and the inferred types
// must be exactly the ones below (checked with a type-level equality, so on TypeScript 6 and 7
// too, not only on tsd's bundled compiler).
import {
  compose, dense, dyn, fromRows, identity, key, leakyRelu, relu, sequential, sigmoid, softmax, tanh,
  type DenseParams, type DynDim, type InputDim, type Layer, type Mat, type NoParams, type OutputDim, type ParamsOf, type PolyLayer,
} from 'foldnet';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(): T => true as T;

export const net = sequential(dense(4, 8), relu, dense(8, 2));
assert<Equal<typeof net, Layer<4, 2, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>>();
assert<Equal<InputDim<typeof net>, 4>>();
assert<Equal<OutputDim<typeof net>, 2>>();
assert<Equal<ParamsOf<typeof net>, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>();

// The lecture's network, right to left; the parameter tuple is in argument order.
export const lecture = compose(dense(6, 2), relu, dense(8, 6), relu, dense(4, 8));
assert<Equal<typeof lecture, Layer<4, 2, readonly [DenseParams<6, 2>, NoParams, DenseParams<8, 6>, NoParams, DenseParams<4, 8>]>>>();

// Activations at different widths in one net.
export const widths = sequential(dense(3, 5), tanh, dense(5, 7), sigmoid, dense(7, 2), leakyRelu(0.1), dense(2, 9), softmax);
assert<Equal<typeof widths, Layer<3, 9, readonly [DenseParams<3, 5>, NoParams, DenseParams<5, 7>, NoParams, DenseParams<7, 2>, NoParams, DenseParams<2, 9>, NoParams]>>>();

// A lone activation, and a chain of activations only, stay polymorphic.
export const act = sequential(relu, identity);
assert<Equal<typeof act, PolyLayer<readonly [NoParams, NoParams]>>>();
export const reluAt5 = relu.at(5);
assert<Equal<typeof reluAt5, Layer<5, 5, NoParams>>>();

// Nesting: a composite is a layer.
const block = sequential(dense(4, 8), relu);
export const nested = compose(dense(8, 1), block);
assert<Equal<typeof nested, Layer<4, 1, readonly [DenseParams<8, 1>, readonly [DenseParams<4, 8>, NoParams]]>>>();

// dyn: a run-time dim meets any literal.
declare const features: number;
export const dynNet = sequential(dense(dyn(features), 16), relu, dense(16, 3));
assert<Equal<InputDim<typeof dynNet>, DynDim>>();
assert<Equal<OutputDim<typeof dynNet>, 3>>();

// forward keeps the batch size and the output width.
const params = net.init(key(0));
export const y = net.forward(params, fromRows([[1, 2, 3, 4], [5, 6, 7, 8]]));
assert<Equal<typeof y, Mat<2, 2>>>();
const [out, pullback] = net.vjp(params, fromRows([[1, 2, 3, 4]]));
assert<Equal<typeof out, Mat<1, 2>>>();
const [grads, dx] = pullback(out);
assert<Equal<typeof grads, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>();
assert<Equal<typeof dx, Mat<1, 4>>>();
export { grads, dx };
