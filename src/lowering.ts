/**
 * The lowering protocol: how a value of the library (a layer, a gradient transformation, a loss,
 * a penalty) says what it computes in a form the in-place training interpreter
 * (`src/train/engine.ts`) can run over one preallocated arena.
 *
 * A lowered form is attached to the value itself, by identity: a `WeakMap` keyed by the very
 * object the factory returned (never by its `kind` or name). A copy made with `{ ...value }`
 * has no lowered form and runs through its own functions; a user's value built with another
 * value's name is a different object and lowers to what *it* was built from.
 *
 * - A **layer** lowers to a short list of {@link Stage}s (affine map, pointwise activation,
 *   dropout mask, row-affine standardize, softmax, or `opaque`: a part that runs through its own
 *   `forward`/`vjp`); composites concatenate their children's stages.
 * - A **gradient transformation** lowers to an {@link InPlaceUpdate}: a kernel that transforms
 *   the flat update vector in place, with its state as flat buffers; `chain` concatenates.
 * - A **loss** lowers to its summed kernel ({@link SummedLossKernel}), the same function its
 *   generic `value`/`valueAndGrad` call.
 * - A **penalty** lowers to a {@link PenaltyKernel} (value and gradient over the flat parameters).
 *
 * In every case the generic, immutable form is derived from the same kernel (or calls the same
 * formula), so both execution paths compute the same numbers. Parameters are flattened in
 * `params.leaves` order (depth-first; see `src/params.ts`), described by a {@link ParamLayout}.
 *
 * To lower a new layer (a recurrent cell, say), either express it with the existing
 * stage ops, or add an op to {@link Stage} and its forward and backward cases to the interpreter;
 * until then it runs as an opaque stage at the speed of its own `forward`/`vjp`.
 *
 * @module
 */
import * as Params from './params.js';
import type { Tensor } from './tensor/mat.js';
import type { Mat } from './tensor/mat.js';
import type { Part } from './layer/layer.js';
import type { WindowGeometry } from './tensor/kernels.js';

// ------------------------------------------------------------------------------------------------
// Parameter layout

/**
 * Where each leaf of a parameter tree sits in the flat vector (leaf order of `params.leaves`).
 *
 * @since 0.2.0
 * @category model
 */
export interface ParamLayout {
  readonly size: number;
  readonly leaves: readonly { readonly path: string; readonly tensor: Tensor; readonly offset: number; readonly length: number }[];
}

/**
 * The layout of a parameter tree: every leaf's path, shape, offset and length.
 *
 * @since 0.2.0
 * @category constructors
 */
export const layoutOf = <P>(params: P): ParamLayout => {
  let offset = 0;
  const leaves = Params.leaves(params).map(({ path, tensor }) => {
    const leaf = { path, tensor, offset, length: tensor.data.length };
    offset += tensor.data.length;
    return leaf;
  });
  return { size: offset, leaves };
};

/**
 * `Σ_i a_i b_i` over the flat vectors, summed leaf by leaf and then across leaves, in the order
 * `params.dot` sums the trees (so `leafDot(layout, g, g)` is bitwise `params.sumOfSquares(g)`).
 *
 * @since 0.2.0
 * @category destructors
 */
export const leafDot = (layout: ParamLayout, a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (const l of layout.leaves) {
    let d = 0;
    const end = l.offset + l.length;
    for (let i = l.offset; i < end; i++) d += a[i]! * b[i]!;
    s += d;
  }
  return s;
};

// ------------------------------------------------------------------------------------------------
// Layers

