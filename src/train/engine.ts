/**
 * The interpreter: the only in-place training code in foldnet. `compileProgram` turns what `fit`
 * is given — a model, a loss, an optimizer and a penalty — into one program over the compute
 * arena (`src/tensor/wasm/arena.ts`) from the lowered forms those values carry (see
 * src/lowering.ts), and runs whole epochs there: gather the batch, the stages' forward passes,
 * the loss kernel, the stages' backward passes, the penalty's gradient, the optimizer's update
 * kernels, with no allocation per step except what an opaque stage's own `vjp` allocates (and a
 * few small views for a partial last batch).
 *
 * The generic immutable step (`makeStep`: backprop through the layer values, then the
 * optimizer's `update`) is the reference; every kernel the interpreter runs is the one the
 * generic values call, in the same summation order, so the program's parameters, optimizer
 * state and losses are bitwise those of folding `makeStep` (tests check every built-in layer,
 * loss, optimizer and penalty). Layer stages:
 * - `affine` (a dense layer): GEMM with the bias as its initial value, a following ReLU fused
 *   into the GEMM; backward `dW = Xᵀ·dY`, `db = 1ᵀ·dY`, `dX = dY·Wᵀ`. Products of at least
 *   {@link SIMD_MIN_MACS} multiply-adds run in the WebAssembly SIMD GEMM, smaller ones in the
 *   scalar register-blocked GEMM on the same memory (both sum in the same order).
 * - `pointwise` activations, `dropout` (the mask drawn from the stage's key exactly as the layer
 *   draws it: `bernoulli(foldIn(…foldIn(foldIn(key, step), k₁)…, k_n), rows·cols, 1 − p)`, entry
 *   by entry from `bernoulliDraws`),
 *   `standardize`, `softmax`.
 * - `conv`: im2col of the batch into a buffer, then the GEMM with the bias as its initial value
 *   (the same product as `affine`, over rows·positions rows); backward `dW = colsᵀ·dY`,
 *   `db = 1ᵀ·dY`, `dX = col2im(dY·Wᵀ)` (the column buffer reused for `dY·Wᵀ`).
 * - `pool`: max pooling (recording each window's first maximum; backward scatters `dY` onto
 *   them) or average pooling (backward spreads `dY/(kh·kw)` over each window).
 * - `recurrent` (`rnn`, `lstm`, `gru`): the input part of every step's gates in one GEMM, then
 *   per step one GEMM for all gates' hidden part and the cell's element-wise kernel, every step's
 *   gates and states kept in the arena; backpropagation through time in reverse over them
 *   (`src/train/recurrence.ts`).
 * - `distribute` (`timeDistributed`): its inner stages join the list and run on `rows·steps` rows
 *   of the step width (the same row-major data), their buffers sized per example as the outer ones.
 * - `opaque`: a part without a lowered form (a user's `defineLayer`) runs its own `vjp` on a view
 *   of its input in the arena (read-only to it, and unchanged until the step's backward pass is
 *   done) and on a view of its output gradient, and its output, gradient and input gradient are
 *   copied back: one custom layer costs its own functions, not the whole net.
 *   Its own functions run while the program holds the arena (`whileArenaHeld`), so a product
 *   they compute takes the scalar path instead of writing into the program's memory.
 *
 * The optimizer's kernels run on views of the arena; there Adam's moments, decoupled weight decay
 * and the final `θ' = θ + c·u` take the SIMD module's f64x2 passes (`src/tensor/wasm/arena.ts`),
 * each lane doing the scalar kernel's operations in its order, so the numbers are the same.
 *
 * Each update is written into a second parameter (and optimizer state) buffer and the two swap
 * when it is accepted, so a refused update (the shared `refusal` check: non-finite cost,
 * ‖g‖² or new parameters, in `makeStep`'s order and with its message) leaves the last finite
 * state. The layout is computed once per run; parameters and optimizer state are copied in at the
 * start of each epoch (the arena is shared, and a lazy `fitEpochs` may interleave with other
 * work) and out at its end.
 *
 * @module
 */
import type { AnyLayer, Part } from '../layer/layer.js';
import { isPoly } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import type { GradientTransformation } from '../optim/transform.js';
import type { Penalty } from '../optim/regularize/penalty.js';
import {
  allStages, inPlaceUpdateOf, layoutOf, leafDot, lossKernelOf, loweringOf, penaltyKernelOf, stagesOf,
  type InPlaceUpdate, type ParamLayout, type PenaltyKernel, type Stage, type SummedLossKernel, type UpdateKernel,
} from '../lowering.js';
import * as Params from '../params.js';
import { bernoulliDraws, foldIn, key, streamWords, type Key } from '../random.js';
import * as K from '../tensor/kernels.js';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import { arenaHeld, ensureArena, whileArenaHeld, type Arena } from '../tensor/wasm/arena.js';
import { refusal, type Refusal, type StepState } from './step.js';
import { compileRecurrence, type RecurrentKernels } from './recurrence.js';

/**
 * Below this many multiply-adds a product stays in scalar JS (a WASM call pays from batch ≈ 16).
 *
 * @since 0.1.0
 * @category internals
 */
export const SIMD_MIN_MACS = 2048;

/**
 * What one epoch of a program returns: the next state, the sums over its batches of
 * `loss_b·rows_b` and `cost_b·rows_b` (the batch losses the steps computed, before each update),
 * the rows those batches covered, and the refusal that stopped it early, if any.
 *
 * @since 0.2.0
 * @category internals
 */
export interface EpochResult<P, S> {
  readonly state: StepState<P, S>;
  readonly lossSum: number;
  readonly costSum: number;
  readonly rows: number;
  readonly refused?: Refusal;
}

/**
 * A training state as flat vectors in `params.leaves` order: the parameters, the optimizer's state
 * trees, its update counters and the step count (`run` advances it in place).
 *
 * @since 0.2.0
 * @category internals
 */
