import { describe, expect, it } from 'vitest';
import {
  dense, fromRows, key, numericalJacobian, params as Params, sequential, tanh, transpose,
} from '../../src/index.js';
import { centralDifference, perturbMat, perturbParam } from '../../src/diff/finite-difference.js';
import { relativeError } from '../../src/diff/grad-check.js';

describe('centralDifference', () => {
  it('is fourth-order accurate: sin′(1) to 1e-12 with h = 1e-3', () => {
    expect(Math.abs(centralDifference((t) => Math.sin(1 + t), 1e-3) - Math.cos(1))).toBeLessThan(1e-12);
  });

  it('is exact for polynomials up to degree 4', () => {
    const f = (t: number) => 3 * (2 + t) ** 4 - (2 + t) ** 3 + 5;
    expect(centralDifference(f, 0.1)).toBeCloseTo(3 * 4 * 8 - 3 * 4, 10);
  });
});

describe('numericalJacobian', () => {
  it('of a dense layer is Wᵀ (its Jacobian for the [in, out] layout)', () => {
    const layer = dense(3, 2);
    const p = layer.init(key(1));
    const J = numericalJacobian(layer, p, fromRows([[0.4, -2, 7]]));
    const Wt = transpose(p.w);
    Array.from(J.data).forEach((v, i) => expect(v).toBeCloseTo(Wt.data[i]!, 11));
  });
});

describe('perturbations are pure', () => {
  it('perturbMat and perturbParam move one entry of a copy and leave the original alone', () => {
    const m = fromRows([[1, 2], [3, 4]]);
    expect(Array.from(perturbMat(m, 2, 0.5).data)).toEqual([1, 2, 3.5, 4]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4]);
    const net = sequential(dense(2, 2), tanh, dense(2, 1));
    const p = net.init(key(0));
    const before = Params.flatten(p);
    const q = perturbParam(p, '2.b', 0, 1);
    expect(q[2].b.data[0]).toBe(p[2].b.data[0]! + 1);
    expect(q[0].w.data).toBe(p[0].w.data); // untouched leaves' arrays are shared, not copied
    expect(Array.from(Params.flatten(p))).toEqual(Array.from(before));
  });
});

describe('relativeError', () => {
  it('is |a − b| / max(|a|, |b|, tiny), and infinite for non-finite input', () => {
    expect(relativeError(1, 1.1)).toBeCloseTo(0.1 / 1.1, 15);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1e-12, 0, 1e-8)).toBeCloseTo(1e-4, 15);
    expect(relativeError(Number.NaN, 1)).toBe(Infinity);
  });
});
