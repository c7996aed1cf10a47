// Every layer's derivatives, checked against the definition: central finite differences for vjp
// and jvp, the adjoint identity between them, and the chain rule for composites
// (J_{f∘g}(x) = J_f(g(x)) · J_g(x), so a chain's Jacobian is the product of its layers').
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compose, sequential } from '../../src/layer/compose.js';
import { dense } from '../../src/layer/dense.js';
import { identity, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import * as P from '../../src/params.js';
import { key, split } from '../../src/random.js';
import { row, unsafeMat, type Mat } from '../../src/tensor/mat.js';
import {
  activationCases, awayFromZero, dotFlat, fdDirectional, fdGradient, jacobianP, jacobianX, naiveMatmul, randomLike, randomMat, type AnyLayer, type LayerCase,
} from '../support/layers.js';
import { maxRelDiff, relErr } from '../support/closeness.js';

const TOL = 1e-6;

/** Every built-in layer, alone and in smooth composites (kinks would spoil finite differences). */
const cases: readonly LayerCase[] = [
  { name: 'dense(3, 4)', layer: dense(3, 4) },
  { name: 'dense(1, 1)', layer: dense(1, 1) },
  { name: 'dense(5, 2) with He init', layer: dense(5, 2, { init: 'he' }) },
  ...activationCases(5),
  { name: 'sequential(dense, tanh, dense, sigmoid, dense)', layer: sequential(dense(3, 5), tanh, dense(5, 4), sigmoid, dense(4, 2)) },
  { name: 'compose(softmax, dense, softplus, dense)', layer: compose(softmax, dense(4, 3), softplus, dense(3, 4)) },
  { name: 'nested composites', layer: sequential(sequential(dense(3, 4), tanh), compose(sigmoid, dense(4, 2)), identity) },
];

/** Parameters with every entry random (biases included, which init sets to zero), and an input. */
const setup = (c: LayerCase, seed: number, batch = 3) => {
  const [kp, kx, kd, ku] = split(key(seed), 4);
  const p = randomLike(kp!, c.layer.init(key(seed)), 0.7);
  const x0 = randomMat(kx!, batch, c.layer.inputDim as number);
  const x = c.kinked === true ? awayFromZero(x0) : x0;
  return { p, x, kd: kd!, ku: ku! };
};

describe.each(cases)('$name', (c) => {
  it('vjp returns the forward output and a pullback matching central finite differences (max rel. error ≤ 1e-6)', () => {
    for (const seed of [1, 2, 3]) {
      const { p, x, ku } = setup(c, seed);
      const [y, pullback] = c.layer.vjp(p, x);
      expect(Array.from(y.data)).toEqual(Array.from(c.layer.forward(p, x).data));
      const u = randomMat(ku, y.rows, y.cols);
      const [dp, dx] = pullback(u);
      const fd = fdGradient(c.layer, p, x, u);
      expect(dx.rows).toBe(x.rows);
      expect(dx.cols).toBe(x.cols);
      expect(relErr(dx.data, fd.dx)).toBeLessThanOrEqual(TOL);
      expect(P.size(dp)).toBe(P.size(p));
      expect(relErr(P.flatten(dp), fd.dp)).toBeLessThanOrEqual(TOL);
    }
  });

  it('jvp returns the forward output and a tangent matching central finite differences (max rel. error ≤ 1e-6)', () => {
    for (const seed of [4, 5, 6]) {
      const { p, x, kd } = setup(c, seed);
      const [kdp, kdx] = split(kd);
      const dp = randomLike(kdp, p);
      const dx = randomMat(kdx, x.rows, x.cols);
      const [y, dy] = c.layer.jvp(p, x, dp, dx);
      expect(Array.from(y.data)).toEqual(Array.from(c.layer.forward(p, x).data));
      expect(relErr(dy.data, fdDirectional(c.layer, p, x, dp, dx))).toBeLessThanOrEqual(TOL);
    }
  });

  it('vjp is the adjoint of jvp: uᵀ(J v) = (uᵀ J) v for random u, v (fast-check)', () => {
    const I = c.layer.inputDim as number;
    const O = c.layer.outputDim as number;
    const nP = P.size(c.layer.init(key(0)));
    const entries = (n: number) => fc.float64Array({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true, minLength: n, maxLength: n });
    const arb = fc.integer({ min: 1, max: 4 }).chain((b) =>
      fc.record({ seed: fc.nat(), x: entries(b * I), dx: entries(b * I), u: entries(b * O), dp: entries(nP), b: fc.constant(b) }),
    );
    fc.assert(
      fc.property(arb, ({ seed, x, dx, u, dp, b }) => {
        const p = randomLike(key(seed), c.layer.init(key(seed)), 0.7);
        const xm = unsafeMat(b, I, x);
        const dpTree = P.unflatten(p, dp);
        const [, jv] = c.layer.jvp(p, xm, dpTree, unsafeMat(b, I, dx));
        const [, pullback] = c.layer.vjp(p, xm);
        const [uJp, uJx] = pullback(unsafeMat(b, O, u));
        const lhs = dotFlat(u, jv.data);
        const rhs = P.dot(uJp, dpTree) + dotFlat(uJx.data, dx);
        return maxRelDiff([lhs], [rhs], 1) <= 1e-9;
      }),
      { numRuns: 60, seed: 20260101 },
    );
  });
});

describe('the chain rule for composites: J_{f∘g}(x) = J_f(g(x)) · J_g(x)', () => {
  // The lecture's 4 → 8 → 6 → 4 → 2 network, with relu between (kinks are fine here: no
  // finite differences, only exact products of the layers' own Jacobians).
  const args = [dense(6, 2), relu, dense(4, 6), tanh, dense(8, 4), relu, dense(4, 8)] as const;
  const net = compose(...args);
  const applied = [...args].reverse() as readonly AnyLayer[];

  /** Each applied layer at its own input: [layer, its params, its input] in application order. */
  const unroll = (p: readonly unknown[], x: Mat<1, number>) => {
    let h: Mat<number, number> = x;
    return applied.map((layer, k) => {
      const lp = p[args.length - 1 - k];
      const at = { layer, p: lp, x: h as Mat<1, number> };
      h = layer.forward(lp, h);
      return at;
    });
  };

  it("the net's input Jacobian is the product of its layers' Jacobians, J = J₇·…·J₂·J₁", () => {
    for (const seed of [1, 2, 3]) {
      const p = randomLike(key(seed), net.init(key(seed)), 0.7);
      const x = row(randomMat(key(100 + seed), 1, 4), 0);
      const layers = unroll(p, x);
      const product = layers
        .map(({ layer, p: lp, x: lx }) => jacobianX(layer, lp, lx))
        .reduce((acc, J) => naiveMatmul(J, acc));
      const J = jacobianX(net, p, x);
      expect([J.rows, J.cols]).toEqual([2, 4]);
      expect(relErr(J.data, product.data)).toBeLessThanOrEqual(1e-12);
    }
  });

  it("each parameter block's Jacobian is the later layers' Jacobians times ∂f_k/∂θ_k", () => {
    const p = randomLike(key(7), net.init(key(7)), 0.7);
    const x = row(randomMat(key(8), 1, 4), 0);
    const layers = unroll(p, x);
    const Jp = jacobianP(net, p, x);
    // Columns of the composite's parameter Jacobian follow params.flatten: argument order.
    let col = 0;
    args.forEach((_, a) => {
      const k = args.length - 1 - a; // application index of argument a
      const n = P.size(p[a]);
      if (n === 0) return;
      const own = jacobianP(layers[k]!.layer, layers[k]!.p, layers[k]!.x);
      const expected = layers.slice(k + 1).reduce((acc, { layer, p: lp, x: lx }) => naiveMatmul(jacobianX(layer, lp, lx), acc), own);
      const block = Float64Array.from({ length: Jp.rows * n }, (_, i) => Jp.data[Math.floor(i / n) * Jp.cols + col + (i % n)]!);
      expect(relErr(block, expected.data)).toBeLessThanOrEqual(1e-12);
      col += n;
    });
    expect(col).toBe(Jp.cols);
  });

  it('the pullback of e_i is row i of the Jacobian (reverse mode builds the same matrix by rows)', () => {
    const p = randomLike(key(9), net.init(key(9)), 0.7);
    const x = row(randomMat(key(10), 1, 4), 0);
    const J = jacobianX(net, p, x);
    const [, pullback] = net.vjp(p, x);
    for (let i = 0; i < 2; i++) {
      const e = new Float64Array(2);
      e[i] = 1;
      const [, dx] = pullback(unsafeMat(1, 2, e));
      expect(relErr(dx.data, J.data.slice(i * 4, i * 4 + 4))).toBeLessThanOrEqual(1e-12);
    }
  });
});