export interface FlatState {
  readonly params: Float64Array;
  readonly slots: readonly Float64Array[];
  readonly counts: number[];
  step: number;
}

/** What one `run` of a program returns: {@link EpochResult} without the state. @since 0.2.0 @category internals */
export type BatchesResult = Omit<EpochResult<never, never>, 'state'>;

/** The rows a program trains on: inputs `x` and targets `y` (`epoch` picks rows from them). @since 0.2.0 @category internals */
export interface TrainingData {
  readonly x: Mat<number, number>;
  readonly y: Mat<number, number>;
}

/**
 * A compiled training program: `epoch` runs one epoch's batches (rows `order` of `data`,
 * `batchSize` at a time) from a state, so the same program serves any data set of the model's
 * widths (an in-memory one, or each batch of a stream); `forward` is the model's evaluation-mode
 * forward pass (bitwise `model.forward(params, x)`) on the arena.
 *
 * @since 0.2.0
 * @category internals
 */
export interface Program<P, S> {
  readonly epoch: (state: StepState<P, S>, order: ArrayLike<number>, data: TrainingData) => EpochResult<P, S>;
  /**
   * `epoch` in three parts, for callers that run many calls in a row (`fitStream`: one call per
   * batch): `flat` copies a state out of its records once, `run` advances that flat state by one
   * call's batches (copying it into the arena and back: no records made), `tree` makes fresh
   * records of it. `epoch(s, o, d)` is `run(fs = flat(s), o, d)` then `tree(s, fs)`.
   */
  readonly flat: (state: StepState<P, S>) => FlatState;
  readonly run: (fs: FlatState, order: ArrayLike<number>, data: TrainingData) => BatchesResult;
  readonly tree: (like: StepState<P, S>, fs: FlatState) => StepState<P, S>;
  readonly forward: (params: P, x: Mat<number, number>) => Mat<number, number>;
}

/** A stage after fusion, with its widths and its arena buffers. */
type Op =
  | { readonly op: 'affine'; readonly I: number; readonly O: number; readonly w: number; readonly b: number; readonly act: number; readonly wt: number }
  | { readonly op: 'pointwise'; readonly code: number; readonly alpha: number }
  | { readonly op: 'dropout'; readonly keep: number; readonly at: readonly number[]; readonly scale: number }
  | { readonly op: 'standardize'; readonly mean: Float64Array; readonly std: Float64Array }
  | { readonly op: 'softmax' }
  | {
      readonly op: 'conv'; readonly g: Omit<K.WindowGeometry, 'batch'>; readonly P: number; readonly I: number; readonly O: number;
      readonly w: number; readonly b: number; readonly wt: number; readonly cols: number;
    }
  | { readonly op: 'pool'; readonly g: Omit<K.WindowGeometry, 'batch'>; readonly max: boolean; readonly arg: Int32Array }
  | { readonly op: 'recurrent'; readonly run: RecurrentKernels }
  | {
      readonly op: 'opaque'; readonly layer: Part; readonly at: readonly number[]; readonly O: number;
      readonly template: unknown; readonly off: number; readonly size: number;
    };

interface Compiled {
  readonly ops: readonly Op[];
  readonly widths: readonly number[]; // widths[s] = output width of op s, per row it runs on
  readonly reps: readonly number[]; // reps[s] = rows op s runs on per example (a distribute's steps)
  readonly inDim: number;
  readonly outDim: number;
  readonly first: number; // first op with parameters: backward stops there
}

const getAt = (p: unknown, at: readonly number[]): unknown => at.reduce<unknown>((q, i) => (q as readonly unknown[])[i], p);

/**
 * The stages' arena-independent data (input width `inDim`); `undefined` when a stage cannot run.
 * A `distribute` stage's inner stages join the list with their rows per example multiplied by
 * its steps (`reps`), each at its own width: op s runs on `rows·reps[s]` rows of width `widths[s]`.
 */
