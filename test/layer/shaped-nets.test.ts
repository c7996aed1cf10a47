// Everything that works on width nets works on shaped ones through the generic path: save/load
// with shapes in the spec, per-feature standardize, dropout, jacobian, gradCheck, valueAndGrad,
// fit (with gradient clipping) on a small CNN and a small LSTM.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  adam, avgPool, chain, l2Penalty, clipByGlobalNorm, conv2d, dense, dropout, fit, flatten, fromArray, gradCheck, jacobian, key, load, lstm, maxPool, mse, normal,
  params as Params, readSpec, relu, save, sequential, softmaxCrossEntropy, standardizeFeatures, tanh, valueAndGrad, withShape, gru,
} from '../../src/index.js';

const cnn = sequential(conv2d([6, 6, 1], { filters: 3, kernel: 3 }), relu, maxPool([4, 4, 3], 2), flatten([2, 2, 3]), dense(12, 2));
const images = <R extends number>(n: R, seed: number) => withShape(fromArray(n, 36, normal(key(seed), n * 36)), [6, 6, 1]);
/** Class 1 when the image is brighter in its top half: a pattern a convolution sees. */
const brighter = (x: { data: Float64Array }, n: number) =>
  fromArray(n, 2, Array.from({ length: n }, (_, i) => {
    const img = x.data.subarray(i * 36, i * 36 + 36);
    const top = img.subarray(0, 18).reduce((s, v) => s + v, 0);
    const bottom = img.subarray(18).reduce((s, v) => s + v, 0);
    return top > bottom ? [0, 1] : [1, 0];
  }).flat());

const seqNet = sequential(lstm([5, 2], 4), dense(4, 1));
const sequences = <R extends number>(n: R, seed: number) => withShape(fromArray(n, 10, normal(key(seed), n * 10)), [5, 2]);
/** The target: the sum of the first feature over the window (a recurrence has to carry it). */
const sums = (x: { data: Float64Array }, n: number) =>
  fromArray(n, 1, Array.from({ length: n }, (_, i) => [0, 1, 2, 3, 4].reduce((s, t) => s + x.data[i * 10 + 2 * t]!, 0)));

describe('save/load', () => {
  it('round-trips a CNN and an LSTM bit for bit, with the shapes in the spec', () => {
    for (const net of [cnn, seqNet] as const) {
      const p = net.init(key(1));
      const text = E.getOrElseW(() => '')(save(net as never, p));
      const back = load(net as never, text);
      expect(E.isRight(back)).toBe(true);
      if (E.isRight(back)) expect(Params.flatten(back.right)).toEqual(Params.flatten(p));
    }
    const spec = E.getOrElseW(() => undefined)(readSpec(E.getOrElseW(() => '')(save(cnn, cnn.init(key(1))))));
    expect(spec?.inputShape).toEqual([6, 6, 1]);
    expect(spec?.children?.[2]?.outputShape).toEqual([2, 2, 3]);
  });

  it('refuses a file saved from another shape, naming both shapes', () => {
    const other = sequential(conv2d([6, 6, 1], { filters: 3, kernel: 3 }), relu, maxPool([4, 4, 3], 2, { stride: 1 }), flatten([3, 3, 3]), dense(27, 2));
    const text = E.getOrElseW(() => '')(save(other, other.init(key(1))));
    const r = load(cnn, text);
    expect(E.isLeft(r)).toBe(true);
    if (E.isLeft(r)) expect(r.left.map((e) => `${e.path}: expected ${e.expected}, got ${e.got}`).join('\n')).toContain('[4, 4, 3]→[2, 2, 3]');
  });
});

describe('standardizeFeatures', () => {
  it('scales each feature by statistics pooled over rows and time steps', () => {
    const x = withShape(fromArray(2, 6, [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60]), [3, 2]);
    const s = standardizeFeatures(x, [3, 2]);
    const sd = Math.sqrt(35 / 12);
    expect(Array.from(s.mean.data)).toEqual([3.5, 35, 3.5, 35, 3.5, 35]);
    expect(s.std.data[0]).toBeCloseTo(sd, 14);
    expect(s.std.data[1]).toBeCloseTo(10 * sd, 13);
    const y = s.forward({}, x);
    expect(y.data[0]).toBeCloseTo(-2.5 / sd, 14);
    expect(y.data[11]).toBeCloseTo(2.5 / sd, 14);
  });

  it('refuses data whose width is not the shape\'s size', () => {
    expect(() => standardizeFeatures(fromArray(1, 5, [1, 2, 3, 4, 5]) as never, [3, 2])).toThrow('standardizeFeatures: shape [3, 2] needs 6 columns, the data has 5');
  });
});

