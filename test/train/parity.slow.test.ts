/**
 * Parity with independent implementations (PyTorch, TensorFlow.js, plain JS): fed the benchmark
 * workloads' data, initial weights and per-epoch permutations (generated in-process by
 * bench/data.ts; the workloads are described in bench/README.md), `fit` must end at the same
 * training MSE those implementations reach (the "oracle" losses).
 *
 * Their MSE is the mean over batch rows AND outputs, without ½. foldnet's `mse` is
 * (1/B)Σ½‖y − ŷ‖²; for W1 (one output) theirs is 2× ours, so W1 trains with `meanSquaredError`
 * below (their definition, gradient 2(ŷ − y)/(B·C)); for W3 (two outputs) the two coincide, value
 * and gradient, so W3 uses `mse` itself.
 */
import { describe, expect, it } from 'vitest';
import { dense, fit, fromArray, mse, relu, sequential, sgd, key, type Loss, type Mat } from '../../src/index.js';
import { unsafeVec } from '../../src/tensor/mat.js';
import * as Ops from '../../src/tensor/ops.js';
import { makeWorkloadData } from '../../bench/data.js';

const d = makeWorkloadData();
const mat = <R extends number, C extends number>(r: R, c: C, data: Float32Array): Mat<R, C> => fromArray(r, c, Float64Array.from(data));
const layer = <I extends number, O extends number>(tag: 'w1' | 'w3', l: number, i: I, o: O) => ({ w: mat(i, o, d.inits[tag][l]!), b: unsafeVec(o, new Float64Array(o)) });

/** PyTorch's / TensorFlow.js's MSE: mean over rows and outputs, no ½. */
const meanSquaredError: Loss<number> = {
  kind: 'meanSquaredError',
  value: (yhat, y) => yhat.data.reduce((s, v, i) => s + (v - y.data[i]!) ** 2, 0) / yhat.data.length,
  valueAndGrad: (yhat, y) => {
    const diff = Ops.sub(yhat, y);
    const value = diff.data.reduce((s, v) => s + v * v, 0) / diff.data.length;
    return [value, Ops.scale(diff, 2 / diff.data.length)] as const;
  },
};

describe('parity with PyTorch / TensorFlow.js on the benchmark workloads (slow)', () => {
  it('W1-B64: 32-64-64-1 ReLU, SGD 0.01, B = 64 over the given permutations, 5 epochs → train MSE 0.16133', () => {
    const n = 20000;
    const x = mat(n, 32, d.X);
    const y = mat(n, 1, d.yReg);
    const perm = d.perm;
    const net = sequential(dense(32, 64), relu, dense(64, 64), relu, dense(64, 1));
    const p0 = [layer('w1', 0, 32, 64), {}, layer('w1', 1, 64, 64), {}, layer('w1', 2, 64, 1)] as const;
    const r = fit(net, p0 as unknown as Parameters<typeof net.forward>[0], { x, y }, {
      loss: meanSquaredError, optimizer: sgd(0.01), epochs: 5, batchSize: 64, key: key(0),
      order: (e) => perm.subarray((e - 1) * n, e * n), exactTrainLoss: true,
    });
    expect(r.history.updates).toEqual([313, 313, 313, 313, 313]);
    console.info(`W1-B64 final train MSE ${r.history.trainLoss[4]} (oracle 0.16133)`);
    expect(r.history.trainLoss[4]).toBeCloseTo(0.16133, 4);
  }, 120_000);

  it('W3: the lecture network 4-8-6-4-2, online SGD 0.01 in file order, 4 epochs → MSE 0.0324195', () => {
    const x = mat(1000, 4, d.tinyX);
    const y = mat(1000, 2, d.tinyY);
    const net = sequential(dense(4, 8), relu, dense(8, 6), relu, dense(6, 4), relu, dense(4, 2));
    const p0 = [layer('w3', 0, 4, 8), {}, layer('w3', 1, 8, 6), {}, layer('w3', 2, 6, 4), {}, layer('w3', 3, 4, 2)] as const;
    const r = fit(net, p0 as unknown as Parameters<typeof net.forward>[0], { x, y }, {
      loss: mse, optimizer: sgd(0.01), epochs: 4, batchSize: 1, key: key(0), shuffle: false, exactTrainLoss: true,
    });
    expect(r.history.updates).toEqual([1000, 1000, 1000, 1000]);
    console.info(`W3 final train MSE ${r.history.trainLoss[3]} (oracle 0.0324195)`);
    expect(Math.abs(r.history.trainLoss[3]! / 0.0324195 - 1)).toBeLessThan(1e-4);
  }, 60_000);
});
