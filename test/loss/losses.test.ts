import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, categoricalCrossEntropy, categoricalCrossEntropyWith, fromArray, fromRows, huber, huberWith, key,
  mae, mse, softmax, softmaxCrossEntropy, uniform, withWidth,
  type Loss, type Mat,
} from '../../src/index.js';
import { centralDifference, perturbMat } from '../../src/diff/finite-difference.js';
import { probabilityEpsilon } from '../../src/loss/categorical-cross-entropy.js';
import { relativeError } from '../../src/diff/grad-check.js';
import * as Ops from '../../src/tensor/ops.js';

/**
 * Largest relative error between the analytic gradient and finite differences of `value`, with
 * step `h·max(1, |v|)` (or `h` itself when `absoluteStep`). The floor of the denominator is
 * 1e-8·max(1, |L|): finite differences of a loss of size L carry rounding noise proportional to L.
 */
const gradientError = (loss: Loss<number>, yhat: Mat<number, number>, y: Mat<number, number>, h = 1e-4, absoluteStep = false): number => {
  const [value, g] = loss.valueAndGrad(yhat, y);
  const tiny = 1e-8 * Math.max(1, Math.abs(value));
  return Array.from(yhat.data).reduce((worst, v, k) => {
    const numeric = centralDifference((t) => loss.value(perturbMat(yhat, k, t), y), absoluteStep ? h : h * Math.max(1, Math.abs(v)));
    return Math.max(worst, relativeError(g.data[k]!, numeric, tiny));
  }, 0);
};

const [k1, k2, k3] = [key(11), key(12), key(13)];
const randomMat = (k: typeof k1, rows: number, cols: number, lo = -2, hi = 2) => fromArray(rows, cols, uniform(k, rows * cols, lo, hi));
const oneHot = (classes: readonly number[], width: number) =>
  fromArray(classes.length, width, classes.flatMap((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : 0))));

const yhat = randomMat(k1, 5, 3);
const yReg = randomMat(k2, 5, 3);
const targets = oneHot([0, 2, 1, 1, 0], 3);

describe('every loss is a batch mean whose gradient matches finite differences', () => {
  const smooth: [string, Loss<number>, Mat<number, number>, Mat<number, number>][] = [
    ['mse', mse, yhat, yReg],
    ['mae (away from ŷ = y)', mae, yhat, yReg],
    ['huberWith(0.5) (away from |r| = δ)', huberWith(0.5), yhat, yReg],
    ['softmaxCrossEntropy (one-hot)', softmaxCrossEntropy, yhat, targets],
    ['softmaxCrossEntropy (probability targets)', softmaxCrossEntropy, yhat, Ops.softmaxRows(yReg)],
    ['binaryCrossEntropy (multi-label)', binaryCrossEntropy, yhat, fromArray(5, 3, uniform(k3, 15).map((u) => (u > 0.5 ? 1 : 0)))],
    ['categoricalCrossEntropy', categoricalCrossEntropy, Ops.softmaxRows(yhat), targets],
  ];

  it.each(smooth)('%s: gradient within 1e-7 of finite differences', (_name, loss, p, t) => {
    expect(gradientError(loss, p, t)).toBeLessThan(1e-7);
  });

  it.each(smooth)('%s: the batch value is the mean of the per-row values, and valueAndGrad agrees with value', (_name, loss, p, t) => {
    const rows = Array.from({ length: p.rows }, (_, i) => loss.value(fromArray(1, p.cols, p.data.slice(i * p.cols, (i + 1) * p.cols)), fromArray(1, t.cols, t.data.slice(i * t.cols, (i + 1) * t.cols))));
    const mean = rows.reduce((a, b) => a + b, 0) / rows.length;
    expect(loss.value(p, t)).toBeCloseTo(mean, 12);
    expect(loss.valueAndGrad(p, t)[0]).toBe(loss.value(p, t));
  });
});

describe('mse, mae and huber values', () => {
  it('mse is (1/B) Σ ½‖y − ŷ‖²', () => {
    expect(mse.value(fromRows([[1, 2], [0, 0]]), fromRows([[0, 0], [0, 3]]))).toBeCloseTo((0.5 * 5 + 0.5 * 9) / 2, 14);
  });

  it('mae is (1/B) Σ ‖y − ŷ‖₁ and its gradient is sign(ŷ − y)/B', () => {
    const [v, g] = mae.valueAndGrad(fromRows([[1, -2], [0, 0.5]]), fromRows([[0, 0], [0, 0]]));
    expect(v).toBeCloseTo(3.5 / 2, 14);
    expect(Array.from(g.data)).toEqual([0.5, -0.5, 0, 0.5]);
  });

  it('huber is ½r² inside δ, δ(|r| − ½δ) outside, and continuous at |r| = δ', () => {
    const h = huberWith(1);
    expect(h.value(fromRows([[0.5, 3]]), fromRows([[0, 0]]))).toBeCloseTo(0.125 + 2.5, 14);
    const at = (r: number) => h.value(fromRows([[r]]), fromRows([[0]]));
    expect(at(1 + 1e-12)).toBeCloseTo(at(1 - 1e-12), 10);
    const [, g] = h.valueAndGrad(fromRows([[0.5, 3, -7]]), fromRows([[0, 0, 0]]));
    expect(Array.from(g.data)).toEqual([0.5, 1, -1]);
  });

  it('huber rejects a non-positive δ', () => {
    expect(() => huberWith(0)).toThrow(/δ must be a positive number/);
  });
});

