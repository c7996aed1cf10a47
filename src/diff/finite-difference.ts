/**
 * Finite differences: the numerical derivatives that {@link gradCheck} and the Jacobian tests
 * compare the analytic VJPs and JVPs against.
 *
 * @module
 */
import * as Params from '../params.js';
import * as K from '../tensor/kernels.js';
import type { AnyLayer, Layer } from '../layer/layer.js';
import * as Ops from '../tensor/ops.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';

/**
 * The default relative step: `h = step·max(1, |v|)` for an entry of value `v`. With the
 * fourth-order stencil of `centralDifference` the truncation error is O(h⁴) ≈ 1e-12 and the
 * rounding error O(ε/h) ≈ 1e-13 (relative to the function's scale).
 *
 * @since 0.1.0
 * @category differentiation
 */
export const defaultStep = 1e-3;

/**
 * The finite-difference step for an entry of value `v`: `step·max(1, |v|)`, relative to the
 * entry's magnitude and never below `step`.
 *
 * @since 0.1.0
 * @category differentiation
 */
export const stepFor = (v: number, step: number): number => step * Math.max(1, Math.abs(v));

/**
 * The derivative `g'(0)` of a scalar function by the fourth-order central difference
 * `[g(−2h) − 8g(−h) + 8g(h) − g(2h)] / (12h)` (error O(h⁴) for smooth g).
 *
 * @example
 * centralDifference((t) => Math.sin(1 + t), 1e-3)   // ≈ cos 1, to ~1e-13
 * @since 0.1.0
 * @category differentiation
 */
export const centralDifference = (g: (t: number) => number, h: number): number =>
  (g(-2 * h) - 8 * g(-h) + 8 * g(h) - g(2 * h)) / (12 * h);

/** The same stencil for a matrix-valued function (entry by entry). */
const centralDifferenceMat = <R extends number, C extends number>(g: (t: number) => Mat<R, C>, h: number): Mat<R, C> => {
  const outer = Ops.sub(g(-2 * h), g(2 * h));
  const inner = Ops.sub(g(h), g(-h));
  return Ops.scale(Ops.add(outer, Ops.scale(inner, 8)), 1 / (12 * h));
};

/**
 * `m` with entry `index` (row-major) moved by `delta` (a fresh matrix).
 *
 * @since 0.1.0
 * @category differentiation
 */
export const perturbMat = <R extends number, C extends number>(m: Mat<R, C>, index: number, delta: number): Mat<R, C> => {
  const out = new Float64Array(m.data.length);
  K.perturbEntry(m.data, out, index, delta);
  return unsafeMat(m.rows, m.cols, out);
};

/**
 * The parameter record `p` with entry `index` of the leaf at `path` (as listed by
 * `params.leaves`) moved by `delta`; the other leaves' arrays are shared, not copied.
 *
 * @since 0.1.0
 * @category differentiation
 */
export const perturbParam = <P>(p: P, path: string, index: number, delta: number): P =>
  Params.mapLeaves(p, (leaf, at) => {
    if (at !== path) return leaf.data;
    const out = new Float64Array(leaf.data.length);
    K.perturbEntry(leaf.data, out, index, delta);
    return out;
  });

/**
 * The Jacobian `∂f/∂x` (a `Mat<O, I>`) of `f = layer(θ, ·)` at one input row `x`, by finite
 * differences: column `j` is the `centralDifference` of `f` along input `j`, with step
 * `step·max(1, |x_j|)`. Costs `4·I` forward passes; for checking {@link jacobian}, not for use in
 * training.
 *
 * @since 0.1.0
 * @category differentiation
 */
export const numericalJacobian = <I extends number, O extends number, P>(
  layer: Layer<I, O, P>, params: P, x: Mat<1, I>, step = defaultStep,
): Mat<O, I> => {
  const l: AnyLayer = layer;
  const columns = Array.from({ length: layer.inputDim }, (_, j) =>
    centralDifferenceMat((t) => l.forward(params, perturbMat(x, j, t)) as Mat<1, O>, stepFor(x.data[j]!, step)));
  // Row j of the stacked columns is J e_j, so the stack is Jᵀ.
  return Ops.transpose(unsafeMat(layer.inputDim, layer.outputDim, Params.flatten(columns)));
};
