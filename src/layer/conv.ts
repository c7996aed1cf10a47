/**
 * Convolutions over channels-last sequences (`conv1d`) and images (`conv2d`), computed as im2col
 * followed by one GEMM with the kernel matrix. Their output shapes are computed by the compiler
 * from the literal input shape.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import * as Ops from '../tensor/ops.js';
import { affine } from '../tensor/affine.js';
import { unsafeMat, unsafeVec, type Mat, type Vec } from '../tensor/mat.js';
import { split } from '../random.js';
import type { Layer, ShapedLayer } from './layer.js';
import { defineLayer } from './define.js';
import type { Dim, IsLoose, ShapeError } from '../shape/dim.js';
import type { Add, Divide, Subtract } from '../shape/decimal.js';
import { checkShape, shapeFields, shapeSize, type Mutable, type Shaped, type ShapeCheck } from '../shape/shaped.js';
import type { Initializer } from './dense.js';
import { initName, initWeights } from './init.js';
import { withForm, type Window } from './form.js';

/**
 * How a window meets the border: `'valid'` uses only windows inside the input
 * (`out = floor((n − k) / s) + 1`); `'same'` pads with zeros, split evenly with the extra one after,
 * so that `out = ceil(n / s)`.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export type Padding = 'valid' | 'same';

/**
 * A window size or stride: one number for every spatial axis, or one per axis (`[height, width]`).
 *
 * @since 0.2.0
 * @category model
 */
export type Window2d = number | readonly [number, number];

type Rows<K> = K extends readonly [infer A extends number, number] ? A : K & number;
type Cols<K> = K extends readonly [number, infer B extends number] ? B : K & number;

/**
 * The output length of a window of size `K`, stride `S` and padding `Pad` over `N` positions,
 * computed by the compiler: `ConvLength<28, 3, 1, 'valid'>` is `26`, `ConvLength<28, 3, 2, 'same'>` is `14`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ConvLength<N extends number, K extends number, S extends number, Pad> = Pad extends 'same'
  ? Divide<Subtract<Add<N, S>, 1>, S>
  : Add<Divide<Subtract<N, K>, S>, 1>;

/**
 * `unknown` when a `K`-window fits in `N` positions (or either is known only at run time), else a
 * `ShapeError` naming both.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type WindowFits<N extends number, K extends number, Pad, Where extends string> = Pad extends 'same'
  ? unknown
  : IsLoose<N> extends true
    ? unknown
    : IsLoose<K> extends true
      ? unknown
      : [Subtract<N, K>] extends [never]
        ? ShapeError<`${Where}: window ${K} is larger than the input's ${N} (padding 'valid')`>
        : unknown;

/**
 * A convolution's parameters: the kernel `w: (kh·kw·C) × F`, row `(p·kw + q)·C + c` holding the
 * weights of input channel `c` at window offset (p, q) (the layout of a Keras/TensorFlow.js kernel
 * `[kh, kw, C, F]`, flattened), and the bias `b: F`.
 *
 * @since 0.2.0
 * @category model
 */
export interface ConvParams<F extends number> {
  readonly w: Mat<number, F>;
  readonly b: Vec<F>;
}

/**
 * Options of {@link conv1d} and {@link conv2d}: `filters` output channels, `kernel` size, `stride`
 * (default 1), `padding` (default `'valid'`), `init` for the kernel (default `'glorot'`, with
 * fan-in kh·kw·C and fan-out kh·kw·F); the bias starts at 0.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export interface ConvOptions<F extends number, Kn, S, Pad extends Padding> {
  readonly filters: F;
  readonly kernel: Kn;
  readonly stride?: S;
  readonly padding?: Pad;
  readonly init?: Initializer;
}

/** The geometry of a window over one image, before the batch size is known. */
export type Geometry = Omit<K.WindowGeometry, 'batch'>;

const outLength = (n: number, k: number, s: number, padding: Padding, where: string): number => {
  if (padding === 'same') return Math.ceil(n / s);
  if (k > n) throw new RangeError(`${where}: window ${k} is larger than the input's ${n} (padding 'valid')`);
  return Math.floor((n - k) / s) + 1;
};

/**
 * The window geometry over an `h × w × c` input (1-D inputs are `h = 1`), with the padding split
 * as in TensorFlow and PyTorch: `floor(total / 2)` before, the rest after.
 */
