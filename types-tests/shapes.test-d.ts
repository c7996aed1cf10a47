// Shapes beyond widths (tsd, against dist/): output shapes computed by the compiler for
// convolution, pooling, flatten and recurrent layers; accepted nets; mismatches at the first,
// middle and last junction. The messages themselves are checked by messages/check.mjs.
import { expectError, expectType } from 'tsd';
import {
  avgPool, compose, conv1d, slidingWindows, timeDistributed, conv2d, dense, dyn, flatten, globalAvgPool, gru, key, lstm, maxPool, relu, rnn, scan, sequential, tanh, withShape, fromArray,
  type ConvParams, type DenseParams, type DynDim, type ShapedLayer, type Layer, type Mat, type NoParams, type Shaped,
} from '..';
// the compiler's decimal arithmetic is internal to the shape types (not exported by the package)
import type { Add, Divide, Multiply, Product, Subtract } from '../dist/shape/decimal.js';

// Type-level arithmetic on literals.
expectType<802816>(0 as Multiply<Multiply<112, 112>, 64>);
expectType<112>(0 as Add<Divide<Subtract<Add<224, 6>, 7>, 2>, 1>);
expectType<400>(0 as Product<[5, 5, 16]>);
expectType<number>(0 as Add<number, 1>);

// One layer: the hover shows both shapes.
const c1 = conv2d([28, 28, 1], { filters: 8, kernel: 3 });
expectType<Layer<Shaped<[28, 28, 1]>, Shaped<[26, 26, 8]>, ConvParams<8>>>(c1);
expectType<ShapedLayer<[28, 28, 1], [26, 26, 8], ConvParams<8>>>(c1);
expectType<ShapedLayer<[5, 5, 16], [400], NoParams>>(flatten([5, 5, 16]));
expectType<Layer<Shaped<[28, 28, 1]>, Shaped<[14, 14, 8]>, ConvParams<8>>>(conv2d([28, 28, 1], { filters: 8, kernel: 3, stride: 2, padding: 'same' }));
expectType<Layer<Shaped<[224, 224, 3]>, Shaped<[112, 112, 64]>, ConvParams<64>>>(conv2d([224, 224, 3], { filters: 64, kernel: 7, stride: 2, padding: 'same' }));
expectType<Layer<Shaped<[28, 28, 1]>, Shaped<[13, 26, 4]>, ConvParams<4>>>(conv2d([28, 28, 1], { filters: 4, kernel: [3, 3], stride: [2, 1] }));
expectType<Layer<Shaped<[24, 4]>, Shaped<[24, 16]>, ConvParams<16>>>(conv1d([24, 4], { filters: 16, kernel: 3, padding: 'same' }));
expectType<Layer<Shaped<[26, 26, 8]>, Shaped<[13, 13, 8]>, NoParams>>(maxPool([26, 26, 8], 2));
expectType<Layer<Shaped<[24, 16]>, Shaped<[12, 16]>, NoParams>>(avgPool([24, 16], 2));
// padding 'same': ceil(n / stride) per axis, whatever the window
expectType<Layer<Shaped<[7, 7, 8]>, Shaped<[4, 4, 8]>, NoParams>>(maxPool([7, 7, 8], 2, { padding: 'same' }));
expectType<Layer<Shaped<[13, 10, 4]>, Shaped<[7, 4, 4]>, NoParams>>(avgPool([13, 10, 4], [3, 2], { stride: [2, 3], padding: 'same' }));
expectType<Layer<Shaped<[25, 3]>, Shaped<[25, 3]>, NoParams>>(maxPool([25, 3], 5, { stride: 1, padding: 'same' }));
expectType<Layer<Shaped<[3, 3, 1]>, Shaped<[1, 1, 1]>, NoParams>>(maxPool([3, 3, 1], 4, { padding: 'same' }));
expectType<Layer<Shaped<[7, 7, 8]>, Shaped<[3, 3, 8]>, NoParams>>(maxPool([7, 7, 8], 2, { padding: 'valid' }));
expectError(maxPool([7, 7, 8], 2, { padding: 'full' }));
expectType<Layer<Shaped<[7, 7, 32]>, 32, NoParams>>(globalAvgPool([7, 7, 32]));
expectType<Layer<Shaped<[5, 5, 16]>, 400, NoParams>>(flatten([5, 5, 16]));

