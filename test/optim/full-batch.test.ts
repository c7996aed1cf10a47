import { describe, expect, it } from 'vitest';
import {
  conjugateGradient, dense, fit, fromArray, key, lbfgs, mse, objective, sequential, sgd, strongWolfe, tanh, vec,
  type Objective, type Vec,
} from '../../src/index.js';
import * as Params from '../../src/params.js';

type P = { readonly a: Vec<number> };
/** The Rosenbrock function, non-convex with a curved valley; minimum 0 at (1, 1). */
const rosenbrock: Objective<P> = (p) => {
  const [x, y] = p.a.data as unknown as [number, number];
  return [(1 - x) ** 2 + 100 * (y - x * x) ** 2, { a: vec([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]) }];
};
const start: P = { a: vec([-1.2, 1]) };

describe('strong Wolfe line search', () => {
  it('returns a step with sufficient decrease and a flat enough slope', () => {
    const [f0, g0] = rosenbrock(start);
    const d = Params.scale(g0, -1);
    const r = strongWolfe(rosenbrock, start, f0, g0, d, 1, { c1: 1e-4, c2: 0.9 });
    expect(r._tag).toBe('Found');
    if (r._tag === 'Found') {
      const slope0 = Params.dot(g0, d);
      expect(r.value).toBeLessThanOrEqual(f0 + 1e-4 * r.alpha * slope0);
      expect(Math.abs(Params.dot(r.grad, d))).toBeLessThanOrEqual(0.9 * Math.abs(slope0));
    }
  });
  it('refuses a direction that is not a descent direction', () => {
    const [f0, g0] = rosenbrock(start);
    expect(strongWolfe(rosenbrock, start, f0, g0, g0, 1)._tag).toBe('Failed');
  });
});

describe('conjugate gradient and L-BFGS', () => {
  it.each([['lbfgs', lbfgs], ['conjugateGradient', conjugateGradient]] as const)('%s minimises Rosenbrock and says it stopped on the gradient norm', (_n, method) => {
    const r = method(rosenbrock, start, { maxIterations: 500, gradTol: 1e-8, lossTol: 0 });
    expect(r.stopReason._tag).toBe('GradientNorm');
    expect(r.value).toBeLessThan(1e-12);
    expect(Array.from(r.params.a.data).map((v) => v.toFixed(4))).toEqual(['1.0000', '1.0000']);
    expect(r.losses[0]).toBe(24.199999999999996);
    expect(r.losses).toHaveLength(r.iterations + 1);
  });

  it('report the iteration cap or the loss change when that is what stopped them', () => {
    const cg = conjugateGradient(rosenbrock, start, { maxIterations: 500, gradTol: 1e-8, lossTol: 1e-12 });
    expect(cg.stopReason._tag).toBe('LossChange');
    expect(cg.value).toBeLessThan(1e-12);
    expect(lbfgs(rosenbrock, start, { maxIterations: 3 }).stopReason._tag).toBe('IterationsDone');
    expect(conjugateGradient(rosenbrock, start, { maxIterations: 3 }).iterations).toBe(3);
  });

  it('reach a tighter loss than gradient descent in fewer iterations on a full-batch net fit', () => {
    const n = 50;
    const xs = fromArray(n, 1, Array.from({ length: n }, (_, i) => -2 + (4 * i) / (n - 1)));
    const ys = fromArray(n, 1, Array.from(xs.data, (v) => Math.sin(2 * v) + 0.3 * v));
    const net = sequential(dense(1, 8), tanh, dense(8, 1));
    const p0 = net.init(key(3));
    const gd = fit(net, p0, { x: xs, y: ys }, { loss: mse, optimizer: sgd(0.1), epochs: 1000, batchSize: 'full', key: key(0) });
    const f = objective(net, mse, { x: xs, y: ys });
    const l = lbfgs(f, p0, { maxIterations: 200 });
    const c = conjugateGradient(f, p0, { maxIterations: 300 });
    const gdLoss = gd.history.trainLoss[999]!;
    expect(l.iterations).toBeLessThan(1000);
    expect(c.iterations).toBeLessThan(1000);
    expect(l.value).toBeLessThan(gdLoss / 10);
    expect(c.value).toBeLessThan(gdLoss / 2);
    expect(['GradientNorm', 'LossChange', 'IterationsDone', 'LineSearchFailed']).toContain(l.stopReason._tag);
    expect(f(l.params)[0]).toBe(l.value);
  });

  it('reject bad options with a message', () => {
    expect(() => lbfgs(rosenbrock, start, { memory: 0 })).toThrow(/memory must be an integer ≥ 1/);
    expect(() => conjugateGradient(rosenbrock, start, { maxIterations: -1 })).toThrow(/maxIterations/);
  });
});
