/**
 * Pooling over channels-last sequences (`[L, C]`) and images (`[H, W, C]`): `maxPool`, `avgPool`
 * and `globalAvgPool`. The rank of the input shape decides 1-D or 2-D. Output shapes are computed
 * by the compiler.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { Layer, NoParams, ShapedLayer } from './layer.js';
import { defineLayer } from './define.js';
import { checkShape, shapeFields, shapeSize, type Mutable, type Shaped, type ShapeCheck } from '../shape/shaped.js';
import { windowGeometry, windowOf, type ConvLength, type Geometry, type Padding, type Window2d, type WindowFits } from './conv.js';
import { withForm } from './form.js';

type Rows<K> = K extends readonly [infer A extends number, number] ? A : K & number;
type Cols<K> = K extends readonly [number, infer B extends number] ? B : K & number;

/**
 * The output shape of a pooling window `P` with stride `S` and padding `Pad` (default `'valid'`)
 * over a sequence `[L, C]` or an image `[H, W, C]`: `PoolShape<[26, 26, 8], 2, 2>` is
 * `[13, 13, 8]`, `PoolShape<[7, 7, 8], 2, 2, 'same'>` is `[4, 4, 8]`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type PoolShape<In extends readonly number[], P, S, Pad = 'valid'> = In extends readonly [infer L extends number, infer C extends number]
  ? [ConvLength<L, Rows<P>, Rows<S>, Pad>, C]
  : In extends readonly [infer H extends number, infer W extends number, infer C extends number]
    ? [ConvLength<H, Rows<P>, Rows<S>, Pad>, ConvLength<W, Cols<P>, Cols<S>, Pad>, C]
    : never;

type PoolFits<In extends readonly number[], P, Pad, Where extends string> = In extends readonly [infer L extends number, number]
  ? WindowFits<L, Rows<P>, Pad, Where>
  : In extends readonly [infer H extends number, infer W extends number, number]
    ? WindowFits<H, Rows<P>, Pad, Where> & WindowFits<W, Cols<P>, Pad, Where>
    : unknown;

/**
 * Options of {@link maxPool} and {@link avgPool}: `stride` (default: the window, so windows tile
 * the input without overlap) and `padding` (default `'valid'`):
 * - `'valid'`: windows stay inside the input; `out = floor((n − k) / s) + 1` per axis.
 * - `'same'` (TensorFlow's convention): `out = ceil(n / s)`; the windows overhang the input by
 *   `total = max((out − 1)·s + k − n, 0)` positions, `floor(total / 2)` before and the rest after.
 *   Max pooling ignores the overhang (as padding with −∞, which is also how PyTorch pads max
 *   pooling); average pooling divides each window's sum by the number of its entries inside the
 *   input (TensorFlow's 'SAME' average, ONNX's `count_include_pad = 0`), not by the window size.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export interface PoolOptions<S, Pad extends Padding = 'valid'> {
  readonly stride?: S;
  readonly padding?: Pad;
}

const pair = (v: Window2d): readonly [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** A rank-2 `[L, C]` or rank-3 `[H, W, C]` shape as an image `h × w × c` (`h = 1` for sequences). */
const asImage = (shape: readonly number[], where: string): readonly [number, number, number] => {
  if (shape.length === 2) return [1, shape[0]!, shape[1]!];
  if (shape.length === 3) return [shape[0]!, shape[1]!, shape[2]!];
  throw new RangeError(`${where}: input shape must be [steps, channels] or [height, width, channels], got ${JSON.stringify(shape)}`);
};

/** The window and stride per image axis: 1-D windows slide along the width axis. */
const poolGeometry = (kind: string, shape: readonly number[], size: Window2d, stride: Window2d | undefined, padding: Padding): Geometry => {
  const img = asImage(shape, kind);
  const [ph, pw] = shape.length === 2 ? [1, pair(size)[0]] : pair(size);
  const [sh, sw] = stride === undefined ? [ph, pw] : shape.length === 2 ? [1, pair(stride)[0]] : pair(stride);
  return windowGeometry(img, [ph, pw], [sh, sw], padding, kind);
};

/** How many spatial axes a `[L, C]` or `[H, W, C]` shape has. */
const rankOf = (shape: readonly number[]): 1 | 2 => (shape.length === 2 ? 1 : 2);

