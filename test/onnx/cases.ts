// The models every ONNX suite exports: each built-in layer (through the shared activation list, so
// a new activation is covered here too), standardize, dropout, and nested composites. The ONNX
// Runtime suite runs them and the checker suite hands the same files to ONNX's own checker.
import { dense } from '../../src/layer/dense.js';
import { compose, sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import { standardize } from '../../src/layer/standardize.js';
import { conv1d, conv2d } from '../../src/layer/conv.js';
import { avgPool, globalAvgPool, maxPool } from '../../src/layer/pool.js';
import { flatten } from '../../src/layer/flatten.js';
import { gru, lstm, rnn } from '../../src/layer/recurrent.js';
import { timeDistributed } from '../../src/layer/time-distributed.js';
import { foldIn, key } from '../../src/random.js';
import { activationCases, randomLike, randomMat, type AnyLayer } from '../support/layers.js';
import type { Dtype } from '../../src/onnx/graph.js';

export interface OnnxCase {
  readonly name: string;
  readonly net: AnyLayer;
  /** Parameters with every entry random (biases too, so a dropped bias would show). */
  readonly params: unknown;
  /** Where foldnet refuses the export: the message it gives, for a dtype and opset (else undefined). */
  readonly refusal?: (dtype: Dtype, opset: number) => RegExp | undefined;
}

/** leakyRelu in float64 needs PRelu with a double slope, which ONNX Runtime runs from opset 16 on. */
const leakyRefusal = (dtype: Dtype, opset: number): RegExp | undefined =>
  dtype === 'float64' && opset < 16 ? /^layer 2 \(leakyRelu\): expected opset 16 or later .*, got opset 13$/ : undefined;



/** Rows the standardize layers are fitted on: columns of different means and scales. */
const rows = randomMat(key(7), 20, 4, 3);

export const onnxCases = (): readonly OnnxCase[] => {
  const nets: readonly (readonly [string, AnyLayer, Pick<OnnxCase, 'refusal'>?])[] = [
    ['dense alone', dense(4, 3)],
    ...activationCases(3).map(({ name, layer }) => [`dense then ${name}`, sequential(dense(4, 3), layer), /leakyRelu/.test(name) ? { refusal: leakyRefusal } : {}] as const),
    ['leakyRelu(0.3) (α not a float32)', sequential(dense(4, 3), leakyRelu(0.3)), { refusal: leakyRefusal }],
    ['dropout(0.5) (the identity at inference)', sequential(dense(4, 5), dropout(0.5), relu, dense(5, 3))],
    ['standardize alone', standardize(rows)],
    ['standardize then an MLP', sequential(standardize(rows), dense(4, 8), tanh, dense(8, 3), softmax)],
    ['nested sequential inside compose', compose(dense(6, 3), sequential(softplus, dropout(0.2)), sequential(sequential(standardize(rows), dense(4, 5)), sigmoid, dense(5, 6)))],
    ['a polymorphic chain fixed with at(4)', sequential(relu, tanh).at(4)],
    ['a net that computes nothing (one Identity node)', sequential(identity, dropout(0.5)).at(3)],
    // the shaped layers: channels-last rows around ONNX's channels-first and time-major operators
    ['conv1d 3 valid', conv1d([9, 3], { filters: 4, kernel: 3 })],
    ['conv1d 4 stride 2 same', conv1d([9, 2], { filters: 3, kernel: 4, stride: 2, padding: 'same' })],
    ['conv2d 3×2 stride [2, 1] same', conv2d([5, 6, 2], { filters: 3, kernel: [3, 2], stride: [2, 1], padding: 'same' })],
    ['conv2d 2×2 stride 2 valid (a row left unread)', conv2d([5, 4, 3], { filters: 2, kernel: 2, stride: 2 })],
    ['maxPool 2-D 2×2', maxPool([6, 4, 3], 2)],
    ['maxPool 1-D 3 stride 2', maxPool([9, 2], 3, { stride: 2 })],
    ['avgPool 2-D [2, 3]', avgPool([4, 6, 2], [2, 3])],
    ['avgPool 1-D 2', avgPool([8, 3], 2)],
    ["maxPool 2-D 2 'same' on odd sizes", maxPool([5, 7, 2], 2, { padding: 'same' })],
    ["avgPool 2-D 3 stride 2 'same'", avgPool([5, 6, 2], 3, { stride: 2, padding: 'same' })],
    ["avgPool 1-D 3 stride 1 'same'", avgPool([7, 3], 3, { stride: 1, padding: 'same' })],
    ['globalAvgPool', globalAvgPool([3, 4, 5])],
    ['flatten (the identity on rows)', sequential(flatten([2, 3]), dense(6, 2))],
    ['a CNN: conv2d, relu, maxPool, flatten, dense', sequential(conv2d([8, 8, 1], { filters: 4, kernel: 3 }), relu, maxPool([6, 6, 4], 2), flatten([3, 3, 4]), dense(36, 3))],
    ['a 1-D CNN: conv1d, maxPool, globalAvgPool, dense', sequential(conv1d([10, 2], { filters: 3, kernel: 3, padding: 'same' }), tanh, maxPool([10, 3], 2), globalAvgPool([5, 3]), dense(3, 2))],
    ['rnn, last state', rnn([5, 3], 4)],
    ['rnn, every step', rnn([5, 3], 4, { returnSequences: true })],
    ['lstm, last state', lstm([5, 3], 4)],
    ['lstm, every step, learned initial state', lstm([5, 3], 4, { returnSequences: true, learnInitialState: true })],
    ['gru, last state', gru([5, 3], 4)],
    ['gru, every step, learned initial state', gru([5, 3], 4, { returnSequences: true, learnInitialState: true })],
    ['rnn, learned initial state', rnn([4, 2], 3, { learnInitialState: true })],
    ['an LSTM forecaster: lstm, dense', sequential(lstm([6, 2], 5), dense(5, 1))],
    ['a GRU forecaster: gru every step, timeDistributed dense', sequential(gru([6, 2], 5, { returnSequences: true }), timeDistributed(dense(5, 1), 6))],
    ['timeDistributed of an MLP', timeDistributed(sequential(dense(3, 4), softmax), 5)],
  ];
  return nets.map(([name, net, more], i) => ({ name, net, params: randomLike(foldIn(key(11), i), net.init(key(i))), ...more }));
};

/** False where foldnet refuses the export (see each case's `refusal`). */
export const exportable = (c: OnnxCase, dtype: Dtype, opset: number): boolean => c.refusal?.(dtype, opset) === undefined;

export const dtypes: readonly Dtype[] = ['float64', 'float32'];
/** The opsets the suites export at: the lowest foldnet writes and the default. */
export const opsets: readonly number[] = [13, 17];
