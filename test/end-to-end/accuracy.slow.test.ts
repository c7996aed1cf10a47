/**
 * Real data (slow): the accuracy reference's PyTorch-anchor protocol (examples/README.md) on the
 * bundled iris and breast_cancer data — the given 5 splits, standardization fitted on the train split, in → 64 → ReLU → 64 → ReLU → C,
 * softmax cross-entropy, Adam 1e-3, batch 32 reshuffled every epoch, the L2 term
 * ½·α·Σw²/32 (α = 1e-4, weights only), exactly 200 epochs. The mean test accuracy over the splits
 * must be within one split-std of the reference MLP.
 * CSV parsing and standardization are done minimally here so the test depends only on fit.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  adam, argmaxRows, dense, excludeBiases, fit, fromArray, key, l2Penalty, predict, relu, sequential, softmaxCrossEntropy, type Layer, type Mat,
} from '../../src/index.js';

const dataDir = resolve(__dirname, '../../data');

interface Table { readonly features: number[][]; readonly labels: number[]; readonly splits: { train: number[]; test: number[] }[] }

const load = (name: string): Table => {
  const lines = readFileSync(resolve(dataDir, `${name}.csv`), 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  const splits = (JSON.parse(readFileSync(resolve(dataDir, `${name}.splits.json`), 'utf8')) as { splits: { train: number[]; test: number[] }[] }).splits;
  return { features: rows.map((r) => r.slice(0, -1)), labels: rows.map((r) => r[r.length - 1]!), splits };
};

/** (x − mean) / std with the train rows' mean and population std (1 where std is 0). */
const standardizer = (train: number[][]): ((rows: number[][]) => number[][]) => {
  const d = train[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => train.reduce((s, r) => s + r[j]!, 0) / train.length);
  const std = mean.map((m, j) => Math.sqrt(train.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / train.length) || 1);
  return (rows) => rows.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
};

const accuracyOnSplits = <I extends number, C extends number, P>(t: Table, net: Layer<I, C, P>): number[] =>
  t.splits.map((split, seed) => {
    const inputs = net.inputDim;
    const classes = net.outputDim;
    const scale = standardizer(split.train.map((i) => t.features[i]!));
    const xOf = (idx: number[]): Mat<number, I> => fromArray(idx.length, inputs, scale(idx.map((i) => t.features[i]!)).flat());
    const yOf = (idx: number[]): Mat<number, C> =>
      fromArray(idx.length, classes, idx.flatMap((i) => Array.from({ length: classes }, (_, c) => (c === t.labels[i] ? 1 : 0))));
    const r = fit(net, net.init(key(100 + seed)), { x: xOf(split.train), y: yOf(split.train) }, {
      loss: softmaxCrossEntropy, optimizer: adam(1e-3), epochs: 200, batchSize: 32, key: key(seed),
      penalty: l2Penalty(1e-4 / (2 * 32), excludeBiases),
    });
    const predicted = argmaxRows(predict(net, r.params, xOf(split.test)));
    return predicted.filter((c, k) => c === t.labels[split.test[k]!]).length / split.test.length;
  });

const summary = (xs: number[]): { mean: number; std: number } => {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1)) };
};

describe('accuracy on real data, the reference protocol with its PyTorch anchor (slow)', () => {
  it('iris: mean test accuracy over 5 splits within one split-std of the reference 0.9667 ± 0.0577', () => {
    const { mean, std } = summary(accuracyOnSplits(load('iris'), sequential(dense(4, 64), relu, dense(64, 64), relu, dense(64, 3))));
    console.info(`iris: test accuracy ${mean.toFixed(4)} ± ${std.toFixed(4)} (reference 0.9667 ± 0.0577)`);
    expect(Math.abs(mean - 0.9667)).toBeLessThanOrEqual(0.0577);
  }, 120_000);

  it('breast_cancer: mean test accuracy over 5 splits within one split-std of the reference 0.9737 ± 0.0107', () => {
    const { mean, std } = summary(accuracyOnSplits(load('breast_cancer'), sequential(dense(30, 64), relu, dense(64, 64), relu, dense(64, 2))));
    console.info(`breast_cancer: test accuracy ${mean.toFixed(4)} ± ${std.toFixed(4)} (reference 0.9737 ± 0.0107)`);
    expect(Math.abs(mean - 0.9737)).toBeLessThanOrEqual(0.0107);
  }, 120_000);
});
