// Shaped layers: accepted nets compile cleanly; each mismatch names both positions and both
// shapes (or a shape and a width), at the first, middle and last junction.
import { compose, conv1d, conv2d, dense, flatten, gru, lstm, maxPool, relu, scan, sequential, tanh } from 'foldnet';

export const cnn = sequential(
  conv2d([28, 28, 1], { filters: 8, kernel: 3 }), relu, maxPool([26, 26, 8], 2),
  conv2d([13, 13, 8], { filters: 16, kernel: 3 }), relu, maxPool([11, 11, 16], 2),
  flatten([5, 5, 16]), dense(400, 10),
);
export const forecaster = sequential(conv1d([24, 4], { filters: 8, kernel: 3, padding: 'same' }), lstm([24, 8], 16), dense(16, 1));

export const first = sequential(conv2d([28, 28, 1], { filters: 8, kernel: 3 }), maxPool([28, 28, 8], 2)); // @expect-shape-error: sequential: layer #2 expects input shape [28, 28, 8], but layer #1 outputs [26, 26, 8]
export const middle = sequential(conv2d([28, 28, 1], { filters: 8, kernel: 3 }), relu, maxPool([26, 26, 8], 2), conv2d([26, 26, 8], { filters: 16, kernel: 3 }), flatten([24, 24, 16])); // @expect-shape-error: sequential: layer #4 expects input shape [26, 26, 8], but layer #3 outputs [13, 13, 8]
export const last = sequential(conv2d([12, 12, 1], { filters: 16, kernel: 3 }), maxPool([10, 10, 16], 2), flatten([5, 5, 16]), dense(401, 10)); // @expect-shape-error: sequential: layer #4 expects input dim 401, but layer #3 outputs 400
export const unflattened = sequential(maxPool([26, 26, 8], 2), dense(1352, 10)); // @expect-shape-error: sequential: layer #2 expects input dim 1352, but layer #1 outputs [13, 13, 8]
export const composed = compose(dense(10, 2), flatten([4, 4, 2]), maxPool([8, 8, 2], 2)); // @expect-shape-error: compose: layer #1 expects input dim 10, but layer #2 (applied before it) outputs 32
export const sequences = sequential(lstm([24, 4], 32, { returnSequences: true }), dense(32, 1)); // @expect-shape-error: sequential: layer #2 expects input dim 32, but layer #1 outputs [24, 32]
export const stacked = sequential(lstm([24, 4], 32, { returnSequences: true }), gru([24, 16], 8)); // @expect-shape-error: sequential: layer #2 expects input shape [24, 16], but layer #1 outputs [24, 32]
export const tooBig = conv2d([2, 28, 1], { filters: 8, kernel: 3 }); // @expect-shape-error: conv2d: window 3 is larger than the input's 2 (padding 'valid')
export const cell = scan(sequential(dense(12, 8), tanh), { steps: 24, features: 5, state: 8 }); // @expect-shape-error: scan: the cell takes 12 inputs, but [x_t, s_{t-1}] has 5 + 8 = 13
