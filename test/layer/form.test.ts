// Inference forms are found by the value itself: what foldnet built has one, whatever it is named;
// what it did not build has none, whatever it is named.
import { describe, expect, it } from 'vitest';
import { formOf } from '../../src/layer/form.js';
import { dense } from '../../src/layer/dense.js';
import { compose, sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { elementwise, leakyRelu, relu, softmax } from '../../src/layer/activation.js';
import { standardize } from '../../src/layer/standardize.js';
import { key } from '../../src/random.js';
import { activationCases, randomMat } from '../support/layers.js';

describe('inference forms', () => {
  it('every built-in layer has one, with its own numbers', () => {
    expect(formOf(dense(4, 3))).toEqual({ op: 'affine', inputDim: 4, outputDim: 3 });
    expect(formOf(leakyRelu(0.3))).toEqual({ op: 'leakyRelu', alpha: 0.3 });
    expect(formOf(dropout(0.25))).toEqual({ op: 'dropout', p: 0.25 });
    expect(formOf(softmax)).toEqual({ op: 'softmax' });
    const s = standardize(randomMat(key(1), 10, 3));
    expect(formOf(s)).toEqual({ op: 'standardize', mean: s.mean.data, std: s.std.data });
    activationCases(3).forEach(({ name, layer }) => expect(formOf(layer), name).toBeDefined());
  });

  it('a layer fixed with at(n) has the form of its polymorphic origin', () => {
    expect(formOf(relu.at(5))).toBe(formOf(relu));
  });

  it('a composite keeps its part values and the order it applies them', () => {
    const d1 = dense(4, 8);
    const d2 = dense(8, 2);
    expect(formOf(sequential(d1, relu, d2))).toEqual({ op: 'chain', parts: [d1, relu, d2], applied: [0, 1, 2] });
    expect(formOf(compose(d2, relu, d1))).toEqual({ op: 'chain', parts: [d2, relu, d1], applied: [2, 1, 0] });
  });

  it('a layer foldnet did not build has none, even under a built-in name', () => {
    expect(formOf(elementwise('relu', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0)))).toBeUndefined();
    expect(formOf({ ...dense(4, 3) })).toBeUndefined();
    expect(formOf(null)).toBeUndefined();
  });
});
