// Accepted architectures and the types the compiler infers for them (tsd, against dist/).
import { expectAssignable, expectNotAssignable, expectType } from 'tsd';
import {
  compose, dense, dyn, fromRows, identity, key, leakyRelu, relu, sequential, sigmoid, softmax, softplus, tanh, zeros,
  type DenseParams, type DynDim, type InputDim, type Layer, type Mat, type NoParams, type OutputDim, type ParamsOf, type PolyLayer,
} from '..';

// A single dense layer: both dims are literal types.
const f1 = dense(4, 8);
expectType<Layer<4, 8, DenseParams<4, 8>>>(f1);

// The README's net: hover shows Layer<4, 2, …>.
const net = sequential(dense(4, 8), relu, dense(8, 2));
expectType<Layer<4, 2, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>(net);

// compose is the same function written right to left; params are in argument order.
const lecture = compose(dense(4, 2), relu, dense(6, 4), relu, dense(8, 6), relu, dense(4, 8));
expectType<
  Layer<4, 2, readonly [DenseParams<4, 2>, NoParams, DenseParams<6, 4>, NoParams, DenseParams<8, 6>, NoParams, DenseParams<4, 8>]>
>(lecture);
expectType<Layer<4, 2, readonly [DenseParams<8, 2>, NoParams, DenseParams<4, 8>]>>(compose(dense(8, 2), relu, dense(4, 8)));

// Activations are values that take the width of their neighbours, at any width.
expectType<Layer<3, 9, readonly [DenseParams<3, 5>, NoParams, DenseParams<5, 7>, NoParams, DenseParams<7, 2>, NoParams, DenseParams<2, 9>, NoParams, NoParams]>>(
  sequential(dense(3, 5), tanh, dense(5, 7), sigmoid, dense(7, 2), leakyRelu(0.2), dense(2, 9), softplus, softmax),
);
expectType<Layer<1, 1, readonly [NoParams, DenseParams<1, 1>, NoParams]>>(sequential(identity, dense(1, 1), relu));
expectType<Layer<5, 5, NoParams>>(relu.at(5));
expectType<PolyLayer<readonly [NoParams, NoParams]>>(sequential(relu, tanh));
expectType<Layer<4, 2, readonly [DenseParams<4, 8>, readonly [NoParams, NoParams], DenseParams<8, 2>]>>(
  sequential(dense(4, 8), sequential(relu, tanh), dense(8, 2)),
);

// Nested composites are layers; their params nest as tuples.
const block = sequential(dense(4, 8), relu);
const head = compose(softmax, dense(8, 3));
const nested = sequential(block, tanh, head);
expectType<Layer<4, 3, readonly [readonly [DenseParams<4, 8>, NoParams], NoParams, readonly [NoParams, DenseParams<8, 3>]]>>(nested);
expectType<Layer<4, 3, readonly [readonly [NoParams, DenseParams<8, 3>], readonly [DenseParams<4, 8>, NoParams]]>>(compose(head, block));

// Type helpers for users' own tests.
expectType<4>(null as unknown as InputDim<typeof net>);
expectType<2>(null as unknown as OutputDim<typeof net>);
expectType<readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>(null as unknown as ParamsOf<typeof net>);
expectType<NoParams>(null as unknown as ParamsOf<typeof relu>);
expectType<DenseParams<4, 8>>(null as unknown as ParamsOf<typeof f1>);
expectType<3>(null as unknown as OutputDim<typeof nested>);

// dyn(n): a run-time dim (branded), accepted against any neighbour.
declare const features: number;
const dynNet = sequential(dense(dyn(features), 16), relu, dense(16, 3));
expectType<DynDim>(dynNet.inputDim);
expectType<3>(dynNet.outputDim);
expectType<Layer<4, 2, readonly [DenseParams<4, DynDim>, DenseParams<DynDim, 2>]>>(sequential(dense(4, dyn(features)), dense(dyn(features), 2)));

// forward/vjp/jvp keep the batch size and the widths; gradients have the params' type.
const params = net.init(key(0));
expectType<readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>(params);
const x = fromRows([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
expectType<Mat<3, 4>>(x);
expectType<Mat<3, 2>>(net.forward(params, x));
const [y, pullback] = net.vjp(params, x);
expectType<Mat<3, 2>>(y);
const [dp, dx] = pullback(y);
expectType<readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>(dp);
expectType<Mat<3, 4>>(dx);
const [y2, dy] = net.jvp(params, x, net.zerosLike(params), x);
expectType<Mat<3, 2>>(y2);
expectType<Mat<3, 2>>(dy);
expectType<Mat<number, 2>>(net.forward(params, zeros(3 as number, 4)));

// Layers are invariant in their dims: a 4 → 2 net is not a 5 → 2 net.
expectAssignable<Layer<4, 2, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>(net);
expectNotAssignable<Layer<5, 2, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>(net);
expectNotAssignable<Layer<4, 3, readonly [DenseParams<4, 8>, NoParams, DenseParams<8, 2>]>>(net);