const compileStages = <P>(stages: readonly Stage[], inDim: number, params: P, R: number, take: (n: number) => number): Compiled | undefined => {
  const layout = layoutOf(params);
  const offsetOf = new Map(layout.leaves.map((l) => [l.path, l] as const));
  const ops: Op[] = [];
  const widths: number[] = [];
  const reps: number[] = [];
  /** Adds `list` run on `rep` rows per example from width `width`; its output width, or −1 when a stage cannot run. */
  const add = (list: readonly Stage[], rep: number, inWidth: number): number => {
    let width = inWidth;
    const Rr = R * rep;
    for (let s = 0; s < list.length; s++) {
      const st = list[s]!;
      switch (st.op) {
        case 'affine': {
          const base = st.at.join('.');
          const w = offsetOf.get(base === '' ? 'w' : `${base}.w`);
          const b = offsetOf.get(base === '' ? 'b' : `${base}.b`);
          if (st.inputDim !== width || w === undefined || b === undefined || w.length !== st.inputDim * st.outputDim || b.length !== st.outputDim) return -1;
          const next = list[s + 1];
          const fuse = next !== undefined && next.op === 'pointwise' && next.code === K.ACTIVATION_CODES.relu;
          ops.push({ op: 'affine', I: st.inputDim, O: st.outputDim, w: w.offset, b: b.offset, act: fuse ? 1 : 0, wt: take(st.inputDim * st.outputDim) });
          if (fuse) s++;
          width = st.outputDim;
          break;
        }
        case 'dropout':
          ops.push({ op: 'dropout', keep: 1 - st.rate, at: st.at, scale: take(Rr * width) });
          break;
        case 'conv': {
          // im2col's rows (one per output position) in `cols`, reused for the input gradient's
          const g = st.geometry;
          const base = st.at.join('.');
          const w = offsetOf.get(base === '' ? 'w' : `${base}.w`);
          const b = offsetOf.get(base === '' ? 'b' : `${base}.b`);
          const P = g.oh * g.ow;
          const I = g.kh * g.kw * g.c;
          if (g.h * g.w * g.c !== width || w === undefined || b === undefined || w.length !== I * st.filters || b.length !== st.filters) return -1;
          ops.push({ op: 'conv', g, P, I, O: st.filters, w: w.offset, b: b.offset, wt: take(I * st.filters), cols: take(Rr * P * I) });
          width = P * st.filters;
          break;
        }
        case 'pool': {
          const g = st.geometry;
          if (g.h * g.w * g.c !== width) return -1;
          width = g.oh * g.ow * g.c;
          ops.push({ op: 'pool', g, max: st.mode === 'max', arg: new Int32Array(st.mode === 'max' ? Rr * width : 0) });
          break;
        }
        case 'standardize':
          if (st.mean.length !== width) return -1;
          ops.push(st);
          break;
        case 'recurrent': {
          const rc = st.recurrence;
          const base = st.at.join('.');
          const run = rc.steps * rc.features === width ? compileRecurrence(st.cell, rc, (path) => offsetOf.get(base === '' ? path : `${base}.${path}`), Rr, take, gemmAuto) : undefined;
          if (run === undefined) return -1;
          ops.push({ op: 'recurrent', run });
          width = rc.returnSequences ? rc.steps * rc.hidden : rc.hidden;
          break;
        }
        case 'opaque': {
          const prefix = st.at.join('.');
          const own = layout.leaves.filter((l) => prefix === '' || l.path === prefix || l.path.startsWith(`${prefix}.`));
          const off = own.length === 0 ? 0 : own[0]!.offset;
          const size = own.reduce((n, l) => n + l.length, 0);
          ops.push({ op: 'opaque', layer: st.layer, at: st.at, O: st.outputDim, template: getAt(params, st.at), off, size });
          width = st.outputDim;
          break;
        }
        case 'distribute': {
          // B rows of width steps·w are B·steps rows of width w: the inner stages run on those
          if (!Number.isInteger(st.steps) || st.steps < 1 || width % st.steps !== 0) return -1;
          const inner = add(st.stages, rep * st.steps, width / st.steps);
          if (inner < 0) return -1;
          width = inner * st.steps;
          continue; // its ops pushed their own widths
        }
        default:
          ops.push(st);
      }
      widths.push(width);
      reps.push(rep);
    }
    return width;
  };
  const outDim = add(stages, 1, inDim);
  if (outDim < 0) return undefined;
  const first = ops.findIndex((o) => o.op === 'affine' || o.op === 'conv' || o.op === 'recurrent' || (o.op === 'opaque' && o.size > 0));
  return { ops, widths, reps, inDim, outDim, first: first < 0 ? ops.length : first };
};

/** C = act(init + A·B) on the arena: SIMD for products of ≥ SIMD_MIN_MACS, scalar JS below. */
const gemmAuto = (
  ar: Arena, f: Float64Array, a: number, sai: number, sap: number, b: number, ldb: number, c: number, ldc: number,
  bias: number, m: number, k: number, n: number, mode: number, act: number,
): void => {
  if (ar.simd && m * k * n >= SIMD_MIN_MACS) ar.gemm(a, sai, sap, b, ldb, c, ldc, bias, m, k, n, mode, act);
  else K.gemm(f, a, sai, sap, f, b, ldb, 1, f, c, ldc, m, k, n, mode, f, bias, act);
};

/** Offsets in the arena, handed out in order (even sizes keep 16-byte alignment). */
const allocator = (): { readonly take: (k: number) => number; readonly total: () => number } => {
  let end = 0;
  return {
    take: (k) => {
      const o = end;
      end += k + (k & 1);
      return o;
    },
    total: () => end,
  };
};

type Pullback = (dy: Mat<number, number>) => readonly [unknown, Mat<number, number>];

// An opaque stage's own functions, run while the program holds the arena. Written outside the
// stage loops: a closure inside a loop that captures the loop's variables makes V8 allocate a
// context for every stage of every step, whether or not an opaque stage runs.
const heldForward = (layer: AnyLayer, q: never, x: Mat<number, number>): Mat<number, number> => whileArenaHeld(() => layer.forward(q, x));
const heldVjp = (layer: AnyLayer, q: never, x: Mat<number, number>, key: Key): readonly [Mat<number, number>, unknown] =>
  whileArenaHeld(() => layer.vjp(q, x, { training: true, key }));
const heldPullback = (pb: Pullback, dy: Mat<number, number>): readonly [unknown, Mat<number, number>] => whileArenaHeld(() => pb(dy));

/**
 * The stages on the arena: their buffers (the input X and each stage's output, R rows),
 * the forward pass, and the evaluation-mode forward of a whole matrix with the parameters at P0.
 */