// A CNN: input shape in, width out.
const cnn = sequential(
  conv2d([28, 28, 1], { filters: 8, kernel: 3 }), relu, maxPool([26, 26, 8], 2),
  conv2d([13, 13, 8], { filters: 16, kernel: 3 }), relu, maxPool([11, 11, 16], 2),
  flatten([5, 5, 16]), dense(400, 10),
);
expectType<Shaped<[28, 28, 1]>>(cnn.inputDim);
// the net is typed (and hovers) as ShapedLayer<[28, 28, 1], [10], …>, the very type Layer<Shaped<[28, 28, 1]>, 10, …>
type CnnParams = readonly [ConvParams<8>, NoParams, NoParams, ConvParams<16>, NoParams, NoParams, NoParams, DenseParams<400, 10>];
expectType<ShapedLayer<[28, 28, 1], [10], CnnParams>>(cnn);
expectType<Layer<Shaped<[28, 28, 1]>, 10, CnnParams>>(cnn);
expectType<Layer<Shaped<[24, 4]>, Shaped<[24, 8]>, NoParams>>({} as ShapedLayer<[24, 4], [24, 8], NoParams>);
expectType<Layer<4, 3, NoParams>>({} as ShapedLayer<[4], [3], NoParams>);
expectType<10>(cnn.outputDim);
const images = withShape(fromArray(2, 784, new Float64Array(1568)), [28, 28, 1]);
expectType<Mat<2, 10>>(cnn.forward(cnn.init(key(0)), images));
expectError(cnn.forward(cnn.init(key(0)), fromArray(2, 784, new Float64Array(1568))));
expectError(withShape(fromArray(2, 784, new Float64Array(1568)), [28, 28, 1.5]));

// Recurrent layers.
expectType<Shaped<[24, 4]>>(lstm([24, 4], 32).inputDim);
expectType<32>(lstm([24, 4], 32).outputDim);
expectType<Shaped<[24, 32]>>(gru([24, 4], 32, { returnSequences: true }).outputDim);
expectType<8>(rnn([10, 3], 8, { learnInitialState: true }).outputDim);
const forecaster = sequential(lstm([24, 4], 32, { returnSequences: true }), gru([24, 32], 16), dense(16, 1));
expectType<1>(forecaster.outputDim);
expectType<Shaped<[24, 4]>>(forecaster.inputDim);
const elman = scan(sequential(dense(12, 8), tanh), { steps: 24, features: 4, state: 8 });
expectType<8>(elman.outputDim);
expectError(scan(sequential(dense(12, 8), tanh), { steps: 24, features: 5, state: 8 }));

// Mismatches: first, middle, last junction; sequential and compose.
expectError(sequential(conv2d([28, 28, 1], { filters: 8, kernel: 3 }), maxPool([28, 28, 8], 2)));
expectError(sequential(conv2d([28, 28, 1], { filters: 8, kernel: 3 }), relu, maxPool([26, 26, 8], 2), conv2d([26, 26, 8], { filters: 16, kernel: 3 }), flatten([24, 24, 16])));
expectError(sequential(conv2d([8, 8, 1], { filters: 2, kernel: 3 }), flatten([6, 6, 2]), dense(73, 10)));
expectError(compose(dense(401, 10), flatten([5, 5, 16])));
expectError(sequential(maxPool([26, 26, 8], 2), dense(1352, 10)));
expectError(sequential(maxPool([7, 7, 8], 2, { padding: 'same' }), flatten([3, 3, 8])));
sequential(maxPool([7, 7, 8], 2, { padding: 'same' }), flatten([4, 4, 8]), dense(128, 10));
expectError(sequential(lstm([24, 4], 32), dense(16, 1)));
expectError(sequential(lstm([24, 4], 32, { returnSequences: true }), dense(32, 1)));

// Windows that do not fit, bad shapes, non-literal shapes; dyn is the way in.
expectError(conv2d([2, 28, 1], { filters: 8, kernel: 3 }));
expectError(maxPool([3, 3, 1], 4));
declare const n: number;
expectError(conv2d([n, 28, 1], { filters: 8, kernel: 3 }));
expectError(conv2d([28, 28, 1], { filters: n, kernel: 3 }));
expectError(flatten([5, 0, 16]));
const loose = conv2d([dyn(n), 28, 1], { filters: 8, kernel: 3 });
// a run-time height gives a run-time output height; the other entries stay literal
expectType<Shaped<[number, 26, 8]>>(loose.outputDim);
sequential(loose, maxPool([dyn(n), 26, 8], 2));

// Time-series windows: the window shape and the target width come from the options' literals.
const series = fromArray(100, 4, new Float64Array(400));
const windows = slidingWindows(series, { lookback: 14, targets: [1] });
expectType<Mat<number, Shaped<[14, 4]>>>(windows.x);
expectType<Mat<number, 1>>(windows.y);
expectType<Mat<number, 6>>(slidingWindows(series, { lookback: 14, horizon: 3, targets: [0, 1] }).y);
const windowNet = sequential(lstm([14, 4], 8), dense(8, 1));
expectType<Mat<number, 1>>(windowNet.forward(windowNet.init(key(0)), windows.x));

// A dense head applied at every step of a sequence.
expectType<Shaped<[24, 1]>>(sequential(lstm([24, 4], 32, { returnSequences: true }), timeDistributed(dense(32, 1), 24)).outputDim);
expectError(sequential(lstm([24, 4], 32, { returnSequences: true }), timeDistributed(dense(16, 1), 24)));
expectError(sequential(lstm([24, 4], 32, { returnSequences: true }), timeDistributed(dense(32, 1), 23)));
expectError(lstm([n, 4], 8));
expectError(gru([24, 4], n));
expectType<Shaped<[DynDim, 4]>>(rnn([dyn(n), 4], 8).inputDim);
