// Layers as values: frozen records, pure functions of their arguments, seeded initialisation.
import { describe, expect, it } from 'vitest';
import { compose, sequential } from '../../src/layer/compose.js';
import { dense, denseParams } from '../../src/layer/dense.js';
import { identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import * as P from '../../src/params.js';
import { key } from '../../src/random.js';
import { fromRows, toRows, unsafeMat, zeros, zerosVec } from '../../src/tensor/mat.js';
import { activationCases, bits, randomLike, randomMat, snapshot, type AnyLayer, type LayerCase } from '../support/layers.js';

const layers: readonly LayerCase[] = [
  { name: 'dense', layer: dense(4, 3) },
  ...activationCases(4),
  { name: 'sequential', layer: sequential(dense(4, 8), relu, dense(8, 6), tanh, dense(6, 2)) },
  { name: 'compose (nested)', layer: compose(softmax, dense(5, 3), sequential(dense(4, 5), sigmoid)) },
];

describe.each(layers)('$name', ({ layer }) => {
  it('nothing the caller passes is mutated by init, forward, vjp, its pullback, jvp or zerosLike', () => {
    const k = key(3);
    const kBefore = snapshot(k);
    const p = randomLike(key(1), layer.init(k), 0.5);
    const x = randomMat(key(2), 5, layer.inputDim as number);
    const dp = randomLike(key(4), p);
    const dx = randomMat(key(5), 5, layer.inputDim as number);
    const dy = randomMat(key(6), 5, layer.outputDim as number);
    const before = snapshot({ p, x, dp, dx, dy });

    layer.forward(p, x);
    const [, pullback] = layer.vjp(p, x);
    pullback(dy);
    layer.jvp(p, x, dp, dx);
    layer.zerosLike(p);

    expect(snapshot({ p, x, dp, dx, dy })).toEqual(before);
    expect(snapshot(k)).toEqual(kBefore);
  });

  it('is a frozen record, and so are its parameters and outputs', () => {
    expect(Object.isFrozen(layer)).toBe(true);
    expect(Object.isFrozen(layer.spec)).toBe(true);
    const p = layer.init(key(0));
    expect(Object.isFrozen(p)).toBe(true);
    const x = randomMat(key(1), 2, layer.inputDim as number);
    expect(Object.isFrozen(layer.forward(p, x))).toBe(true);
    const [, pullback] = layer.vjp(p, x);
    const [dp, dx] = pullback(randomMat(key(2), 2, layer.outputDim as number));
    expect(Object.isFrozen(dp)).toBe(true);
    expect(Object.isFrozen(dx)).toBe(true);
  });

  it('a pullback can be called again and gives bit-identical results (it holds no state)', () => {
    const p = randomLike(key(1), layer.init(key(0)), 0.5);
    const [, pullback] = layer.vjp(p, randomMat(key(2), 3, layer.inputDim as number));
    const dy = randomMat(key(3), 3, layer.outputDim as number);
    const [dp1, dx1] = pullback(dy);
    const [dp2, dx2] = pullback(dy);
    expect(bits(P.flatten(dp1))).toEqual(bits(P.flatten(dp2)));
    expect(bits(dx1.data)).toEqual(bits(dx2.data));
  });

  it('the same key gives bit-identical parameters; different keys give different ones (when there are any)', () => {
    const a = P.flatten(layer.init(key(42)));
    const b = P.flatten(layer.init(key(42)));
    expect(bits(a)).toEqual(bits(b));
    const c = P.flatten(layer.init(key(43)));
    if (a.length > 0) expect(bits(a)).not.toEqual(bits(c));
  });

  it('zerosLike gives a tree of the same structure filled with zeros', () => {
    const p = layer.init(key(0));
    const z = layer.zerosLike(p);
    expect(P.leaves(z).map((l) => l.path)).toEqual(P.leaves(p).map((l) => l.path));
    expect(P.flatten(z).every((v) => v === 0)).toBe(true);
  });

  it('keeps the batch size: B rows in, B rows out, for B = 1 and B = 7', () => {
    const p = layer.init(key(0));
    for (const b of [1, 7]) {
      const y = layer.forward(p, randomMat(key(b), b, layer.inputDim as number));
      expect([y.rows, y.cols]).toEqual([b, layer.outputDim]);
    }
  });
});

describe('dense', () => {
  it('computes y = x·W + b with W stored [in, out]', () => {
    const f = dense(2, 3);
    const p = denseParams(fromRows([[1, 2, 3], [4, 5, 6]]), { size: 3, data: Float64Array.from([0.5, -1, 2]) });
    expect(toRows(f.forward(p, fromRows([[1, 1], [2, -1]])))).toEqual([[5.5, 6, 11], [-1.5, -2, 2]]);
  });

  it('Glorot init: weights within ±√(6/(I+O)), mean ≈ 0, variance ≈ a²/3; biases zero', () => {
    const [I, O] = [64, 32] as const;
    const p = dense(I, O).init(key(5));
    const a = Math.sqrt(6 / (I + O));
    const w = p.w.data;
    expect(w.every((v) => Math.abs(v) <= a)).toBe(true);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(variance / (a * a / 3)).toBeGreaterThan(0.9);
    expect(variance / (a * a / 3)).toBeLessThan(1.1);
    expect(p.b.data.every((v) => v === 0)).toBe(true);
    // Small values near 0: nothing like the ±1 a naive init would give.
    expect(Math.max(...w.map(Math.abs))).toBeLessThan(0.26);
  });

  it('He init: standard deviation ≈ √(2/I)', () => {
    const w = dense(200, 50, { init: 'he' }).init(key(1)).w.data;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std / Math.sqrt(2 / 200)).toBeGreaterThan(0.95);
    expect(std / Math.sqrt(2 / 200)).toBeLessThan(1.05);
  });

  it('rejects input of the wrong width at run time with a clear message (possible only from untyped code)', () => {
    const f = dense(3, 2);
    const x = zeros(1, 4) as unknown as Parameters<typeof f.forward>[1];
    expect(() => f.forward(f.init(key(0)), x)).toThrow('dense: expected input with 3 columns, got 1×4');
  });

  it('denseParams rejects a bias whose length differs from the weight columns', () => {
    expect(() => denseParams(zeros(2, 3), zerosVec(2) as never)).toThrow('denseParams: bias has 2 entries, weights have 3 columns');
  });
});