const compileNet = <P>(stages: readonly Stage[], inDim0: number, params: P, R: number, take: (k: number) => number, P0: number) => {
  const compiled = compileStages(stages, inDim0, params, R, take);
  if (compiled === undefined) return undefined;
  const { ops, widths, reps, inDim, outDim } = compiled;
  // entries per example of op s's output (a distributed op's rows per example times its width)
  const sizes = widths.map((w, s) => w * reps[s]!);
  const X = take(R * inDim);
  const out = sizes.map((z) => take(R * z));
  const inOf = (s: number): number => (s === 0 ? X : out[s - 1]!);
  /** The width of op s's input, per row it runs on. */
  const widthIn = (s: number): number => (s === 0 ? inDim : sizes[s - 1]!) / reps[s]!;
  const yhat = ops.length === 0 ? X : out[ops.length - 1]!;
  /**
   * Runs the stages forward on `rows` rows at X, in training mode when `training` (then `key` is
   * the step's key, or `undefined` when no stage reads it) and else in evaluation mode. `from`
   * is the index of the first row in its batch (a shard's offset): dropout draws entry
   * `from·width + i` of the batch's mask stream, so a shard sees the rows' own mask entries.
   */
  const forward = (ar: Arena, f: Float64Array, p: number, examples: number, training: boolean, key: Key | undefined, pullbacks: Pullback[], from = 0): void => {
    for (let s = 0; s < ops.length; s++) {
      const o = ops[s]!;
      const src = inOf(s);
      const dst = out[s]!;
      const rows = examples * reps[s]!;
      const cnt = rows * widths[s]!;
      switch (o.op) {
        case 'affine':
          gemmAuto(ar, f, src, o.I, 1, p + o.w, o.O, dst, o.O, p + o.b, rows, o.I, o.O, 2, o.act);
          break;
        case 'pointwise':
          K.activationForward(o.code, o.alpha, f, src, f, dst, cnt);
          break;
        case 'dropout':
          if (!training) f.copyWithin(dst, src, src + cnt);
          else {
            // the SIMD kernel draws the mask four entries at a time (the same draws, see
            // random.streamWords); the scalar kernel does the rest, from the same positions
            const k = o.at.reduce<Key>(foldIn, key!);
            const [k0, l1, l2] = streamWords(k);
            const at = from * sizes[s]!; // the SIMD kernel draws from position 0 only
            const done = ar.dropout === null || at !== 0 ? 0 : ar.dropout(src, o.scale, dst, cnt, k0, l1, l2, o.keep, 1 / o.keep);
            if (done < cnt) {
              const kept = bernoulliDraws(k, o.keep);
              K.dropoutForward((i) => kept(at + i + done), o.keep, f, src + done, f, o.scale + done, f, dst + done, cnt - done);
            }
          }
          break;
        case 'standardize':
          K.standardizeRows(f, src, rows, widths[s]!, o.mean, o.std, f, dst);
          break;
        case 'softmax':
          K.softmaxRows(f, f, rows, widths[s]!, src, dst);
          break;
        case 'conv': {
          const n = rows * o.P;
          K.im2col(f.subarray(src, src + rows * widthIn(s)), f.subarray(o.cols, o.cols + n * o.I), { ...o.g, batch: rows }, false);
          gemmAuto(ar, f, o.cols, o.I, 1, p + o.w, o.O, dst, o.O, p + o.b, n, o.I, o.O, 2, 0);
          break;
        }
        case 'pool':
          if (o.max) K.maxPoolForward(f.subarray(src, src + rows * widthIn(s)), f.subarray(dst, dst + cnt), o.arg, { ...o.g, batch: rows });
          else K.avgPool(f.subarray(src, src + rows * widthIn(s)), f.subarray(dst, dst + cnt), { ...o.g, batch: rows }, false);
          break;
        case 'recurrent':
          o.run.forward(ar, f, p, src, dst, rows);
          break;
        case 'opaque': {
          const I = widthIn(s);
          const x = unsafeMat(rows, I, f.subarray(src, src + rows * I)); // a view: stage s−1's output is not written again before this step's backward
          const q = Params.unflatten(o.template, f.subarray(p + o.off, p + o.off + o.size)) as never;
          const layer = o.layer as AnyLayer;
          let y: Mat<number, number>;
          // the layer's own functions must leave the arena (the program's buffers) alone
          if (!training) y = heldForward(layer, q, x);
          else {
            const [yy, pb] = heldVjp(layer, q, x, o.at.reduce<Key>(foldIn, key!));
            y = yy;
            pullbacks[s] = pb as Pullback;
          }
          if (y.rows !== rows || y.cols !== (isPoly(o.layer) ? I : o.O)) throw new RangeError(`fit: a layer returned ${y.rows}×${y.cols} for ${rows} rows of width ${I}`);
          f.set(y.data, dst);
          break;
        }
      }
    }
  };

  /** `model.forward(p, x)` (evaluation mode) on the arena, R rows at a time; a fresh matrix. */
  const evaluate = (p: P, x: Mat<number, number>, size: number): Mat<number, number> => {
    const ar = ensureArena(size);
    const f = ar.f64;
    // the parameters leaf by leaf into the arena (params.flatten's order, without its fresh copy)
    let at = P0;
    for (const { tensor } of Params.leaves(p)) {
      f.set(tensor.data, at);
      at += tensor.data.length;
    }
    const result = new Float64Array(x.rows * outDim);
    for (let start = 0; start < x.rows; start += R) {
      const rows = Math.min(R, x.rows - start);
      f.set(x.data.subarray(start * inDim, (start + rows) * inDim), X);
      forward(ar, f, P0, rows, false, undefined, []);
      result.set(f.subarray(yhat, yhat + rows * outDim), start * outDim);
    }
    return unsafeMat(x.rows, outDim, result);
  };
  return { ...compiled, sizes, X, out, inOf, widthIn, yhat, forward, evaluate };
};

/**
 * The model's evaluation-mode forward pass compiled onto the arena (bitwise `model.forward(p, x)`,
 * weights copied in once per call, bias and ReLU fused into the GEMM, 256 rows at a time), or
 * `undefined` when the model carries no lowered form, `params` do not fit it, or a running program
 * holds the arena. Compiled once per model and parameter layout, then reused.
 *
 * @since 0.2.0
 * @category internals
 */
export const compileForward = <P>(model: AnyLayer, params: P): ((p: P, x: Mat<number, number>) => Mat<number, number>) | undefined => {
  // inside a running program (a layer of one's own calling predict) the arena is the program's
  if (arenaHeld() || loweringOf(model) === undefined) return undefined;
  const layout = layoutOf(params);
  // the same model with parameters of the same layout compiles to the same program: reuse it
  // (predict called row by row would otherwise compile once per call)
  const signature = layout.leaves.map((l) => `${l.path}:${l.length}`).join(',');
  const cached = forwardCache.get(model);
  if (cached !== undefined && cached.signature === signature) return cached.run as (p: P, x: Mat<number, number>) => Mat<number, number>;
  const { take, total } = allocator();
  const P0 = take(layout.size);
  const net = compileNet(stagesOf(model, model.inputDim), model.inputDim, params, 256, take, P0);
  if (net === undefined) return undefined;
  const run = (p: P, x: Mat<number, number>): Mat<number, number> => net.evaluate(p, x, total());
  forwardCache.set(model, { signature, run: run as (p: unknown, x: Mat<number, number>) => Mat<number, number> });
  return run;
};

