import { describe, expect, it } from 'vitest';
import { dense } from '../../src/layer/dense.js';
import { relu, tanh, sigmoid, leakyRelu, softplus, identity } from '../../src/layer/activation.js';
import { dropout } from '../../src/layer/dropout.js';
import { sequential, compose } from '../../src/layer/compose.js';
import { mse } from '../../src/loss/mse.js';
import { softmaxCrossEntropy } from '../../src/loss/softmax-cross-entropy.js';
import { sgd, adam } from '../../src/optim/recipes.js';
import { makeStep, type StepState } from '../../src/train/step.js';
import { planChain, trainChain, type FastOptimizer } from '../../src/train/engine.js';
import { setScalarOnly } from '../../src/tensor/wasm/arena.js';
import { key, normal } from '../../src/random.js';
import { unsafeMat, takeRows, type Mat } from '../../src/tensor/mat.js';
import * as Params from '../../src/params.js';
import type { AnyLayer } from '../../src/layer/layer.js';
import type { Loss } from '../../src/loss/loss.js';
import type { GradientTransformation } from '../../src/optim/transform.js';

const maxRelErr = (a: unknown, b: unknown): number => {
  const fa = Params.flatten(a);
  const fb = Params.flatten(b);
  let e = 0;
  for (let i = 0; i < fa.length; i++) e = Math.max(e, Math.abs(fa[i]! - fb[i]!) / Math.max(1e-300, Math.abs(fb[i]!), 1e-8));
  return e;
};

const data = (rows: number, i: number, o: number, seed: number, oneHot = false): [Mat<number, number>, Mat<number, number>] => {
  const x = unsafeMat(rows, i, normal(key(seed), rows * i, 1));
  const yv = normal(key(seed + 1), rows * o, 1);
  if (oneHot) {
    const t = new Float64Array(rows * o);
    for (let r = 0; r < rows; r++) t[r * o + (r * 7 + seed) % o] = 1;
    return [x, unsafeMat(rows, o, t)];
  }
  return [x, unsafeMat(rows, o, yv)];
};

/** Folds the generic makeStep over the same batches as trainChain. */
const generic = <S>(net: AnyLayer, p0: unknown, x: Mat<number, number>, y: Mat<number, number>, loss: Loss<number>, opt: GradientTransformation<S>, B: number, orders: number[][]) => {
  const step = makeStep(net, loss, opt, { key: key(0) });
  let st: StepState<unknown, S> = { params: p0, optState: opt.init(p0), step: 0 };
  const costs: number[] = [];
  for (const order of orders) {
    for (let s = 0; s < order.length; s += B) {
      const idx = order.slice(s, s + B);
      const out = step(st, { x: takeRows(x, idx), y: takeRows(y, idx) });
      if (out._tag !== 'Stepped') throw new Error(out.message);
      costs.push(out.cost);
      st = out.state;
    }
  }
  return { params: st.params, optState: st.optState, costs };
};

const cases: ReadonlyArray<{ name: string; net: AnyLayer; loss: Loss<number>; opt: FastOptimizer; gopt: GradientTransformation<unknown>; B: number; oneHot?: boolean }> = [
  { name: 'relu MLP, SGD, batch 1', net: sequential(dense(4, 8), relu, dense(8, 6), relu, dense(6, 2)), loss: mse, opt: { kind: 'sgd', lr: 0.05 }, gopt: sgd(0.05) as GradientTransformation<unknown>, B: 1 },
  { name: 'relu MLP, SGD, batch 17 (partial last batch)', net: sequential(dense(5, 33), relu, dense(33, 65), relu, dense(65, 3)), loss: mse, opt: { kind: 'sgd', lr: 0.01 }, gopt: sgd(0.01) as GradientTransformation<unknown>, B: 17 },
  { name: 'tanh/sigmoid/leakyRelu/softplus, Adam, batch 32', net: sequential(dense(6, 20), tanh, dense(20, 18), sigmoid, dense(18, 9), leakyRelu(0.1), dense(9, 7), softplus, dense(7, 4), identity), loss: softmaxCrossEntropy, opt: { kind: 'adam', lr: 0.01 }, gopt: adam(0.01) as GradientTransformation<unknown>, B: 32, oneHot: true },
  { name: 'compose with nested sequential, Adam with schedule, batch 64', net: compose(dense(40, 3), sequential(dense(12, 40), relu)), loss: mse, opt: { kind: 'adam', lr: (t) => 0.01 / (1 + t) }, gopt: adam((t: number) => 0.01 / (1 + t)) as GradientTransformation<unknown>, B: 64 },
];

