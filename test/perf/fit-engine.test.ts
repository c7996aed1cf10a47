import { describe, expect, it } from 'vitest';
import { dense } from '../../src/layer/dense.js';
import { elementwise, leakyRelu, relu, tanh } from '../../src/layer/activation.js';
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

describe('fit runs leakyRelu chains through the engine', () => {
  const net = sequential(dense(5, 16), leakyRelu(0.2), dense(16, 8), relu, dense(8, 3));

  it('is eligible with leakyRelu(α), and not with a look-alike built by elementwise', () => {
    expect(makeFastEpoch(net, mse, fastOptimizerOf(sgd(0.1)), false)).toBeDefined();
    const fake = elementwise('leakyRelu', (v) => (v > 0 ? v : 0.2 * v), (v) => (v > 0 ? 1 : 0.2), { alpha: 0.2 });
    expect(makeFastEpoch(sequential(dense(5, 16), fake, dense(16, 3)), mse, fastOptimizerOf(sgd(0.1)), false)).toBeUndefined();
  });

  it.each([
    ['sgd, mse, batch 16', sgd(0.05), mse, y, 16],
    ['adam, softmax CE, batch 7', adam(0.01), softmaxCrossEntropy, onehot, 7],
  ] as const)('gives the generic path’s parameters bit for bit: %s', (_name, opt, loss, targets, batchSize) => {
    const p0 = net.init(key(6));
    const options = { loss, epochs: 3, batchSize, key: key(9) } as const;
    const fast = fit(net, p0, { x, y: targets }, { ...options, optimizer: opt as GradientTransformation<unknown> });
    const slow = fit(net, p0, { x, y: targets }, { ...options, optimizer: hidden(opt as GradientTransformation<unknown>) });
    expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
    expect(fast.history.trainLoss).toEqual(slow.history.trainLoss);
  });
});

describe('the engine stops a diverging run where makeStep does, with the same cause', () => {
  const net = sequential(dense(5, 16), leakyRelu(0.1), dense(16, 3));
  // Input column 0 huge and its weights zero: the loss stays finite but ∂L/∂W₁[0, :] ≈ 1e160
  // overflows ‖g‖² at the first update.
  const xBig = unsafeMat(n, 5, x.data.map((v, i) => (i % 5 === 0 ? 1e160 : v)));
  const zeroRow0 = (p: unknown): unknown => Params.unflatten(p, Params.flatten(p).map((v, i) => (i < 16 ? 0 : v)));
  // A large input column: gradients ≈ 1e10, so a step of lr 1e300 overflows the parameters.
  const xLarge = unsafeMat(n, 5, x.data.map((v, i) => (i % 5 === 0 ? 1e10 : v)));
  const same = (p: unknown): unknown => p;
  it.each([
    ['loss (sgd, lr 1e3)', 'loss', sgd(1e3), x, same],
    ['loss (adam, lr 1e100)', 'loss', adam(1e100), x, same],
    ['gradient (sgd, lr 5: ‖g‖² overflows after a few updates)', 'gradient', sgd(5), x, same],
    ['gradient (‖g‖² overflows at the first update)', 'gradient', sgd(0.01), xBig, zeroRow0],
    ['parameters (sgd, lr 1e300)', 'parameters', sgd(1e300), xLarge, same],
  ] as const)('%s', (_name, cause, opt, inputs, prep) => {
    const p0 = prep(net.init(key(7))) as ReturnType<typeof net.init>;
    const options = { loss: mse, epochs: 30, batchSize: 8, key: key(9) } as const;
    const fast = fit(net, p0, { x: inputs, y }, { ...options, optimizer: opt as GradientTransformation<unknown> });
    const slow = fit(net, p0, { x: inputs, y }, { ...options, optimizer: hidden(opt as GradientTransformation<unknown>) });
    expect(slow.stopReason).toMatchObject({ _tag: 'Diverged', cause });
    expect(fast.stopReason).toEqual(slow.stopReason);
    expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
    expect(Params.isFinite(fast.params)).toBe(true);
  });
});
