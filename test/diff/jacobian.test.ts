import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  autoMode, dense, fromArray, fromRows, jacobian, key, numericalJacobian, paramJacobian, params as Params,
  relu, sequential, sigmoid, softmax, split, tanh, toRows, uniform, type Layer, type Mat,
} from '../../src/index.js';
import * as Ops from '../../src/tensor/ops.js';
import { maxRelDiff } from '../support/closeness.js';

/** max_ij |a − b| / max(|a|, |b|, 1e-8), the shapes equal. */
const relDiff = (a: Mat<number, number>, b: Mat<number, number>): number => maxRelDiff(a, b, 1e-8);

const lectureNet = sequential(dense(4, 8), tanh, dense(8, 6), tanh, dense(6, 4), tanh, dense(4, 2));
const x0 = fromRows([[0.5, -1.2, 0.3, 2.0]]);

describe('jacobian on the lecture network 4-8-6-4-2', () => {
  const p = lectureNet.init(key(1));

  it('has shape O × I: row i is the gradient of output i', () => {
    const J = jacobian(lectureNet, p, x0);
    expect([J.rows, J.cols]).toEqual([2, 4]);
  });

  it('forward mode (JVP columns), reverse mode (VJP rows) and finite differences agree to 1e-6', () => {
    const Jf = jacobian(lectureNet, p, x0, { mode: 'forward' });
    const Jr = jacobian(lectureNet, p, x0, { mode: 'reverse' });
    const Jn = numericalJacobian(lectureNet, p, x0);
    expect(relDiff(Jf, Jr)).toBeLessThan(1e-12);
    expect(relDiff(Jf, Jn)).toBeLessThan(1e-6);
    expect(relDiff(Jr, Jn)).toBeLessThan(1e-6);
  });

  it('equals the product of the layer Jacobians J4·J3·J2·J1 (chain rule)', () => {
    const f1 = sequential(dense(4, 8), tanh);
    const f2 = sequential(dense(8, 6), tanh);
    const f3 = sequential(dense(6, 4), tanh);
    const f4 = dense(4, 2);
    const p1 = [p[0], p[1]] as const;
    const p2 = [p[2], p[3]] as const;
    const p3 = [p[4], p[5]] as const;
    const x1 = f1.forward(p1, x0);
    const x2 = f2.forward(p2, x1);
    const x3 = f3.forward(p3, x2);
    const product = Ops.matmul(Ops.matmul(Ops.matmul(jacobian(f4, p[6], x3), jacobian(f3, p3, x2)), jacobian(f2, p2, x1)), jacobian(f1, p1, x0));
    expect(relDiff(product, jacobian(lectureNet, p, x0))).toBeLessThan(1e-12);
  });

  it("'auto' gives the same matrix as the mode it picks (reverse for 4 → 2)", () => {
    expect(autoMode(4, 2)).toBe('reverse');
    expect(toRows(jacobian(lectureNet, p, x0))).toEqual(toRows(jacobian(lectureNet, p, x0, { mode: 'reverse' })));
  });

  it('with relu away from its kink also agrees with finite differences', () => {
    const net = sequential(dense(4, 8), relu, dense(8, 6), relu, dense(6, 4), relu, dense(4, 2));
    const q = net.init(key(7));
    // Every pre-activation is at least 0.01 from the kink, far beyond what the finite-difference
    // steps (≤ 4e-3 in x) can move it.
    const pre1 = dense(4, 8).forward(q[0], x0);
    const pre2 = dense(8, 6).forward(q[2], relu.at(8).forward({}, pre1));
    const pre3 = dense(6, 4).forward(q[4], relu.at(6).forward({}, pre2));
    const distances = [pre1, pre2, pre3].flatMap((m) => Array.from(m.data, Math.abs));
    expect(Math.min(...distances)).toBeGreaterThan(0.01);
    const Jf = jacobian(net, q, x0, { mode: 'forward' });
    const Jr = jacobian(net, q, x0, { mode: 'reverse' });
    expect(relDiff(Jf, Jr)).toBeLessThan(1e-12);
    expect(relDiff(Jr, numericalJacobian(net, q, x0))).toBeLessThan(1e-6);
  });
});

