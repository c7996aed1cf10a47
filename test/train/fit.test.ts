import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  adam, dense, fit, fitEither, fitEpochs, fromArray, key, mse, normal, params as Params, predict, evaluate, relu, sequential, sgd, tanh,
  momentum, type Mat, type Penalty,
} from '../../src/index.js';
import { updatesPerEpoch } from '../../src/train/batches.js';

const N = 40;
const xs = normal(key(7), N * 2);
const x = fromArray(N, 2, xs);
const y = fromArray(N, 1, Array.from({ length: N }, (_, i) => 0.5 * xs[2 * i]! - 0.3 * xs[2 * i + 1]! + 0.1));
const linear = dense(2, 1);
const p0 = linear.init(key(1));
const base = { loss: mse, epochs: 3, key: key(3) } as const;

describe('fit: batching', () => {
  it.each([['full', 1], [1, N], [7, Math.ceil(N / 7)], [N, 1]] as const)('batchSize %s gives %i updates per epoch', (b, u) => {
    const r = fit(linear, p0, { x, y }, { ...base, optimizer: sgd(0.01), batchSize: b });
    expect(r.history.updates).toEqual([u, u, u]);
    expect(updatesPerEpoch(N, b)).toBe(u);
    expect(r.state.step).toBe(3 * u);
  });

  it('the same key gives bit-identical parameters; another key gives different ones', () => {
    const run = (k: number) => Params.flatten(fit(linear, p0, { x, y }, { ...base, key: key(k), optimizer: momentum(0.05), batchSize: 8 }).params);
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('full-batch gradient descent is one step of θ − ρ∇L per epoch', () => {
    const r = fit(linear, p0, { x, y }, { ...base, epochs: 1, optimizer: sgd(0.1), batchSize: 'full' });
    // Manual step: ∇L for mse on a linear model.
    const yhat = predict(linear, p0, x);
    const dy = Array.from(yhat.data, (v, i) => (v - y.data[i]!) / N);
    const gw = [0, 1].map((j) => dy.reduce((s, d, i) => s + d * x.data[2 * i + j]!, 0));
    const gb = dy.reduce((s, d) => s + d, 0);
    expect(r.params.w.data[0]).toBeCloseTo(p0.w.data[0]! - 0.1 * gw[0]!, 12);
    expect(r.params.w.data[1]).toBeCloseTo(p0.w.data[1]! - 0.1 * gw[1]!, 12);
    expect(r.params.b.data[0]).toBeCloseTo(p0.b.data[0]! - 0.1 * gb, 12);
  });

  it('by default the train loss is the mean of the batch losses the steps computed (full batch: the loss before the epoch’s update)', () => {
    const states = [...fitEpochs(linear, p0, { x, y }, { ...base, epochs: 3, optimizer: sgd(0.1), batchSize: 'full' })];
    expect(states[0]!.history.trainLoss[0]).toBe(evaluate(linear, p0, { x, y }, mse).loss);
    expect(states[2]!.history.trainLoss[2]).toBe(evaluate(linear, states[1]!.params, { x, y }, mse).loss);
  });

  it('with exactTrainLoss, history holds the training loss at the end of every epoch', () => {
    const r = fit(linear, p0, { x, y }, { ...base, epochs: 5, optimizer: sgd(0.1), batchSize: 4, exactTrainLoss: true });
    expect(r.history.trainLoss).toHaveLength(5);
    expect(r.history.trainLoss[4]).toBeCloseTo(evaluate(linear, r.params, { x, y }, mse).loss, 14);
    expect(r.history.trainLoss[4]!).toBeLessThan(r.history.trainLoss[0]!);
    expect(r.stopReason).toEqual({ _tag: 'EpochsDone', epoch: 5 });
  });
});

describe('fit: lazy form', () => {
  it('fit is the fold over fitEpochs, and resuming from a state continues the same run', () => {
    const opts = { ...base, epochs: 6, optimizer: adam(0.05), batchSize: 8 } as const;
    const states = [...fitEpochs(linear, p0, { x, y }, opts)];
    expect(states.map((s) => s.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    const whole = fit(linear, p0, { x, y }, opts);
    expect(Params.flatten(states[5]!.params)).toEqual(Params.flatten(whole.params));
    const resumed = fit(linear, p0, { x, y }, { ...opts, resume: states[2]! });
    expect(Params.flatten(resumed.params)).toEqual(Params.flatten(whole.params));
    expect(resumed.history.trainLoss).toEqual(whole.history.trainLoss);
  });

  it('states are values: p0 is untouched and earlier states keep their parameters', () => {
    const before = Params.flatten(p0);
    const states = [...fitEpochs(linear, p0, { x, y }, { ...base, optimizer: sgd(0.1), batchSize: 4 })];
    expect(Params.flatten(p0)).toEqual(before);
    expect(Params.flatten(states[0]!.params)).not.toEqual(Params.flatten(states[2]!.params));
  });
});

describe('fit: divergence and invalid options', () => {
  it('a diverging run stops with the last finite parameters and says where', () => {
    const r = fit(linear, p0, { x, y }, { ...base, epochs: 200, optimizer: sgd(50), batchSize: 'full' });
    expect(r.stopReason._tag).toBe('Diverged');
    expect(Params.isFinite(r.params)).toBe(true);
    if (r.stopReason._tag === 'Diverged') expect(r.stopReason.epoch).toBeGreaterThan(1);
  });

  it('a NaN in the data is a Left naming the set, row and column, before any step', () => {
    const bad = fromArray(N, 1, Array.from(y.data, (v, i) => (i === 3 ? Number.NaN : v)));
    const r = fitEither(linear, p0, { x, y: bad }, { ...base, optimizer: sgd(0.1), batchSize: 'full' });
    expect(E.isLeft(r) && r.left.message).toBe('fit: data.y row 4, column 1: expected a finite number, got NaN');
  });

  it.each([
    [{ batchSize: 0 }, 'batchSize'],
    [{ batchSize: N + 1 }, 'batchSize'],
    [{ batchSize: 2.5 }, 'batchSize'],
    [{ epochs: -1 }, 'epochs'],
    [{ epochs: 1.5 }, 'epochs'],
    [{ validationSplit: 1.2 }, 'validationSplit'],
  ] as const)('rejects %o with a message', (bad, option) => {
    const r = fitEither(linear, p0, { x, y }, { ...base, optimizer: sgd(0.1), batchSize: 4, ...bad });
    expect(E.isLeft(r) && r.left.option).toBe(option);
    expect(() => fit(linear, p0, { x, y }, { ...base, optimizer: sgd(0.1), batchSize: 4, ...bad })).toThrow(RangeError);
  });

  it('a learning rate ≤ 0 is rejected when the optimizer is built', () => {
    expect(() => sgd(0)).toThrow(/learning rate must be a finite number > 0/);
    expect(() => adam(-1)).toThrow(RangeError);
  });

  it('mismatched row counts are rejected', () => {
    const r = fitEither(linear, p0, { x, y: fromArray(3, 1, [1, 2, 3]) }, { ...base, optimizer: sgd(0.1), batchSize: 4 });
    expect(E.isLeft(r) && r.left.message).toMatch(/40 rows but data.y has 3/);
  });
});

describe('fit: penalty, validation, dropout context', () => {
  it('the cost includes the penalty and its gradient pulls weights to zero', () => {
    const l2: Penalty = { kind: 'l2', value: (p) => Params.sumOfSquares(p), grad: (p) => Params.scale(p, 2) };
    const plain = fit(linear, p0, { x, y }, { ...base, epochs: 30, optimizer: sgd(0.1), batchSize: 'full' });
    const pen = fit(linear, p0, { x, y }, { ...base, epochs: 30, optimizer: sgd(0.1), batchSize: 'full', penalty: l2, exactTrainLoss: true });
    expect(Params.norm(pen.params)).toBeLessThan(Params.norm(plain.params));
    expect(pen.history.trainCost[29]).toBeCloseTo(pen.history.trainLoss[29]! + Params.sumOfSquares(pen.params), 12);
  });

  it('validationSplit holds out rows and reports validation loss every epoch', () => {
    const r = fit(linear, p0, { x, y }, { ...base, optimizer: sgd(0.1), batchSize: 4, validationSplit: 0.25 });
    expect(r.history.valLoss).toHaveLength(3);
    expect(r.history.updates[0]).toBe(Math.ceil(30 / 4));
  });

  it('early stopping restores the best epoch', () => {
    const r = fit(linear, p0, { x, y }, {
      ...base, epochs: 60, optimizer: sgd(1.9), batchSize: 'full', earlyStopping: { patience: 2, monitor: 'trainLoss' }, exactTrainLoss: true,
    });
    expect(r.history.bestEpoch).toBeGreaterThan(0);
    const best = r.history.trainCost[r.history.bestEpoch - 1]!;
    expect(Math.min(...r.history.trainCost)).toBe(best);
    expect(evaluate(linear, r.params, { x, y }, mse).loss).toBeCloseTo(best, 12);
  });

  it('every step runs the model in training mode with a fresh key', () => {
    const seen: string[] = [];
    const spy = { ...linear, vjp: ((p, xb, ctx) => { seen.push(`${ctx?.training}:${ctx?.key?.k0}`); return linear.vjp(p, xb, ctx); }) as typeof linear.vjp };
    fit(spy, p0, { x, y }, { ...base, epochs: 2, optimizer: sgd(0.1), batchSize: 10 });
    expect(seen).toHaveLength(8);
    expect(seen.every((s) => s.startsWith('true:'))).toBe(true);
    expect(new Set(seen).size).toBe(8);
  });
});

describe('fit: convergence', () => {
  it('learns XOR with a small tanh net (non-convex)', () => {
    const net = sequential(dense(2, 8), tanh, dense(8, 1));
    const xx = fromArray(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
    const yy = fromArray(4, 1, [0, 1, 1, 0]);
    const r = fit(net, net.init(key(11)), { x: xx, y: yy }, { loss: mse, optimizer: adam(0.05), epochs: 400, batchSize: 'full', key: key(0) });
    expect(r.history.trainLoss[399]!).toBeLessThan(1e-3);
    const yhat: Mat<4, 1> = predict(net, r.params, xx);
    expect(Array.from(yhat.data, (v) => (v > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('fits a 1-D sine with mini-batches', () => {
    const n = 64;
    const sx = fromArray(n, 1, Array.from({ length: n }, (_, i) => -3 + (6 * i) / (n - 1)));
    const sy = fromArray(n, 1, Array.from(sx.data, Math.sin));
    const net = sequential(dense(1, 16), tanh, dense(16, 16), relu, dense(16, 1));
    const r = fit(net, net.init(key(4)), { x: sx, y: sy }, { loss: mse, optimizer: adam(0.01), epochs: 300, batchSize: 16, key: key(9) });
    expect(r.history.trainLoss[299]!).toBeLessThan(5e-3);
  });
});
