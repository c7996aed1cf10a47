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
 *   dropout mask, row-affine standardize, softmax, convolution, pooling, recurrence, `distribute`:
 *   inner stages run on each step of a sequence, or `opaque`: a part that runs through its own
 *   `forward`/`vjp`). A built-in layer's stages are derived from its inference form
 *   (`src/layer/form.ts`, the one record of what it computes, which the ONNX translators read
 *   too) by `stagesOfForm`; a chain concatenates its parts' stages. A layer without a form
 *   (a user's own, a new kind) can attach its stages explicitly ({@link withLowering}, the
 *   `lower` option of `defineLayer`), which win over a form.
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
 * To lower a new layer, give its form a case in `stagesOfForm`, or
 * pass an explicit lowering with `defineLayer`'s `lower` option, with the existing stage ops or a new
 * op in {@link Stage} and its forward and backward cases in the interpreter; until then it runs as an
 * opaque stage at the speed of its own `forward`/`vjp`.
 *
 * @module
 */
import * as Params from './params.js';
import type { Tensor } from './tensor/mat.js';
import type { Mat } from './tensor/mat.js';
import * as K from './tensor/kernels.js';
import { isPoly, type Part } from './layer/layer.js';
import { formOf, type InferenceForm, type Recurrence, type Window } from './layer/form.js';
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
 * - `recurrent`: the `rnn`, `lstm` or `gru` layer (`cell`) of shape `recurrence`, its parameters
 *   (`{ cell, initialState? }`, as the layer lays them out) at `at`: the scan of its cell over
 *   the steps, with backpropagation through time.
 * - `distribute`: the inner `stages` applied to each of the `steps` parts of a row: a batch of
 *   `B` rows of width `steps·w` is the same row-major data as `B·steps` rows of width `w`, so the
 *   inner stages run on `B·steps` rows (the layer `timeDistributed`; its parameters and key are
 *   its inner layer's, so the inner `at` paths are not nested).
 * - `opaque`: `layer`'s own `vjp` with its parameters at `at` (its output width `outputDim`).
 *
 * A reshape (`flatten`, whose form is `identity`) lowers to no stage at all: examples are stored
 * row-major either way.
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
  | { readonly op: 'recurrent'; readonly cell: 'rnn' | 'lstm' | 'gru'; readonly recurrence: Recurrence; readonly at: readonly number[] }
  | { readonly op: 'distribute'; readonly steps: number; readonly stages: readonly Stage[] }
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
 * Attaches an explicit lowered form to a layer value (by identity) and returns the value: the
 * extension point for a layer without an inference form (a user's `defineLayer({ lower })`, a new
 * kind of layer). Built-in layers need none: theirs is derived from their form.
 *
 * @since 0.2.0
 * @category constructors
 */
export const withLowering = <L extends object>(layer: L, lower: LayerLowering): L => {
  layerLowerings.set(layer, lower);
  return layer;
};

/**
 * The lowered form of a layer value: the one attached with {@link withLowering} if any, else the
 * one derived from its inference form (`stagesOfForm`), else `undefined` (it then runs as
 * an opaque stage).
 *
 * @since 0.2.0
 * @category destructors
 */
export const loweringOf = (layer: object): LayerLowering | undefined => {
  const own = layerLowerings.get(layer);
  if (own !== undefined) return own;
  const form = formOf(layer);
  return form === undefined ? undefined : formLowering(form);
};

/**
 * `stages` of a child at tuple position `k`: every `at` path gains `k` in front.
 *
 * @since 0.2.0
 * @category combinators
 */
export const nestStages = (k: number, stages: readonly Stage[]): readonly Stage[] =>
  stages.map((s) => (s.op === 'distribute' ? { ...s, stages: nestStages(k, s.stages) } : 'at' in s ? { ...s, at: [k, ...s.at] } : s));

/**
 * Every stage of a list, those inside a `distribute` included (depth-first, in the order they run).
 *
 * @since 0.2.0
 * @category destructors
 */
export const allStages = (stages: readonly Stage[]): readonly Stage[] =>
  stages.flatMap((s) => (s.op === 'distribute' ? [s, ...allStages(s.stages)] : [s]));

/**
 * A layer's stages for an input of width `inputDim`: its lowered form's, or one `opaque` stage
 * running its own `forward`/`vjp` when it has none.
 *
 * @since 0.2.0
 * @category destructors
 */
export const stagesOf = (layer: Part, inputDim: number): readonly Stage[] =>
  loweringOf(layer)?.(inputDim) ?? [{ op: 'opaque', layer, outputDim: isPoly(layer) ? inputDim : layer.outputDim, at: [] }];

/**
 * A composite's stages: its parts' stages in the order they run, each nested under the part's
 * slot (its parameters `p[slot]` and key `foldIn(key, slot)`); a part without a lowered form is
 * one opaque stage that runs its own `forward`/`vjp`.
 */
const chainStages = (parts: readonly Part[], applied: readonly number[], inputDim: number): readonly Stage[] => {
  let width = inputDim;
  return applied.flatMap((slot) => {
    const part = parts[slot]!;
    const stages = stagesOf(part, width);
    width = isPoly(part) ? width : part.outputDim;
    return nestStages(slot, stages);
  });
};

/**
 * The kernels' geometry of a form's window over channels-last images `h × w × c`: a 1-D window
 * (sequences `[L, C]`) slides along the width axis of `1 × L × C` images; the padding before
 * each axis is the window's (the padding after follows from the output size).
 */
const geometryOf = (window: Window): Omit<WindowGeometry, 'batch'> => {
  // axis i of the image (0: height, 1: width) is entry rank − 2 + i of the window's lists, if any
  const axis = (values: readonly number[], i: number, missing: number): number => values[window.spatial.length - 2 + i] ?? missing;
  const size = (values: readonly number[], i: number): number => axis(values, i, 1);
  return Object.freeze({
    h: size(window.spatial, 0), w: size(window.spatial, 1), c: window.channels,
    kh: size(window.kernel, 0), kw: size(window.kernel, 1),
    sh: size(window.strides, 0), sw: size(window.strides, 1),
    pt: axis(window.pads, 0, 0), pl: axis(window.pads, 1, 0),
    oh: size(window.output, 0), ow: size(window.output, 1),
  });
};

/** The geometry of the mean over all `positions` of each of `channels` channels: one window over `1 × positions × channels`. */
const globalGeometry = (positions: number, channels: number): Omit<WindowGeometry, 'batch'> =>
  Object.freeze({ h: 1, w: positions, c: channels, kh: 1, kw: positions, sh: 1, sw: positions, pt: 0, pl: 0, oh: 1, ow: 1 });

/** The lowering of an inference form, or `undefined` for a form op without stages. */
const formLowering = (form: InferenceForm): LayerLowering | undefined => {
  switch (form.op) {
    case 'affine':
      return () => [{ op: 'affine', inputDim: form.inputDim, outputDim: form.outputDim, at: [] }];
    case 'pointwise':
      return () => [{ op: 'pointwise', code: K.ACTIVATION_CODES[form.fn], alpha: 0 }];
    case 'leakyRelu':
      return () => [{ op: 'pointwise', code: K.ACTIVATION_CODES.leakyRelu, alpha: form.alpha }];
    case 'softmax':
      return () => [{ op: 'softmax' }];
    case 'identity':
      return () => [];
    case 'dropout':
      return () => (form.p === 0 ? [] : [{ op: 'dropout', rate: form.p, at: [] }]);
    case 'standardize':
      return () => [{ op: 'standardize', mean: form.mean, std: form.std }];
    case 'conv':
      return () => [{ op: 'conv', geometry: geometryOf(form.window), filters: form.filters, at: [] }];
    case 'maxPool':
      return () => [{ op: 'pool', mode: 'max', geometry: geometryOf(form.window) }];
    case 'avgPool':
      return () => [{ op: 'pool', mode: 'avg', geometry: geometryOf(form.window) }];
    case 'globalAvgPool':
      return () => [{ op: 'pool', mode: 'avg', geometry: globalGeometry(form.positions, form.channels) }];
    case 'rnn':
    case 'lstm':
    case 'gru': {
      const { steps, features, hidden, returnSequences, learnInitialState } = form;
      const recurrence = { steps, features, hidden, returnSequences, learnInitialState };
      return () => [{ op: 'recurrent', cell: form.op, recurrence, at: [] }];
    }
    case 'timeDistributed':
      return (inputDim) => [{ op: 'distribute', steps: form.steps, stages: stagesOf(form.layer, inputDim / form.steps) }];
    case 'chain':
      return (inputDim) => chainStages(form.parts, form.applied, inputDim);
    default:
      // a form op this version has no stages for (a newer form, or one set from untyped code):
      // the layer runs as an opaque stage
      return undefined;
  }
};

/**
 * The stages of a built-in layer's inference form for an input of width `inputDim`, or
 * `undefined` for a form op the interpreter has no stages for (the layer then runs as one opaque
 * stage):
 * - `affine` → an `affine` stage; `pointwise`/`leakyRelu` → a `pointwise` stage with the kernels'
 *   activation code (and slope α); `softmax`, `standardize` → the stage of that name;
 * - `identity`, and `dropout` with `p = 0` → no stage; `dropout` → a `dropout` stage of rate `p`;
 * - `conv` → a `conv` stage at the geometry of its window (1-D windows slide along the width of
 *   `1 × L × C` images); `maxPool`, `avgPool` → a `pool` stage (`'max'`, `'avg'`) at the geometry of
 *   its window; `globalAvgPool` → an `avg` `pool` stage with one window over all positions;
 * - `rnn`, `lstm`, `gru` → a `recurrent` stage of that cell and shape;
 * - `timeDistributed` → a `distribute` stage over its `steps` with its inner layer's stages (at
 *   the inner input width; a part without a lowered form is an opaque stage there);
 * - `chain` → the stages of `parts[applied[0]]`, `parts[applied[1]]`, … in that order, each nested
 *   under its slot, the width carried from one part to the next (a part's own lowering wins, a part
 *   with neither lowering nor form is an opaque stage).
 *
 * @since 0.2.0
 * @category destructors
 */
export const stagesOfForm = (form: InferenceForm, inputDim: number): readonly Stage[] | undefined => formLowering(form)?.(inputDim);

// ------------------------------------------------------------------------------------------------
// Gradient transformations

/**
 * One update, in place: `u` (the incoming gradient or update, flat) is replaced by the
 * transformation's output; `theta` holds the current parameters; `cur` are this transformation's
 * state buffers (read) and `next` receives their new values (every entry written); `counts` are
 * its update counters before this update. A kernel whose pass reads every entry of `u` may
 * return the incoming ‖u‖² it summed on the way (in index order; any other return is ignored),
 * which saves the interpreter a pass for its finiteness check of ‖g‖².
 *
 * @since 0.2.0
 * @category model
 */
export type UpdateKernel = (u: Float64Array, theta: Float64Array, cur: readonly Float64Array[], next: readonly Float64Array[], counts: readonly number[]) => number | void;

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
