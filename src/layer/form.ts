/**
 * What a built-in layer computes, as data: its inference form, the single record of it. Each
 * built-in constructor records the form of the value it returns, keyed by the value itself (a
 * `WeakMap`), so a reader finds it by identity, never by the layer's `kind` string: a user's
 * `defineLayer({ kind: 'dense', … })` or `elementwise('relu', …)` has no form, whatever it is
 * called, because its functions are the user's.
 *
 * Two readers share it: the ONNX exporter and importer (src/onnx) map each form to ONNX nodes,
 * and fit's interpreter derives the layer's kernel stages from it (`stagesOfForm` in
 * src/lowering.ts; a form without stages there runs as one opaque stage). So a built-in layer
 * states what it computes once, here, not once per reader.
 *
 * A new built-in layer (convolution, pooling, a recurrent cell) adds a variant here and records
 * it in its constructor; the translators' tables are keyed by `op`, so the compiler then asks
 * for each one's mapping.
 *
 * @module
 */
import type { Part } from './layer.js';
import type { ConvParams } from './conv.js';

/**
 * The inference form of a built-in layer:
 * - `affine`: `y = x·W + b` with parameters `{ w: I×O, b: O }` (`dense`);
 * - `pointwise`: `y = φ(x)` entry by entry for φ one of the named built-ins; `leakyRelu` carries α;
 * - `softmax`: row-wise `s_j = e^{x_j} / Σ_k e^{x_k}`;
 * - `identity`: `y = x`;
 * - `dropout`: `y = x` at inference (drop probability `p` only acts in training);
 * - `standardize`: `y = (x − μ) / σ` with fixed statistics;
 * - `conv`: a convolution with `filters` output channels over the window `window` (parameters
 *   {@link ConvParams}: `w` rows `(p·kw + q)·C + c`, one column per filter, and `b`);
 * - `maxPool`, `avgPool`: the maximum or the mean over each window of `window` (no parameters);
 * - `globalAvgPool`: the mean of each of `channels` channels over `positions` positions;
 * - `rnn`, `lstm`, `gru`: a recurrent layer over `steps × features` with `hidden` units (see
 *   {@link Recurrence}), with the parameters of `rnn`, `lstm` and `gru`;
 * - `timeDistributed`: `layer` applied at each of `steps` steps, with shared parameters;
 * - `chain`: the composite of `parts`, applied in the order `applied` (indices into `parts`,
 *   which is also the composite's parameter tuple).
 *
 * `flatten` has the form `identity`: its rows are the flattened examples already.
 *
 * @since 0.2.0
 * @category model
 */
export type InferenceForm =
  | { readonly op: 'affine'; readonly inputDim: number; readonly outputDim: number }
  | { readonly op: 'pointwise'; readonly fn: 'relu' | 'tanh' | 'sigmoid' | 'softplus' }
  | { readonly op: 'leakyRelu'; readonly alpha: number }
  | { readonly op: 'softmax' }
  | { readonly op: 'identity' }
  | { readonly op: 'dropout'; readonly p: number }
  | { readonly op: 'standardize'; readonly mean: Float64Array; readonly std: Float64Array }
  | { readonly op: 'conv'; readonly window: Window; readonly filters: number }
  | { readonly op: 'maxPool'; readonly window: Window }
  | { readonly op: 'avgPool'; readonly window: Window }
  | { readonly op: 'globalAvgPool'; readonly positions: number; readonly channels: number }
  | ({ readonly op: 'rnn' | 'lstm' | 'gru' } & Recurrence)
  | { readonly op: 'timeDistributed'; readonly layer: Part; readonly steps: number }
  | { readonly op: 'chain'; readonly parts: readonly Part[]; readonly applied: readonly number[] };

/**
 * A sliding window over channels-last examples, axis by axis over the `spatial` axes (one for
 * sequences `[L, C]`, two for images `[H, W, C]`): the input's spatial sizes and `channels`, the
 * window's `kernel` and `strides`, the zero padding `pads` (all the starts, then all the ends, as
 * ONNX lists them), and the `output` spatial sizes. `patches()` is the im2col table of one
 * example: for each output position and window entry `(p·kw + q)·C + c`, the index of the input
 * entry it reads, or −1 over the padding (`output positions × kernel size·C` entries).
 *
 * @since 0.2.0
 * @category internals
 */
export interface Window {
  readonly spatial: readonly number[];
  readonly channels: number;
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly number[];
  readonly output: readonly number[];
  readonly patches: () => Int32Array;
}

/**
 * A recurrent layer's shape: sequences of `steps` steps of `features` values, `hidden` units,
 * every step's output (`returnSequences`) or the last one, and whether the initial state is a
 * parameter (`learnInitialState`; otherwise it is 0).
 *
 * @since 0.2.0
 * @category internals
 */
export interface Recurrence {
  readonly steps: number;
  readonly features: number;
  readonly hidden: number;
  readonly returnSequences: boolean;
  readonly learnInitialState: boolean;
}

const forms = new WeakMap<object, InferenceForm>();

/**
 * Records `form` as what `layer` computes, and returns the layer. Only foldnet's own constructors
 * call this: the form is a promise about the layer's functions.
 *
 * @since 0.2.0
 * @category internals
 */
export const withForm = <T extends object>(layer: T, form: InferenceForm): T => {
  forms.set(layer, Object.freeze(form));
  return layer;
};

/**
 * The inference form recorded for this very value, or `undefined` for a layer foldnet did not
 * build (or a copy of one, such as `{ ...dense(4, 8), forward }`).
 *
 * @since 0.2.0
 * @category internals
 */
export const formOf = (layer: unknown): InferenceForm | undefined =>
  typeof layer === 'object' && layer !== null ? forms.get(layer) : undefined;

/**
 * Gives `fixed` (a polymorphic layer fixed to one width with `at(n)`) the form of `poly`, if any.
 *
 * @since 0.2.0
 * @category internals
 */
export const inheritForm = <T extends object>(poly: object, fixed: T): T => {
  const f = forms.get(poly);
  return f === undefined ? fixed : withForm(fixed, f);
};
