// Shaped layers under the strictest optional flags (exactOptionalPropertyTypes,
// noUncheckedIndexedAccess): the options objects, recurrent layers and time-series tools type-check,
// and a shape mistake gives the same message as elsewhere.
import {
  avgPool, conv1d, conv2d, dense, flatten, fromArray, globalAvgPool, gru, key, lstm, maxPool, relu, rnn, sequential, slidingWindows, withShape,
} from 'foldnet';

const cnn = sequential(
  conv2d([28, 28, 1], { filters: 8, kernel: 3, stride: 1, padding: 'valid', init: 'he' }), relu, maxPool([26, 26, 8], 2, { stride: 2 }),
  conv2d([13, 13, 8], { filters: 16, kernel: [3, 3], padding: 'same' }), relu, avgPool([13, 13, 16], 2),
  flatten([6, 6, 16]), dense(576, 10),
);
export const logits = cnn.forward(cnn.init(key(0)), withShape(fromArray(1, 784, new Float64Array(784)), [28, 28, 1]));
export const seq = sequential(conv1d([24, 4], { filters: 8, kernel: 3 }), rnn([22, 8], 8, { returnSequences: true, learnInitialState: true }), gru([22, 8], 4), dense(4, 1));
export const gap = sequential(conv2d([8, 8, 3], { filters: 4, kernel: 3 }), globalAvgPool([6, 6, 4]), dense(4, 2));
const windows = slidingWindows(fromArray(50, 3, new Float64Array(150)), { lookback: 10, horizon: 2, targets: [0] });
const forecaster = sequential(lstm([10, 3], 8), dense(8, 2));
export const forecast = forecaster.forward(forecaster.init(key(1)), windows.x);

export const wrongPool = sequential(conv2d([28, 28, 1], { filters: 8, kernel: 3 }), maxPool([26, 26, 4], 2)); // @expect-shape-error: sequential: layer #2 expects input shape [26, 26, 4], but layer #1 outputs [26, 26, 8]
export const samePool = sequential(maxPool([7, 7, 8], 2, { padding: 'same' }), avgPool([4, 4, 8], 3, { stride: 2, padding: 'same' }), flatten([2, 2, 8]), dense(32, 1));
export const wrongSamePool = sequential(maxPool([7, 7, 8], 2, { padding: 'same' }), flatten([3, 3, 8])); // @expect-shape-error: sequential: layer #2 expects input shape [3, 3, 8], but layer #1 outputs [4, 4, 8]
// How a net with shaped ends prints (its hover): the shapes as tuples, on both compilers.
export const shownCnn: string = cnn; // @expect-error: Type 'ShapedLayer<[28, 28, 1], [10], readonly [ConvParams<8>, NoParams
export const shownConv: string = conv2d([28, 28, 1], { filters: 8, kernel: 3 }); // @expect-error: Type 'ShapedLayer<[28, 28, 1], [26, 26, 8], ConvParams<8>>'
export const shownPool: string = maxPool([7, 7, 8], 2, { padding: 'same' }); // @expect-error: Type 'ShapedLayer<[7, 7, 8], [4, 4, 8], NoParams>'
