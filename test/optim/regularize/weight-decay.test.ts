import { describe, expect, it } from 'vitest';
import * as Params from '../../../src/params.js';
import { key, normal, split } from '../../../src/random.js';
import { unsafeVec } from '../../../src/tensor/mat.js';
import { dense } from '../../../src/layer/dense.js';
import { relu } from '../../../src/layer/activation.js';
import { sequential } from '../../../src/layer/compose.js';
import { applyUpdates, type GradientTransformation } from '../../../src/optim/transform.js';
import { chain } from '../../../src/optim/chain.js';
import { sgd } from '../../../src/optim/recipes.js';
import {
  addDecayedWeights, allParams, excludeBiases, l2Penalty, maskAnd, maskNot, maskOr, onlyLayers, onlyWeights, pathMask, weightDecay,
} from '../../../src/index.js';
import { maskTree } from '../../../src/optim/regularize/mask.js';

const net = sequential(dense(3, 4), relu, dense(4, 2));
type P = ReturnType<typeof net.init>;

/** Parameters with non-zero biases, so that a bias mask is visible. */
const params0: P = (() => {
  const p = net.init(key(0));
  const [k1, k2] = split(key(1));
  return Object.freeze([
    Object.freeze({ ...p[0], b: unsafeVec(4, normal(k1, 4)) }),
    p[1],
    Object.freeze({ ...p[2], b: unsafeVec(2, normal(k2, 2)) }),
  ]) as unknown as P;
})();

/** t steps of an optimizer on a problem whose data gradient is zero. */
const runZeroGradient = <S>(opt: GradientTransformation<S>, steps: number): P[] => {
  const out: P[] = [params0];
  let p = params0;
  let s = opt.init(p);
  for (let t = 0; t < steps; t++) {
    const [u, s2] = opt.update(Params.zerosLike(p), s, p);
    p = applyUpdates(p, u);
    s = s2;
    out.push(p);
  }
  return out;
};

describe('weight decay (L2), C ← C + λ(Σw² + Σb²)', () => {
  it('shrinks ‖θ‖ monotonically with zero data gradient, matching θ_t = (1 − 2ρλ)^t θ₀', () => {
    const rho = 0.1;
    const lambda = 0.5;
    const path = runZeroGradient(chain(weightDecay(lambda), sgd(rho)), 40);
    const norms = path.map((p) => Params.norm(p));
    norms.slice(1).forEach((n, t) => expect(n).toBeLessThan(norms[t]!));
    path.forEach((p, t) => {
      const expected = Params.scale(params0, (1 - 2 * rho * lambda) ** t);
      const err = Params.norm(Params.sub(p, expected)) / Params.norm(expected);
      expect(err).toBeLessThan(1e-12);
    });
  });

  it('with the excludeBiases mask leaves every bias bit for bit untouched and decays the weights', () => {
    const path = runZeroGradient(chain(weightDecay(0.5, excludeBiases), sgd(0.1)), 10);
    const last = path[path.length - 1]!;
    expect(last[0].b.data).toEqual(params0[0].b.data);
    expect(last[2].b.data).toEqual(params0[2].b.data);
    const expectedW = Params.scale(params0[0].w, 0.9 ** 10);
    expect(Params.norm(Params.sub(last[0].w, expectedW))).toBeLessThan(1e-12);
  });

  it('the default mask is every parameter, biases included (the lecture formula)', () => {
    const pen = l2Penalty(0.3);
    expect(pen.value(params0)).toBeCloseTo(0.3 * Params.sumOfSquares(params0), 12);
    const g = pen.grad(params0);
    expect(Params.norm(Params.sub(g, Params.scale(params0, 0.6)))).toBe(0);
  });

  it('l2Penalty.grad is the derivative of l2Penalty.value (finite differences)', () => {
    const pen = l2Penalty(0.7, excludeBiases);
    const g = Params.flatten(pen.grad(params0));
    const flat = Params.flatten(params0);
    const h = 1e-5;
    flat.forEach((_, i) => {
      const at = (d: number): number => pen.value(Params.unflatten(params0, flat.map((v, j) => (j === i ? v + d : v))));
      expect(Math.abs((at(h) - at(-h)) / (2 * h) - g[i]!)).toBeLessThan(1e-8);
    });
  });

  it('l2Penalty counts only masked leaves: excluding biases gives λΣw²', () => {
    const pen = l2Penalty(2, excludeBiases);
    const sw = Params.sumOfSquares(params0[0].w) + Params.sumOfSquares(params0[2].w);
    expect(pen.value(params0)).toBeCloseTo(2 * sw, 12);
    expect(pen.kind).toBe('l2');
  });

  it('weightDecay adds exactly the penalty gradient 2λθ to the data gradient', () => {
    const g = Params.fullLike(params0, 0.25);
    const [u] = weightDecay(0.3, onlyWeights).update(g, null, params0);
    expect(Params.flatten(u)).toEqual(Params.flatten(Params.add(g, l2Penalty(0.3, onlyWeights).grad(params0))));
  });

  it('decoupled decay (addDecayedWeights) gives θ_t = (1 − ρλ)^t θ₀ and respects its mask', () => {
    const path = runZeroGradient(chain(addDecayedWeights(0.5, onlyLayers(2)), sgd(0.1)), 12);
    const last = path[path.length - 1]!;
    expect(last[0]).toEqual(params0[0]);
    const expected = Params.scale(params0[2], 0.95 ** 12);
    expect(Params.norm(Params.sub(last[2], expected)) / Params.norm(expected)).toBeLessThan(1e-12);
  });

  it('masks select leaves by path: ready masks, combinators and the typed pathMask agree', () => {
    const selected = (m: Parameters<typeof maskTree>[1]): string[] =>
      Params.leaves(params0).filter(({ path, tensor }) => m(path, tensor)).map((l) => l.path);
    expect(selected(allParams)).toEqual(['0.w', '0.b', '2.w', '2.b']);
    expect(selected(excludeBiases)).toEqual(['0.w', '2.w']);
    expect(selected(onlyWeights)).toEqual(['0.w', '2.w']);
    expect(selected(onlyLayers(2))).toEqual(['2.w', '2.b']);
    expect(selected(maskAnd(onlyLayers(0), excludeBiases))).toEqual(['0.w']);
    expect(selected(maskOr(onlyLayers(0), onlyWeights))).toEqual(['0.w', '0.b', '2.w']);
    expect(selected(maskNot(excludeBiases))).toEqual(['0.b', '2.b']);
    expect(selected(pathMask(net)('0.w', '2.b'))).toEqual(['0.w', '2.b']);
  });

  it('rejects a negative or non-finite λ with a clear error', () => {
    expect(() => weightDecay(-1)).toThrow(/λ must be a finite number ≥ 0/);
    expect(() => l2Penalty(Number.NaN)).toThrow(/l2Penalty/);
    expect(() => addDecayedWeights(Infinity)).toThrow(/addDecayedWeights/);
  });

  it('does not mutate the parameters it is given', () => {
    const before = Params.flatten(params0);
    weightDecay(1).update(Params.zerosLike(params0), null, params0);
    l2Penalty(1).grad(params0);
    expect(Params.flatten(params0)).toEqual(before);
  });
});
