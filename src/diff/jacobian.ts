/**
 * Jacobians of a layer, built from its JVPs (forward mode, one column per input direction) or its
 * VJPs (reverse mode, one row per output), as in the lecture on training multilayer perceptrons.
 * For a composite `f = f_K ∘ ⋯ ∘ f_1` the chain rule gives `J = J_K ⋯ J_2 J_1` (`J_k` the Jacobian
 * of `f_k` at its own input). Forward mode multiplies it right to left, one column at a time:
 * column `j` is `J e_j = J_K(⋯(J_2 (J_1 e_j)))`, a JVP per input direction. Reverse mode multiplies
 * it left to right, one row at a time: row `i` is `e_iᵀ J = ((e_iᵀ J_K) ⋯ J_2) J_1`, a VJP per
 * output.
 *
 * @module
 */
import * as Params from '../params.js';
import { isPoly, type AnyLayer, type Layer, type PolyLayer } from '../layer/layer.js';
import * as Ops from '../tensor/ops.js';
import { eye, row, takeRows, unsafeMat, type Mat } from '../tensor/mat.js';

/**
 * How to build a Jacobian: `'forward'` pushes the `I` input directions through one batched JVP
 * (cost ≈ `I` forward passes), `'reverse'` pulls the `O` output directions back through one
 * forward pass and one batched pullback (cost ≈ `O` backward passes), `'auto'` picks the cheaper:
 * forward when `I < O`, reverse otherwise.
 *
 * @since 0.1.0
 * @category model
 */
export type JacobianMode = 'forward' | 'reverse' | 'auto';

/** Options of {@link jacobian}. @since 0.1.0 @category model @inline */
export interface JacobianOptions {
  /** Default `'auto'`. */
  readonly mode?: JacobianMode;
}

/**
 * The mode `'auto'` resolves to for a map `ℝ^I → ℝ^O`: `'forward'` when `I < O` (fewer
 * columns than rows to compute), else `'reverse'` (ties go to reverse, since a pullback also
 * yields parameter gradients, as backprop does).
 *
 * @example
 * autoMode(256, 2)  // 'reverse'
 * autoMode(2, 256)  // 'forward'
 * @since 0.1.0
 * @category differentiation
 */
export const autoMode = (inputDim: number, outputDim: number): 'forward' | 'reverse' => (inputDim < outputDim ? 'forward' : 'reverse');

/** `n` copies of the single row `x`, as a batch. */
const replicate = <C extends number>(x: Mat<1, C>, n: number): Mat<number, C> => takeRows(x, new Int32Array(n));

const checkSingleRow = (where: string, x: Mat<number, number>, width: number): void => {
  if (x.rows !== 1 || x.cols !== width) {
    throw new RangeError(`${where}: expects one input row of width ${width} (a Mat<1, ${width}>), got ${x.rows}×${x.cols}`);
  }
};

const fixedWidth = (layer: AnyLayer | PolyLayer<unknown>, width: number): AnyLayer => (isPoly(layer) ? layer.at(width) : layer);

/**
 * The Jacobian `J = ∂f/∂x` of `f = layer(θ, ·)` at one input row `x`: a `Mat<O, I>` whose row `i`
 * is the gradient of output `i` and whose column `j` is the derivative of all outputs along input
 * `j`.
 *
 * - `'forward'` (columns `J e_j`): the batch `1·x` (I copies of `x`) with tangents `dX = Id_I` and a zero
 *   parameter tangent goes through one `jvp`; row `j` of the result is `J e_j`, so `J = dYᵀ`.
 * - `'reverse'` (rows `e_iᵀ J`): one `vjp` on the batch of `O` copies of `x`, and one pullback of the
 *   seeds `Id_O`; row `i` of `dX` is `e_iᵀ J`.
 * - `'auto'` (default): forward when `I < O`, else reverse (see {@link autoMode}).
 *
 * The layer must act on each row independently (every built-in layer does; dropout does in
 * evaluation mode, which is what this uses). A shape-polymorphic layer (`tanh`, a `sequential` of
 * activations) is taken at the width of `x`.
 *
 * @example
 * const net = sequential(dense(4, 8), tanh, dense(8, 2))
 * const J = jacobian(net, net.init(key(0)), fromRows([[1, 2, 3, 4]]))   // Mat<2, 4>
 * @since 0.1.0
 * @category differentiation
 */
export function jacobian<I extends number, O extends number, P>(layer: Layer<I, O, P>, params: P, x: Mat<1, I>, options?: JacobianOptions): Mat<O, I>;
export function jacobian<N extends number, P>(layer: PolyLayer<P>, params: P, x: Mat<1, N>, options?: JacobianOptions): Mat<N, N>;
export function jacobian(
  layer: AnyLayer | PolyLayer<unknown>, params: unknown, x: Mat<1, number>, options: JacobianOptions = {},
): Mat<number, number> {
  const l = fixedWidth(layer, x.cols);
  checkSingleRow(`jacobian (${l.kind})`, x, l.inputDim);
  const n = l.inputDim as number;
  const m = l.outputDim as number;
  const mode = options.mode === undefined || options.mode === 'auto' ? autoMode(n, m) : options.mode;
  if (mode === 'forward') {
    const [, dY] = l.jvp(params, replicate(x, n), l.zerosLike(params), eye(n));
    return Ops.transpose(dY);
  }
  const [, pullback] = l.vjp(params, replicate(x, m));
  return pullback(eye(m))[1];
}

/**
 * The Jacobian `∂f/∂θ` of `f = layer(·, x)` with respect to the parameters at one input row `x`:
 * a `Mat<O, n>` (`n` = number of scalar parameters) whose row `i` is the gradient of output `i`,
 * flattened in `params.flatten`'s order: depth-first, tuple elements by index, record fields in
 * insertion order (for `dense`: all of `w` row-major, then `b`). `params.unflatten(θ, row)` turns
 * a row back into a parameter record.
 *
 * Built in reverse mode from one forward pass and `O` pullbacks of the unit seeds `e_i`. (Unlike
 * input Jacobians these cannot share one batched pullback: parameter cotangents are summed over
 * the batch.)
 *
 * @example
 * const net = sequential(dense(2, 3), tanh, dense(3, 1))
 * const Jθ = paramJacobian(net, net.init(key(0)), fromRows([[1, 2]]))   // Mat<1, 13>: 6 + 3 + 3 + 1 parameters
 * @since 0.1.0
 * @category differentiation
 */
export const paramJacobian = <I extends number, O extends number, P>(layer: Layer<I, O, P>, params: P, x: Mat<1, I>): Mat<O, number> => {
  checkSingleRow(`paramJacobian (${layer.kind})`, x, layer.inputDim);
  const [, pullback] = layer.vjp(params, x);
  const seeds = eye(layer.outputDim);
  const rows = Array.from({ length: layer.outputDim }, (_, i) => pullback(row(seeds, i))[0]);
  return unsafeMat(layer.outputDim, Params.size(params), Params.flatten(rows));
};
