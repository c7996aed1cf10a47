import { describe, expect, it } from 'vitest';
import { constant, cosineDecay, exponentialDecay, inverseTime, linearWarmup, sgd, stepDecay, vec, applyUpdates } from '../../src/index.js';

describe('schedules give their closed forms', () => {
  it("inverseTime(ρ₀) is the lecture's ρ_r = ρ₀/r for the r-th update", () => {
    const s = inverseTime(2);
    expect([0, 1, 2, 9].map(s)).toEqual([2, 1, 2 / 3, 0.2]);
  });
  it('inverseTime with k and p is ρ₀/(1 + k·t)^p', () => {
    const s = inverseTime(1, { decayRate: 0.5, power: 2 });
    expect(s(4)).toBeCloseTo(1 / 9, 15);
  });
  it('constant, stepDecay, exponentialDecay, cosineDecay', () => {
    expect(constant(0.3)(1000)).toBe(0.3);
    expect([0, 9, 10, 25].map(stepDecay(1, { every: 10, factor: 0.5 }))).toEqual([1, 1, 0.5, 0.25]);
    expect(exponentialDecay(1, { rate: 0.5, every: 2 })(3)).toBeCloseTo(0.5 ** 1.5, 15);
    const c = cosineDecay(1, 100, { alpha: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 14);
    expect(c(100)).toBeCloseTo(0.1, 14);
    expect(c(500)).toBeCloseTo(0.1, 14);
  });
  it('linearWarmup ramps linearly to the next schedule, then follows it shifted', () => {
    const s = linearWarmup(4, inverseTime(1));
    expect([0, 1, 2, 3, 4, 5].map(s)).toEqual([0, 0.25, 0.5, 0.75, 1, 0.5]);
  });
  it('bad schedule parameters are rejected with a message', () => {
    expect(() => inverseTime(0)).toThrow(/inverseTime: initial must be a finite number > 0/);
    expect(() => stepDecay(1, { every: 0, factor: 0.5 })).toThrow(/every must be an integer ≥ 1/);
    expect(() => cosineDecay(1, 1.5)).toThrow(RangeError);
  });
  it('an optimizer with a schedule uses ρ_t at its t-th update', () => {
    const opt = sgd(inverseTime(1));
    let th = { a: vec([0]) };
    let s = opt.init(th);
    const seen: number[] = [];
    for (let t = 0; t < 4; t++) {
      const [u, s2] = opt.update({ a: vec([-1]) }, s, th);
      seen.push(u.a.data[0]!);
      th = applyUpdates(th, u);
      s = s2;
    }
    expect(seen).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
  });
});