describe('jacobian of shape-polymorphic layers', () => {
  it('of tanh is diag(1 − tanh²(x))', () => {
    const x = fromRows([[0.3, -1, 2]]);
    const J = jacobian(tanh, {}, x);
    const expected = fromArray(3, 3, [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => (i === j ? 1 - Math.tanh(x.data[i]!) ** 2 : 0))));
    expect(relDiff(J, expected)).toBeLessThan(1e-15);
  });

  it('of softmax is diag(s) − s sᵀ in both modes', () => {
    const x = fromRows([[0.3, -1, 2, 0.5]]);
    const s = Ops.softmaxRows(x).data;
    const expected = fromArray(4, 4, [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => (i === j ? s[i]! : 0) - s[i]! * s[j]!)));
    expect(relDiff(jacobian(softmax, {}, x, { mode: 'forward' }), expected)).toBeLessThan(1e-12);
    expect(relDiff(jacobian(softmax, {}, x, { mode: 'reverse' }), expected)).toBeLessThan(1e-12);
  });
});

describe('jacobian rejects bad input from untyped code', () => {
  it('names the expected and actual shape when x has several rows', () => {
    const net = dense(2, 3);
    const p = net.init(key(0));
    const xs = fromRows([[1, 2], [3, 4]]) as unknown as Mat<1, 2>;
    expect(() => jacobian(net, p, xs)).toThrow(/expects one input row of width 2.*got 2×2/);
  });
});

describe('paramJacobian', () => {
  const net = sequential(dense(3, 4), tanh, dense(4, 2));
  const p = net.init(key(3));
  const x = fromRows([[0.2, -0.7, 1.1]]);

  it('is O × (number of parameters), in params.flatten order', () => {
    const Jp = paramJacobian(net, p, x);
    expect([Jp.rows, Jp.cols]).toEqual([2, Params.size(p)]);
  });

  it('matches finite differences of each output along each flattened parameter', () => {
    const Jp = paramJacobian(net, p, x);
    const flat = Params.flatten(p);
    const h = 1e-5;
    const numeric = Array.from(flat, (_, k) => {
      const at = (t: number) => net.forward(Params.unflatten(p, flat.map((u, i) => (i === k ? u + t : u))), x).data;
      const up = at(h);
      const down = at(-h);
      return [0, 1].map((i) => (up[i]! - down[i]!) / (2 * h));
    });
    const Jn = Ops.transpose(fromArray(flat.length, 2, numeric.flat()));
    expect(relDiff(Jp, Jn)).toBeLessThan(1e-6);
  });

  it('row i unflattened is the gradient of output i', () => {
    const Jp = paramJacobian(net, p, x);
    const [, pullback] = net.vjp(p, x);
    const g1 = pullback(fromRows([[0, 1]]))[0];
    expect(Array.from(Params.flatten(g1))).toEqual(Array.from(Jp.data.subarray(Jp.cols, 2 * Jp.cols)));
  });
});

describe('jacobian on random nets of random widths', () => {
  const widths = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 5 });
  const activations = [tanh, sigmoid] as const;

  it('forward, reverse and finite differences agree to 1e-6', () => {
    fc.assert(
      fc.property(widths, fc.integer({ min: 0, max: 1e6 }), (ws, seed) => {
        const parts = ws.slice(1).flatMap((w, k) => {
          const d = dense(ws[k]! as 3, w as 3);
          return k === ws.length - 2 ? [d] : [d, activations[k % 2]!];
        });
        // Built at run time from widths unknown to the compiler: the typed API sees Layer<3, 3, …>.
        const net = sequential(...(parts as unknown as [Layer<3, 3, unknown>])) as Layer<3, 3, unknown>;
        const [kp, kx] = split(key(seed));
        const p = net.init(kp);
        const x = fromArray(1, ws[0]! as 3, uniform(kx, ws[0]!, -2, 2));
        const Jf = jacobian(net, p, x, { mode: 'forward' });
        const Jr = jacobian(net, p, x, { mode: 'reverse' });
        expect([Jf.rows, Jf.cols]).toEqual([ws.at(-1), ws[0]]);
        expect(relDiff(Jf, Jr)).toBeLessThan(1e-10);
        expect(relDiff(Jr, numericalJacobian(net, p, x))).toBeLessThan(1e-6);
      }),
      { numRuns: 25, seed: 42 },
    );
  });
});
