// The splittable PRNG: keys are values, streams are reproducible, split/foldIn give independent
// streams, and the draws have the right distributions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bernoulli, bernoulliDraws, foldIn, key, normal, permutation, split, uniform } from '../src/random.js';
import { bits } from './support/layers.js';

const N = 50_000;
const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / a.length;
const moment = (a: Float64Array, k: number, m = mean(a)): number => a.reduce((s, v) => s + (v - m) ** k, 0) / a.length;
const correlation = (a: Float64Array, b: Float64Array): number => {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / a.length / Math.sqrt(moment(a, 2, ma) * moment(b, 2, mb));
};

describe('keys', () => {
  it('the same seed gives bit-identical streams; keys are frozen values', () => {
    expect(bits(uniform(key(7), 100))).toEqual(bits(uniform(key(7), 100)));
    expect(bits(normal(key(7), 101))).toEqual(bits(normal(key(7), 101)));
    expect(Object.isFrozen(key(7))).toBe(true);
    expect(key(7)).toEqual(key(7));
  });

  it('different seeds, including seeds beyond 32 bits, give different keys', () => {
    const seeds = [0, 1, 2, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    const ks = new Set(seeds.map((s) => `${key(s).k0},${key(s).k1}`));
    expect(ks.size).toBe(seeds.length);
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => key(1.5)).toThrow('key: seed must be a safe integer, got 1.5');
    expect(() => key(Number.NaN)).toThrow(RangeError);
  });

  it('split is deterministic, gives n distinct keys, and all differ from the parent', () => {
    const k = key(3);
    const ks = split(k, 16);
    expect(ks).toEqual(split(k, 16));
    const ids = new Set([k, ...ks].map((x) => `${x.k0},${x.k1}`));
    expect(ids.size).toBe(17);
    expect(split(k)).toEqual(ks.slice(0, 2));
  });

  it('foldIn(k, i) is deterministic and distinct for distinct i', () => {
    const k = key(11);
    expect(foldIn(k, 5)).toEqual(foldIn(k, 5));
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => foldIn(k, i)).map((x) => `${x.k0},${x.k1}`));
    expect(ids.size).toBe(1000);
  });

  it('streams from split and foldIn keys are uncorrelated (|r| < 0.02 over 50 000 draws)', () => {
    const [a, b] = split(key(1));
    expect(Math.abs(correlation(uniform(a, N), uniform(b, N)))).toBeLessThan(0.02);
    expect(Math.abs(correlation(uniform(key(1), N), uniform(a, N)))).toBeLessThan(0.02);
    expect(Math.abs(correlation(uniform(foldIn(key(1), 0), N), uniform(foldIn(key(1), 1), N)))).toBeLessThan(0.02);
    // Neighbouring seeds too, and a stream against itself shifted by one (no lag-1 structure).
    expect(Math.abs(correlation(normal(key(100), N), normal(key(101), N)))).toBeLessThan(0.02);
    const u = uniform(key(5), N + 1);
    expect(Math.abs(correlation(u.subarray(0, N), u.subarray(1)))).toBeLessThan(0.02);
  });
});

describe('draws', () => {
  it('uniform(k, n, lo, hi) lies in [lo, hi) with mean ≈ (lo+hi)/2 and variance ≈ (hi−lo)²/12', () => {
    fc.assert(
      fc.property(fc.nat(), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.001, max: 50, noNaN: true }), (seed, lo, width) => {
        const hi = lo + width;
        const u = uniform(key(seed), 200, lo, hi);
        return u.every((v) => v >= lo && v < hi);
      }),
      { numRuns: 50, seed: 7 },
    );
    const u = uniform(key(2), N, -1, 3);
    expect(Math.abs(mean(u) - 1)).toBeLessThan(0.03);
    expect(Math.abs(moment(u, 2) - 16 / 12)).toBeLessThan(0.03);
    // Every tenth of [0, 1) gets its share (± 5σ).
    const counts = new Array<number>(10).fill(0);
    uniform(key(3), N).forEach((v) => counts[Math.floor(v * 10)]!++);
    counts.forEach((c) => expect(Math.abs(c - N / 10)).toBeLessThan(5 * Math.sqrt(N * 0.09)));
  });

  it('normal(k, n, σ) has mean ≈ 0, standard deviation ≈ σ, skew ≈ 0 and kurtosis ≈ 3', () => {
    const z = normal(key(4), N);
    expect(Math.abs(mean(z))).toBeLessThan(0.02);
    expect(Math.abs(moment(z, 2) - 1)).toBeLessThan(0.03);
    expect(Math.abs(moment(z, 3))).toBeLessThan(0.06);
    expect(Math.abs(moment(z, 4) - 3)).toBeLessThan(0.15);
    const s = normal(key(4), N, 0.1);
    expect(Math.sqrt(moment(s, 2))).toBeCloseTo(0.1, 2);
    expect(z.every(Number.isFinite)).toBe(true);
    expect(normal(key(4), 7).length).toBe(7);
  });

  it('permutation is a permutation of 0..n−1, and varies with the key', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 200 }), (seed, n) => {
        const p = Array.from(permutation(key(seed), n)).sort((a, b) => a - b);
        return p.every((v, i) => v === i) && p.length === n;
      }),
      { numRuns: 50, seed: 8 },
    );
    expect(Array.from(permutation(key(1), 20))).not.toEqual(Array.from(permutation(key(2), 20)));
  });

  it('bernoulli(k, n, p) draws 1 with frequency ≈ p', () => {
    const b = bernoulli(key(6), N, 0.3);
    expect(b.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.abs(mean(b) - 0.3)).toBeLessThan(0.01);
    expect(bernoulli(key(6), 100, 0).every((v) => v === 0)).toBe(true);
    expect(bernoulli(key(6), 100, 1).every((v) => v === 1)).toBe(true);
  });

  it('bernoulliDraws(k, p)(i) is uniform(k, n)[i] < p, also when p shares the draw\'s high bits', () => {
    const k = key(11);
    const u = uniform(k, 4000);
    // p at a draw itself and one ulp either side: the draw's high 27 bits equal ⌊p·2²⁷⌋, so the
    // low bits decide; then ordinary, degenerate and invalid probabilities
    const near = Array.from(u.subarray(0, 200)).flatMap((v) => [v, v - 2 ** -53, v + 2 ** -53, Math.floor(v * 2 ** 27) / 2 ** 27]);
    for (const p of [...near, 0, 1, 0.5, 0.9, 1e-300, -0.5, 1.5, Infinity, -Infinity, NaN]) {
      const draw = bernoulliDraws(k, p);
      for (let i = 0; i < u.length; i++) if (draw(i) !== u[i]! < p) expect({ p, i, got: draw(i) }).toEqual({ p, i, got: u[i]! < p });
    }
    const atDraw = u.subarray(0, 200).filter((v, i) => bernoulliDraws(k, v)(i) === false && bernoulliDraws(k, v + 2 ** -53)(i) === true);
    expect(atDraw.length).toBe(200);
  });
});