/** The last evaluation forward compiled for each model, with its parameters' layout (paths and lengths). */
const forwardCache = new WeakMap<object, { readonly signature: string; readonly run: (p: unknown, x: Mat<number, number>) => Mat<number, number> }>();

/**
 * The gradient half of a training program over the arena: the stages (input width `inDim0`,
 * parameters at P0) with the loss's buffers (targets Y, dŷ) for `B` rows, and the backward pass
 * into the gradient at G. `compileProgram` adds the update to it; `compileShardGradient` runs it
 * on shards of a batch.
 */
const compileGradientCore = <P>(
  stages: readonly Stage[], inDim0: number, params: P, B: number, R: number, take: (k: number) => number, P0: number, G: number,
) => {
  const net = compileNet(stages, inDim0, params, R, take, P0);
  if (net === undefined) return undefined;
  const { ops, widths, reps, sizes, outDim, first, out, inOf, widthIn } = net;
  const Y = take(B * outDim);
  const grad = sizes.map((z) => take(B * z));
  const last = ops.length - 1;
  // the step's key is derived only when a stage draws from it (dropout) or hands it on (opaque)
  const needsKey = ops.some((o) => o.op === 'dropout' || o.op === 'opaque');
  const yhatOff = net.yhat;
  const dyhatOff = last < 0 ? -1 : grad[last]!;

  /** Backward from dŷ at grad[last] into G (and Wᵀ refreshed when stale). */
  const backward = (ar: Arena, f: Float64Array, p: number, examples: number, pullbacks: Pullback[], wt: { stale: boolean }): void => {
    const useWt = ar.simd && examples >= 8;
    if (useWt && wt.stale) {
      for (let s = first + 1; s < ops.length; s++) {
        const o = ops[s]!;
        if (o.op === 'affine' || o.op === 'conv') K.transpose(f, f, o.I, o.O, p + o.w, o.wt);
      }
      wt.stale = false;
    }
    for (let s = last; s >= first; s--) {
      const o = ops[s]!;
      const dOut = grad[s]!;
      const need = s > first;
      const dIn = need ? grad[s - 1]! : -1;
      const rows = examples * reps[s]!;
      const cnt = rows * widths[s]!;
      switch (o.op) {
        case 'affine': {
          const { I, O } = o;
          const gb = G + o.b;
          const rb = ar.reluBack;
          const fused = rb !== null && cnt >= 64;
          if (fused) rb(dOut, out[s]!, gb, rows, O, o.act);
          else if (o.act === 1) K.activationBackward(1, 0, f, dOut, f, -1, f, out[s]!, f, dOut, cnt);
          gemmAuto(ar, f, inOf(s), 1, I, dOut, O, G + o.w, O, 0, I, rows, O, 0, 0);
          if (!fused) K.sumRows(f, f, rows, O, false, dOut, gb);
          if (need) {
            if (useWt) gemmAuto(ar, f, dOut, O, 1, o.wt, I, dIn, I, 0, rows, O, I, 0, 0);
            else K.gemm(f, dOut, O, 1, f, p + o.w, 1, O, f, dIn, I, rows, O, I, 0, f, 0, 0);
          }
          break;
        }
        case 'pointwise':
          if (need) K.activationBackward(o.code, o.alpha, f, dOut, f, inOf(s), f, out[s]!, f, dIn, cnt);
          break;
        case 'dropout':
          if (!need) break;
          if (ar.multiply !== null) ar.multiply(dOut, o.scale, dIn, cnt);
          else K.multiplyInto(f, dOut, f, o.scale, f, dIn, cnt);
          break;
        case 'standardize':
          if (need) K.divideColumns(f, dOut, rows, widths[s]!, o.std, f, dIn);
          break;
        case 'softmax':
          if (need) K.softmaxRowsJvp(f, f, f, rows, widths[s]!, out[s]!, dOut, dIn);
          break;
        case 'conv': {
          // as the layer's pullback: dW = colsᵀ·dY, db = 1ᵀ·dY, dX = col2im(dY·Wᵀ), dY read as (rows·P) × O
          const { I, O } = o;
          const n = rows * o.P;
          gemmAuto(ar, f, o.cols, 1, I, dOut, O, G + o.w, O, 0, I, n, O, 0, 0);
          K.sumRows(f, f, n, O, false, dOut, G + o.b);
          if (need) {
            if (useWt) gemmAuto(ar, f, dOut, O, 1, o.wt, I, o.cols, I, 0, n, O, I, 0, 0);
            else K.gemm(f, dOut, O, 1, f, p + o.w, 1, O, f, o.cols, I, n, O, I, 0, f, 0, 0);
            const dx = f.subarray(dIn, dIn + rows * widthIn(s));
            dx.fill(0);
            K.im2col(dx, f.subarray(o.cols, o.cols + n * I), { ...o.g, batch: rows }, true);
          }
          break;
        }
        case 'pool':
          if (need) {
            const dx = f.subarray(dIn, dIn + rows * widthIn(s));
            dx.fill(0);
            if (o.max) K.gatherScatter(f.subarray(dOut, dOut + cnt), o.arg.subarray(0, cnt), dx, true);
            else K.avgPool(dx, f.subarray(dOut, dOut + cnt), { ...o.g, batch: rows }, true);
          }
          break;
        case 'recurrent':
          o.run.backward(ar, f, p, G, dOut, dIn, rows);
          break;
        case 'opaque': {
          const [dp, dx] = heldPullback(pullbacks[s]!, unsafeMat(rows, widths[s]!, f.subarray(dOut, dOut + cnt)));
          if (o.size > 0) f.set(Params.flatten(dp), G + o.off);
          if (need) f.set(dx.data, dIn);
          break;
        }
      }
    }
  };

  return { net, Y, last, needsKey, yhatOff, dyhatOff, backward };
};