describe('activations', () => {
  const x = fromRows([[-2, -0.5, 0, 0.5, 2]]);
  const p = {};
  const run = (l: AnyLayer) => Array.from(l.forward(p, x).data);

  it('relu is max(0, x); leakyRelu(α) is α·x below 0; identity returns its input', () => {
    expect(run(relu.at(5))).toEqual([0, 0, 0, 0.5, 2]);
    expect(run(leakyRelu(0.1).at(5))).toEqual([-0.2, -0.05, 0, 0.5, 2]);
    expect(run(identity.at(5))).toEqual([-2, -0.5, 0, 0.5, 2]);
  });

  it('tanh, sigmoid and softplus agree with their formulas', () => {
    run(tanh.at(5)).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(x.data[i]!), 15));
    run(sigmoid.at(5)).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-x.data[i]!)), 15));
    run(softplus.at(5)).forEach((v, i) => expect(v).toBeCloseTo(Math.log(1 + Math.exp(x.data[i]!)), 15));
  });

  it('sigmoid, softplus and softmax stay finite and exact at extreme inputs (±1000)', () => {
    const big = fromRows([[-1000, 1000, 0]]);
    expect(Array.from(sigmoid.at(3).forward(p, big).data)).toEqual([0, 1, 0.5]);
    expect(Array.from(softplus.at(3).forward(p, big).data)).toEqual([0, 1000, Math.log(2)]);
    const s = softmax.at(3).forward(p, big).data;
    expect(Array.from(s)).toEqual([0, 1, 0]);
  });

  it('softmax rows are positive and sum to 1, and shifting a row by a constant changes nothing', () => {
    const logits = randomMat(key(9), 6, 4, 3);
    const s = softmax.at(4).forward(p, logits);
    for (let r = 0; r < 6; r++) {
      const rowVals = Array.from(s.data.slice(r * 4, r * 4 + 4));
      expect(rowVals.every((v) => v > 0)).toBe(true);
      expect(rowVals.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    }
    const shifted = softmax.at(4).forward(p, unsafeMat(6, 4, logits.data.map((v) => v + 100)));
    shifted.data.forEach((v, i) => expect(v).toBeCloseTo(s.data[i]!, 14));
  });

  it('activations are width-polymorphic values: the same relu runs at widths 1, 3 and 50', () => {
    for (const n of [1, 3, 50]) {
      const y = relu.forward({}, randomMat(key(n), 2, n));
      expect([y.rows, y.cols]).toEqual([2, n]);
    }
  });
});
