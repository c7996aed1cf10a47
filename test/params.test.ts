// Parameter trees: the functions optimizers and gradient checks are written against.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequential } from '../src/layer/compose.js';
import { dense } from '../src/layer/dense.js';
import { relu } from '../src/layer/activation.js';
import * as P from '../src/params.js';
import { key } from '../src/random.js';
import { fromRows, vec } from '../src/tensor/mat.js';
import { randomLike, snapshot } from './support/layers.js';
import { expectClose } from './support/closeness.js';

const net = sequential(dense(3, 4), relu, dense(4, 2));
const like = net.init(key(0));
const tree = (seed: number) => randomLike(key(seed), like);
const n = P.size(like); // 3·4 + 4 + 4·2 + 2

describe('parameter trees', () => {
  it('leaves are visited depth-first: tuple index, then record fields in order (w, b)', () => {
    expect(P.leaves(like).map((l) => l.path)).toEqual(['0.w', '0.b', '2.w', '2.b']);
    expect(n).toBe(26);
  });

  it('unflatten(like, flatten(p)) rebuilds p exactly, and flatten(unflatten(like, v)) = v', () => {
    fc.assert(
      fc.property(fc.float64Array({ minLength: n, maxLength: n, noNaN: true }), (v) => {
        const p = P.unflatten(like, v);
        expect(Array.from(P.flatten(p))).toEqual(Array.from(v));
        expect(snapshot(P.unflatten(like, P.flatten(p)))).toEqual(snapshot(p));
      }),
      { numRuns: 30, seed: 1 },
    );
  });

  it('unflatten rejects a flat array of the wrong length', () => {
    expect(() => P.unflatten(like, new Float64Array(n - 1))).toThrow(`unflatten needs ${n} values, got ${n - 1}`);
  });

  it('dot, sumOfSquares and norm agree with the flat definitions', () => {
    const a = tree(1);
    const b = tree(2);
    const fa = P.flatten(a);
    const fb = P.flatten(b);
    expect(P.dot(a, b)).toBeCloseTo(fa.reduce((s, v, i) => s + v * fb[i]!, 0), 12);
    expect(P.sumOfSquares(a)).toBeCloseTo(fa.reduce((s, v) => s + v * v, 0), 12);
    expect(P.norm(a)).toBeCloseTo(Math.sqrt(P.sumOfSquares(a)), 12);
    expect(P.sumAbs(a)).toBeCloseTo(fa.reduce((s, v) => s + Math.abs(v), 0), 12);
    expect(P.reduce(a, 0, (s, v) => Math.max(s, v))).toBe(Math.max(0, ...fa));
  });

  it('map and zipWith act entry-wise and keep the structure', () => {
    const a = tree(3);
    const b = tree(4);
    const m = P.map(a, (x) => 2 * x + 1);
    expect(Array.from(P.flatten(m))).toEqual(Array.from(P.flatten(a)).map((x) => 2 * x + 1));
    expect(P.leaves(m).map((l) => l.path)).toEqual(P.leaves(a).map((l) => l.path));
    const z = P.zipWith(a, b, (x, y) => x * y);
    const fa = P.flatten(a);
    const fb = P.flatten(b);
    expect(Array.from(P.flatten(z))).toEqual(Array.from(fa).map((x, i) => x * fb[i]!));
    const z3 = P.zipWith3(a, b, m, (x, y, w) => x + y - w);
    const fm = P.flatten(m);
    expect(Array.from(P.flatten(z3))).toEqual(Array.from(fa).map((x, i) => x + fb[i]! - fm[i]!));
  });

  it('axpy, add, sub and scale follow vector-space laws', () => {
    const a = tree(5);
    const b = tree(6);
    const close = (x: unknown, y: unknown) => expectClose(P.flatten(x), P.flatten(y), 5e-13, 1);
    close(P.axpy(0.5, a, b), P.add(P.scale(a, 0.5), b));
    close(P.sub(P.add(a, b), b), a);
    close(P.add(a, P.scale(a, -1)), P.zerosLike(a));
    expect(P.dot(P.scale(a, 3), b)).toBeCloseTo(3 * P.dot(a, b), 10);
  });

  it('zerosLike, fullLike, mapLeaves, size and isFinite', () => {
    const a = tree(7);
    expect(P.flatten(P.zerosLike(a)).every((v) => v === 0)).toBe(true);
    expect(P.flatten(P.fullLike(a, 0.25)).every((v) => v === 0.25)).toBe(true);
    const masked = P.mapLeaves(a, (leaf, path) => (path.endsWith('.b') ? new Float64Array(leaf.data.length) : leaf.data.slice()));
    expect(P.leaves(masked).filter((l) => l.path.endsWith('.b')).every((l) => l.tensor.data.every((v) => v === 0))).toBe(true);
    expect(P.leaves(masked)[0]!.tensor.data).toEqual(P.leaves(a)[0]!.tensor.data);
    expect(() => P.mapLeaves(a, () => new Float64Array(1))).toThrow('mapLeaves returned 1 values');
    expect(P.isFinite(a)).toBe(true);
    expect(P.isFinite(P.map(a, (x) => (x > 0 ? x / 0 : x)))).toBe(false);
    expect(P.size({})).toBe(0);
  });

  it('nothing is mutated, and results are frozen', () => {
    const a = tree(8);
    const b = tree(9);
    const before = snapshot({ a, b });
    const results = [P.map(a, (x) => x + 1), P.zipWith(a, b, (x, y) => x - y), P.axpy(2, a, b), P.scale(a, 3), P.zerosLike(a), P.unflatten(a, P.flatten(b))];
    P.dot(a, b);
    P.flatten(a);
    expect(snapshot({ a, b })).toEqual(before);
    for (const r of results) {
      expect(Object.isFrozen(r)).toBe(true);
      expect(Object.isFrozen(r[0])).toBe(true);
      expect(Object.isFrozen(r[0].w)).toBe(true);
    }
  });

  it('trees of different structure are rejected with the path of the first difference', () => {
    const a = { w: fromRows([[1, 2]]), b: vec([1]) };
    const b = { w: fromRows([[1, 2, 3]]), b: vec([1]) };
    expect(() => P.add(a, b as unknown as typeof a)).toThrow('parameter tree at "w": leaves differ in shape');
    expect(() => P.map({ w: 3 } as unknown as typeof a, (x) => x)).toThrow('parameter tree at "w": not a tensor, tuple or record: 3');
    expect(() => P.dot([a], [a, a])).toThrow('trees have 2 and 4 leaves');
    // Same number of leaves but different sizes: an error, not a silent NaN.
    expect(() => P.dot(a, b as unknown as typeof a)).toThrow('parameter tree at "w": leaves differ in shape');
  });
});
