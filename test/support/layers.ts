// Test-only helpers for the core tests: random tensors from PRNG keys, central finite differences,
// Jacobians built from JVPs, and deep snapshots for "nothing is mutated" checks. Written
// independently of src/diff so that the tests do not trust the code they check.
import { identity, leakyRelu, relu, sigmoid, softmax, softplus, tanh } from '../../src/layer/activation.js';
import type { Layer } from '../../src/layer/layer.js';
import * as P from '../../src/params.js';
import { normal, split, type Key } from '../../src/random.js';
import { unsafeMat, type Mat } from '../../src/tensor/mat.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyLayer = Layer<any, any, any>;

/** A layer under test, named for the test titles. */
export interface LayerCase {
  readonly name: string;
  readonly layer: AnyLayer;
  /** True when the layer has a kink at 0 (finite differences then keep inputs away from 0). */
  readonly kinked?: boolean;
}

/**
 * Every built-in activation at width `n`: one list, so a new activation is covered by every suite
 * that walks it (derivatives, purity, …).
 */
export const activationCases = (n: number): readonly LayerCase[] => [
  { name: 'relu', layer: relu.at(n), kinked: true },
  { name: 'leakyRelu(0.1)', layer: leakyRelu(0.1).at(n), kinked: true },
  { name: 'tanh', layer: tanh.at(n) },
  { name: 'sigmoid', layer: sigmoid.at(n) },
  { name: 'softplus', layer: softplus.at(n) },
  { name: 'identity', layer: identity.at(n) },
  { name: 'softmax', layer: softmax.at(n) },
];

/** A `rows × cols` matrix of standard normal entries (times `std`). */
export const randomMat = <R extends number, C extends number>(k: Key, rows: R, cols: C, std = 1): Mat<R, C> =>
  unsafeMat(rows, cols, normal(k, rows * cols, std));

/** A parameter tree shaped like `like` with standard normal entries. */
export const randomLike = <Tree>(k: Key, like: Tree, std = 1): Tree => P.unflatten(like, normal(k, P.size(like), std));

/** Entries pushed at least `gap` away from 0 (so relu-like kinks are never within a finite-difference step). */
export const awayFromZero = <R extends number, C extends number>(m: Mat<R, C>, gap = 0.1): Mat<R, C> =>
  unsafeMat(m.rows, m.cols, m.data.map((v) => (v >= 0 ? v + gap : v - gap)));

/** `n` fresh keys from a seed. */
export const keys = (k: Key, n: number): Key[] => split(k, n);

/** ⟨a, b⟩ over two flat arrays. */
export const dotFlat = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const shift = (m: Mat<number, number>, dir: Mat<number, number>, h: number): Mat<number, number> =>
  unsafeMat(m.rows, m.cols, m.data.map((v, i) => v + h * dir.data[i]!));

/**
 * Central difference of the layer along a direction (dp, dx):
 * `(f(p + h·dp, x + h·dx) − f(p − h·dp, x − h·dx)) / 2h`, the reference for `jvp`.
 */
export const fdDirectional = (layer: AnyLayer, p: unknown, x: Mat<number, number>, dp: unknown, dx: Mat<number, number>, h = 1e-5): Float64Array => {
  const plus = layer.forward(P.axpy(h, dp, p), shift(x, dx, h)).data;
  const minus = layer.forward(P.axpy(-h, dp, p), shift(x, dx, -h)).data;
  return plus.map((v: number, i: number) => (v - minus[i]!) / (2 * h));
};

/**
 * Central-difference gradient of `L(p, x) = ⟨u, f(p, x)⟩` with respect to every parameter entry
 * and every input entry: the reference for `pullback(u)`.
 */
export const fdGradient = (
  layer: AnyLayer, p: unknown, x: Mat<number, number>, u: Mat<number, number>, h = 1e-5,
): { readonly dp: Float64Array; readonly dx: Float64Array } => {
  const loss = (pp: unknown, xx: Mat<number, number>): number => dotFlat(u.data, layer.forward(pp, xx).data);
  const flat = P.flatten(p);
  const bumped = (a: Float64Array, i: number, s: number): Float64Array => a.map((v, j) => (j === i ? v + s : v));
  const dp = flat.map((_, i) => (loss(P.unflatten(p, bumped(flat, i, h)), x) - loss(P.unflatten(p, bumped(flat, i, -h)), x)) / (2 * h));
  const dx = x.data.map(
    (_, i) => (loss(p, unsafeMat(x.rows, x.cols, bumped(x.data, i, h))) - loss(p, unsafeMat(x.rows, x.cols, bumped(x.data, i, -h)))) / (2 * h),
  );
  return { dp, dx };
};

/**
 * The input Jacobian `∂f/∂x` (O × I) of a layer at a single example `x` (1 × I), one column
 * per JVP with an identity tangent `e_j` (and a zero parameter tangent). Returned row-major.
 */
export const jacobianX = (layer: AnyLayer, p: unknown, x: Mat<1, number>): Mat<number, number> => {
  const n = x.cols;
  const cols = Array.from({ length: n }, (_, j) => {
    const e = new Float64Array(n);
    e[j] = 1;
    return layer.jvp(p, x, P.zerosLike(p), unsafeMat(1, n, e))[1].data as Float64Array;
  });
  const m = cols[0]!.length;
  return unsafeMat(m, n, Float64Array.from({ length: m * n }, (_, k) => cols[k % n]![Math.floor(k / n)]!));
};

/**
 * The parameter Jacobian `∂f/∂θ` (O × |θ|) at a single example, one column per JVP with a unit
 * parameter tangent (in `params.flatten` order) and a zero input tangent.
 */
export const jacobianP = (layer: AnyLayer, p: unknown, x: Mat<1, number>): Mat<number, number> => {
  const n = P.size(p);
  const zeroX = unsafeMat(1, x.cols, new Float64Array(x.cols));
  const cols = Array.from({ length: n }, (_, j) => {
    const e = new Float64Array(n);
    e[j] = 1;
    return layer.jvp(p, x, P.unflatten(p, e), zeroX)[1].data as Float64Array;
  });
  const m = cols[0]!.length;
  return unsafeMat(m, n, Float64Array.from({ length: m * n }, (_, k) => cols[k % n]![Math.floor(k / n)]!));
};

/** A plain triple-loop matrix product, independent of the library's kernels. */
export const naiveMatmul = (a: Mat<number, number>, b: Mat<number, number>): Mat<number, number> => {
  if (a.cols !== b.rows) throw new Error(`naiveMatmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      out[i * b.cols + j] = s;
    }
  }
  return unsafeMat(a.rows, b.cols, out);
};

/**
 * A deep copy of any value whose leaves are numbers, strings, typed arrays, arrays and records;
 * compare a snapshot taken before a call with one taken after to prove nothing was written.
 */
export const snapshot = (v: unknown): unknown => {
  if (v instanceof Float64Array) return Array.from(v);
  if (Array.isArray(v)) return v.map(snapshot);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, c]) => [k, snapshot(c)]));
  return v;
};

/** The bytes of a Float64Array, for bit-identical comparisons (so -0 ≠ 0 and NaN payloads count). */
export const bits = (a: Float64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
