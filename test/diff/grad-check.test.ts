import { describe, expect, it } from 'vitest';
import {
  addRowVector, binaryCrossEntropy, defineLayer, dense, dropout, fromArray, fromRows, gradCheck, jacobian, key, mse,
  numericalJacobian, ops, params as Params, relu, sequential, softmaxCrossEntropy, sumRows, tanh, uniform, vec, zeros,
  type Layer, type Mat, type Vec,
} from '../../src/index.js';

// ---- A user-style custom layer, written only against the public API ------------------------------

/** Parameters of `scaledTanh`: per-unit output scale `a` and input gain `b`. */
interface ScaledTanhParams<N extends number> {
  readonly a: Vec<N>;
  readonly b: Vec<N>;
}

/** The B×N matrix whose every row is `v`. */
const rowsOf = <B extends number, N extends number>(v: Vec<N>, like: Mat<B, N>): Mat<B, N> => addRowVector(zeros(like.rows, like.cols), v);

/**
 * y = a ⊙ tanh(b ⊙ x), per unit. With t = tanh(b x) and s = 1 − t²:
 * ∂y/∂x = a·b·s, ∂y/∂a = t, ∂y/∂b = a·x·s.
 * `bug` plants a typical mistake in the VJP, for gradCheck to catch.
 */
const scaledTanh = <N extends number>(n: N, bug: 'none' | 'dx' | 'da' = 'none'): Layer<N, N, ScaledTanhParams<N>> =>
  defineLayer<N, N, ScaledTanhParams<N>>({
    kind: 'scaledTanh',
    inputDim: n,
    outputDim: n,
    init: (k) => ({ a: { size: n, data: uniform(k, n, 0.5, 1.5) }, b: { size: n, data: uniform(k, n, 1.2, 2) } }),
    forward: (p, x) => ops.zipWith3(x, rowsOf(p.a, x), rowsOf(p.b, x), (xi, a, b) => a * Math.tanh(b * xi)),
    vjp: (p, x) => {
      const A = rowsOf(p.a, x);
      const Bm = rowsOf(p.b, x);
      const t = ops.zipWith(x, Bm, (xi, b) => Math.tanh(b * xi));
      const s = ops.map(t, (ti) => 1 - ti * ti);
      const y = ops.zipWith(A, t, (a, ti) => a * ti);
      return [y, (dy) => {
        const dyA = ops.zipWith(dy, A, (g, a) => g * a);
        const dx = bug === 'dx' ? ops.zipWith(dyA, s, (g, si) => g * si) : ops.zipWith3(dyA, Bm, s, (g, b, si) => g * b * si);
        const da = sumRows(bug === 'da' ? dy : ops.zipWith(dy, t, (g, ti) => g * ti));
        const db = sumRows(ops.zipWith3(dyA, x, s, (g, xi, si) => g * xi * si));
        return [{ a: da, b: db }, dx];
      }];
    },
    jvp: (p, x, dp, dx) => {
      const A = rowsOf(p.a, x);
      const Bm = rowsOf(p.b, x);
      const t = ops.zipWith(x, Bm, (xi, b) => Math.tanh(b * xi));
      const s = ops.map(t, (ti) => 1 - ti * ti);
      const y = ops.zipWith(A, t, (a, ti) => a * ti);
      const viaX = ops.zipWith3(ops.zipWith(A, Bm, (a, b) => a * b), s, dx, (ab, si, d) => ab * si * d);
      const viaA = ops.zipWith(rowsOf(dp.a, x), t, (da, ti) => da * ti);
      const viaB = ops.zipWith3(ops.zipWith(A, x, (a, xi) => a * xi), s, rowsOf(dp.b, x), (ax, si, db) => ax * si * db);
      return [y, ops.add(ops.add(viaX, viaA), viaB)];
    },
  });

const x = fromArray(3, 3, uniform(key(5), 9, -1, 1));
const y2 = fromArray(3, 2, uniform(key(6), 6, -1, 1));