/**
 * One kernel stage of a lowered layer. `at` is the path (tuple indices) from the model's
 * parameter tree to this stage's parameters, which is also the path of `foldIn`s from the step's
 * key to this stage's key (composites give child `k` both `params[k]` and `foldIn(key, k)`).
 * - `affine`: `y = x·W + b` with `{ w, b }` at `at` (`W: inputDim × outputDim`).
 * - `pointwise`: `y = φ(x)` for the kernels' activation `code` (`alpha`: leaky ReLU's slope).
 * - `dropout`: `y = x ⊙ m/(1 − rate)`, `m ~ Bernoulli(1 − rate)` drawn from the stage key (training only).
 * - `standardize`: `y = (x − μ)/σ` per column.
 * - `softmax`: row-wise softmax.
 * - `conv`: a convolution over channels-last images (`y = im2col(x)·W + b`, one image per row)
 *   at window geometry `geometry`, `filters` output channels, `{ w, b }` at `at`
 *   (`W: kh·kw·c × filters`).
 * - `pool`: max (`'max'`, the first maximum of each window) or average (`'avg'`) pooling at `geometry`.
 * - `opaque`: `layer`'s own `vjp` with its parameters at `at` (its output width `outputDim`).
 *
 * A reshape (`flatten`) lowers to no stage at all: examples are stored row-major either way.
 *
 * @since 0.2.0
 * @category model
 */
export type Stage =
  | { readonly op: 'affine'; readonly inputDim: number; readonly outputDim: number; readonly at: readonly number[] }
  | { readonly op: 'pointwise'; readonly code: number; readonly alpha: number }
  | { readonly op: 'dropout'; readonly rate: number; readonly at: readonly number[] }
  | { readonly op: 'standardize'; readonly mean: Float64Array; readonly std: Float64Array }
  | { readonly op: 'softmax' }
  | { readonly op: 'conv'; readonly geometry: Omit<WindowGeometry, 'batch'>; readonly filters: number; readonly at: readonly number[] }
  | { readonly op: 'pool'; readonly mode: 'max' | 'avg'; readonly geometry: Omit<WindowGeometry, 'batch'> }
  | { readonly op: 'opaque'; readonly layer: Part; readonly outputDim: number; readonly at: readonly number[] };

/**
 * A layer's lowered form: its stages for an input of width `inputDim` (shape-polymorphic layers
 * keep the width).
 *
 * @since 0.2.0
 * @category model
 */
export type LayerLowering = (inputDim: number) => readonly Stage[];

const layerLowerings = new WeakMap<object, LayerLowering>();

/**
 * Attaches a lowered form to a layer value (by identity) and returns the value.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withLowering = <L extends object>(layer: L, lower: LayerLowering): L => {
  layerLowerings.set(layer, lower);
  return layer;
};

/**
 * The lowered form of a layer value, or `undefined` (it then runs as an opaque stage).
 *
 * @since 0.2.0
 * @category destructors
 */
export const loweringOf = (layer: object): LayerLowering | undefined => layerLowerings.get(layer);

/**
 * `stages` of a child at tuple position `k`: every `at` path gains `k` in front.
 *
 * @since 0.2.0
 * @category combinators
 */
export const nestStages = (k: number, stages: readonly Stage[]): readonly Stage[] =>
  stages.map((s) => ('at' in s ? { ...s, at: [k, ...s.at] } : s));

// ------------------------------------------------------------------------------------------------
// Gradient transformations

/**
 * One update, in place: `u` (the incoming gradient or update, flat) is replaced by the
 * transformation's output; `theta` holds the current parameters; `cur` are this transformation's
 * state buffers (read) and `next` receives their new values (every entry written); `counts` are
 * its update counters before this update.
 *
 * @since 0.2.0
 * @category model
 */
export type UpdateKernel = (u: Float64Array, theta: Float64Array, cur: readonly Float64Array[], next: readonly Float64Array[], counts: readonly number[]) => void;

/**
 * A gradient transformation's lowered form: `slots` parameter-shaped state buffers and
 * `counters` update counters (each advances by one per accepted update), the conversions from
 * and to its state value, and its kernel for a parameter layout.
 *
 * @since 0.2.0
 * @category model
 */
export interface InPlaceUpdate<S> {
  readonly slots: number;
  readonly counters: number;
  readonly read: (state: S) => { readonly trees: readonly unknown[]; readonly counts: readonly number[] };
  readonly write: (trees: readonly unknown[], counts: readonly number[]) => S;
  readonly compile: (layout: ParamLayout) => UpdateKernel;
  /**
   * Optional: set when the transformation ends in a scale `u ← c·u`, `c = scaleOf(counts)` (a
   * learning-rate step): `prefix` is the kernel of everything before it (`undefined`: nothing), so
   * the interpreter can fuse the scale into `θ' = θ + c·u` (the same arithmetic as scaling, then
   * adding).
   */
  readonly split?: {
    readonly prefix: (layout: ParamLayout) => UpdateKernel | undefined;
    readonly scaleOf: (counts: readonly number[]) => number;
  };
}

