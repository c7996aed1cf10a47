import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  adam, defineLayer, defineLoss, dense, dropout, fit, flatten, fromArray, gru, key, l2Penalty, lstm, mse, normal, params as Params, relu, sequential, sgd, ops,
  timeDistributed, withShape, type Layer, type Shaped,
} from '../../src/index.js';
import { fitParallel, fitParallelEither, fitParallelEpochs, liveWorkers } from '../../src/node.js';

// Small nets and few threads: each worker thread started from the TypeScript sources pays for
// compiling them, so the suite starts as few as the properties need.
const N = 150;
const xs = normal(key(7), N * 3);
const x = fromArray(N, 3, xs);
const y = fromArray(N, 2, Array.from({ length: 2 * N }, (_, i) => Math.sin(xs[i]!) - 0.3 * xs[(i + 1) % (3 * N)]!));
const vx = fromArray(20, 3, normal(key(8), 60));
const validation = { x: vx, y: fromArray(20, 2, Array.from({ length: 40 }, (_, i) => Math.cos(vx.data[i]!))) };
const net = sequential(dense(3, 16), relu, dropout(0.2), dense(16, 2));
const p0 = net.init(key(1));
// batches of 40 rows cut into shards of 16: 16 + 16 + 8 (the last batch, 30 rows: 16 + 14)
const opts = {
  loss: mse, optimizer: adam(1e-2), penalty: l2Penalty(1e-3), epochs: 4, batchSize: 40, shardSize: 16, key: key(3), validation,
} as const;
const bits = (p: unknown): number[] => Array.from(Params.flatten(p));

