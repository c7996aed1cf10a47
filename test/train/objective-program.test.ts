import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, categoricalCrossEntropy, conjugateGradient, conv1d, defineLayer, dense, dropout, flatten, huberWith, key, l2Penalty, lbfgs, lstm, mae, maxPool, mse, normal,
  objective, params as Params, relu, sequential, sigmoid, softmax, softmaxCrossEntropy, standardize, tanh, timeDistributed, unsafeMat, valueAndGrad,
  type AnyLayer, type Loss,
} from '../../src/index.js';
import { compileValueAndGrad } from '../../src/train/engine.js';
import { setScalarOnly } from '../../src/tensor/wasm/arena.js';

// The full-batch objective of conjugate gradient and L-BFGS, compiled onto the arena, against the
// layers' own valueAndGrad (evaluation mode: dropout is the identity): bit for bit.

const n = 300; // past the SIMD GEMM's threshold on every product
const x = unsafeMat(n, 6, normal(key(1), n * 6, 1));
const y = unsafeMat(n, 3, normal(key(2), n * 3, 1));
const labels = new Float64Array(n * 3);
for (let r = 0; r < n; r++) labels[r * 3 + ((r * 5) % 3)] = 1;
const onehot = unsafeMat(n, 3, labels);
const probs = unsafeMat(n, 3, labels.map((v) => 0.1 + 0.8 * v));

interface Case {
  readonly name: string;
  readonly net: AnyLayer;
  readonly loss: Loss<number>;
  readonly y: typeof y;
}
const cases: Case[] = [
  { name: 'dense → relu → dense, MSE', net: sequential(dense(6, 16), relu, dense(16, 3)), loss: mse, y },
  { name: 'standardize, tanh, dropout (off in evaluation), MAE', net: sequential(standardize(x), dense(6, 8), tanh, dropout(0.5), dense(8, 3)), loss: mae, y },
  { name: 'Huber', net: sequential(dense(6, 8), relu, dense(8, 3)), loss: huberWith(0.5), y },
  { name: 'softmax cross-entropy', net: sequential(dense(6, 8), relu, dense(8, 3)), loss: softmaxCrossEntropy, y: onehot },
  { name: 'softmax layer, categorical cross-entropy', net: sequential(dense(6, 8), tanh, dense(8, 3), softmax), loss: categoricalCrossEntropy, y: probs },
  { name: 'sigmoid, binary cross-entropy', net: sequential(dense(6, 8), relu, dense(8, 3), sigmoid), loss: binaryCrossEntropy, y: probs },
  {
    name: 'conv1d → maxPool → flatten → dense',
    net: sequential(conv1d([3, 2], { filters: 4, kernel: 2 }), relu, maxPool([2, 4], 2), flatten([1, 4]), dense(4, 3)),
    loss: mse,
    y,
  },
  { name: 'lstm → timeDistributed(dense) with dropout inside', net: sequential(lstm([3, 2], 5, { returnSequences: true }), timeDistributed(sequential(dense(5, 4), dropout(0.2), dense(4, 1)), 3)), loss: mse, y },
];

const generic = (c: Case, p: unknown) => valueAndGrad(c.net as never, c.loss as never)(p as never, x as never, c.y as never) as readonly [number, unknown];

describe('the full-batch objective compiles onto the arena, bit for bit the layers\' valueAndGrad', () => {
  it.each(cases)('$name', (c) => {
    const p = c.net.init(key(5));
    const compiled = compileValueAndGrad(c.net, p, c.loss, n);
    expect(compiled).toBeDefined();
    const [v, g] = compiled!(p, { x, y: c.y });
    const [v0, g0] = generic(c, p);
    expect(v).toBe(v0);
    expect(Params.flatten(g)).toEqual(Params.flatten(g0));
    // a second call with other parameters reads them (nothing stale in the arena)
    const q = c.net.init(key(6));
    expect(Params.flatten(compiled!(q, { x, y: c.y })[1])).toEqual(Params.flatten(generic(c, q)[1]));
  });

  it('on the scalar GEMM path too', () => {
    setScalarOnly(true);
    try {
      const c = cases[0]!;
      const p = c.net.init(key(5));
      expect(Params.flatten(compileValueAndGrad(c.net, p, c.loss, n)!(p, { x, y })[1])).toEqual(Params.flatten(generic(c, p)[1]));
    } finally {
      setScalarOnly(false);
    }
  });

  it('is not compiled for a layer of one\'s own (its evaluation-mode pullback is its own) or a loss without a kernel', () => {
    const own = defineLayer<6, 6, readonly []>({
      kind: 'own', inputDim: 6, outputDim: 6, init: () => Object.freeze([] as const),
      forward: (_p, xx) => xx as never, vjp: (_p, xx) => [xx as never, (dy) => [Object.freeze([] as const), dy as never]], jvp: (_p, xx, _dp, dx) => [xx as never, dx as never],
    });
    const net = sequential(own, dense(6, 3));
    expect(compileValueAndGrad(net, net.init(key(5)), mse, n)).toBeUndefined();
    const plain = sequential(dense(6, 3));
    expect(compileValueAndGrad(plain, plain.init(key(5)), { ...mse }, n)).toBeUndefined();
  });
});

describe('conjugate gradient and L-BFGS through the compiled objective', () => {
  it.each([['lbfgs', lbfgs], ['conjugateGradient', conjugateGradient]] as const)('%s takes the same path as through the layers\' own valueAndGrad', (_name, method) => {
    const net = sequential(dense(6, 12), tanh, dense(12, 3));
    const p0 = net.init(key(7));
    const data = { x, y };
    const fast = method(objective(net, mse, data, l2Penalty(1e-3)), p0, { maxIterations: 15 });
    // the same objective with the loss copied (a copy carries no kernel): the generic path
    const slow = method(objective(net, { ...mse } as typeof mse, data, l2Penalty(1e-3)), p0, { maxIterations: 15 });
    expect(fast.losses).toEqual(slow.losses);
    expect(Params.flatten(fast.params)).toEqual(Params.flatten(slow.params));
    expect(fast.evaluations).toBe(slow.evaluations);
    expect(fast.value).toBeLessThan(fast.losses[0]!);
  });
});