/**
 * Compiles a training run into an arena program, or `undefined` when the loss, the optimizer or
 * the penalty carries no lowered form, or a running program holds the arena (then `fit` folds the
 * generic step): every layer lowers,
 * a part without a lowered form as an opaque stage. `batchSize` is the largest batch;
 * `stepKey` is the key `makeStep` folds the update count into.
 *
 * @since 0.2.0
 * @category internals
 */
export const compileProgram = <P, S>(
  model: AnyLayer,
  params: P,
  loss: Loss<number>,
  optimizer: GradientTransformation<S>,
  penalty: Penalty | undefined,
  stepKey: Key,
  batchSize: number,
): Program<P, S> | undefined => {
  const lossKernel: SummedLossKernel | undefined = lossKernelOf(loss);
  const update = inPlaceUpdateOf(optimizer) as InPlaceUpdate<S> | undefined;
  const penaltyLower = penalty === undefined ? undefined : penaltyKernelOf(penalty);
  if (lossKernel === undefined || update === undefined || (penalty !== undefined && penaltyLower === undefined)) return undefined;
  // a fit run from inside a running program (a layer of one's own) folds the generic step: the arena is the program's
  if (arenaHeld()) return undefined;
  const layout = layoutOf(params);
  const n = layout.size;
  const B = Math.max(1, Math.floor(batchSize));
  const R = Math.max(B, 256); // rows per forward chunk (evaluation runs up to R rows at a time)
  // ---- layout, once per run (offsets in f64; even sizes keep 16-byte alignment)
  const { take, total } = allocator();
  const P0 = take(n);
  const P1 = take(n);
  const G = take(n);
  const slots = [Array.from({ length: update.slots }, () => take(n)), Array.from({ length: update.slots }, () => take(n))] as const;
  const core = compileGradientCore(stagesOf(model, model.inputDim), model.inputDim, params, B, R, take, P0, G);
  if (core === undefined) return undefined;
  const { net, Y, last, needsKey, yhatOff, dyhatOff, backward } = core;
  const { inDim, outDim, X, forward } = net;
  const kernel: UpdateKernel = update.compile(layout);
  const split = update.split;
  const prefix = split?.prefix(layout);
  const pen: PenaltyKernel | undefined = penaltyLower?.(layout);
  /** The step's gradient into G (at `gv`): backward, then the penalty's gradient added. */
  const gradient = (ar: Arena, f: Float64Array, p: number, rows: number, pullbacks: Pullback[], wt: { stale: boolean }, theta: Float64Array, gv: Float64Array): void => {
    backward(ar, f, p, rows, pullbacks, wt);
    if (pen !== undefined) pen.grad(theta, gv, gv);
  };

  let prefixNorm = false; // whether the prefix kernel returns ‖g‖² (known after its first run)

  /** A state as flat vectors: parameters and optimizer state trees flattened in leaf order. */
  const flat = (state: StepState<P, S>): FlatState => {
    const { trees, counts } = update.read(state.optState);
    return { params: Params.flatten(state.params), slots: trees.map((t) => Params.flatten(t)), counts: [...counts], step: state.step };
  };
  /** Fresh records of a flat state, shaped like `like`'s. */
  const tree = (like: StepState<P, S>, fs: FlatState): StepState<P, S> => ({
    params: Params.unflatten(like.params, fs.params),
    optState: update.write(fs.slots.map((v) => Params.unflatten(like.params, v)), fs.counts),
    step: fs.step,
  });

  /** The batches of one call (rows `order` of `data`, B at a time) from the flat state `fs`, which it advances. */
  const run = (fs: FlatState, order: ArrayLike<number>, data: TrainingData): BatchesResult => {
    const ar = ensureArena(total());
    const f = ar.f64;
    const pv = [f.subarray(P0, P0 + n), f.subarray(P1, P1 + n)] as const;
    const sv = slots.map((os) => os.map((o) => f.subarray(o, o + n)));
    const gv = f.subarray(G, G + n);
    // copy in: parameters, optimizer state, counters (the arena is shared: nothing stays in it between calls)
    pv[0].set(fs.params);
    fs.slots.forEach((v, i) => sv[0]![i]!.set(v));
    const counts = fs.counts;
    gv.fill(0);
    let cur: 0 | 1 = 0;
    let step = fs.step;
    let lossSum = 0;
    let costSum = 0;
    let seen = 0;
    let refused: Refusal | undefined;
    const wt = { stale: true };
    // the loss kernel's views of ŷ and y for a full batch, made once per epoch
    const lossViews = (rows: number): readonly [Mat<number, number>, Mat<number, number>, Float64Array] => {
      const m = rows * outDim;
      return [
        unsafeMat(rows, outDim, f.subarray(yhatOff, yhatOff + m)),
        unsafeMat(rows, outDim, f.subarray(Y, Y + m)),
        last < 0 ? new Float64Array(m) : f.subarray(dyhatOff, dyhatOff + m),
      ];
    };
    const full = lossViews(B);
    const pullbacks: Pullback[] = [];
    const xd = data.x.data;
    const yd = data.y.data;
    const N = data.x.rows;
    for (let start = 0; start < order.length; start += B) {
      const rows = Math.min(B, order.length - start);
      const got = K.gatherRows(xd, inDim, N, order, start, rows, f, X);
      if (got < rows) throw new RangeError(`fit: row index ${order[start + got]} out of range 0..${N - 1}`);
      K.gatherRows(yd, outDim, N, order, start, rows, f, Y);
      const p = cur === 0 ? P0 : P1;
      forward(ar, f, p, rows, true, needsKey ? foldIn(stepKey, step) : undefined, pullbacks);
      // the loss kernel on views of the arena (its gradient starts from zeros, as in defineLoss)
      const [yhat, yt, g] = rows === B ? full : lossViews(rows);
      g.fill(0);
      const total = lossKernel(yhat, yt, g, 1 / rows);
      const dataLoss = total / rows;
      const theta = pv[cur];
      const cost = pen === undefined ? dataLoss : dataLoss + pen.value(theta);
      if (!Number.isFinite(cost)) {
        refused = refusal('loss', cost, step);
        break;
      }
      gradient(ar, f, p, rows, pullbacks, wt, theta, gv);
      const nxt: 0 | 1 = cur === 0 ? 1 : 0;
      if (split !== undefined) {
        // the update ends in a learning-rate scale c: θ' = c·u + θ in one pass (= θ + u' with the
        // scale's u' = c·u, as the generic path adds them). Without a prefix, u = g and the pass's
        // return, ‖g‖² + Σ(θ' − θ'), is below 1e300 only when makeStep's checks pass (all terms
        // ≥ 0, so no order of ‖g‖² overflows); otherwise they are redone exactly, in its order.
        if (prefix !== undefined) {
          // A prefix whose first pass returns ‖g‖² (its sum in index order; see UpdateKernel)
          // runs without the separate pass: a return below 1e300 proves makeStep's ‖g‖² (leaf by
          // leaf, all terms ≥ 0) finite. Otherwise — or on the first step, which finds out whether
          // it returns one — the gradient is checked in makeStep's order before the prefix runs
          // (recomputed first when the prefix has overwritten it: same kernels, same numbers).
          const r = prefixNorm ? prefix(gv, theta, sv[cur]!, sv[nxt]!, counts) : undefined;
          if (!(typeof r === 'number' && r < 1e300)) {
            if (prefixNorm) {
              g.fill(0);
              lossKernel(yhat, yt, g, 1 / rows);
              gradient(ar, f, p, rows, pullbacks, wt, theta, gv);
            }
            const gg = leafDot(layout, gv, gv);
            if (!Number.isFinite(gg)) {
              refused = refusal('gradient', gg, step);
              break;
            }
            prefixNorm = typeof prefix(gv, theta, sv[cur]!, sv[nxt]!, counts) === 'number';
          }
        }
        const c = split.scaleOf(counts);
        const r = ar.axpy !== null ? ar.axpy(c, G, p, nxt === 0 ? P0 : P1, n) : K.axpy(c, gv, theta, pv[nxt]);
        if (!(r < 1e300)) {
          const gg = prefix === undefined ? leafDot(layout, gv, gv) : 0;
          if (!Number.isFinite(gg)) {
            refused = refusal('gradient', gg, step);
            break;
          }
          if (!K.allFinite(pv[nxt])) {
            refused = refusal('parameters', NaN, step);
            break;
          }
        }
      } else {
        refused = checkedUpdate(layout, kernel, gv, theta, sv[cur]!, sv[nxt]!, counts, pv[nxt], step, ar, p, G, nxt === 0 ? P0 : P1);
        if (refused !== undefined) break;
      }
      cur = nxt;
      for (let i = 0; i < counts.length; i++) counts[i] = counts[i]! + 1;
      wt.stale = true;
      step++;
      lossSum += dataLoss * rows;
      costSum += cost * rows;
      seen += rows;
    }
    // copy out, into the flat state
    fs.params.set(pv[cur]);
    fs.slots.forEach((v, i) => v.set(sv[cur]![i]!));
    fs.step = step;
    return refused === undefined ? { lossSum, costSum, rows: seen } : { lossSum, costSum, rows: seen, refused };
  };

  const epoch = (state: StepState<P, S>, order: ArrayLike<number>, data: TrainingData): EpochResult<P, S> => {
    const fs = flat(state);
    const r = run(fs, order, data);
    return { ...r, state: tree(state, fs) };
  };

  return { epoch, flat, run, tree, forward: (p, x) => net.evaluate(p, x, total()) };
};

