import { describe, expect, it } from 'vitest';
import * as K from '../../src/tensor/kernels.js';
import { ensureArena, setScalarOnly, simdAvailable } from '../../src/tensor/wasm/arena.js';
import { affine } from '../../src/tensor/affine.js';
import { unsafeMat, unsafeVec } from '../../src/tensor/mat.js';
import { key, normal } from '../../src/random.js';
import { expectClose } from '../support/closeness.js';

/** The textbook triple loop: C[i,j] = act(init + Σ_p A[i,p]·B[p,j]). */
const naive = (a: Float64Array, b: Float64Array, m: number, k: number, n: number, bias?: Float64Array, relu = false): Float64Array => {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = bias === undefined ? 0 : bias[j]!;
    for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
    c[i * n + j] = relu ? (s > 0 ? s : 0) : s;
  }
  return c;
};
const transposed = (a: Float64Array, rows: number, cols: number): Float64Array => {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
};
/** Equal to 12 digits, or within 1e-12 where an entry is smaller than 1. */
const close = (x: Float64Array, y: Float64Array, tol = 1e-12): void => expectClose(x, y, tol, 1);

const sizes = [1, 3, 4, 17, 63, 65];
const shapes: [number, number, number][] = [];
for (const m of sizes) for (const k of [1, 3, 17, 65]) for (const n of sizes) if ((m * 7 + k * 3 + n) % 3 === 0 || m === 1) shapes.push([m, k, n]);
shapes.push([64, 32, 64], [128, 128, 4], [1, 32, 64], [130, 70, 90]);

describe('scalar register-blocked GEMM', () => {
  it.each(shapes)('matmul, matmulTransA, matmulTransB and fused bias+ReLU match the naive loop at %i×%i·%i×…', (m, k, n) => {
    const a = normal(key(m * 1000 + k), m * k, 1);
    const b = normal(key(k * 1000 + n + 1), k * n, 1);
    const bias = normal(key(n + 7), n, 1);
    const ref = naive(a, b, m, k, n);
    const out = new Float64Array(m * n);
    K.matmul(a, b, out, m, k, n);
    close(out, ref);
    const outTA = new Float64Array(m * n);
    K.matmulTransA(transposed(a, m, k), b, outTA, k, m, n);
    close(outTA, ref);
    const outTB = new Float64Array(m * n);
    K.matmulTransB(a, transposed(b, k, n), outTB, m, k, n);
    close(outTB, ref);
    const acc = out.slice();
    K.matmul(a, b, acc, m, k, n, true);
    close(acc, ref.map((v) => 2 * v));
    const fused = new Float64Array(m * n);
    K.matmulBiasAct(a, b, bias, fused, m, k, n, 1);
    close(fused, naive(a, b, m, k, n, bias, true));
  });
});