const outShape = (shape: readonly number[], g: Geometry): readonly number[] => (shape.length === 2 ? [g.ow, g.c] : [g.oh, g.ow, g.c]);

/**
 * A parameter-free layer over a window geometry whose forward map is linear in `x` given the
 * routing it records (`run(x)` gives `[y, jvp, vjp]` for that routing): max pooling routes each
 * output to its window's maximum, average pooling spreads it over the window.
 */
const poolLayer = <I extends number, O extends number>(
  kind: string, inputShape: readonly number[], outputShape: readonly number[], config: Readonly<Record<string, number | string>>,
  run: (x: Float64Array, batch: number) => readonly [y: Float64Array, tangent: (dx: Float64Array) => Float64Array, cotangent: (dy: Float64Array) => Float64Array],
): Layer<I, O, NoParams> => {
  const inputDim = shapeSize(inputShape) as I;
  const outputDim = shapeSize(outputShape) as O;
  const out = <B extends number>(batch: B, data: Float64Array): Mat<B, O> => unsafeMat(batch, outputDim, data);
  return defineLayer<I, O, NoParams>({
    kind,
    inputDim,
    outputDim,
    ...shapeFields(inputShape, outputShape),
    config,
    init: () => Object.freeze({}),
    forward: (_p, x) => out(x.rows, run(x.data, x.rows)[0]),
    vjp: (_p, x) => {
      const [y, , cotangent] = run(x.data, x.rows);
      return [out(x.rows, y), (dy) => [Object.freeze({}), unsafeMat(x.rows, inputDim, cotangent(dy.data))]];
    },
    jvp: (_p, x, _dp, dx) => {
      const [y, tangent] = run(x.data, x.rows);
      return [out(x.rows, y), out(x.rows, tangent(dx.data))];
    },
  });
};

const geometryConfig = (g: Geometry, padding: Padding): Readonly<Record<string, number | string>> =>
  padding === 'valid' ? { windowHeight: g.kh, windowWidth: g.kw, strideHeight: g.sh, strideWidth: g.sw } : { windowHeight: g.kh, windowWidth: g.kw, strideHeight: g.sh, strideWidth: g.sw, padding };

/** The average over each window at geometry `g` as a pooling run (linear: its JVP is itself, its VJP the adjoint). */
const averaging = (g: Geometry) => (x: Float64Array, batch: number) => {
  const geometry = { ...g, batch };
  const apply = (v: Float64Array): Float64Array => {
    const y = new Float64Array(batch * g.oh * g.ow * g.c);
    K.avgPool(v, y, geometry, false);
    return y;
  };
  const adjoint = (dy: Float64Array): Float64Array => {
    const dx = new Float64Array(batch * g.h * g.w * g.c);
    K.avgPool(dx, dy, geometry, true);
    return dx;
  };
  return [apply(x), apply, adjoint] as const;
};

/**
 * Max pooling: `y[i, j, c] = max_{p < ph, q < pw} x[i·sh + p, j·sw + q, c]` over images
 * `[H, W, C]`, or `y[t, c] = max_{q < p} x[t·s + q, c]` over sequences `[L, C]`; output
 * `[floor((H − ph) / sh) + 1, floor((W − pw) / sw) + 1, C]` (stride defaults to the window), or
 * `[ceil(H / sh), ceil(W / sw), C]` with `padding: 'same'`, whose overhang is ignored (padding
 * with −∞; see `PoolOptions`).
 * The derivative routes each output's cotangent to the first maximum of its window (as PyTorch
 * and TensorFlow do); ties have no derivative and get this one-sided one.
 *
 * @example
 * const pool = maxPool([26, 26, 8], 2)  // ShapedLayer<[26, 26, 8], [13, 13, 8], NoParams>
 * const same = maxPool([7, 7, 8], 2, { padding: 'same' })  // ShapedLayer<[7, 7, 8], [4, 4, 8], NoParams>
 * @since 0.2.0
 * @category constructors
 */
export const maxPool = <
  const In extends readonly [number, number] | readonly [number, number, number], const P extends Window2d, const S extends Window2d = P, const Pad extends Padding = 'valid',