describe('softmaxCrossEntropy is stable for extreme logits', () => {
  const z = fromRows([[1e4, -1e4, 0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1, -1e4]]);
  const t = oneHot([1, 2, 0], 3);

  it('gives finite values and gradients for logits of ±1e4 equal to the exact limits', () => {
    const [v, g] = softmaxCrossEntropy.valueAndGrad(z, t);
    // Row 1: lse = 1e4, loss = 1e4 − (−1e4) = 2e4. Row 2: uniform, log 3. Row 3: log(1 + e⁻¹).
    expect(v).toBeCloseTo((2e4 + Math.log(3) + Math.log1p(Math.exp(-1))) / 3, 9);
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    const p3 = [1 / (1 + Math.exp(-1)), Math.exp(-1) / (1 + Math.exp(-1)), 0];
    const expected = [[1, -1, 0], [1 / 3, 1 / 3, -2 / 3], [p3[0]! - 1, p3[1]!, 0]].flat().map((e) => e / 3);
    Array.from(g.data).forEach((gi, i) => expect(gi).toBeCloseTo(expected[i]!, 14));
  });

  it('its gradient at ±1e4 matches finite differences', () => {
    // A fixed step: the loss is ~1e4 here, so a tiny step would drown in its rounding error, and
    // row 3's logits differ by only 1, so a step relative to |z| = 1e4 would be far too coarse.
    expect(gradientError(softmaxCrossEntropy, z, t, 2e-2, true)).toBeLessThan(1e-6);
  });

  it('equals −Σ t log softmax(z) for moderate logits', () => {
    const s = Ops.softmaxRows(yhat);
    const naive = -Array.from(targets.data).reduce((a, ti, i) => a + ti * Math.log(s.data[i]!), 0) / yhat.rows;
    expect(softmaxCrossEntropy.value(yhat, targets)).toBeCloseTo(naive, 13);
  });
});

describe('binaryCrossEntropy is stable for extreme logits', () => {
  it('gives finite values and gradients for logits of ±1e4, equal to the exact limits', () => {
    const z = fromRows([[1e4], [-1e4], [1e4], [-1e4]]);
    const t = fromRows([[1], [0], [0], [1]]);
    const [v, g] = binaryCrossEntropy.valueAndGrad(z, t);
    expect(v).toBeCloseTo((0 + 0 + 1e4 + 1e4) / 4, 9);
    expect(Array.from(g.data)).toEqual([0, 0, 0.25, -0.25]);
    expect(gradientError(binaryCrossEntropy, z, t, 2e-2, true)).toBeLessThan(1e-6);
  });

  it('equals −t log σ(z) − (1 − t) log(1 − σ(z)) for moderate logits', () => {
    const t = fromRows([[1, 0], [0.3, 1]]);
    const z = fromRows([[0.7, -1.5], [2, 0.1]]);
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const naive = Array.from(z.data).reduce((a, zi, i) => a - t.data[i]! * Math.log(sig(zi)) - (1 - t.data[i]!) * Math.log(1 - sig(zi)), 0) / 2;
    expect(binaryCrossEntropy.value(z, t)).toBeCloseTo(naive, 13);
  });
});

describe('categoricalCrossEntropy on probabilities', () => {
  it('after a softmax layer gives the same loss and input gradient as softmaxCrossEntropy on the logits', () => {
    const [s, pullback] = softmax.vjp({}, yhat);
    const [v, gp] = categoricalCrossEntropy.valueAndGrad(s, targets);
    const [v2, gz] = softmaxCrossEntropy.valueAndGrad(yhat, targets);
    expect(v).toBeCloseTo(v2, 13);
    const gzThroughSoftmax = pullback(gp)[1];
    Array.from(gz.data).forEach((g, i) => expect(gzThroughSoftmax.data[i]).toBeCloseTo(g, 13));
  });

  it('clamps probabilities at ε: a zero probability costs −log ε and sends no gradient', () => {
    const [v, g] = categoricalCrossEntropy.valueAndGrad(fromRows([[0, 1]]), fromRows([[1, 0]]));
    expect(v).toBeCloseTo(-Math.log(probabilityEpsilon), 12);
    expect(Array.from(g.data)).toEqual([0, 0]);
    expect(categoricalCrossEntropyWith(1e-3).value(fromRows([[0, 1]]), fromRows([[1, 0]]))).toBeCloseTo(-Math.log(1e-3), 12);
  });
});

describe('shape errors from untyped code are clear', () => {
  it('predictions and targets of different shapes are named in the error', () => {
    expect(() => mse.value(fromRows([[1, 2]]), fromRows([[1, 2, 3]]) as unknown as Mat<1, 2>)).toThrow(/mse: predictions are 1×2 but targets are 1×3/);
  });

  it('a fixed-width loss rejects predictions of another width', () => {
    const ce3 = softmaxCrossEntropy.classes(3);
    expect(ce3.kind).toBe('softmaxCrossEntropy[3]');
    expect(ce3.value(yhat as Mat<5, 3>, targets as Mat<5, 3>)).toBe(softmaxCrossEntropy.value(yhat, targets));
    expect(() => (ce3 as Loss<number>).value(fromRows([[1, 2]]), fromRows([[0, 1]]))).toThrow(/expects 3 columns, got predictions of 1×2/);
    expect(() => withWidth(mse, 0)).toThrow(/positive integer/);
  });
});
