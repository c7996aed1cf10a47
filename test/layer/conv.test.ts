// Convolution, pooling and flatten: derivatives against finite differences, outputs against a
// direct (loop-by-definition) convolution, and the shapes the compiler computed.
import { describe, expect, it } from 'vitest';
import { conv1d, conv2d } from '../../src/layer/conv.js';
import { avgPool, globalAvgPool, maxPool } from '../../src/layer/pool.js';
import { flatten } from '../../src/layer/flatten.js';
import { dense } from '../../src/layer/dense.js';
import { relu, tanh } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import { dyn } from '../../src/shape/dim.js';
import { key } from '../../src/random.js';
import { fromArray } from '../../src/tensor/mat.js';
import { withShape } from '../../src/shape/shaped.js';
import { randomLike, randomMat, type AnyLayer } from '../support/layers.js';
import { relErr } from '../support/closeness.js';
import { checkDerivatives } from './helpers.js';

const cases: readonly { name: string; layer: AnyLayer }[] = [
  { name: 'conv2d 3×3 valid', layer: conv2d([5, 6, 2], { filters: 3, kernel: 3 }) },
  { name: 'conv2d 3×2 stride 2 same', layer: conv2d([5, 6, 2], { filters: 2, kernel: [3, 2], stride: 2, padding: 'same' }) },
  { name: 'conv2d 2×2 stride [1, 2] valid', layer: conv2d([4, 5, 3], { filters: 2, kernel: 2, stride: [1, 2] }) },
  { name: 'conv1d k3 same', layer: conv1d([7, 3], { filters: 4, kernel: 3, padding: 'same' }) },
  { name: 'conv1d k2 stride 2', layer: conv1d([7, 3], { filters: 2, kernel: 2, stride: 2 }) },
  { name: 'maxPool 2-D 2', layer: maxPool([4, 6, 2], 2) },
  { name: 'maxPool 2-D 3 stride 1', layer: maxPool([4, 5, 2], 3, { stride: 1 }) },
  { name: 'maxPool 1-D 2', layer: maxPool([7, 3], 2) },
  { name: 'avgPool 2-D [2, 3]', layer: avgPool([4, 6, 2], [2, 3]) },
  { name: 'avgPool 1-D 3 stride 2', layer: avgPool([7, 3], 3, { stride: 2 }) },
  { name: "maxPool 2-D 2 'same' on odd sizes", layer: maxPool([5, 7, 2], 2, { padding: 'same' }) },
  { name: "maxPool 2-D [3, 2] stride [2, 3] 'same'", layer: maxPool([5, 6, 2], [3, 2], { stride: [2, 3], padding: 'same' }) },
  { name: "maxPool 1-D 3 stride 1 'same'", layer: maxPool([6, 2], 3, { stride: 1, padding: 'same' }) },
  { name: "avgPool 2-D 3 stride 2 'same'", layer: avgPool([5, 6, 2], 3, { stride: 2, padding: 'same' }) },
  { name: "avgPool 1-D 4 stride 3 'same'", layer: avgPool([8, 3], 4, { stride: 3, padding: 'same' }) },
  { name: 'globalAvgPool 2-D', layer: globalAvgPool([3, 4, 2]) },
  { name: 'globalAvgPool 1-D', layer: globalAvgPool([5, 3]) },
  { name: 'flatten', layer: flatten([2, 3, 2]) },
  {
    name: 'small CNN',
    layer: sequential(conv2d([6, 6, 1], { filters: 2, kernel: 3 }), tanh, maxPool([4, 4, 2], 2), flatten([2, 2, 2]), dense(8, 3)),
  },
];

describe.each(cases)('$name', ({ layer }) => {
  it('vjp and jvp match central finite differences (max rel. error ≤ 1e-6) and are adjoint', () => {
    for (const seed of [1, 2]) checkDerivatives(layer, seed);
  });
});

/** The convolution by its definition, one output at a time. */
const directConv2d = (
  x: Float64Array, [h, w, c]: number[], wt: Float64Array, b: Float64Array, f: number,
  [kh, kw]: number[], [sh, sw]: number[], [pt, pl]: number[], [oh, ow]: number[],
): number[] => {
  const out: number[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      for (let o = 0; o < f; o++) {
        let s = b[o]!;
        for (let p = 0; p < kh; p++) {
          for (let q = 0; q < kw; q++) {
            const y = i * sh + p - pt;
            const xx = j * sw + q - pl;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
            for (let ch = 0; ch < c; ch++) s += x[(y * w + xx) * c + ch]! * wt[((p * kw + q) * c + ch) * f + o]!;
          }
        }
        out.push(s);
      }
    }
  }
  return out;
};