/**
 * One update on flat buffers with `makeStep`'s checks: refused (`gradient`) when ‖g‖², summed
 * leaf by leaf, is not finite; else `u = kernel(g)` in place (state `cur` → `next`) and
 * `θ' = θ + u` written to `out`, refused (`parameters`) when θ' is not finite.
 *
 * @since 0.2.0
 * @category internals
 */
export const checkedUpdate = (
  layout: ParamLayout, kernel: UpdateKernel, g: Float64Array, theta: Float64Array,
  cur: readonly Float64Array[], next: readonly Float64Array[], counts: readonly number[], out: Float64Array, step: number,
  arena?: Arena, thetaOff = 0, gOff = 0, outOff = 0,
): Refusal | undefined => {
  const gg = leafDot(layout, g, g);
  if (!Number.isFinite(gg)) return refusal('gradient', gg, step);
  kernel(g, theta, cur, next, counts);
  // θ' = θ + u (applyUpdates' axpy; the arena's SIMD pass when θ, u and θ' are its views, at the
  // given offsets); its return is finite exactly when θ' is and ‖θ‖² is
  const r = arena !== undefined && arena.axpy !== null ? arena.axpy(1, thetaOff, gOff, outOff, g.length) : K.axpy(1, theta, g, out);
  if (!Number.isFinite(r) && !K.allFinite(out)) return refusal('parameters', NaN, step);
  return undefined;
};

/**
 * The gradient-only entry of data-parallel training: the forward and backward passes of the
 * compiled stages over shards of a batch, each into its own gradient buffer, with no update.
 *
 * @since 0.2.0
 * @category internals
 */