describe('gradCheck on built-in layers', () => {
  const net = sequential(dense(3, 5), tanh, dense(5, 4), tanh, dense(4, 2));
  const p = net.init(key(1));

  it('passes at 1e-6 on a tanh net with mse, checking every parameter and input entry', () => {
    const r = gradCheck(net, mse, p, x, y2);
    expect(r.checked).toBe(Params.size(p) + 9);
    expect(r.ok).toBe(true);
    expect(r.maxRelativeError).toBeLessThan(1e-8);
    expect(r.passes(1e-7)).toBe(true);
    expect(r.where).not.toBeNull();
  });

  it('passes with softmaxCrossEntropy and binaryCrossEntropy on logits', () => {
    const labels = fromRows([[1, 0], [0, 1], [1, 0]]);
    expect(gradCheck(net, softmaxCrossEntropy.classes(2), p, x, labels).maxRelativeError).toBeLessThan(1e-8);
    expect(gradCheck(net, binaryCrossEntropy, p, x, labels).maxRelativeError).toBeLessThan(1e-8);
  });

  it('passes on a relu net away from its kinks', () => {
    const rnet = sequential(dense(3, 6), relu, dense(6, 2));
    const q = rnet.init(key(3));
    const pre = dense(3, 6).forward(q[0], x);
    expect(Math.min(...Array.from(pre.data, Math.abs))).toBeGreaterThan(0.01);
    // A dead unit has an exactly-zero gradient, measured as ~1e-14 of rounding noise.
    expect(gradCheck(rnet, mse, q, x, y2).maxRelativeError).toBeLessThan(1e-7);
  });

  it('passes through dropout in training mode when every evaluation uses the same key', () => {
    const dnet = sequential(dense(3, 6), tanh, dropout(0.5), dense(6, 2));
    const q = dnet.init(key(4));
    const r = gradCheck(dnet, mse, q, x, y2, { ctx: { training: true, key: key(9) } });
    expect(r.maxRelativeError).toBeLessThan(1e-8);
  });

  it('skips the inputs when asked and leaves the parameters untouched', () => {
    const before = Params.flatten(p);
    const r = gradCheck(net, mse, p, x, y2, { inputs: false });
    expect(r.checked).toBe(Params.size(p));
    expect(r.where?.kind).toBe('param');
    expect(Array.from(Params.flatten(p))).toEqual(Array.from(before));
  });
});

describe('a user-defined layer verified with gradCheck', () => {
  const layer = scaledTanh(3);
  const p = layer.init(key(2));

  it('a correct custom VJP passes alone and inside a sequential', () => {
    expect(gradCheck(layer, mse, p, x, fromArray(3, 3, uniform(key(8), 9))).maxRelativeError).toBeLessThan(1e-8);
    const net = sequential(dense(3, 3), scaledTanh(3), dense(3, 2));
    expect(gradCheck(net, mse, net.init(key(7)), x, y2).ok).toBe(true);
  });

  it('its JVP agrees with its VJP and finite differences (jacobian both ways)', () => {
    const row = fromRows([[0.3, -0.4, 0.9]]);
    const Jf = jacobian(layer, p, row, { mode: 'forward' });
    const Jr = jacobian(layer, p, row, { mode: 'reverse' });
    const Jn = numericalJacobian(layer, p, row);
    Array.from(Jf.data).forEach((v, i) => {
      expect(v).toBeCloseTo(Jr.data[i]!, 14);
      expect(v).toBeCloseTo(Jn.data[i]!, 9);
    });
  });

  it('a VJP that forgets the gain b in ∂L/∂x is caught, at an input entry', () => {
    const r = gradCheck(scaledTanh(3, 'dx'), mse, p, x, fromArray(3, 3, uniform(key(8), 9)));
    expect(r.ok).toBe(false);
    expect(r.maxRelativeError).toBeGreaterThan(0.1);
    expect(r.where?.kind).toBe('input');
  });

  it('inside a net, the same bug shows up in the parameters of the layer before it', () => {
    const net = sequential(dense(3, 3), scaledTanh(3, 'dx'), dense(3, 2));
    const r = gradCheck(net, mse, net.init(key(7)), x, y2, { inputs: false });
    expect(r.ok).toBe(false);
    expect(r.where).toMatchObject({ kind: 'param', path: expect.stringMatching(/^0\.[wb]$/) });
  });

  it('a wrong ∂L/∂a is located at parameter "a"', () => {
    const r = gradCheck(scaledTanh(3, 'da'), mse, p, x, fromArray(3, 3, uniform(key(8), 9)));
    expect(r.ok).toBe(false);
    expect(r.where).toMatchObject({ kind: 'param', path: 'a' });
    expect(Math.abs(r.analytic - r.numeric)).toBeGreaterThan(1e-3);
  });
});

describe('relative error', () => {
  it('is reported as infinite, not NaN, when the loss is not finite', () => {
    const net = dense(1, 1);
    const p = { w: fromRows([[Number.NaN]]), b: vec([0]) } as const;
    const r = gradCheck(net, mse, p, fromRows([[1]]), fromRows([[0]]));
    expect(r.maxRelativeError).toBe(Infinity);
    expect(r.ok).toBe(false);
  });
});
