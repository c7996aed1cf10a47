import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  adam, dense, dropout, fit, fitStream, sgd, fitStreamEither, fitStreamEpochs, fromArray, key, mse, normal, params as Params, permutation, relu, sequential,
  takeRows, type Dataset, type Mat,
} from '../../src/index.js';

const N = 53;
const xs = normal(key(7), N * 3);
const x = fromArray(N, 3, xs);
const y = fromArray(N, 1, Array.from({ length: N }, (_, i) => Math.sin(xs[3 * i]!) - 0.3 * xs[3 * i + 1]! * xs[3 * i + 2]!));
const vx = fromArray(12, 3, normal(key(8), 36));
const validation = { x: vx, y: fromArray(12, 1, Array.from({ length: 12 }, (_, i) => Math.sin(vx.data[3 * i]!))) };
const net = sequential(dense(3, 8), relu, dropout(0.2), dense(8, 1));
const p0 = net.init(key(1));
const B = 8;
// the row order of epoch e, given to fit as `order` and to the stream as its batches
const orderOf = (e: number): Int32Array => permutation(key(100 + e), N);
const batches = function* (e: number): Generator<Dataset<3, 1>> {
  const idx = Array.from(orderOf(e));
  for (let a = 0; a < N; a += B) {
    const rows = idx.slice(a, a + B);
    yield { x: takeRows(x, rows) as Mat<number, 3>, y: takeRows(y, rows) as Mat<number, 1> };
  }
};
const asyncBatches = async function* (e: number): AsyncGenerator<Dataset<3, 1>> {
  yield* batches(e);
};
const common = { loss: mse, epochs: 6, key: key(3), validation, earlyStopping: { patience: 2 } } as const;

describe('fitStream: the fold of fit over batches that arrive one at a time', () => {
  it('equals fit bit for bit (params, optimizer state, history) given the same batches in the same order', async () => {
    const ref = fit(net, p0, { x, y }, { ...common, optimizer: adam(1e-2), batchSize: B, order: (e) => orderOf(e) });
    const got = await fitStream(net, p0, asyncBatches, { ...common, optimizer: adam(1e-2) });
    expect(Params.flatten(got.params)).toEqual(Params.flatten(ref.params));
    expect(Params.flatten(got.state.params)).toEqual(Params.flatten(ref.state.params));
    expect(got.history).toEqual(ref.history);
    expect(got.stopReason).toEqual(ref.stopReason);
    expect(got.state.step).toBe(ref.state.step);
  });

  it('equals fit bit for bit through the generic step too (an optimizer without a lowered form)', async () => {
    const a = adam(1e-2);
    const plain = () => ({ init: a.init, update: a.update });
    const ref = fit(net, p0, { x, y }, { ...common, optimizer: plain(), batchSize: B, order: (e) => orderOf(e) });
    const got = await fitStream(net, p0, batches, { ...common, optimizer: plain() });
    expect(Params.flatten(got.params)).toEqual(Params.flatten(ref.params));
    expect(got.history).toEqual(ref.history);
  });

  it('batches of changing sizes (a larger one recompiles the program mid-epoch, the state carried over) equal the generic step', async () => {
    const sizes = [3, 8, 5, 13, 2, 13, 9];
    const uneven = function* (e: number): Generator<Dataset<3, 1>> {
      const idx = Array.from(orderOf(e));
      for (let a = 0, b = 0; a < N; a += sizes[b % sizes.length]!, b++) {
        const rows = idx.slice(a, a + sizes[b % sizes.length]!);
        yield { x: takeRows(x, rows) as Mat<number, 3>, y: takeRows(y, rows) as Mat<number, 1> };
      }
    };
    const a = adam(1e-2);
    const got = await fitStream(net, p0, uneven, { ...common, optimizer: a });
    const ref = await fitStream(net, p0, uneven, { ...common, optimizer: { init: a.init, update: a.update } });
    expect(Params.flatten(got.params)).toEqual(Params.flatten(ref.params));
    expect(JSON.stringify(got.state.optState)).toEqual(JSON.stringify(ref.state.optState));
    expect(got.history).toEqual(ref.history);
    expect(got.state.step).toBe(ref.state.step);
  });

  it('a divergence in the middle of an epoch stops with the last finite state, as the generic step does', async () => {
    const s = sgd(3);
    const got = await fitStream(net, p0, batches, { ...common, earlyStopping: undefined, optimizer: s });
    const ref = await fitStream(net, p0, batches, { ...common, earlyStopping: undefined, optimizer: { init: s.init, update: s.update } });
    expect(got.stopReason._tag).toBe('Diverged');
    expect(got.stopReason).toEqual(ref.stopReason);
    expect(got.state.step % Math.ceil(N / B)).not.toBe(0); // mid-epoch
    expect(Params.flatten(got.state.params)).toEqual(Params.flatten(ref.state.params));
    expect(Params.flatten(got.state.params).every(Number.isFinite)).toBe(true);
  });

  it('the lazy form yields one state per epoch, replays on a second pass, and resumes', async () => {
    const opts = { loss: mse, epochs: 4, key: key(3), optimizer: adam(1e-2) } as const;
    const states = fitStreamEpochs(net, p0, asyncBatches, opts);
    const first: number[] = [];
    for await (const s of states) first.push(s.epoch);
    const again = [];
    for await (const s of states) again.push(s);
    expect(first).toEqual([1, 2, 3, 4]);
    expect(again.map((s) => s.epoch)).toEqual(first);
    const resumed = await fitStream(net, p0, asyncBatches, { ...opts, resume: again[1]! });
    expect(Params.flatten(resumed.params)).toEqual(Params.flatten(again[3]!.params));
    expect(resumed.history).toEqual(again[3]!.history);
  });

  it('a one-shot generator is named when the second epoch finds it used up', async () => {
    const r = await fitStreamEither(net, p0, asyncBatches(1), { loss: mse, epochs: 2, key: key(3), optimizer: adam(1e-2) });
    expect(E.isLeft(r) && r.left.message).toMatch(/no batches in epoch 2 .*one-shot/);
  });

  it('a batch of the wrong width or with a NaN is a Left naming the batch and epoch', async () => {
    const bad = function* (): Generator<Dataset<3, 1>> {
      const [b1] = batches(1);
      yield b1!;
      yield { x: fromArray(2, 3, [1, 2, NaN, 4, 5, 6]) as Mat<number, 3>, y: fromArray(2, 1, [1, 2]) as Mat<number, 1> };
    };
    const r = await fitStreamEither(net, p0, () => bad(), { loss: mse, epochs: 1, key: key(3), optimizer: adam(1e-2) });
    expect(E.isLeft(r) && r.left.message).toMatch(/^fitStream: batch 2 of epoch 1: .*NaN/);
    const wide = [{ x: fromArray(1, 2, [1, 2]) as unknown as Mat<number, 3>, y: fromArray(1, 1, [1]) as Mat<number, 1> }];
    const w = await fitStreamEither(net, p0, wide, { loss: mse, epochs: 1, key: key(3), optimizer: adam(1e-2) });
    expect(E.isLeft(w) && w.left.message).toMatch(/batch 1 of epoch 1: data.x has 2 columns but the model takes 3 inputs/);
    await expect(fitStream(net, p0, wide, { loss: mse, epochs: -1, key: key(3), optimizer: adam(1e-2) })).rejects.toThrow(/epochs must be an integer/);
  });
});
