import { describe, expect, it } from 'vitest';
import { addRowVector, defineLayer, dense, gradCheck, key, mse, normal, ops, sequential, sumRows, unsafeMat, vec, type Mat, type Vec } from '../../src/index.js';

const special = [0, -0, 1.5, -2, Infinity, -Infinity, NaN, 1e308, 5e-324];
const a = unsafeMat(3, 3, Float64Array.from(special));
const b = unsafeMat(3, 3, Float64Array.from([...special].reverse()));

describe('ops.mul: the element-wise product A ⊙ B', () => {
  it('equals a · b entry by entry, bit for bit (±0, ±∞, NaN, overflow, subnormals)', () => {
    const got = ops.mul(a, b);
    expect([got.rows, got.cols]).toEqual([3, 3]);
    expect(Array.from(got.data)).toEqual(special.map((v, i) => v * special[special.length - 1 - i]!));
    expect(Object.is(ops.mul(unsafeMat(1, 1, Float64Array.of(-0)), unsafeMat(1, 1, Float64Array.of(3))).data[0], -0)).toBe(true);
  });

  it('leaves its arguments alone and returns a new array', () => {
    const before = Array.from(a.data);
    const got = ops.mul(a, a);
    expect(Array.from(a.data)).toEqual(before);
    expect(got.data).not.toBe(a.data);
  });

  it('refuses two shapes that differ (untyped callers), naming both', () => {
    expect(() => ops.mul(a, unsafeMat(1, 9, new Float64Array(9)) as never)).toThrow('mul: a 3×3 matrix ⊙ a 1×9 matrix');
  });
});

describe('ops.mulRowVector: A · diag(b), every row scaled by b entry-wise', () => {
  it('multiplies column j by b[j], bit for bit', () => {
    const m = unsafeMat(2, 3, Float64Array.from([1, 2, 3, 4, 5, 6]));
    expect(Array.from(ops.mulRowVector(m, vec([10, -0.5, 0])).data)).toEqual([10, -1, 0, 40, -2.5, 0]);
    const got = ops.mulRowVector(a, vec([NaN, -Infinity, 2]));
    expect(Array.from(got.data)).toEqual(special.map((v, i) => v * [NaN, -Infinity, 2][i % 3]!));
  });

  it('equals ops.mul with the vector repeated on every row', () => {
    const m = unsafeMat(4, 3, normal(key(1), 12));
    const v = vec([0.3, -1.7, 2.5]);
    expect(ops.mulRowVector(m, v).data).toEqual(ops.mul(m, addRowVector(unsafeMat(4, 3, new Float64Array(12)), v)).data);
  });

  it('refuses a vector of another length (untyped callers)', () => {
    expect(() => ops.mulRowVector(a, vec([1, 2]) as never)).toThrow('mulRowVector: a vector of 2 for a 3×3 matrix');
  });
});

describe('a layer of the caller written with mul and mulRowVector', () => {
  // y = x ⊙ s + t per column: ∂s = 1ᵀ(dy ⊙ x), ∂t = 1ᵀdy, dx = dy·diag(s)
  type P = { readonly s: Vec<3>; readonly t: Vec<3> };
  const forward = <B extends number>(p: P, x: Mat<B, 3>) => addRowVector(ops.mulRowVector(x, p.s), p.t);
  const scaleShift = (bug: boolean) =>
    defineLayer<3, 3, P>({
      kind: 'scaleShift',
      inputDim: 3,
      outputDim: 3,
      init: (k) => ({ s: { size: 3, data: normal(k, 3) }, t: { size: 3, data: normal(k, 3) } }),
      forward,
      vjp: (p, x) => [forward(p, x), (dy) => [{ s: sumRows(ops.mul(dy, bug ? dy : x)), t: sumRows(dy) }, ops.mulRowVector(dy, p.s)]],
      jvp: (p, x, dp, dx) => [forward(p, x), addRowVector(ops.add(ops.mulRowVector(dx, p.s), ops.mulRowVector(x, dp.s)), dp.t)],
    });
  const x = unsafeMat(5, 2, normal(key(2), 10));
  const y = unsafeMat(5, 1, normal(key(3), 5));

  it('passes the finite-difference gradient check, and a wrong ∂s fails it', () => {
    const good = sequential(dense(2, 3), scaleShift(false), dense(3, 1));
    expect(gradCheck(good, mse, good.init(key(4)), x, y).ok).toBe(true);
    const bad = sequential(dense(2, 3), scaleShift(true), dense(3, 1));
    expect(gradCheck(bad, mse, bad.init(key(4)), x, y).ok).toBe(false);
  });
});
