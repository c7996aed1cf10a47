// The models every ONNX suite exports: each built-in layer (through the shared activation list, so
// a new activation is covered here too), standardize, dropout, and nested composites. The ONNX
// Runtime suite runs them and the checker suite hands the same files to ONNX's own checker.
import { dense } from '../../src/layer/dense.js';
import { compose, sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import { standardize } from '../../src/layer/standardize.js';
import { foldIn, key } from '../../src/random.js';
import { activationCases, randomLike, randomMat, type AnyLayer } from '../core/helpers.js';
import type { Dtype } from '../../src/onnx/graph.js';

export interface OnnxCase {
  readonly name: string;
  readonly net: AnyLayer;
  /** Parameters with every entry random (biases too, so a dropped bias would show). */
  readonly params: unknown;
}

/** Rows the standardize layers are fitted on: columns of different means and scales. */
const rows = randomMat(key(7), 20, 4, 3);

export const onnxCases = (): readonly OnnxCase[] => {
  const nets: readonly (readonly [string, AnyLayer])[] = [
    ['dense alone', dense(4, 3)],
    ...activationCases(3).map(({ name, layer }) => [`dense then ${name}`, sequential(dense(4, 3), layer)] as const),
    ['leakyRelu(0.3) (α not a float32)', sequential(dense(4, 3), leakyRelu(0.3))],
    ['dropout(0.5) (the identity at inference)', sequential(dense(4, 5), dropout(0.5), relu, dense(5, 3))],
    ['standardize alone', standardize(rows)],
    ['standardize then an MLP', sequential(standardize(rows), dense(4, 8), tanh, dense(8, 3), softmax)],
    ['nested sequential inside compose', compose(dense(6, 3), sequential(softplus, dropout(0.2)), sequential(sequential(standardize(rows), dense(4, 5)), sigmoid, dense(5, 6)))],
    ['a polymorphic chain fixed with at(4)', sequential(relu, tanh).at(4)],
    ['a net that computes nothing (one Identity node)', sequential(identity, dropout(0.5)).at(3)],
  ];
  return nets.map(([name, net], i) => ({ name, net, params: randomLike(foldIn(key(11), i), net.init(key(i))) }));
};

/** False where foldnet refuses the export: leakyRelu in float64 before opset 16 (see toOnnx). */
export const exportable = (c: OnnxCase, dtype: Dtype, opset: number): boolean => !(dtype === 'float64' && opset < 16 && /leakyRelu/.test(c.name));

export const dtypes: readonly Dtype[] = ['float64', 'float32'];
/** The opsets the suites export at: the lowest foldnet writes and the default. */
export const opsets: readonly number[] = [13, 17];
