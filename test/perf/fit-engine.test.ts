import { describe, expect, it } from 'vitest';
import { dense } from '../../src/layer/dense.js';
import { relu, tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { mse } from '../../src/loss/mse.js';
import { softmaxCrossEntropy } from '../../src/loss/softmax-cross-entropy.js';
import { sgd, adam, momentum } from '../../src/optim/recipes.js';
import { fit } from '../../src/train/fit.js';
import { makeFastEpoch } from '../../src/train/engine.js';
import { fastOptimizerOf } from '../../src/train/engine-optimizers.js';
import { key, normal } from '../../src/random.js';
import { unsafeMat } from '../../src/tensor/mat.js';
import * as Params from '../../src/params.js';
import type { GradientTransformation } from '../../src/optim/transform.js';

const n = 120;
const x = unsafeMat(n, 5, normal(key(1), n * 5, 1));
const y = unsafeMat(n, 3, normal(key(2), n * 3, 1));
const labels = new Float64Array(n * 3);
for (let r = 0; r < n; r++) labels[r * 3 + (r % 3)] = 1;
const onehot = unsafeMat(n, 3, labels);

/** The same optimizer, hidden from the engine (a copy is not registered): forces the generic step. */
const hidden = <S>(o: GradientTransformation<S>): GradientTransformation<S> => ({ ...o });

const maxRel = (a: unknown, b: unknown): number => {
  const fa = Params.flatten(a);
  const fb = Params.flatten(b);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i]!) / Math.max(1e-8, Math.abs(fb[i]!))), 0);
};

describe('fit uses the fast engine for plain dense chains', () => {
  const net = sequential(dense(5, 16), relu, dense(16, 8), tanh, dense(8, 3));

  it('is eligible for foldnet-built chains with sgd/adam and not for copies, momentum or penalties', () => {
    expect(makeFastEpoch(net, mse, fastOptimizerOf(sgd(0.1)), false)).toBeDefined();
    expect(makeFastEpoch(net, mse, fastOptimizerOf(adam(0.01)), false)).toBeDefined();
    expect(makeFastEpoch({ ...net }, mse, fastOptimizerOf(sgd(0.1)), false)).toBeUndefined();
    expect(makeFastEpoch(net, mse, fastOptimizerOf(hidden(sgd(0.1))), false)).toBeUndefined();
    expect(makeFastEpoch(net, mse, fastOptimizerOf(momentum(0.1)), false)).toBeUndefined();
    expect(makeFastEpoch(net, mse, fastOptimizerOf(sgd(0.1)), true)).toBeUndefined();
  });

  it.each([
    ['sgd, mse, batch 16', sgd(0.05), mse, y, 16],
    ['adam, softmax CE, batch 7', adam(0.01), softmaxCrossEntropy, onehot, 7],
    ['sgd, mse, full batch', sgd(0.1), mse, y, 'full'],
  ] as const)('gives the generic path’s history and parameters (≤ 1e-12 relative): %s', (_name, opt, loss, targets, batchSize) => {
    const p0 = net.init(key(5));
    const options = { loss, epochs: 4, batchSize, key: key(9) } as const;
    const fast = fit(net, p0, { x, y: targets }, { ...options, optimizer: opt as GradientTransformation<unknown> });
    const slow = fit(net, p0, { x, y: targets }, { ...options, optimizer: hidden(opt as GradientTransformation<unknown>) });
    expect(maxRel(fast.params, slow.params)).toBeLessThanOrEqual(1e-12);
    fast.history.trainLoss.forEach((l, i) => expect(Math.abs(l - slow.history.trainLoss[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(l)));
    expect(fast.history.updates).toEqual(slow.history.updates);
  });
});