>(
  input: ShapeCheck<In, 'maxPool: input shape'>,
  size: P & PoolFits<In, P, Pad, 'maxPool'>,
  options: PoolOptions<S, Pad> = {},
): ShapedLayer<Mutable<In>, PoolShape<In, P, S, Pad>, NoParams> => {
  const shape = checkShape(input, 'maxPool: input shape');
  const padding: Padding = options.padding ?? 'valid';
  const g = poolGeometry('maxPool', shape, size, options.stride, padding);
  const layer = poolLayer<Shaped<Mutable<In>>, Shaped<PoolShape<In, P, S, Pad>>>('maxPool', shape, outShape(shape, g), geometryConfig(g, padding), (x, batch) => {
    const n = batch * g.oh * g.ow * g.c;
    const y = new Float64Array(n);
    const arg = new Int32Array(n);
    K.maxPoolForward(x, y, arg, { ...g, batch });
    const tangent = (dx: Float64Array): Float64Array => {
      const dy = new Float64Array(n);
      K.gatherScatter(dx, arg, dy, false);
      return dy;
    };
    const cotangent = (dy: Float64Array): Float64Array => {
      const dx = new Float64Array(batch * g.h * g.w * g.c);
      K.gatherScatter(dy, arg, dx, true);
      return dx;
    };
    return [y, tangent, cotangent];
  });
  return withForm(layer, { op: 'maxPool', window: windowOf(g, rankOf(shape)) }) as never; // the same type, written as ShapedLayer
};

/**
 * Average pooling: `y[i, j, c] = (1 / (ph·pw)) Σ_{p < ph, q < pw} x[i·sh + p, j·sw + q, c]` over
 * images `[H, W, C]` (or windows of `p` steps over sequences `[L, C]`); same output shape as
 * {@link maxPool}. Linear, so its JVP is itself and its VJP spreads `dy / (ph·pw)` over each window.
 * With `padding: 'same'` each window's sum is divided by the number of its entries inside the
 * input instead (TensorFlow's convention; see `PoolOptions`).
 *
 * @example
 * const pool = avgPool([24, 16], 2)  // ShapedLayer<[24, 16], [12, 16], NoParams>
 * @since 0.2.0
 * @category constructors
 */
export const avgPool = <
  const In extends readonly [number, number] | readonly [number, number, number], const P extends Window2d, const S extends Window2d = P, const Pad extends Padding = 'valid',
>(
  input: ShapeCheck<In, 'avgPool: input shape'>,
  size: P & PoolFits<In, P, Pad, 'avgPool'>,
  options: PoolOptions<S, Pad> = {},
): ShapedLayer<Mutable<In>, PoolShape<In, P, S, Pad>, NoParams> => {
  const shape = checkShape(input, 'avgPool: input shape');
  const padding: Padding = options.padding ?? 'valid';
  const g = poolGeometry('avgPool', shape, size, options.stride, padding);
  const layer = poolLayer<Shaped<Mutable<In>>, Shaped<PoolShape<In, P, S, Pad>>>('avgPool', shape, outShape(shape, g), geometryConfig(g, padding), averaging(g));
  return withForm(layer, { op: 'avgPool', window: windowOf(g, rankOf(shape)) }) as never; // the same type, written as ShapedLayer
};

/** The last entry of a shape (its channels). */
type Last<S extends readonly number[]> = S extends readonly [...unknown[], infer C extends number] ? C : number;

/**
 * Global average pooling: the mean of each channel over all positions,
 * `y[c] = (1 / P) Σ_positions x[…, c]`, from `[L, C]` or `[H, W, C]` (any rank) to width `C`.
 *
 * @example
 * const gap = globalAvgPool([7, 7, 32])  // ShapedLayer<[7, 7, 32], [32], NoParams>
 * @since 0.2.0
 * @category constructors
 */
export const globalAvgPool = <const In extends readonly number[]>(
  input: ShapeCheck<In, 'globalAvgPool: input shape'>,
): ShapedLayer<Mutable<In>, [Last<In>], NoParams> => {
  const shape = checkShape(input, 'globalAvgPool: input shape');
  const c = shape[shape.length - 1]!;
  const positions = shapeSize(shape) / c;
  const g = windowGeometry([1, positions, c], [1, positions], [1, positions], 'valid', 'globalAvgPool');
  const layer = poolLayer<Shaped<Mutable<In>>, Last<In>>('globalAvgPool', shape, [c], {}, averaging(g));
  return withForm(layer, { op: 'globalAvgPool', positions, channels: c }) as never; // the same type, written as ShapedLayer
};