describe('fast chain engine', () => {
  it('plans chains of dense layers and activations and refuses anything else', () => {
    expect(planChain(sequential(dense(4, 8), relu, dense(8, 2)).spec)?.stages.map((s) => [s.inputDim, s.outputDim, s.act])).toEqual([[4, 8, 1], [8, 2, 0]]);
    expect(planChain(sequential(dense(4, 8), dropout(0.5), dense(8, 2)).spec)).toBeUndefined();
    expect(planChain(sequential(relu, dense(4, 2)).spec)).toBeUndefined();
    expect(planChain(compose(dense(8, 2), relu, dense(4, 8)).spec)?.stages.map((s) => s.path)).toEqual([[2], [0]]);
  });

  for (const scalar of [false, true]) {
    for (const c of cases) {
      it(`gives the generic step's numbers (≤ 1e-12 relative): ${c.name}${scalar ? ' [scalar GEMM]' : ''}`, () => {
        setScalarOnly(scalar);
        try {
          const I = c.net.inputDim as number;
          const O = c.net.outputDim as number;
          const [x, y] = data(150, I, O, 3, c.oneHot);
          const p0 = c.net.init(key(11));
          const orders = [Array.from({ length: 150 }, (_, i) => (i * 37) % 150), Array.from({ length: 100 }, (_, i) => 149 - i)];
          const g = generic(c.net, p0, x, y, c.loss, c.gopt, c.B, orders);
          const f = trainChain(c.net.spec, p0, x, y, { loss: c.loss, optimizer: c.opt, batchSize: c.B, orders });
          expect(f.updates).toBe(g.costs.length);
          expect(maxRelErr(f.params, g.params)).toBeLessThanOrEqual(1e-12);
          if (Array.isArray(g.optState)) {
            const [fa, fc] = f.optState as readonly [{ count: number; mu: unknown; nu: unknown }, { count: number }];
            const [ga, gc] = g.optState as unknown as readonly [{ count: number; mu: unknown; nu: unknown }, { count: number }];
            expect([fa.count, fc.count]).toEqual([ga.count, gc.count]);
            expect(maxRelErr(fa.mu, ga.mu)).toBeLessThanOrEqual(1e-12);
            expect(maxRelErr(fa.nu, ga.nu)).toBeLessThanOrEqual(1e-12);
          } else {
            expect(f.optState).toEqual(g.optState);
          }
          for (let i = 0; i < g.costs.length; i++) expect(Math.abs(f.costs[i]! - g.costs[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(g.costs[i]!));
          // the caller's parameters are untouched
          expect(Params.flatten(p0)).toEqual(Params.flatten(c.net.init(key(11))));
        } finally {
          setScalarOnly(false);
        }
      });
    }
  }

  it('resumes from a returned Adam state exactly as one long run', () => {
    const net = sequential(dense(3, 16), relu, dense(16, 2));
    const [x, y] = data(64, 3, 2, 5);
    const p0 = net.init(key(2));
    const o = Array.from({ length: 64 }, (_, i) => i);
    const opts = { loss: mse, optimizer: { kind: 'adam', lr: 0.01 } as const, batchSize: 16 };
    const once = trainChain(net.spec, p0, x, y, { ...opts, orders: [o, o] });
    const first = trainChain(net.spec, p0, x, y, { ...opts, orders: [o] });
    const second = trainChain(net.spec, first.params, x, y, { ...opts, orders: [o], optState: first.optState });
    expect(Params.flatten(second.params)).toEqual(Params.flatten(once.params));
  });
});

describe('predictChain', () => {
  it('equals the immutable forward bitwise in f64 and within f32 rounding in f32', async () => {
    const { predictChain } = await import('../../src/train/engine.js');
    const net = sequential(dense(7, 33), relu, dense(33, 20), tanh, dense(20, 3));
    const p = net.init(key(4));
    const [x] = data(300, 7, 3, 9);
    const ref = net.forward(p, x as Mat<number, 7>);
    expect(Array.from(predictChain(net.spec, p, x, { batchSize: 64 }).data)).toEqual(Array.from(ref.data));
    const f32 = predictChain(net.spec, p, x, { precision: 'f32', batchSize: 100 }).data;
    let worst = 0;
    for (let i = 0; i < f32.length; i++) worst = Math.max(worst, Math.abs(f32[i]! - ref.data[i]!) / (1 + Math.abs(ref.data[i]!)));
    expect(worst).toBeLessThan(1e-5);
  });
});