describe('fitParallel: fit with each batch’s gradient computed in fixed shards on worker threads', () => {
  it('gives bit-identical parameters, optimizer state and history for workers = 1, 2, 3 (batch not a multiple of the shard size, dropout, a penalty)', async () => {
    const [one, two, three] = await Promise.all([1, 2, 3].map((workers) => fitParallel(net, p0, { x, y }, { ...opts, workers })));
    expect(bits(two!.params)).toEqual(bits(one!.params));
    expect(bits(three!.params)).toEqual(bits(one!.params));
    expect(three!.state.optState).toEqual(one!.state.optState);
    expect(two!.history).toEqual(one!.history);
    expect(three!.history).toEqual(one!.history);
    expect(one!.history.valLoss).toHaveLength(4);
    // against plain fit: the same fold, the batch sums associated by shard (rounding only)
    const ref = fit(net, p0, { x, y }, opts);
    const a = bits(one!.params);
    const b = bits(ref.params);
    const scale = Math.max(...b.map(Math.abs));
    const diff = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(diff / scale).toBeLessThan(1e-12);
    expect(diff).toBeGreaterThan(0); // the shards do change the rounding: the contract says so
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('runs recurrent layers in the threads too: an LSTM and a GRU net bit-identical for workers = 1 and 2, and fit’s when a batch is one shard', async () => {
    const rx = withShape(fromArray(60, 15, normal(key(11), 60 * 15)), [5, 3]);
    const ry = fromArray(60, 1, Array.from({ length: 60 }, (_, i) => Math.tanh(rx.data[i * 15]! + rx.data[i * 15 + 4]!)));
    const ro = { loss: mse, optimizer: adam(1e-2), epochs: 2, batchSize: 24, shardSize: 8, key: key(5) } as const;
    const check = async <P>(rnet: Layer<Shaped<[5, 3]>, 1, P>): Promise<void> => {
      const rp = rnet.init(key(2));
      const [one, two] = await Promise.all([1, 2].map((workers) => fitParallel(rnet, rp, { x: rx, y: ry }, { ...ro, workers })));
      expect(bits(two!.params)).toEqual(bits(one!.params));
      expect(two!.history).toEqual(one!.history);
      const whole = await fitParallel(rnet, rp, { x: rx, y: ry }, { ...ro, shardSize: 24, workers: 2 });
      expect(bits(whole.params)).toEqual(bits(fit(rnet, rp, { x: rx, y: ry }, ro).params));
    };
    await check(sequential(lstm([5, 3], 6), dense(6, 1)));
    await check(sequential(gru([5, 3], 5, { returnSequences: true }), flatten([5, 5]), dense(25, 1)));
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('runs timeDistributed (dropout inside: a shard draws its own rows\' entries of the B·T-row mask) as fit does, to rounding', async () => {
    const rx = withShape(fromArray(60, 15, normal(key(11), 60 * 15)), [5, 3]);
    const ry = fromArray(60, 1, Array.from({ length: 60 }, (_, i) => Math.tanh(rx.data[i * 15]! + rx.data[i * 15 + 4]!)));
    const ro = { loss: mse, optimizer: adam(1e-2), epochs: 2, batchSize: 24, shardSize: 8, key: key(5), workers: 2 } as const;
    const tnet = sequential(timeDistributed(sequential(dense(3, 6), relu, dropout(0.3), dense(6, 2)), 5), flatten([5, 2]), dense(10, 1));
    const tp = tnet.init(key(2));
    const sharded = await fitParallel(tnet, tp, { x: rx, y: ry }, ro);
    const a = bits(sharded.params);
    const b = bits(fit(tnet, tp, { x: rx, y: ry }, ro).params);
    const scale = Math.max(...b.map(Math.abs));
    // a shard drawing another row's mask entries would move the parameters by far more than rounding
    expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / scale).toBeLessThan(1e-12);
    expect(a).not.toEqual(bits(tp));
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('is plain fit bit for bit when a batch is one shard (the reduction is then g = g_0)', async () => {
    const o = { ...opts, shardSize: 40 };
    const got = await fitParallel(net, p0, { x, y }, { ...o, workers: 1 });
    const ref = fit(net, p0, { x, y }, o);
    expect(bits(got.params)).toEqual(bits(ref.params));
    expect(got.state.optState).toEqual(ref.state.optState);
    expect(got.history).toEqual(ref.history);
  });

  it('stops early as fit does, and leaves no worker running', async () => {
    const o = { ...opts, optimizer: sgd(0.3), epochs: 30, earlyStopping: { patience: 1 } };
    const got = await fitParallel(net, p0, { x, y }, { ...o, workers: 2 });
    expect(got.stopReason._tag).toBe('EarlyStopped');
    expect(got.history.bestEpoch).toBeLessThan(got.state.epoch);
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('terminates its workers when the caller leaves the lazy form early', async () => {
    const seen: number[] = [];
    for await (const s of fitParallelEpochs(net, p0, { x, y }, { ...opts, workers: 2 })) {
      seen.push(s.epoch);
      expect(liveWorkers()).toBe(1);
      if (s.epoch === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('rejects with the worker’s cause when a worker fails, and terminates the others', async () => {
    const tiny = { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1, codeRangeSizeMb: 1 };
    await expect(fitParallel(net, p0, { x, y }, { ...opts, workers: 3, resourceLimits: tiny })).rejects.toThrow(/fitParallel: worker \d (failed|exited)/);
    expect(liveWorkers()).toBe(0);
  }, 60_000);

  it('refuses, before any thread starts, a layer or a loss a worker cannot rebuild, naming the part', async () => {
    // a user layer under a built-in's name: what it is decides, not what it is called
    const double = defineLayer<16, 16, Record<string, never>>({
      kind: 'dense', inputDim: 16, outputDim: 16, init: () => ({}),
      forward: (_p, m) => ops.scale(m, 2) as never, vjp: (_p, m) => [ops.scale(m, 2) as never, (dy) => [{}, ops.scale(dy, 2) as never]],
      jvp: (_p, m, _dp, dx) => [ops.scale(m, 2) as never, ops.scale(dx, 2) as never],
    });
    const custom = sequential(dense(3, 16), double, dense(16, 2));
    const r = await fitParallelEither(custom, custom.init(key(1)), { x, y }, { ...opts, workers: 2 });
    expect(E.isLeft(r) && r.left.option).toBe('model');
    expect(E.isLeft(r) && r.left.message).toMatch(/^fitParallel: the layer at \[1\] \(kind 'dense'\) has no lowered form/);
    const own = defineLoss('mine', (yhat, t, grad, s) => mse.valueAndGrad(yhat, t)[0] * yhat.rows + (grad === null ? 0 : s * 0));
    const l = await fitParallelEither(net, p0, { x, y }, { ...opts, loss: own, workers: 2 });
    expect(E.isLeft(l) && l.left.message).toMatch(/^fitParallel: the loss 'mine' is not a built-in loss/);
    const w = await fitParallelEither(net, p0, { x, y }, { ...opts, workers: 0 });
    expect(E.isLeft(w) && w.left.option).toBe('workers');
    expect(liveWorkers()).toBe(0);
  });
});
