/**
 * The dense layer's forward map as one fused kernel call.
 *
 * @module
 */
import * as K from './kernels.js';
import { unsafeMat, type Mat, type Vec } from './mat.js';
import { arenaHeld, ensureArena } from './wasm/arena.js';

/** From this many multiply-adds on, the product runs in the SIMD arena (copy in, GEMM, copy out). */
const ARENA_MIN_MACS = 16384;

/**
 * `X·W + 1·bᵀ` for `X: R × I`, `W: I × O`, `b: O`, computed in one sweep (each output starts
 * from its bias and accumulates the products in order), allocating only the result. Large
 * products run in the WebAssembly SIMD GEMM (when available) on copies in the compute arena;
 * both paths sum in the same order, so the result does not depend on the path. While a training
 * program holds the arena (a layer's own functions run as its opaque stage) it takes the scalar path.
 *
 * @example
 * affine(fromRows([[1, 2]]), fromRows([[1, 0], [0, 1]]), vec([10, 20]))  // [[11, 22]]
 * @since 0.1.0
 * @category combinators
 */
export const affine = <R extends number, I extends number, O extends number>(x: Mat<R, I>, w: Mat<I, O>, b: Vec<O>): Mat<R, O> => {
  const m = x.rows;
  const k = x.cols;
  const n = w.cols;
  if (m * k * n >= ARENA_MIN_MACS && !arenaHeld()) {
    const need = m * k + k * n + n + m * n + 8;
    const ar = ensureArena(need);
    if (ar.simd) {
      const f = ar.f64;
      const xo = 0;
      const wo = xo + m * k + ((m * k) & 1);
      const bo = wo + k * n + ((k * n) & 1);
      const co = bo + n + (n & 1);
      f.set(x.data, xo);
      f.set(w.data, wo);
      f.set(b.data, bo);
      ar.gemm(xo, k, 1, wo, n, co, n, bo, m, k, n, 2, 0);
      return unsafeMat(x.rows, w.cols, f.slice(co, co + m * n));
    }
  }
  const out = new Float64Array(m * n);
  K.matmulBiasAct(x.data, w.data, b.data, out, m, k, n, 0);
  return unsafeMat(x.rows, w.cols, out);
};
