// Exported models run in ONNX Runtime (onnxruntime-node, CPU) and compute what foldnet computes:
// every case of cases.ts, in float64 and float32, at each tested opset, on random batches of two
// sizes (the batch dimension is free); and the file imports back to the same parameters.
import * as E from 'fp-ts/lib/Either.js';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../../src/onnx.js';
import { foldIn, key } from '../../src/random.js';
import * as P from '../../src/params.js';
import type { Mat } from '../../src/tensor/mat.js';
import { randomMat } from '../support/layers.js';
import { relErr } from '../support/closeness.js';
import { dtypes, exportable, onnxCases, opsets } from './cases.js';

const TOLERANCE = { float64: 1e-12, float32: 1e-5 } as const;

/** Runs the ONNX model on `x` in ONNX Runtime, in the model's dtype. */
const runOrt = async (bytes: Uint8Array, x: Mat<number, number>, dtype: 'float32' | 'float64'): Promise<ArrayLike<number>> => {
  const session = await ort.InferenceSession.create(bytes);
  const data = dtype === 'float64' ? Float64Array.from(x.data) : Float32Array.from(x.data);
  const out = await session.run({ input: new ort.Tensor(dtype, data, [x.rows, x.cols]) });
  return out['output']!.data as ArrayLike<number>;
};

const unwrap = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message);
  return e.right;
};

describe('exported models compute in ONNX Runtime what foldnet computes', () => {
  for (const c of onnxCases()) {
    for (const dtype of dtypes) {
      for (const opset of opsets) {
        if (!exportable(c, dtype, opset)) {
          it(`${c.name}, ${dtype}, opset ${opset}: a Left naming the layer and what it needs`, () => {
            const r = toOnnx(c.net, c.params, { dtype, opset });
            expect(E.isLeft(r) && r.left.message).toMatch(c.refusal!(dtype, opset)!);
          });
          continue;
        }
        it(`${c.name}, ${dtype}, opset ${opset}: ≤ ${TOLERANCE[dtype]} relative on batches of 7 and 1`, async () => {
          const bytes = unwrap(toOnnx(c.net, c.params, { dtype, opset }));
          for (const [i, rows] of [7, 1].entries()) {
            const x = randomMat(foldIn(key(21), i), rows, c.net.inputDim, 3);
            const got = await runOrt(bytes, x, dtype);
            const want = c.net.forward(c.params, x).data;
            expect(got.length).toBe(want.length);
            expect(relErr(got, want)).toBeLessThanOrEqual(TOLERANCE[dtype]);
          }
        });
      }
    }
  }
});

describe('an exported model imports back to its parameters', () => {
  for (const c of onnxCases()) {
    it(`${c.name}: float64 gives the same bits, float32 each parameter rounded to float32`, () => {
      const back64 = unwrap(fromOnnx(c.net, unwrap(toOnnx(c.net, c.params, { dtype: 'float64' }))));
      expect(P.flatten(back64)).toEqual(P.flatten(c.params));
      expect(P.flatten(back64).every((v, i) => Object.is(v, P.flatten(c.params)[i]))).toBe(true);
      const back32 = unwrap(fromOnnx(c.net, unwrap(toOnnx(c.net, c.params, { dtype: 'float32' }))));
      expect(P.flatten(back32)).toEqual(P.flatten(c.params).map(Math.fround));
    });
  }
});

describe('the graph has named input and output and a free batch dimension', () => {
  it('uses the names given in the options', async () => {
    const c = onnxCases()[1]!;
    const bytes = unwrap(toOnnx(c.net, c.params, { inputName: 'features', outputName: 'scores' }));
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['scores']);
    const x = randomMat(key(3), 33, c.net.inputDim);
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(x.data), [33, c.net.inputDim]) });
    expect(out['scores']!.dims).toEqual([33, c.net.outputDim]);
  });
});
