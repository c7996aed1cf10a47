import { describe, expect, it } from 'vitest';
import { dense, fromRows, gradCheck, key, mse, relu, sequential, uniform, unsafeMat, type Mat } from '../../src/index.js';
import { standardize, standardizeTargets } from '../../src/index.js';

const x = unsafeMat(20, 3, uniform(key(1), 60, -5, 5));
const byHand = (m: Mat<number, number>, mean: number[], std: number[]): Mat<number, number> =>
  unsafeMat(m.rows, m.cols, Float64Array.from(m.data, (v, i) => (v - mean[i % m.cols]!) / std[i % m.cols]!));

describe('standardize', () => {
  it('uses the column mean and the population std (ddof = 0)', () => {
    const s = standardize(fromRows([[1, 10], [2, 10], [3, 10], [6, 10]]));
    expect(Array.from(s.mean.data)).toEqual([3, 10]);
    // population variance of 1,2,3,6 around 3: (4+1+0+9)/4 = 3.5
    expect(s.std.data[0]).toBe(Math.sqrt(3.5));
  });

  it('divides a zero-std column by 1 (it is only centred)', () => {
    const s = standardize(fromRows([[1, 7], [3, 7]]));
    expect(s.std.data[1]).toBe(1);
    expect(Array.from(s.forward({}, fromRows([[2, 9]])).data)).toEqual([0, 2]);
  });

  it('inside sequential gives the same predictions as scaling by hand, bit for bit', () => {
    const s = standardize(x);
    const body = sequential(dense(3, 5), relu, dense(5, 2));
    const net = sequential(s, body);
    const p = body.init(key(2));
    const xTest = unsafeMat(7, 3, uniform(key(3), 21, -9, 9));
    const viaLayer = net.forward([{}, p], xTest);
    const viaHand = body.forward(p, byHand(xTest, Array.from(s.mean.data), Array.from(s.std.data)) as Mat<7, 3>);
    expect(Array.from(viaLayer.data)).toEqual(Array.from(viaHand.data));
  });

  it('is a non-trained layer: no parameters, and its gradients agree with finite differences', () => {
    const s = standardize(x);
    expect(s.kind).toBe('standardize');
    expect(Object.keys(s.init(key(0)))).toEqual([]);
    const net = sequential(s, dense(3, 2));
    const r = gradCheck(net, mse, net.init(key(4)), x, unsafeMat(20, 2, uniform(key(5), 40)));
    expect(r.ok).toBe(true);
  });

  it('vjp and jvp are the diagonal scaling dy/σ', () => {
    const s = standardize(x);
    const d = fromRows([[1, 1, 1]]);
    const [, pb] = s.vjp({}, fromRows([[0, 0, 0]]));
    const [, dx] = pb(d);
    const [, dy] = s.jvp({}, fromRows([[0, 0, 0]]), {}, d);
    const inv = Array.from(s.std.data, (v) => 1 / v);
    Array.from(dx.data).forEach((v, j) => expect(v).toBeCloseTo(inv[j]!, 15));
    expect(Array.from(dy.data)).toEqual(Array.from(dx.data));
  });

  it('does not mutate the training rows and keeps its own copy of the statistics', () => {
    const before = Array.from(x.data);
    const s = standardize(x);
    expect(Array.from(x.data)).toEqual(before);
    expect(Object.isFrozen(s)).toBe(true);
    expect(s.spec.config?.['mean']).toBe(Array.from(s.mean.data).map(String).join(','));
  });
});

describe('standardizeTargets', () => {
  it('inverse(transform(y)) recovers y, and transform gives mean 0 and population std 1', () => {
    const y = unsafeMat(10, 1, uniform(key(6), 10, 25, 346));
    const s = standardizeTargets(y);
    const z = s.transform(y);
    const mean = z.data.reduce((a, v) => a + v, 0) / 10;
    const variance = z.data.reduce((a, v) => a + (v - mean) ** 2, 0) / 10;
    expect(mean).toBeCloseTo(0, 12);
    expect(variance).toBeCloseTo(1, 12);
    Array.from(s.inverse(z).data).forEach((v, i) => expect(v).toBeCloseTo(y.data[i]!, 10));
  });

  it('an empty fit or a transform/inverse of the wrong width is a RangeError naming standardizeTargets, never NaNs', () => {
    expect(() => standardizeTargets(unsafeMat(0, 2, new Float64Array(0)))).toThrow(/standardizeTargets: needs at least one/);
    const s = standardizeTargets(unsafeMat(3, 2, Float64Array.from([1, 2, 3, 4, 5, 6]))) as ReturnType<typeof standardizeTargets<number>>;
    expect(() => s.transform(unsafeMat(2, 3, new Float64Array(6)))).toThrow(/standardizeTargets\.transform: fitted on 2 target columns, got 3/);
    expect(() => s.inverse(unsafeMat(1, 1, new Float64Array(1)))).toThrow(/standardizeTargets\.inverse: fitted on 2 target columns, got 1/);
  });
});