describe('conv2d', () => {
  it('computes the cross-correlation by its definition, padding split floor(total/2) before', () => {
    const layer = conv2d([5, 6, 2], { filters: 3, kernel: [3, 2], stride: 2, padding: 'same' });
    expect(layer.spec.outputShape).toEqual([3, 3, 3]);
    const p = randomLike(key(3), layer.init(key(3)));
    const x = withShape(randomMat(key(4), 1, 60), [5, 6, 2]);
    const y = layer.forward(p, x);
    // total padding rows: (3−1)·2 + 3 − 5 = 2 → 1 above; columns: (3−1)·2 + 2 − 6 = 0
    const want = directConv2d(x.data, [5, 6, 2], p.w.data, p.b.data, 3, [3, 2], [2, 2], [1, 0], [3, 3]);
    expect(relErr(y.data, want)).toBeLessThan(1e-14);
  });

  it('rejects a window larger than a run-time input, naming both sizes', () => {
    expect(() => conv2d([dyn(2), 5, 1], { filters: 1, kernel: 3 })).toThrow("conv2d: window 3 is larger than the input's 2 (padding 'valid')");
  });

  it('rejects a padding other than valid or same from untyped code, in convolution and pooling alike', () => {
    const full = { padding: 'full' } as unknown as { padding: 'same' };
    expect(() => conv2d([8, 8, 1], { filters: 1, kernel: 3, ...full })).toThrow("conv2d: padding must be 'valid' or 'same', got full");
    expect(() => conv1d([8, 2], { filters: 1, kernel: 3, ...full })).toThrow("conv1d: padding must be 'valid' or 'same', got full");
    expect(() => maxPool([8, 8, 1], 2, full)).toThrow("maxPool: padding must be 'valid' or 'same', got full");
    expect(() => avgPool([8, 2], 2, full)).toThrow("avgPool: padding must be 'valid' or 'same', got full");
  });

  it('a composite keeps the shapes at its ends in its spec, and a run-time shape mismatch names both shapes', () => {
    const net = sequential(conv2d([8, 8, 1], { filters: 4, kernel: 3 }), relu, maxPool([6, 6, 4], 2));
    expect(net.spec.inputShape).toEqual([8, 8, 1]);
    expect(net.spec.outputShape).toEqual([3, 3, 4]);
    expect(net.outputDim).toBe(36);
    // the compiler rejects this too; through an untyped path the run-time check names the shapes
    const untyped = (...ls: AnyLayer[]) => (sequential as unknown as (...args: AnyLayer[]) => AnyLayer)(...ls);
    expect(() => untyped(conv2d([8, 8, 1], { filters: 4, kernel: 3 }), maxPool([dyn(6), 4, 6], 2))).toThrow(
      'sequential: layer #2 expects input shape [6, 4, 6], but layer #1 outputs [6, 6, 4]',
    );
  });
});

describe("pooling with padding 'same' (TensorFlow's convention)", () => {
  it('outputs ceil(n / s) per axis, the overhang split floor(total / 2) before and the rest after', () => {
    // 1-D, n = 5, window 2, stride 2: out 3, total = (3 − 1)·2 + 2 − 5 = 1, so 0 before and 1 after
    const x = withShape(fromArray(1, 5, [1, -5, 2, 8, -3]), [5, 1]);
    expect(Array.from(maxPool([5, 1], 2, { padding: 'same' }).forward({}, x).data)).toEqual([1, 8, -3]);
    expect(Array.from(avgPool([5, 1], 2, { padding: 'same' }).forward({}, x).data)).toEqual([-2, 5, -3]);
    // window 3, stride 1: total 2, one before and one after
    expect(Array.from(maxPool([5, 1], 3, { stride: 1, padding: 'same' }).forward({}, x).data)).toEqual([1, 2, 8, 8, 8]);
    const mean = Array.from(avgPool([5, 1], 3, { stride: 1, padding: 'same' }).forward({}, x).data);
    [-2, -2 / 3, 5 / 3, 7 / 3, 2.5].forEach((v, i) => expect(mean[i]).toBeCloseTo(v, 14));
  });

  it('max pooling ignores the padding (as −∞) even where every entry inside is negative', () => {
    const x = withShape(fromArray(1, 6, [-4, -2, -7, -1, -9, -3]), [2, 3, 1]);
    const pool = maxPool([2, 3, 1], 2, { padding: 'same' });
    expect(pool.spec.outputShape).toEqual([1, 2, 1]);
    const [y, pb] = pool.vjp({}, x);
    expect(Array.from(y.data)).toEqual([-1, -3]);
    expect(Array.from(pb(withShape(fromArray(1, 2, [10, 20]), [1, 2, 1]))[1].data)).toEqual([0, 0, 0, 10, 0, 20]);
  });

  it('average pooling divides by the entries inside the input, and its vjp spreads dy over them', () => {
    const pool = avgPool([3, 3, 1], 2, { padding: 'same' });
    const x = withShape(fromArray(1, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]), [3, 3, 1]);
    const [y, pb] = pool.vjp({}, x);
    expect(Array.from(y.data)).toEqual([3, 4.5, 7.5, 9]);
    expect(Array.from(pb(withShape(fromArray(1, 4, [4, 2, 2, 1]), [2, 2, 1]))[1].data)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('maxPool', () => {
  it('takes the maximum of each window and routes the cotangent to it', () => {
    const pool = maxPool([2, 4, 1], 2);
    const x = withShape(fromArray(1, 8, [1, 5, 2, 0, 3, 4, 7, 8]), [2, 4, 1]);
    const [y, pb] = pool.vjp({}, x);
    expect(Array.from(y.data)).toEqual([5, 8]);
    expect(Array.from(pb(withShape(fromArray(1, 2, [10, 20]), [1, 2, 1]))[1].data)).toEqual([0, 10, 0, 0, 0, 0, 0, 20]);
  });
});
