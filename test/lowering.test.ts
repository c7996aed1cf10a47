// A built-in layer's kernel stages are derived from its inference form (the one record of what
// it computes); an explicit lowering (a user's `lower`) wins; what has neither runs opaque.
import { describe, expect, it } from 'vitest';
import { formOf, withForm, type InferenceForm } from '../src/layer/form.js';
import { loweringOf, stagesOf, stagesOfForm, withLowering, type Stage } from '../src/lowering.js';
import { dense } from '../src/layer/dense.js';
import { compose, sequential } from '../src/layer/compose.js';
import { dropout } from '../src/layer/dropout.js';
import { elementwise, identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../src/layer/activation.js';
import { standardize } from '../src/layer/standardize.js';
import { conv1d, conv2d, windowGeometry } from '../src/layer/conv.js';
import { avgPool, globalAvgPool, maxPool } from '../src/layer/pool.js';
import { flatten } from '../src/layer/flatten.js';
import { defineLayer, definePolyLayer } from '../src/layer/define.js';
import type { NoParams } from '../src/layer/layer.js';
import { ACTIVATION_CODES } from '../src/tensor/kernels.js';
import { key } from '../src/random.js';
import { randomMat } from './support/layers.js';

const noParams: NoParams = Object.freeze({});

const stages = (layer: object, inputDim: number): readonly Stage[] | undefined => loweringOf(layer)?.(inputDim);

/** A user's width-preserving layer `y = x` (no form). */
const double = (lower?: () => readonly Stage[]) =>
  definePolyLayer<NoParams>({
    kind: 'double',
    init: () => noParams,
    forward: (_p, x) => x,
    vjp: (_p, x) => [x, (dy) => [noParams, dy]],
    jvp: (_p, x, _dp, dx) => [x, dx],
    ...(lower === undefined ? {} : { lower }),
  });

describe('layer lowerings derived from inference forms', () => {
  it('each built-in leaf lowers to the stage of its form', () => {
    expect(stages(dense(4, 3), 4)).toEqual([{ op: 'affine', inputDim: 4, outputDim: 3, at: [] }]);
    expect(stages(relu, 5)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.relu, alpha: 0 }]);
    expect(stages(tanh, 5)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.tanh, alpha: 0 }]);
    expect(stages(sigmoid, 5)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.sigmoid, alpha: 0 }]);
    expect(stages(softplus, 5)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.softplus, alpha: 0 }]);
    expect(stages(leakyRelu(0.3), 5)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.leakyRelu, alpha: 0.3 }]);
    expect(stages(softmax, 5)).toEqual([{ op: 'softmax' }]);
    expect(stages(identity, 5)).toEqual([]);
    expect(stages(dropout(0), 5)).toEqual([]);
    expect(stages(dropout(0.25), 5)).toEqual([{ op: 'dropout', rate: 0.25, at: [] }]);
    const s = standardize(randomMat(key(1), 10, 3));
    const [stage] = stages(s, 3)!;
    expect(stage).toEqual({ op: 'standardize', mean: s.mean.data, std: s.std.data });
    expect(stages(relu.at(5), 5)).toEqual(stages(relu, 5));
  });

  it('convolutions and pooling lower to the stage at their window\'s geometry; flatten to none', () => {
    // the geometry each layer computes with (1-D: the width axis of 1 × L × C images)
    expect(stages(conv2d([9, 7, 3], { filters: 5, kernel: [3, 2], stride: 2, padding: 'same' }), 189)).toEqual([
      { op: 'conv', geometry: windowGeometry([9, 7, 3], [3, 2], [2, 2], 'same', 'conv2d'), filters: 5, at: [] },
    ]);
    expect(stages(conv2d([6, 6, 2], { filters: 4, kernel: 3 }), 72)).toEqual([
      { op: 'conv', geometry: windowGeometry([6, 6, 2], [3, 3], [1, 1], 'valid', 'conv2d'), filters: 4, at: [] },
    ]);
    expect(stages(conv1d([10, 4], { filters: 3, kernel: 4, stride: 3, padding: 'same' }), 40)).toEqual([
      { op: 'conv', geometry: windowGeometry([1, 10, 4], [1, 4], [1, 3], 'same', 'conv1d'), filters: 3, at: [] },
    ]);
    expect(stages(maxPool([8, 8, 4], 2), 256)).toEqual([{ op: 'pool', mode: 'max', geometry: windowGeometry([8, 8, 4], [2, 2], [2, 2], 'valid', 'maxPool') }]);
    expect(stages(maxPool([7, 5], 3, { stride: 2 }), 35)).toEqual([{ op: 'pool', mode: 'max', geometry: windowGeometry([1, 7, 5], [1, 3], [1, 2], 'valid', 'maxPool') }]);
    expect(stages(avgPool([5, 4, 5], [2, 3], { stride: [1, 2] }), 100)).toEqual([
      { op: 'pool', mode: 'avg', geometry: windowGeometry([5, 4, 5], [2, 3], [1, 2], 'valid', 'avgPool') },
    ]);
    expect(stages(avgPool([24, 16], 2), 384)).toEqual([{ op: 'pool', mode: 'avg', geometry: windowGeometry([1, 24, 16], [1, 2], [1, 2], 'valid', 'avgPool') }]);
    // the mean over all positions: one window over 1 × positions × channels, whatever the rank
    expect(stages(globalAvgPool([2, 3, 8]), 48)).toEqual([{ op: 'pool', mode: 'avg', geometry: windowGeometry([1, 6, 8], [1, 6], [1, 6], 'valid', 'globalAvgPool') }]);
    expect(stages(globalAvgPool([5, 4]), 20)).toEqual([{ op: 'pool', mode: 'avg', geometry: windowGeometry([1, 5, 4], [1, 5], [1, 5], 'valid', 'globalAvgPool') }]);
    expect(stages(flatten([5, 5, 16]), 400)).toEqual([]);
    // inside a chain, a convolution's parameters are at its slot
    expect(stages(sequential(conv2d([4, 4, 1], { filters: 2, kernel: 2 }), relu, maxPool([3, 3, 2], 3), flatten([1, 1, 2]), dense(2, 1)), 16)).toEqual([
      { op: 'conv', geometry: windowGeometry([4, 4, 1], [2, 2], [1, 1], 'valid', 'conv2d'), filters: 2, at: [0] },
      { op: 'pointwise', code: ACTIVATION_CODES.relu, alpha: 0 },
      { op: 'pool', mode: 'max', geometry: windowGeometry([3, 3, 2], [3, 3], [3, 3], 'valid', 'maxPool') },
      { op: 'affine', inputDim: 2, outputDim: 1, at: [4] },
    ]);
  });

  it('a chain concatenates its parts\' stages in the order they run, nested under their slots', () => {
    const mine = double();
    const net = sequential(dense(2, 3), relu, sequential(dropout(0.5), dense(3, 4)), mine, softmax);
    expect(stages(net, 2)).toEqual([
      { op: 'affine', inputDim: 2, outputDim: 3, at: [0] },
      { op: 'pointwise', code: ACTIVATION_CODES.relu, alpha: 0 },
      { op: 'dropout', rate: 0.5, at: [2, 0] },
      { op: 'affine', inputDim: 3, outputDim: 4, at: [2, 1] },
      // a part without a form or lowering: opaque, at the width carried to it
      { op: 'opaque', layer: mine, outputDim: 4, at: [3] },
      { op: 'softmax' },
    ]);
    // compose applies last to first: the slots are the argument positions
    expect(stages(compose(dense(3, 1), tanh, dense(2, 3)), 2)).toEqual([
      { op: 'affine', inputDim: 2, outputDim: 3, at: [2] },
      { op: 'pointwise', code: ACTIVATION_CODES.tanh, alpha: 0 },
      { op: 'affine', inputDim: 3, outputDim: 1, at: [0] },
    ]);
    // a polymorphic chain keeps the width it is given
    const poly = sequential(relu, mine);
    expect(stages(poly, 7)).toEqual([
      { op: 'pointwise', code: ACTIVATION_CODES.relu, alpha: 0 },
      { op: 'opaque', layer: mine, outputDim: 7, at: [1] },
    ]);
  });

  it('an explicit lowering wins over a form, and a user\'s lowering is used inside a chain', () => {
    const own = (): readonly Stage[] => [{ op: 'softmax' }];
    const marked = withLowering(withForm(defineLayer<2, 2, NoParams>({
      kind: 'mine', inputDim: 2, outputDim: 2, init: () => noParams,
      forward: (_p, x) => x, vjp: (_p, x) => [x, (dy) => [noParams, dy]], jvp: (_p, x, _dp, dx) => [x, dx],
    }), { op: 'identity' }), own);
    expect(loweringOf(marked)).toBe(own);
    const user = double(() => [{ op: 'pointwise', code: ACTIVATION_CODES.tanh, alpha: 0 }]);
    expect(formOf(user)).toBeUndefined();
    expect(stages(sequential(dense(2, 2), user), 2)).toEqual([
      { op: 'affine', inputDim: 2, outputDim: 2, at: [0] },
      { op: 'pointwise', code: ACTIVATION_CODES.tanh, alpha: 0 },
    ]);
    // `at(n)` keeps a user's explicit lowering
    expect(stages(user.at(4), 4)).toEqual([{ op: 'pointwise', code: ACTIVATION_CODES.tanh, alpha: 0 }]);
  });

  it('what foldnet did not build has no lowering, whatever it is named', () => {
    expect(loweringOf({ ...dense(2, 3) })).toBeUndefined();
    expect(loweringOf(elementwise('relu', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0)))).toBeUndefined();
    const user = double().at(3);
    expect(loweringOf(user)).toBeUndefined();
    // fit runs it as one opaque stage of its own width
    expect(stagesOf(user, 3)).toEqual([{ op: 'opaque', layer: user, outputDim: 3, at: [] }]);
    expect(stagesOf(dense(3, 2), 3)).toEqual(stages(dense(3, 2), 3));
  });

  it('a form op without stages has no lowering, and runs opaque inside a chain', () => {
    const later = { op: 'somethingNew' } as unknown as InferenceForm;
    expect(stagesOfForm(later, 3)).toBeUndefined();
    const layer = withForm(double().at(3), later);
    expect(loweringOf(layer)).toBeUndefined();
    expect(stages(sequential(dense(2, 3), layer), 2)).toEqual([
      { op: 'affine', inputDim: 2, outputDim: 3, at: [0] },
      { op: 'opaque', layer, outputDim: 3, at: [1] },
    ]);
  });
});
