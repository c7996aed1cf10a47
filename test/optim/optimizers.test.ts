import { describe, expect, it } from 'vitest';
import {
  adagrad, adam, adamw, applyUpdates, chain, exponentialDecay, clipByGlobalNorm, momentum, rmsprop, scaleByLearningRate, sgd, trace, vec,
  type GradientTransformation, type Vec,
} from '../../src/index.js';
import { expectClose } from '../support/closeness.js';
import * as Params from '../../src/params.js';

type P = { readonly a: Vec<2> };
const theta0: P = { a: vec([1, -2]) };
const grads: readonly P[] = [{ a: vec([0.5, -1]) }, { a: vec([-0.25, 2]) }, { a: vec([1, 0.1]) }];

/** Runs the optimizer over the fixed gradient sequence, returning θ after each step. */
const run = <S>(opt: GradientTransformation<S>): number[][] => {
  let s = opt.init(theta0);
  let th = theta0;
  return grads.map((g) => {
    const [u, s2] = opt.update(g, s, th);
    s = s2;
    th = applyUpdates(th, u);
    return Array.from(th.a.data);
  });
};

/** The same sequence, element by element, from a textbook loop. */
const textbook = (stepFn: (theta: number, g: number, t: number, i: number, mem: number[][]) => number): number[][] => {
  const th = [1, -2];
  const mem: number[][] = [[0, 0], [0, 0]];
  return grads.map((g, t) => th.map((_, i) => (th[i] = stepFn(th[i]!, g.a.data[i]!, t + 1, i, mem))).slice());
};

/** Every step's parameters within 5e-14 (relatively, where larger than 1). */
const close = (a: number[][], b: number[][]): void => {
  expect(a.map((row) => row.length)).toEqual(b.map((row) => row.length));
  expectClose(a.flat(), b.flat(), 5e-14, 1);
};

describe('optimizer updates match their textbook equations', () => {
  it('sgd: θ ← θ − ρg', () => close(run(sgd(0.1)), textbook((th, g) => th - 0.1 * g)));

  it('momentum: v ← βv + g, θ ← θ − ρv', () =>
    close(run(momentum(0.1, 0.9)), textbook((th, g, _t, i, m) => th - 0.1 * (m[0]![i] = 0.9 * m[0]![i]! + g))));

  it('nesterov: v ← βv + g, θ ← θ − ρ(g + βv)', () =>
    close(run(momentum(0.1, 0.9, { nesterov: true })), textbook((th, g, _t, i, m) => {
      m[0]![i] = 0.9 * m[0]![i]! + g;
      return th - 0.1 * (g + 0.9 * m[0]![i]!);
    })));

  const adamStep = (lr: number, wd: number) => (th: number, g: number, t: number, i: number, m: number[][]): number => {
    m[0]![i] = 0.9 * m[0]![i]! + 0.1 * g;
    m[1]![i] = 0.999 * m[1]![i]! + 0.001 * g * g;
    const mh = m[0]![i]! / (1 - 0.9 ** t);
    const vh = m[1]![i]! / (1 - 0.999 ** t);
    return th - lr * (mh / (Math.sqrt(vh) + 1e-8) + wd * th);
  };
  it('adam: bias-corrected moments, θ ← θ − ρ m̂/(√v̂ + ε)', () => close(run(adam(0.01)), textbook(adamStep(0.01, 0))));
  it('adamw: decoupled decay, θ ← θ − ρ(m̂/(√v̂ + ε) + λθ)', () =>
    close(run(adamw(0.01, { weightDecay: 0.1 })), textbook(adamStep(0.01, 0.1))));

  it('rmsprop: v ← γv + (1−γ)g², θ ← θ − ρg/(√v + ε)', () =>
    close(run(rmsprop(0.01)), textbook((th, g, _t, i, m) => th - (0.01 * g) / (Math.sqrt((m[0]![i] = 0.9 * m[0]![i]! + 0.1 * g * g)) + 1e-8))));

  it('adagrad: G ← G + g², θ ← θ − ρg/(√G + ε)', () =>
    close(run(adagrad(0.1)), textbook((th, g, _t, i, m) => th - (0.1 * g) / (Math.sqrt((m[0]![i] = m[0]![i]! + g * g)) + 1e-10))));

  it('clipByGlobalNorm keeps the direction and caps the norm', () => {
    const clip = clipByGlobalNorm(1);
    const [u] = clip.update(grads[1]!, clip.init(theta0), theta0);
    expect(Params.norm(u)).toBeCloseTo(1, 14);
    expect(u.a.data[1]! / u.a.data[0]!).toBeCloseTo(2 / -0.25, 12);
    const [small] = clip.update({ a: vec([0.1, 0.2]) }, clip.init(theta0), theta0);
    expect(Array.from(small.a.data)).toEqual([0.1, 0.2]);
  });

  it('chain threads each part its own state: chain(trace, scale) is momentum', () =>
    close(run(chain(trace(0.9), scaleByLearningRate(0.1))), run(momentum(0.1, 0.9))));

  it('updates never mutate the gradients, state or parameters they are given', () => {
    const opt = adam(0.1);
    const s0 = opt.init(theta0);
    const before = [Params.flatten(theta0), Params.flatten(grads[0]!)];
    opt.update(grads[0]!, s0, theta0);
    expect([Params.flatten(theta0), Params.flatten(grads[0]!)]).toEqual(before);
    expect(Params.flatten(s0[0].mu as P)).toEqual(new Float64Array(2));
  });
});

describe('convergence on a convex quadratic f(θ) = ½ Σ c_i θ_i², c = (1, 10)', () => {
  const c = [1, 10];
  const gradOf = (th: P): P => ({ a: vec([c[0]! * th.a.data[0]!, c[1]! * th.a.data[1]!]) });
  const finalNorm = <S>(opt: GradientTransformation<S>): number => {
    let s = opt.init(theta0);
    let th = theta0;
    for (let t = 0; t < 1000; t++) {
      const [u, s2] = opt.update(gradOf(th), s, th);
      s = s2;
      th = applyUpdates(th, u);
    }
    return Params.norm(th);
  };
  it.each([
    ['sgd', () => finalNorm(sgd(0.09))],
    ['momentum', () => finalNorm(momentum(0.05, 0.9))],
    ['nesterov', () => finalNorm(momentum(0.05, 0.9, { nesterov: true }))],
    ['adam', () => finalNorm(adam(0.1))],
    ['adamw', () => finalNorm(adamw(0.1, { weightDecay: 1e-3 }))],
    ['rmsprop (exponential decay)', () => finalNorm(rmsprop(exponentialDecay(0.02, { rate: 0.995 })))],
    ['adagrad', () => finalNorm(adagrad(0.5))],
  ] as const)('%s reaches ‖θ‖ < 1e-3 from (1, −2) in 1000 steps', (_name, norm) => {
    expect(norm()).toBeLessThan(1e-3);
  });
});
