import { describe, expect, it } from 'vitest';
import { dense } from '../../src/layer/dense.js';
import { relu, tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { standardize, standardizeWith } from '../../src/layer/standardize.js';
import { mse } from '../../src/loss/mse.js';
import { softmaxCrossEntropy } from '../../src/loss/softmax-cross-entropy.js';
import { sgd, adam } from '../../src/optim/recipes.js';
import { fit } from '../../src/train/fit.js';
import { makeFastEpoch, planChain, predictChain } from '../../src/train/engine.js';
import { fastOptimizerOf } from '../../src/train/engine-optimizers.js';
import { key, normal } from '../../src/random.js';
import { unsafeMat, unsafeVec } from '../../src/tensor/mat.js';
import * as Params from '../../src/params.js';
import type { GradientTransformation } from '../../src/optim/transform.js';

// raw inputs on very different scales and offsets, so standardize matters to every bit
const n = 90;
const raw = normal(key(11), n * 4, 1);
const scales = [1000, 0.01, 3, 1e-5];
const offsets = [50, -7, 0.3, 1e4];
const x = unsafeMat(n, 4, raw.map((v, i) => v * scales[i % 4]! + offsets[i % 4]!));
const y = unsafeMat(n, 3, normal(key(12), n * 3, 1));
const labels = new Float64Array(n * 3);
for (let r = 0; r < n; r++) labels[r * 3 + (r % 3)] = 1;
const onehot = unsafeMat(n, 3, labels);

const scaler = standardize(x);
const net = sequential(scaler, dense(4, 16), relu, dense(16, 3));
/** The same model, not registered as foldnet's own: fit folds the generic step. */
const untrusted = { ...net };

describe('planChain accepts one leading standardize', () => {
  it('records its μ and σ as the plan input and keeps the dense parameter paths', () => {
    const plan = planChain(net.spec);
    expect(plan).toBeDefined();
    expect(Array.from(plan!.input!.mean)).toEqual(Array.from(scaler.mean.data));
    expect(Array.from(plan!.input!.std)).toEqual(Array.from(scaler.std.data));
    expect(plan!.stages.map((s) => s.path)).toEqual([[1], [3]]);
    expect(planChain(sequential(dense(4, 3), relu).spec)?.input).toBeUndefined();
  });

  it('is undefined for a standardize after a dense layer, after an activation, or a second one', () => {
    const s16 = standardizeWith(unsafeVec(16, new Float64Array(16).fill(0.5)), unsafeVec(16, new Float64Array(16).fill(2)));
    expect(planChain(sequential(dense(4, 16), s16, relu, dense(16, 3)).spec)).toBeUndefined();
    expect(planChain(sequential(dense(4, 16), relu, s16, dense(16, 3)).spec)).toBeUndefined();
    expect(planChain(sequential(standardize(x), standardize(x), dense(4, 3)).spec)).toBeUndefined();
    expect(planChain(sequential(sequential(standardize(x), dense(4, 16)), tanh, sequential(s16, dense(16, 3))).spec)).toBeUndefined();
  });

  it('leaves a model with a standardize in the middle to the generic step, which still trains it', () => {
    const s16 = standardizeWith(unsafeVec(16, new Float64Array(16).fill(0.5)), unsafeVec(16, new Float64Array(16).fill(2)));
    const mid = sequential(scaler, dense(4, 16), s16, relu, dense(16, 3));
    expect(makeFastEpoch(mid, mse, fastOptimizerOf(sgd(0.1)), false)).toBeUndefined();
    const p0 = mid.init(key(8));
    const options = { loss: mse, epochs: 5, batchSize: 16, key: key(9), optimizer: sgd(0.05) as GradientTransformation<unknown> } as const;
    const a = fit(mid, p0, { x, y }, options);
    const b = fit({ ...mid }, p0, { x, y }, options);
    expect(Params.flatten(a.params)).toEqual(Params.flatten(b.params));
    expect(a.history.trainLoss[a.history.trainLoss.length - 1]!).toBeLessThan(a.history.trainLoss[0]!);
  });

  it('is undefined when the standardize width does not match the first dense layer', () => {
    // sequential refuses this at construction; a hand-made spec must not get through either
    const s5 = standardize(unsafeMat(2, 5, normal(key(3), 10, 1)));
    expect(planChain({ kind: 'sequential', inputDim: 5, outputDim: 3, children: [s5.spec, dense(4, 3).spec] })).toBeUndefined();
  });

  it('marks standardize layers and chains led by them as foldnet’s own (a copy is not)', () => {
    expect(makeFastEpoch(net, mse, fastOptimizerOf(sgd(0.1)), false)).toBeDefined();
    expect(makeFastEpoch(untrusted, mse, fastOptimizerOf(sgd(0.1)), false)).toBeUndefined();
    expect(makeFastEpoch(sequential({ ...standardize(x) }, dense(4, 3)), mse, fastOptimizerOf(sgd(0.1)), false)).toBeUndefined();
  });
});

describe('fit through the engine with a leading standardize equals the generic step bit for bit', () => {
  it.each([
    ['sgd, mse, batch 1', sgd(0.01), mse, y, 1],
    ['sgd, mse, batch 16', sgd(0.05), mse, y, 16],
    ['adam, mse, full batch', adam(0.01), mse, y, 'full'],
    ['sgd, softmax CE, batch 32', sgd(0.1), softmaxCrossEntropy, onehot, 32],
    ['adam, softmax CE, batch 7', adam(0.01), softmaxCrossEntropy, onehot, 7],
    ['adam, softmax CE, batch 64', adam(0.005), softmaxCrossEntropy, onehot, 64],
  ] as const)('%s', (_name, opt, loss, targets, batchSize) => {
    const p0 = net.init(key(5));
    const options = { loss, epochs: 3, batchSize, key: key(9), optimizer: opt as GradientTransformation<unknown> } as const;
    const fast = fit(net, p0, { x, y: targets }, options);
    const slow = fit(untrusted, p0, { x, y: targets }, options);
    expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
    expect(Array.from(fast.history.trainLoss)).toEqual(Array.from(slow.history.trainLoss));
    expect(fast.history.updates).toEqual(slow.history.updates);
    expect(fast.params[0]).toEqual({});
  });
});

describe('predictChain with a leading standardize', () => {
  it('equals net.forward bit for bit, for whole and partial blocks', () => {
    const p = net.init(key(21));
    const want = Array.from(net.forward(p, x).data);
    for (const batchSize of [1, 7, 64, 1024]) expect(Array.from(predictChain(net.spec, p, x, { batchSize }).data)).toEqual(want);
  });

  it('treats a −0 mean as standardize does', () => {
    const m = standardizeWith(unsafeVec(2, Float64Array.of(-0, 1)), unsafeVec(2, Float64Array.of(1, 2)));
    const small = sequential(m, dense(2, 2));
    const p = small.init(key(4));
    const xs = unsafeMat(3, 2, Float64Array.of(-0, 1, 0, -2, 3, 4));
    expect(Array.from(predictChain(small.spec, p, xs).data)).toEqual(Array.from(small.forward(p, xs).data));
  });
});