export const windowGeometry = (
  [h, w, c]: readonly [number, number, number], [kh, kw]: readonly [number, number], [sh, sw]: readonly [number, number],
  padding: Padding, where: string,
): Geometry => {
  if (padding !== 'valid' && padding !== 'same') throw new RangeError(`${where}: padding must be 'valid' or 'same', got ${String(padding)}`);
  for (const [v, what] of [[kh, 'window'], [kw, 'window'], [sh, 'stride'], [sw, 'stride']] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${where}: ${what} must be a positive integer, got ${v}`);
  }
  const oh = outLength(h, kh, sh, padding, where);
  const ow = outLength(w, kw, sw, padding, where);
  const pad = (n: number, k: number, s: number, o: number): number => (padding === 'same' ? Math.floor(Math.max((o - 1) * s + k - n, 0) / 2) : 0);
  return Object.freeze({ h, w, c, kh, kw, sh, sw, pt: pad(h, kh, sh, oh), pl: pad(w, kw, sw, ow), oh, ow });
};

/**
 * A geometry as the window of an inference form, over `rank` spatial axes (1: the width axis of
 * `1 × L × C` sequences; 2: images). The padding after is what makes the last window end at
 * `(o − 1)·s + k − pad_before` (never negative: a `'valid'` window may leave the end unread).
 */
export const windowOf = (g: Geometry, rank: 1 | 2): Window => {
  const after = (n: number, k: number, s: number, o: number, before: number): number => Math.max((o - 1) * s + k - n - before, 0);
  const axes = [
    { n: g.h, k: g.kh, s: g.sh, o: g.oh, pad: g.pt },
    { n: g.w, k: g.kw, s: g.sw, o: g.ow, pad: g.pl },
  ].slice(2 - rank);
  return {
    spatial: axes.map((a) => a.n),
    channels: g.c,
    kernel: axes.map((a) => a.k),
    strides: axes.map((a) => a.s),
    pads: [...axes.map((a) => a.pad), ...axes.map((a) => after(a.n, a.k, a.s, a.o, a.pad))],
    output: axes.map((a) => a.o),
    // im2col of the example whose entries are their own index + 1: 0 is the padding
    patches: () => Int32Array.from(im2col(unsafeMat(1, g.h * g.w * g.c, Float64Array.from({ length: g.h * g.w * g.c }, (_, i) => i + 1)), g).data, (v) => v - 1),
  };
};

/** `x` (one image per row) as its im2col matrix: one row per output position, `kh·kw·c` columns. */
export const im2col = (x: Mat<number, number>, g: Geometry): Mat<number, number> => {
  const geometry = { ...g, batch: x.rows };
  const k = g.kh * g.kw * g.c;
  const out = new Float64Array(x.rows * g.oh * g.ow * k);
  K.im2col(x.data, out, geometry, false);
  return unsafeMat(x.rows * g.oh * g.ow, k, out);
};

/** The adjoint of `im2col`: window rows summed back onto `batch` images. */
const col2im = (cols: Mat<number, number>, batch: number, g: Geometry): Float64Array => {
  const dx = new Float64Array(batch * g.h * g.w * g.c);
  K.im2col(dx, cols.data, { ...g, batch }, true);
  return dx;
};

/**
 * The convolution layer on a geometry: `Y = im2col(X)·W + 1·bᵀ`, read back as one image per row.
 * Reverse mode: `∂L/∂W = im2col(X)ᵀ·dY`, `∂L/∂b = 1ᵀ·dY`, `∂L/∂X = col2im(dY·Wᵀ)`.
 * Forward mode: `dY = im2col(dX)·W + im2col(X)·dW + 1·dbᵀ`.
 */
const convLayer = <I extends number, O extends number, F extends number>(
  kind: string, inputShape: readonly number[], outputShape: readonly number[], g: Geometry, filters: F, init: Initializer,
): Layer<I, O, ConvParams<F>> => {
  const inputDim = shapeSize(inputShape) as I;
  const outputDim = shapeSize(outputShape) as O;
  const k = g.kh * g.kw * g.c;
  // (B·oh·ow) × F and B × (oh·ow·F) are the same row-major data.
  const asImages = <B extends number>(m: Mat<number, number>, batch: B): Mat<B, O> => unsafeMat(batch, outputDim, m.data);
  const asPositions = (m: Mat<number, number>): Mat<number, F> => unsafeMat(m.rows * g.oh * g.ow, filters, m.data);
  const layer = defineLayer<I, O, ConvParams<F>>({
    kind,
    inputDim,
    outputDim,
    ...shapeFields(inputShape, outputShape),
    config: { filters, kernelHeight: g.kh, kernelWidth: g.kw, strideHeight: g.sh, strideWidth: g.sw, padTop: g.pt, padLeft: g.pl, init: initName(init) },
    init: (key) => {
      const [kw] = split(key);
      return Object.freeze({
        w: unsafeMat(k, filters, initWeights(kw, k * filters, k, g.kh * g.kw * filters, init)),
        b: unsafeVec(filters, new Float64Array(filters)),
      });
    },
    forward: (p, x) => asImages(affine(im2col(x, g), p.w, p.b), x.rows),
    vjp: (p, x) => {
      const cols = im2col(x, g);
      return [
        asImages(affine(cols, p.w, p.b), x.rows),
        (dy) => {
          const d = asPositions(dy);
          const dx = col2im(Ops.matmulTransB(d, p.w), x.rows, g);
          return [Object.freeze({ w: Ops.matmulTransA(cols, d), b: Ops.sumRows(d) }), unsafeMat(x.rows, inputDim, dx)];
        },
      ];
    },
    jvp: (p, x, dp, dx) => {
      const cols = im2col(x, g);
      return [
        asImages(affine(cols, p.w, p.b), x.rows),
        asImages(Ops.add(affine(im2col(dx, g), p.w, dp.b), Ops.matmul(cols, dp.w)), x.rows),
      ];
    },
  });
  return withForm(layer, { op: 'conv', window: windowOf(g, inputShape.length === 2 ? 1 : 2), filters });
};

const pair = (v: Window2d, where: string): readonly [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (!Array.isArray(v) || v.length !== 2) throw new RangeError(`${where} must be a number or a [height, width] pair, got ${JSON.stringify(v)}`);
  return [v[0], v[1]];
};

/**
 * A 2-D convolution over images `H × W × C` (channels last) with `F` filters of size `kh × kw`:
 * `y[i, j, f] = b[f] + Σ_{p,q,c} x[i·sh + p − pt, j·sw + q − pl, c] · w[(p·kw + q)·C + c, f]`
 * (cross-correlation, as in every deep-learning library), giving `OH × OW × F` with
 * `OH = floor((H − kh) / sh) + 1` (`'valid'`) or `ceil(H / sh)` (`'same'`), likewise `OW`.
 * On a batch: `Mat<B, Shaped<[H, W, C]>>` → `Mat<B, Shaped<[OH, OW, F]>>`, computed as im2col then
 * one GEMM. The output shape is computed by the compiler; a window larger than the input
 * (padding `'valid'`) does not compile.
 *
 * @example
 * const c1 = conv2d([28, 28, 1], { filters: 8, kernel: 3 })  // ShapedLayer<[28, 28, 1], [26, 26, 8], ConvParams<8>>
 * @since 0.2.0
 * @category constructors
 */
export const conv2d = <
  const In extends readonly [number, number, number],
  F extends number,
  const Kn extends Window2d,
  const S extends Window2d = 1,
  Pad extends Padding = 'valid',
>(
  input: ShapeCheck<In, 'conv2d: input shape'>,
  options: ConvOptions<Dim<F, 'conv2d: filters'>, Kn, S, Pad> &
    WindowFits<In[0], Rows<Kn>, Pad, 'conv2d'> &
    WindowFits<In[1], Cols<Kn>, Pad, 'conv2d'>,
): ShapedLayer<
  [In[0], In[1], In[2]],
  [ConvLength<In[0], Rows<Kn>, Rows<S>, Pad>, ConvLength<In[1], Cols<Kn>, Cols<S>, Pad>, F],
  ConvParams<F>
> => {
  const shape = checkShape(input, 'conv2d: input shape');
  if (shape.length !== 3) throw new RangeError(`conv2d: input shape must be [height, width, channels], got ${JSON.stringify(input)}`);
  const filters = options.filters as F;
  const g = windowGeometry(shape as [number, number, number], pair(options.kernel, 'conv2d: kernel'), pair(options.stride ?? 1, 'conv2d: stride'), options.padding ?? 'valid', 'conv2d');
  checkShape([filters], 'conv2d: filters');
  return convLayer('conv2d', shape, [g.oh, g.ow, filters], g, filters, options.init ?? 'glorot');
};

/**
 * A 1-D convolution over sequences `L × C` (steps × channels) with `F` filters of width `k`:
 * `y[t, f] = b[f] + Σ_{q,c} x[t·s + q − pl, c] · w[q·C + c, f]`, giving `OL × F` with
 * `OL = floor((L − k) / s) + 1` (`'valid'`) or `ceil(L / s)` (`'same'`). It is {@link conv2d} on
 * `1 × L × C` images; the kernel layout is `[k, C, F]` flattened.
 *
 * @example
 * const c = conv1d([24, 4], { filters: 16, kernel: 3, padding: 'same' })  // ShapedLayer<[24, 4], [24, 16], ConvParams<16>>
 * @since 0.2.0
 * @category constructors
 */
export const conv1d = <const In extends readonly [number, number], F extends number, Kn extends number, S extends number = 1, Pad extends Padding = 'valid'>(
  input: ShapeCheck<In, 'conv1d: input shape'>,
  options: ConvOptions<Dim<F, 'conv1d: filters'>, Kn, S, Pad> & WindowFits<In[0], Kn, Pad, 'conv1d'>,
): ShapedLayer<[In[0], In[1]], [ConvLength<In[0], Kn, S, Pad>, F], ConvParams<F>> => {
  const shape = checkShape(input, 'conv1d: input shape');
  if (shape.length !== 2) throw new RangeError(`conv1d: input shape must be [steps, channels], got ${JSON.stringify(input)}`);
  const filters = options.filters as F;
  checkShape([filters], 'conv1d: filters');
  const g = windowGeometry([1, shape[0]!, shape[1]!], [1, options.kernel], [1, options.stride ?? 1], options.padding ?? 'valid', 'conv1d');
  return convLayer('conv1d', shape, [g.ow, filters], g, filters, options.init ?? 'glorot');
};