const updateLowerings = new WeakMap<object, InPlaceUpdate<unknown>>();

/**
 * Attaches an in-place update to a gradient transformation (by identity) and returns it.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withInPlaceUpdate = <T extends object, S>(t: T, u: InPlaceUpdate<S>): T => {
  updateLowerings.set(t, u as InPlaceUpdate<unknown>);
  return t;
};

/**
 * The in-place update of a gradient transformation, or `undefined`.
 *
 * @since 0.2.0
 * @category destructors
 */
export const inPlaceUpdateOf = (t: object): InPlaceUpdate<unknown> | undefined => updateLowerings.get(t);

/**
 * The immutable `update(g, s, θ)` derived from an in-place update: flatten, run the kernel on
 * fresh arrays, rebuild the trees. So the generic path and the interpreter run one formula.
 *
 * @since 0.2.0
 * @category combinators
 */
export const immutableUpdate =
  <S>(u: InPlaceUpdate<S>) =>
  <P>(grads: P, state: S, params: P): readonly [P, S] => {
    const layout = layoutOf(params);
    const flat = Params.flatten(grads);
    const { trees, counts } = u.read(state);
    const next = trees.map(() => new Float64Array(layout.size));
    u.compile(layout)(flat, Params.flatten(params), trees.map((t) => Params.flatten(t)), next, counts);
    return [
      Params.unflatten(grads, flat),
      u.write(next.map((a) => Params.unflatten(params, a)), counts.map((c) => c + 1)),
    ] as const;
  };

// ------------------------------------------------------------------------------------------------
// Losses and penalties

/**
 * A loss kernel: the loss summed over every entry of the batch, and `s·∂(sum)/∂ŷ` written into
 * `grad` when it is not null (the shape of `defineLoss`'s summed form).
 *
 * @since 0.2.0
 * @category model
 */
export type SummedLossKernel = (yhat: Mat<number, number>, y: Mat<number, number>, grad: Float64Array | null, s: number) => number;

const lossLowerings = new WeakMap<object, SummedLossKernel>();

/**
 * Attaches a summed kernel to a loss value (by identity) and returns it.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withLossKernel = <L extends object>(loss: L, kernel: SummedLossKernel): L => {
  lossLowerings.set(loss, kernel);
  return loss;
};

/**
 * The summed kernel of a loss value, or `undefined`.
 *
 * @since 0.2.0
 * @category destructors
 */
export const lossKernelOf = (loss: object): SummedLossKernel | undefined => lossLowerings.get(loss);

/**
 * A penalty over flat parameters: `value(θ) = R(θ)`; `grad(θ, g, out)` writes
 * `out = g + ∂R/∂θ` (`out = ∂R/∂θ` when `g` is null; `out` may be `g`).
 *
 * @since 0.2.0
 * @category model
 */
export interface PenaltyKernel {
  readonly value: (theta: Float64Array) => number;
  readonly grad: (theta: Float64Array, g: Float64Array | null, out: Float64Array) => void;
}

/**
 * A penalty's lowered form: its kernel for a parameter layout.
 *
 * @since 0.2.0
 * @category model
 */
export type PenaltyLowering = (layout: ParamLayout) => PenaltyKernel;

const penaltyLowerings = new WeakMap<object, PenaltyLowering>();

/**
 * Attaches a kernel to a penalty value (by identity) and returns it.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withPenaltyKernel = <T extends object>(penalty: T, lower: PenaltyLowering): T => {
  penaltyLowerings.set(penalty, lower);
  return penalty;
};

/**
 * The lowered form of a penalty value, or `undefined`.
 *
 * @since 0.2.0
 * @category destructors
 */
export const penaltyKernelOf = (penalty: object): PenaltyLowering | undefined => penaltyLowerings.get(penalty);
