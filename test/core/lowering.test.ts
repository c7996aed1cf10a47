// A built-in layer's kernel stages are derived from its inference form (the one record of what
// it computes); an explicit lowering (a user's `lower`) wins; what has neither runs opaque.
import { describe, expect, it } from 'vitest';
import { formOf, withForm, type InferenceForm } from '../../src/layer/form.js';
import { loweringOf, stagesOf, stagesOfForm, withLowering, type Stage } from '../../src/lowering.js';
import { dense } from '../../src/layer/dense.js';
import { compose, sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { elementwise, identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import { standardize } from '../../src/layer/standardize.js';
import { defineLayer, definePolyLayer } from '../../src/layer/define.js';
import type { NoParams } from '../../src/layer/layer.js';
import { ACTIVATION_CODES } from '../../src/tensor/kernels.js';
import { key } from '../../src/random.js';
import { randomMat } from './helpers.js';

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
    const [st] = stages(s, 3)!;
    expect(st).toEqual({ op: 'standardize', mean: s.mean.data, std: s.std.data });
    expect(stages(relu.at(5), 5)).toEqual(stages(relu, 5));
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