describe('WebAssembly SIMD GEMM in the arena', () => {
  it('is selected when the engine validates the SIMD module (Node 20 does)', () => {
    expect(simdAvailable()).toBe(true);
    setScalarOnly(false);
    expect(ensureArena(1024).simd).toBe(true);
  });

  for (const scalar of [false, true]) {
    it.each(shapes)(`${scalar ? 'scalar' : 'SIMD'} arena path agrees with the naive loop (all modes, strided A) at %i×%i·%i`, (m, k, n) => {
      setScalarOnly(scalar);
      try {
        const ar = ensureArena(3 * (m * k + k * n + m * n) + 3 * n + 64);
        expect(ar.simd).toBe(!scalar);
        const f = ar.f64;
        const a = normal(key(m + 31 * k), m * k, 1);
        const b = normal(key(n + 17 * k), k * n, 1);
        const bias = normal(key(n), n, 1);
        const A = 1; // odd offset: unaligned operands must work too
        const At = A + m * k;
        const Bo = At + m * k;
        const bo = Bo + k * n;
        const C = bo + n;
        f.set(a, A);
        f.set(transposed(a, m, k), At);
        f.set(b, Bo);
        f.set(bias, bo);
        ar.gemm(A, k, 1, Bo, n, C, n, bo, m, k, n, 0, 0);
        close(f.slice(C, C + m * n), naive(a, b, m, k, n));
        ar.gemm(At, 1, m, Bo, n, C, n, bo, m, k, n, 0, 0); // Aᵀ through strides
        close(f.slice(C, C + m * n), naive(a, b, m, k, n));
        ar.gemm(A, k, 1, Bo, n, C, n, bo, m, k, n, 1, 0); // accumulate
        close(f.slice(C, C + m * n), naive(a, b, m, k, n).map((v) => 2 * v));
        ar.gemm(A, k, 1, Bo, n, C, n, bo, m, k, n, 2, 1); // bias + ReLU
        close(f.slice(C, C + m * n), naive(a, b, m, k, n, bias, true));
      } finally {
        setScalarOnly(false);
      }
    });
  }

  it('SIMD and scalar paths give bitwise identical results (same summation order)', () => {
    const m = 67, k = 129, n = 45;
    const a = normal(key(1), m * k, 1);
    const b = normal(key(2), k * n, 1);
    const run = (scalar: boolean): Float64Array => {
      setScalarOnly(scalar);
      const ar = ensureArena(m * k + k * n + m * n + 8);
      ar.f64.set(a, 0);
      ar.f64.set(b, m * k);
      ar.gemm(0, k, 1, m * k, n, m * k + k * n, n, 0, m, k, n, 0, 0);
      return ar.f64.slice(m * k + k * n, m * k + k * n + m * n);
    };
    const simd = run(false);
    const scalar = run(true);
    setScalarOnly(false);
    expect(Array.from(simd)).toEqual(Array.from(scalar));
  });

  it('large k and n (cache-blocked calls) stay exact: 40×600·300', () => {
    const m = 40, k = 600, n = 300;
    const a = normal(key(3), m * k, 1);
    const b = normal(key(4), k * n, 1);
    const bias = normal(key(5), n, 1);
    const ar = ensureArena(m * k + k * n + m * n + n + 8);
    const f = ar.f64;
    f.set(a, 0);
    f.set(b, m * k);
    f.set(bias, m * k + k * n);
    const C = m * k + k * n + n;
    ar.gemm(0, k, 1, m * k, n, C, n, m * k + k * n, m, k, n, 2, 1);
    close(f.slice(C, C + m * n), naive(a, b, m, k, n, bias, true), 1e-10);
  });

  it.each([[1, 3, 1], [5, 17, 13], [63, 65, 17], [64, 32, 64]] as const)('the opt-in f32 kernel matches the f64 reference within f32 rounding at %i×%i·%i', (m, k, n) => {
    const ar = ensureArena(2 * (m * k + k * n + m * n + n) + 16);
    expect(ar.gemmF32).not.toBeNull();
    const a = Float64Array.from(Float32Array.from(normal(key(m), m * k, 1)));
    const b = Float64Array.from(Float32Array.from(normal(key(n + 1), k * n, 1)));
    const bias = Float64Array.from(Float32Array.from(normal(key(k), n, 1)));
    const f = ar.f32;
    const B0 = m * k, b0 = B0 + k * n, C0 = b0 + n;
    f.set(a, 0);
    f.set(b, B0);
    f.set(bias, b0);
    ar.gemmF32!(0, k, 1, B0, n, C0, n, b0, m, k, n, 2, 1);
    close(Float64Array.from(f.subarray(C0, C0 + m * n)), naive(a, b, m, k, n, bias, true), 1e-5 * Math.sqrt(k));
  });

  it('affine gives the same matrix on the SIMD and the scalar path', () => {
    const x = unsafeMat(70, 33, normal(key(8), 70 * 33, 1));
    const w = unsafeMat(33, 20, normal(key(9), 33 * 20, 1));
    const b = unsafeVec(20, normal(key(10), 20, 1));
    const fast = affine(x, w, b);
    setScalarOnly(true);
    const slow = affine(x, w, b);
    setScalarOnly(false);
    expect(Array.from(fast.data)).toEqual(Array.from(slow.data));
    close(fast.data, naive(x.data, w.data, 70, 33, 20, b.data));
  });
});
