import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { makeWorkloadData, workloadFiles, N, EPOCHS } from '../../bench/data.js';
import { metrics, type TrainSpec } from '../../bench/peers/common.js';
import { foldnetTrain } from '../../bench/peers/foldnet.js';

// The workloads' oracle losses (bench/README.md): what PyTorch, TensorFlow.js and plain JS loops all reach.
const d = makeWorkloadData();
const X = Float64Array.from(d.X);
const yReg = Float64Array.from(d.yReg);
const perms = Array.from({ length: EPOCHS }, (_, e) => d.perm.subarray(e * N, (e + 1) * N));
const ident = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const sgd = (lr: number) => ({ kind: 'sgd', lr }) as const;

const finalMetrics = (s: TrainSpec): { loss: number; acc?: number } => {
  const r = foldnetTrain(s);
  return metrics(s, r.predict(s.x, s.rows) as Float64Array);
};

describe('the workloads\' oracle losses, reproduced by foldnet (fit, immutable forward)', () => {
  it('W3 (4-8-6-4-2, online SGD, 4 epochs): MSE 0.0324195', () => {
    const s: TrainSpec = { id: 'W3', sizes: d.layers.w3, inits: d.inits.w3, x: Float64Array.from(d.tinyX), y: Float64Array.from(d.tinyY), rows: 1000, orders: Array.from({ length: 4 }, () => ident(1000)), batch: 1, loss: 'mse', opt: sgd(0.01), unit: 'steps/s' };
    expect(finalMetrics(s).loss).toBeCloseTo(0.0324195, 6);
  });

  it('W1-B64 (32-64-64-1, SGD 0.01, 5 epochs): MSE 0.16133', () => {
    const s: TrainSpec = { id: 'W1-B64', sizes: d.layers.w1, inits: d.inits.w1, x: X, y: yReg, rows: N, orders: perms, batch: 64, loss: 'mse', opt: sgd(0.01), unit: 'rows/s' };
    expect(finalMetrics(s).loss).toBeCloseTo(0.16133, 5);
  });

  it('W1-B256: MSE 0.214196', () => {
    const s: TrainSpec = { id: 'W1-B256', sizes: d.layers.w1, inits: d.inits.w1, x: X, y: yReg, rows: N, orders: perms, batch: 256, loss: 'mse', opt: sgd(0.01), unit: 'rows/s' };
    expect(finalMetrics(s).loss).toBeCloseTo(0.214196, 6);
  });

  it('W1-B1 (first 2000 rows of permutation 0, online SGD, 3 passes): MSE 0.2022 over all 20000 rows', () => {
    const x1 = new Float64Array(2000 * 32);
    const y1 = new Float64Array(2000);
    for (let r = 0; r < 2000; r++) {
      const i = perms[0]![r]!;
      x1.set(X.subarray(i * 32, i * 32 + 32), r * 32);
      y1[r] = yReg[i]!;
    }
    const s: TrainSpec = { id: 'W1-B1', sizes: d.layers.w1, inits: d.inits.w1, x: x1, y: y1, rows: 2000, orders: [ident(2000), ident(2000), ident(2000)], batch: 1, loss: 'mse', opt: sgd(0.01), unit: 'steps/s' };
    // "MSE over all rows": the trained net scored on all 20000 rows of the data set
    const r = foldnetTrain(s);
    const all: TrainSpec = { ...s, x: X, y: yReg, rows: N };
    expect(metrics(all, r.predict(X, N) as Float64Array).loss).toBeCloseTo(0.2022, 4);
  });

  it('W2 (32-128-128-4, softmax CE, Adam, B=128, 5 epochs): accuracy 0.8995, CE 0.2582', () => {
    const oneHot = new Float64Array(N * 4);
    d.yCls.forEach((c, i) => (oneHot[i * 4 + c] = 1));
    const s: TrainSpec = { id: 'W2', sizes: d.layers.w2, inits: d.inits.w2, x: X, y: oneHot, rows: N, orders: perms, batch: 128, loss: 'ce', opt: { kind: 'adam', lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 }, unit: 'rows/s' };
    const m = finalMetrics(s);
    expect(m.acc).toBeCloseTo(0.8995, 4);
    expect(m.loss).toBeCloseTo(0.2582, 4);
  });
});

describe('the bench data generator', () => {
  // sha256 of each file the original JavaScript generator writes (the one the PyTorch and
  // TensorFlow.js oracle runs were fed), recorded in bench/workload-data.sha256.
  const listed = new Map(
    readFileSync(new URL('../../bench/workload-data.sha256', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(66), line.slice(0, 64)] as const),
  );
  it('writes the same bytes as the generator the oracle losses were measured on (sha256 of every file)', () => {
    const files = workloadFiles(d);
    expect([...files.keys()].sort()).toEqual([...listed.keys()].sort());
    for (const [name, bytes] of files) {
      expect(createHash('sha256').update(bytes).digest('hex'), name).toBe(listed.get(name));
    }
  });
});