export interface ShardGradient {
  /** The parameter count n (the length of θ and of each shard's gradient). */
  readonly size: number;
  /** The arena it needs, in f64 entries. */
  readonly doubles: number;
  /**
   * For each shard j that `claim` hands out (round-relative, until it returns −1) of the batch of
   * `batchRows` rows `order[start …]` of `data`, with shard `first + j` holding the batch's rows
   * `[(first + j)·S, min((first + j + 1)·S, batchRows))` (S the shard size): computes
   * `g = ∂/∂θ (1/batchRows)·Σ_{i∈shard} ℓ_i(θ)` and the shard's summed loss `Σ_{i∈shard} ℓ_i(θ)`,
   * and hands them to `done(j, loss, g)` (`g` is a view of the arena, valid until `done` returns).
   * Training mode with the key `foldIn(stepKey, step)`; dropout draws each row's own entries of the
   * batch's mask (see the `from` of the forward pass), so a shard's numbers do not depend on who
   * computes it. θ is copied in once per call, however many shards it claims.
   */
  readonly shards: (
    theta: Float64Array, data: TrainingData, order: ArrayLike<number>, start: number, batchRows: number, step: number,
    first: number, claim: () => number, done: (j: number, loss: number, gradient: Float64Array) => void,
  ) => void;
}

/**
 * Compiles the gradient half of a program (stages, loss kernel; no optimizer) for shards of at
 * most `shardRows` rows, or `undefined` when a stage cannot run. The stages are plain data
 * (`stagesOf` of a net), so a worker thread can compile them without the layer values.
 *
 * @since 0.2.0
 * @category internals
 */
export const compileShardGradient = <P>(
  stages: readonly Stage[], inputDim: number, params: P, lossKernel: SummedLossKernel, stepKey: Key, shardRows: number,
): ShardGradient | undefined => {
  const n = layoutOf(params).size;
  const S = Math.max(1, Math.floor(shardRows));
  const { take, total } = allocator();
  const P0 = take(n);
  const G = take(n);
  const core = compileGradientCore(stages, inputDim, params, S, S, take, P0, G);
  if (core === undefined) return undefined;
  const { net, Y, last, needsKey, yhatOff, dyhatOff, backward } = core;
  const { inDim, outDim, X, forward } = net;
  const shards: ShardGradient['shards'] = (theta, data, order, start, batchRows, step, first, claim, done) => {
    const ar = ensureArena(total());
    const f = ar.f64;
    f.set(theta, P0);
    f.fill(0, G, G + n);
    const key = needsKey ? foldIn(stepKey, step) : undefined;
    const wt = { stale: true }; // θ is the same for every shard of the call: Wᵀ once
    const pullbacks: Pullback[] = [];
    const N = data.x.rows;
    for (let j = claim(); j >= 0; j = claim()) {
      const a = (first + j) * S;
      const rows = Math.min(S, batchRows - a);
      const got = K.gatherRows(data.x.data, inDim, N, order, start + a, rows, f, X);
      if (got < rows) throw new RangeError(`fit: row index ${order[start + a + got]} out of range 0..${N - 1}`);
      K.gatherRows(data.y.data, outDim, N, order, start + a, rows, f, Y);
      forward(ar, f, P0, rows, true, key, pullbacks, a);
      const m = rows * outDim;
      const g = last < 0 ? new Float64Array(m) : f.subarray(dyhatOff, dyhatOff + m);
      g.fill(0);
      const loss = lossKernel(unsafeMat(rows, outDim, f.subarray(yhatOff, yhatOff + m)), unsafeMat(rows, outDim, f.subarray(Y, Y + m)), g, 1 / batchRows);
      backward(ar, f, P0, rows, pullbacks, wt);
      done(j, loss, f.subarray(G, G + n));
    }
  };
  return { size: n, doubles: total(), shards };
};

/** The stages without their dropout (evaluation mode: dropout is the identity), inside `distribute` too. */
const evaluationStages = (stages: readonly Stage[]): readonly Stage[] =>
  stages.flatMap((s): Stage[] => (s.op === 'dropout' ? [] : s.op === 'distribute' ? [{ ...s, stages: evaluationStages(s.stages) }] : [s]));

/** The most arena a full-batch gradient may take, in f64 entries (512 MiB). */
const MAX_FULL_BATCH_DOUBLES = 64 * 1024 * 1024;

/**
 * The full-batch value and gradient `θ ↦ [L(f(θ, X), Y), ∇_θ L]` in evaluation mode on the arena,
 * for data sets of `rows` rows: bitwise `valueAndGrad(model, loss)(θ, X, Y)` (the program's
 * kernels in their order, on all rows as one batch), or `undefined` when the loss carries no
 * kernel, a part runs as an opaque stage (its evaluation-mode pullback is its own), a running
 * program holds the arena, or the rows' buffers would pass 512 MiB (then the caller takes the
 * generic path).
 *
 * @since 0.2.0
 * @category internals
 */
export const compileValueAndGrad = <P>(
  model: AnyLayer, params: P, loss: Loss<number>, rows: number,
): ((p: P, data: TrainingData) => readonly [value: number, grad: P]) | undefined => {
  const kernel = lossKernelOf(loss);
  if (arenaHeld() || kernel === undefined || !(rows >= 1)) return undefined;
  const stages = evaluationStages(stagesOf(model, model.inputDim));
  if (allStages(stages).some((s) => s.op === 'opaque')) return undefined;
  const core = compileShardGradient(stages, model.inputDim, params, kernel, ZERO_KEY, rows);
  if (core === undefined || core.doubles > MAX_FULL_BATCH_DOUBLES) return undefined;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  return (p, data) => {
    if (data.x.rows !== rows) throw new RangeError(`compileValueAndGrad: compiled for ${rows} rows, given ${data.x.rows}`);
    let out: readonly [number, P] | undefined;
    let handed = false;
    // one shard: all rows as one batch, so the sums run in the generic step's order
    const claim = (): number => (handed ? -1 : ((handed = true), 0));
    core.shards(Params.flatten(p), data, order, 0, rows, 0, 0, claim, (_j, total, g) => {
      out = [total / rows, Params.unflatten(p, g)];
    });
    return out!;
  };
};

const ZERO_KEY = key(0);