describe('differentiation on shaped nets', () => {
  it('jacobian by JVPs equals jacobian by VJPs on a CNN and on an LSTM', () => {
    const x1 = images(1, 2);
    const Jf = jacobian(cnn, cnn.init(key(3)), x1, { mode: 'forward' });
    const Jr = jacobian(cnn, cnn.init(key(3)), x1, { mode: 'reverse' });
    expect(Jf.rows).toBe(2);
    expect(Jf.cols).toBe(36);
    Jf.data.forEach((v, i) => expect(v).toBeCloseTo(Jr.data[i]!, 12));
    const s1 = sequences(1, 4);
    const Sf = jacobian(seqNet, seqNet.init(key(5)), s1, { mode: 'forward' });
    const Sr = jacobian(seqNet, seqNet.init(key(5)), s1, { mode: 'reverse' });
    Sf.data.forEach((v, i) => expect(v).toBeCloseTo(Sr.data[i]!, 12));
  });

  it('gradCheck passes for a CNN with softmax cross-entropy and for an LSTM with MSE', () => {
    // smooth parts (tanh, average pooling): gradCheck's default step would cross relu's and max's kinks
    const smooth = sequential(conv2d([6, 6, 1], { filters: 3, kernel: 3 }), tanh, avgPool([4, 4, 3], 2), flatten([2, 2, 3]), dense(12, 2));
    const x = images(3, 6);
    expect(gradCheck(smooth, softmaxCrossEntropy, smooth.init(key(7)), x, brighter(x, 3)).maxRelativeError).toBeLessThan(1e-6);
    const s = sequences(3, 8);
    expect(gradCheck(seqNet, mse, seqNet.init(key(9)), s, sums(s, 3)).maxRelativeError).toBeLessThan(1e-6);
  });

  it('valueAndGrad gives the loss and a gradient shaped like the parameters', () => {
    const s = sequences(4, 10);
    const p = seqNet.init(key(11));
    const [value, grads] = valueAndGrad(seqNet, mse)(p, s, sums(s, 4));
    expect(value).toBeGreaterThan(0);
    expect(Params.size(grads)).toBe(Params.size(p));
    expect(Params.norm(grads)).toBeGreaterThan(0);
  });
});

describe('fit on shaped nets (generic path)', () => {
  it('a small CNN learns which half of the image is brighter (training accuracy > 90%)', () => {
    const x = images(96, 12);
    const y = brighter(x, 96);
    const r = fit(cnn, cnn.init(key(13)), { x, y }, { loss: softmaxCrossEntropy, optimizer: adam(0.03), epochs: 30, batchSize: 16, key: key(14) });
    const yhat = cnn.forward(r.params, x);
    const correct = Array.from({ length: 96 }, (_, i) => (yhat.data[2 * i + 1]! > yhat.data[2 * i]! ? 1 : 0) === y.data[2 * i + 1]).filter(Boolean).length;
    expect(correct / 96).toBeGreaterThan(0.9);
    expect(r.history.trainLoss[29]!).toBeLessThan(r.history.trainLoss[0]!);
  });

  it('an LSTM learns a running sum, with dropout between stacked recurrent layers and gradient clipping', () => {
    const net = sequential(lstm([5, 2], 6, { returnSequences: true }), dropout(0.1), gru([5, 6], 4), dense(4, 1));
    const x = sequences(64, 15);
    const y = sums(x, 64);
    const opts = { loss: mse, optimizer: chain(clipByGlobalNorm(1), adam(0.02)), epochs: 40, batchSize: 16, key: key(16) } as const;
    const r = fit(net, net.init(key(17)), { x, y }, opts);
    const again = fit(net, net.init(key(17)), { x, y }, opts);
    expect(Params.flatten(again.params)).toEqual(Params.flatten(r.params));
    const variance = y.data.reduce((s, v) => s + v * v, 0) / 64;
    expect(r.history.trainLoss[39]!).toBeLessThan(0.1 * variance);
  });

  it('an L2 penalty on a CNN gives smaller weights than the same run without it', () => {
    const x = images(32, 21);
    const y = brighter(x, 32);
    const opts = { loss: softmaxCrossEntropy, optimizer: adam(0.02), epochs: 10, batchSize: 8, key: key(22) } as const;
    const plain = fit(cnn, cnn.init(key(23)), { x, y }, opts);
    const decayed = fit(cnn, cnn.init(key(23)), { x, y }, { ...opts, penalty: l2Penalty(0.05) });
    expect(Params.norm(decayed.params)).toBeLessThan(0.8 * Params.norm(plain.params));
  });

  it('standardizeFeatures leads a recurrent net in fit', () => {
    const x = sequences(32, 18);
    const net = sequential(standardizeFeatures(x, [5, 2]), lstm([5, 2], 3), tanh, dense(3, 1));
    const r = fit(net, net.init(key(19)), { x, y: sums(x, 32) }, { loss: mse, optimizer: adam(0.02), epochs: 5, batchSize: 8, key: key(20) });
    expect(r.history.trainLoss[4]!).toBeLessThan(r.history.trainLoss[0]!);
  });
});
