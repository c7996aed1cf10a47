import { describe, expect, it } from 'vitest';
import { foldIn, key, normal, split } from '../../src/random.js';
import { fromArray, unsafeMat, type Mat } from '../../src/tensor/mat.js';
import { dense } from '../../src/layer/dense.js';
import { tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { mse } from '../../src/loss/mse.js';
import { gradCheck } from '../../src/diff/grad-check.js';

const ones = <R extends number, C extends number>(r: R, c: C): Mat<R, C> => unsafeMat(r, c, new Float64Array(r * c).fill(1));
const randn = <R extends number, C extends number>(k: number, r: R, c: C): Mat<R, C> => unsafeMat(r, c, normal(key(k), r * c));
const dot = (a: Mat, b: Mat): number => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);

describe('dropout(p): inverted dropout', () => {
  const drop = dropout(0.3);
  const x = randn(1, 5, 7);

  it('is the identity in evaluation mode (no ctx, or training false)', () => {
    expect(drop.forward({}, x)).toEqual(x);
    expect(drop.forward({}, x, { training: false, key: key(3) })).toEqual(x);
    const [y, pb] = drop.vjp({}, x, { training: false });
    expect(y).toEqual(x);
    expect(pb(x)[1]).toEqual(x);
    expect(drop.jvp({}, x, {}, x)[1]).toEqual(x);
  });

  it('keeps a share 1 − p of the entries, scaled by 1/(1 − p), within sampling error', () => {
    for (const p of [0.1, 0.5, 0.8]) {
      const rows = 200;
      const cols = 250;
      const y = dropout(p).forward({}, ones(rows, cols), { training: true, key: key(11) });
      const kept = y.data.filter((v) => v !== 0);
      const n = rows * cols;
      const sd = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(kept.length / n - (1 - p))).toBeLessThan(4 * sd);
      expect(kept.every((v) => v === 1 / (1 - p))).toBe(true);
    }
  });

  it('gives the same mask for the same key (forward, vjp and jvp alike) and another for another key', () => {
    const ctx = { training: true, key: key(5) } as const;
    const y1 = drop.forward({}, x, ctx);
    expect(drop.forward({}, x, ctx)).toEqual(y1);
    const [y2, pb] = drop.vjp({}, x, ctx);
    expect(y2).toEqual(y1);
    const [y3, dy] = drop.jvp({}, x, {}, x, ctx);
    expect(y3).toEqual(y1);
    expect(dy).toEqual(y1); // the JVP is linear in dx with the same mask: jvp(x) = y
    expect(pb(x)[1]).toEqual(y1);
    expect(drop.forward({}, x, { training: true, key: key(6) })).not.toEqual(y1);
  });

  it('vjp is the adjoint of jvp under one key: ⟨J dx, dy⟩ = ⟨dx, Jᵀ dy⟩', () => {
    const ctx = { training: true, key: key(9) } as const;
    const dx = randn(2, 5, 7);
    const dy = randn(3, 5, 7);
    const jdx = drop.jvp({}, x, {}, dx, ctx)[1];
    const jtdy = drop.vjp({}, x, ctx)[1](dy)[1];
    expect(dot(jdx, dy)).toBeCloseTo(dot(dx, jtdy), 12);
  });

  it('in a net, the training-mode gradient with a fixed key passes gradCheck', () => {
    const net = sequential(dense(4, 6), tanh, dropout(0.5), dense(6, 2));
    const [kp, kx, ky] = split(key(21), 3);
    const params = net.init(kp!);
    const xb = unsafeMat(8, 4, normal(kx!, 32));
    const yb = unsafeMat(8, 2, normal(ky!, 16));
    const ctx = { training: true, key: foldIn(key(4), 17) } as const;
    const r = gradCheck(net, mse, params, xb, yb, { ctx });
    expect(r.maxRelativeError).toBeLessThan(1e-7);
    expect(r.ok).toBe(true);
    // and the mask is really on: training output differs from evaluation output
    expect(net.forward(params, xb, ctx)).not.toEqual(net.forward(params, xb));
  });

  it('throws a clear error in training mode without a key', () => {
    expect(() => drop.forward({}, x, { training: true })).toThrow(/dropout: training mode needs a PRNG key/);
    expect(() => drop.vjp({}, x, { training: true })).toThrow(/PRNG key/);
  });

  it('validates p ∈ [0, 1), and p = 0 is the identity even in training', () => {
    expect(() => dropout(1)).toThrow(/dropout: p must be a drop probability in \[0, 1\), got 1/);
    expect(() => dropout(-0.1)).toThrow(RangeError);
    expect(() => dropout(Number.NaN)).toThrow(RangeError);
    expect(dropout(0).forward({}, x, { training: true, key: key(1) })).toEqual(x);
  });

  it('is shape-polymorphic: fits any width in sequential, and `at(n)` checks the width', () => {
    const net = sequential(dense(3, 9), dropout(0.2), dense(9, 1));
    expect(net.spec.children?.[1]).toEqual({ kind: 'dropout', inputDim: null, outputDim: null, config: { p: 0.2 } });
    const fixed = dropout(0.2).at(4);
    expect(() => fixed.forward({}, fromArray(1, 3, [1, 2, 3]) as unknown as Mat<1, 4>)).toThrow(/expected input with 4 columns/);
  });
});
