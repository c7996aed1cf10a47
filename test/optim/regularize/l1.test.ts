import { describe, expect, it } from 'vitest';
import * as Params from '../../../src/params.js';
import { key, normal, split } from '../../../src/random.js';
import { unsafeMat, type Mat } from '../../../src/tensor/mat.js';
import { dense } from '../../../src/layer/dense.js';
import { mse } from '../../../src/loss/mse.js';
import { valueAndGrad } from '../../../src/diff/grad.js';
import { applyUpdates, type GradientTransformation } from '../../../src/optim/transform.js';
import { chain } from '../../../src/optim/chain.js';
import { sgd } from '../../../src/optim/recipes.js';
import { excludeBiases, l1Penalty, proximalL1, sparsity } from '../../../src/index.js';
import type { Penalty } from '../../../src/optim/regularize/penalty.js';

// y = 2·x0 − 1.5·x1 + x2 + noise; the other 7 inputs are useless.
const n = 200;
const d = 10;
const relevant = [2, -1.5, 1];
const [kx, ke] = split(key(42));
const x = unsafeMat(n, d, normal(kx, n * d)) as Mat<number, 10>;
const noise = normal(ke, n, 0.1);
const y = unsafeMat(n, 1, Float64Array.from({ length: n }, (_, i) => relevant.reduce((s, w, j) => s + w * x.data[i * d + j]!, 0) + noise[i]!)) as Mat<number, 1>;
const model = dense(10, 1);
const vg = valueAndGrad(model, mse);
type P = ReturnType<typeof model.init>;

/** Full-batch descent: `steps` updates of `opt` on mse (+ an optional penalty's gradient). */
const train = <S>(opt: GradientTransformation<S>, steps: number, penalty?: Penalty): P => {
  let p = model.init(key(7));
  let s = opt.init(p);
  for (let t = 0; t < steps; t++) {
    const g0 = vg(p, x, y)[1];
    const g = penalty === undefined ? g0 : Params.add(g0, penalty.grad(p));
    const [u, s2] = opt.update(g, s, p);
    p = applyUpdates(p, u);
    s = s2;
  }
  return p;
};

const irrelevantWeights = (p: P): number[] => Array.from(p.w.data.slice(3));

describe('L1 regularization λΣ|w|', () => {
  const rho = 0.1;
  const lambda = 0.05;

  it('proximal SGD drives every useless input weight to exactly zero and keeps the useful ones', () => {
    const p = train(chain(sgd(rho), proximalL1(rho * lambda, excludeBiases)), 400);
    expect(irrelevantWeights(p)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // the useful weights survive, shrunk towards 0 by about λ (the lasso's bias)
    Array.from(p.w.data.slice(0, 3)).forEach((w, j) => {
      expect(Math.sign(w)).toBe(Math.sign(relevant[j]!));
      expect(Math.abs(w)).toBeGreaterThan(Math.abs(relevant[j]!) - 0.2);
    });
    const report = sparsity(p);
    expect(report.leaves.find((l) => l.path === 'w')).toEqual({ path: 'w', zeros: 7, total: 10, share: 0.7 });
    expect(report.zeros).toBe(7 + (p.b.data[0] === 0 ? 1 : 0));
    expect(report.total).toBe(11);
  });

  it('plain subgradient descent on l1Penalty only hovers near zero (no exact zeros), proximal does better', () => {
    const p = train(sgd(rho), 400, l1Penalty(lambda, excludeBiases));
    const irr = irrelevantWeights(p);
    irr.forEach((w) => expect(Math.abs(w)).toBeLessThan(2 * rho * lambda + 1e-3));
    expect(sparsity(p, 0).zeros).toBeLessThan(7);
    expect(sparsity(p, 2 * rho * lambda).zeros).toBeGreaterThanOrEqual(7);
  });

  it('l1Penalty is λΣ|θ| on the masked leaves with subgradient λ·sign(θ), 0 at 0', () => {
    const p = Object.freeze({ w: unsafeMat(3, 1, Float64Array.from([-2, 0, 0.5])), b: { size: 1, data: Float64Array.from([4]) } });
    expect(l1Penalty(0.1).value(p)).toBeCloseTo(0.1 * 6.5, 14);
    expect(l1Penalty(0.1, excludeBiases).value(p)).toBeCloseTo(0.1 * 2.5, 14);
    const g = l1Penalty(0.1, excludeBiases).grad(p);
    expect(Array.from(g.w.data)).toEqual([-0.1, 0, 0.1]);
    expect(Array.from(g.b.data)).toEqual([0]);
  });

  it('proximalL1 is soft thresholding of θ + u: S_τ(x) = sign(x)·max(|x| − τ, 0)', () => {
    const p = Object.freeze({ w: unsafeMat(1, 4, Float64Array.from([1, -1, 0.05, 0.3])) });
    const u = Object.freeze({ w: unsafeMat(1, 4, Float64Array.from([0, 0, 0, -0.35])) });
    const [du] = proximalL1(0.1).update(u, null, p);
    const next = applyUpdates(p, du);
    expect(Array.from(next.w.data).map((v) => Number(v.toFixed(12)))).toEqual([0.9, -0.9, 0, 0]);
  });

  it('sparsity counts |θ| ≤ tol per leaf and in total', () => {
    const p = [{ w: unsafeMat(2, 2, Float64Array.from([0, 1e-9, 3, 0])) }, { b: { size: 2, data: Float64Array.from([0, 1]) } }] as const;
    expect(sparsity(p)).toEqual({
      zeros: 3, total: 6, share: 0.5,
      leaves: [{ path: '0.w', zeros: 2, total: 4, share: 0.5 }, { path: '1.b', zeros: 1, total: 2, share: 0.5 }],
    });
    expect(sparsity(p, 1e-8).leaves[0]!.zeros).toBe(3);
    expect(sparsity(p, 0, excludeBiases).total).toBe(4);
    expect(() => sparsity(p, -1)).toThrow(/tol/);
  });
});
