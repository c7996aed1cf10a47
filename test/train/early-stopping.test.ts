import { describe, expect, it } from 'vitest';
import * as Params from '../../src/params.js';
import { key, normal, split } from '../../src/random.js';
import { unsafeMat, type Mat } from '../../src/tensor/mat.js';
import { dense } from '../../src/layer/dense.js';
import { tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { dropout } from '../../src/layer/dropout.js';
import { mse } from '../../src/loss/mse.js';
import { adam } from '../../src/optim/recipes.js';
import { fit } from '../../src/train/fit.js';
import type { Dataset } from '../../src/train/types.js';

// A small noisy problem that a 32-unit net overfits: the validation loss falls, then rises.
const [k1, k2, k3, k4] = split(key(2024), 4);
const make = (kx: typeof k1, ke: typeof k1, n: number): Dataset<4, 1> => {
  const x = unsafeMat(n, 4, normal(kx!, n * 4)) as Mat<number, 4>;
  const e = normal(ke!, n, 0.8);
  return { x, y: unsafeMat(n, 1, Float64Array.from({ length: n }, (_, i) => Math.sin(x.data[i * 4]!) + e[i]!)) as Mat<number, 1> };
};
const train = make(k1, k2, 40);
const validation = make(k3, k4, 40);
const net = sequential(dense(4, 32), tanh, dense(32, 32), tanh, dense(32, 1));
const p0 = net.init(key(1));
const base = { loss: mse, optimizer: adam(0.01), batchSize: 8, key: key(3), validation } as const;

const bits = <P>(p: P): number[] => Array.from(new Uint32Array(Params.flatten(p).buffer));

describe('early stopping', () => {
  const patience = 5;
  const r = fit(net, p0, train, { ...base, epochs: 300, earlyStopping: { patience } });
  const best = r.history.bestEpoch;

  it(`stops after \`patience\` epochs without improvement of the validation loss`, () => {
    expect(r.stopReason._tag).toBe('EarlyStopped');
    const last = r.history.valLoss.length;
    expect(best).toBeGreaterThan(1);
    expect(last).toBeLessThan(300);
    // the best epoch holds the lowest validation loss so far, and no later epoch beats it
    const v = r.history.valLoss;
    expect(Math.min(...v)).toBe(v[best - 1]);
    // exactly `patience` epochs ran after the best one
    expect(last - best).toBe(patience);
  });

  it("returns the best epoch's parameters bit for bit (same as training exactly bestEpoch epochs)", () => {
    const rerun = fit(net, p0, train, { ...base, epochs: best });
    expect(bits(r.params)).toEqual(bits(rerun.params));
    expect(bits(r.params)).not.toEqual(bits(r.state.params));
  });

  it('restores the best parameters also when the epochs run out first', () => {
    const short = fit(net, p0, train, { ...base, epochs: best + 2, earlyStopping: { patience: 50 } });
    expect(short.stopReason._tag).toBe('EpochsDone');
    expect(short.history.bestEpoch).toBe(best);
    expect(bits(short.params)).toEqual(bits(r.params));
  });

  it('restoreBest: false returns the last parameters', () => {
    const last = fit(net, p0, train, { ...base, epochs: 300, earlyStopping: { patience, restoreBest: false } });
    expect(bits(last.params)).toEqual(bits(last.state.params));
    expect(last.history.valLoss.length).toBe(r.history.valLoss.length);
  });

  it('minDelta: an improvement smaller than minDelta does not reset the patience', () => {
    const v = r.history.valLoss;
    const minDelta = 0.05;
    const coarse = fit(net, p0, train, { ...base, epochs: 300, earlyStopping: { patience, minDelta } });
    const b = coarse.history.bestEpoch;
    // every epoch after the recorded best fails to beat it by more than minDelta
    coarse.history.valLoss.slice(b).forEach((x) => expect(x).toBeGreaterThanOrEqual(v[b - 1]! - minDelta));
    expect(coarse.history.valLoss.length - b).toBe(patience);
    expect(b).toBeLessThanOrEqual(best);
  });

  it('works with dropout in the net and a validationSplit: reproducible per key', () => {
    const dnet = sequential(dense(4, 32), tanh, dropout(0.3), dense(32, 1));
    const q0 = dnet.init(key(5));
    const opts = { loss: mse, optimizer: adam(0.01), batchSize: 8, key: key(9), epochs: 200, validationSplit: 0.3, earlyStopping: { patience: 4 } } as const;
    const a = fit(dnet, q0, train, opts);
    const b = fit(dnet, q0, train, opts);
    expect(bits(a.params)).toEqual(bits(b.params));
    expect(a.history.valLoss.length).toBe(a.history.trainLoss.length);
    const again = fit(dnet, q0, train, { ...opts, epochs: a.history.bestEpoch, earlyStopping: undefined });
    expect(bits(a.params)).toEqual(bits(again.params));
  });
});
