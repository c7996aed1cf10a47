// MLPs and LSTM/GRU forecasters exported from PyTorch (torch.onnx.export;
// scripts/onnx-pytorch-fixtures.py made the files in test/fixtures/onnx) import into typed foldnet
// nets, which then predict what PyTorch predicted.
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { fromOnnx } from '../../src/onnx.js';
import { dense } from '../../src/layer/dense.js';
import { leakyRelu, relu, sigmoid, softmax, tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { gru, lstm } from '../../src/layer/recurrent.js';
import { standardizeWith } from '../../src/layer/standardize.js';
import { fromRows, unsafeVec } from '../../src/tensor/mat.js';
import type { AnyLayer } from '../support/layers.js';
import { relErr } from '../support/closeness.js';
import { decodeModel } from '../../src/onnx/wire.js';

const fixture = (name: string) => ({
  bytes: new Uint8Array(readFileSync(new URL(`../fixtures/onnx/${name}.onnx`, import.meta.url))),
  ...(JSON.parse(readFileSync(new URL(`../fixtures/onnx/${name}.json`, import.meta.url), 'utf8')) as { operators: string[]; input: number[][]; output: number[][] }),
});

const f32 = (xs: readonly number[]) => unsafeVec(xs.length, Float64Array.from(xs.map(Math.fround)));

const cases: readonly { readonly name: string; readonly operators: readonly string[]; readonly net: AnyLayer }[] = [
  { name: 'gemm-mlp', operators: ['Gemm', 'Relu', 'Gemm'], net: sequential(dense(4, 8), relu, dense(8, 3)) },
  { name: 'matmul-mlp', operators: ['MatMul', 'Add', 'Tanh', 'MatMul', 'Add', 'Softmax'], net: sequential(dense(5, 6), tanh, dense(6, 4), softmax) },
  {
    name: 'matmul-transpose-mlp',
    operators: ['Sub', 'Div', 'Transpose', 'MatMul', 'Add', 'LeakyRelu', 'Transpose', 'MatMul', 'Add', 'Sigmoid'],
    // the statistics the PyTorch model standardizes with (float32 there)
    net: sequential(standardizeWith(f32([5.8, 3.1, 3.7, 1.2]), f32([0.8, 0.4, 1.7, 0.75])), dense(4, 6), leakyRelu(0.2), dense(6, 2), sigmoid),
  },
  // nn.LSTM / nn.GRU(3, 4, batch_first) on rows reshaped to 5 steps, Linear(4, 1) on h[-1]
  ...(['lstm', 'gru'] as const).map((cell) => ({
    name: `${cell}-forecaster`,
    operators: ['Constant', 'Reshape', 'Shape', 'Constant', 'Gather', 'Constant', 'Constant', 'Unsqueeze', 'Constant', 'Concat', 'ConstantOfShape', 'Transpose', cell.toUpperCase(), 'Constant', 'Gather', 'Gemm'],
    net: sequential((cell === 'lstm' ? lstm : gru)([5, 3], 4), dense(4, 1)),
  })),
];

describe('MLPs and recurrent forecasters exported from PyTorch import into typed nets', () => {
  for (const c of cases) {
    it(`${c.name} (${c.operators.join(', ')}) predicts what PyTorch predicted, ≤ 1e-5 relative`, () => {
      const f = fixture(c.name);
      // the fixture has the pattern this case claims
      const model = decodeModel(f.bytes);
      expect(E.isRight(model) && model.right.graph?.node.map((n) => n.op_type)).toEqual(c.operators);
      const params = fromOnnx(c.net, f.bytes);
      if (E.isLeft(params)) throw new Error(params.left.message);
      const y = c.net.forward(params.right, fromRows(f.input)).data;
      const want = f.output.flat();
      expect(relErr(y, want)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('names the first layer that differs: a net with a tanh where PyTorch has ReLU', () => {
    const r = fromOnnx(sequential(dense(4, 8), tanh, dense(8, 3)), fixture('gemm-mlp').bytes);
    expect(E.isLeft(r) && r.left.message).toMatch(/^layer 2 \(tanh\): expected Tanh, got Relu node/);
  });

  it('names the first layer whose shape differs: a hidden width of 7 where PyTorch has 8', () => {
    const r = fromOnnx(sequential(dense(4, 7), relu, dense(7, 3)), fixture('gemm-mlp').bytes);
    expect(E.isLeft(r) && r.left.message).toMatch(/^layer 1 \(dense\): expected the weight of a dense 4→7 layer to be a constant 7×4 tensor, got a 8×4 tensor/);
  });

  it('refuses a model scaled differently: standardize statistics must be the file\'s', () => {
    const net = sequential(standardizeWith(f32([5.8, 3.1, 3.7, 1.3]), f32([0.8, 0.4, 1.7, 0.75])), dense(4, 6), leakyRelu(0.2), dense(6, 2), sigmoid);
    const r = fromOnnx(net, fixture('matmul-transpose-mlp').bytes);
    expect(E.isLeft(r) && r.left.message).toMatch(/^layer 1 \(standardize\): expected the standardize layer's mean 1\.29\d* in column 4, got 1\.2\d* in Sub node/);
  });
});
