/**
 * The fast training engine for plain chains of dense layers and element-wise activations (the
 * tabular MLP): the same numbers as the generic step (`makeStep`: backprop through the immutable
 * layer values, then the optimizer), computed in place in one preallocated arena.
 *
 * `trainChain` copies the parameters (and optimizer state) into private buffers of the compute
 * arena (`src/tensor/wasm/arena.ts`), runs whole epochs there — gather the batch, fused
 * GEMM + bias + activation forward, loss gradient, backward GEMMs, optimizer update — with no
 * allocation per step, and returns fresh parameter records. Nothing a caller can see is mutated.
 * Products of at least {@link SIMD_MIN_MACS} multiply-adds run in the WebAssembly SIMD GEMM;
 * smaller ones (tiny layers, online SGD) in the scalar register-blocked GEMM on the same memory.
 * Both sum in the same order as the generic kernels, so results agree with `makeStep` to the
 * last bit on every path (tests check ≤ 1e-12 relative, and bit equality through `fit`).
 * The loops themselves are kernels in `src/tensor/kernels.ts`; this module only lays out the
 * arena and calls them. Each update is written into a second parameter (and Adam moment) buffer
 * and the two swap when it is accepted, so the engine refuses an update exactly where `makeStep`
 * does — non-finite loss, ‖g‖² or new parameters — and keeps the last finite state; the checks
 * ride on sums the update passes return (no extra pass unless one of them is suspicious).
 *
 * Eligible: a `sequential`/`compose` tree (nested or not) of `dense` layers, each followed by at
 * most one of `relu`, `tanh`, `sigmoid`, `leakyRelu` (α ≥ 0), `softplus`, `identity`, optionally
 * led by one `standardize` (applied as the rows are gathered, {@link ChainPlan.input}); losses `mse`
 * and `softmaxCrossEntropy`; optimizers SGD and Adam ({@link FastOptimizer}). Anything else
 * (dropout, penalties, other losses) stays on the generic path: {@link planChain} returns `undefined`.
 *
 * @module
 */
import type { LayerSpec } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import { standardizeStatsOfSpec } from '../layer/standardize.js';
import { appliedOrder } from '../layer/compose.js';
import * as K from '../tensor/kernels.js';
import { unsafeMat, unsafeVec, type Mat } from '../tensor/mat.js';
import { ensureArena, type Arena } from '../tensor/wasm/arena.js';
import { isTrusted } from '../tensor/trusted.js';

/**
 * Below this many multiply-adds a product stays in scalar JS (a WASM call pays from batch ≈ 16).
 *
 * @since 0.1.0
 * @category internals
 */
export const SIMD_MIN_MACS = 2048;

const ACTS = K.ACTIVATION_CODES;
type ActCode = (typeof ACTS)[keyof typeof ACTS];

/**
 * One dense layer of a chain and the activation after it; `path` locates its `{ w, b }` in the
 * composite's (possibly nested) parameter tuple.
 *
 * @since 0.1.0
 * @category model
 */
export interface DenseStage {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly act: ActCode;
  readonly alpha: number;
  readonly path: readonly number[];
}

/**
 * A chain the engine can run: its dense stages in application order, and the statistics of a
 * leading `standardize` (`x ↦ (x − μ)/σ` applied to the input rows), if the chain has one.
 *
 * @since 0.1.0
 * @category model
 */
export interface ChainPlan {
  readonly stages: readonly DenseStage[];
  readonly input?: { readonly mean: Float64Array; readonly std: Float64Array };
}

type Item =
  | { readonly kind: 'dense'; readonly spec: LayerSpec; readonly path: readonly number[] }
  | { readonly kind: 'act'; readonly act: ActCode; readonly alpha: number }
  | { readonly kind: 'standardize'; readonly mean: Float64Array; readonly std: Float64Array };

const flatten = (spec: LayerSpec, path: readonly number[], out: Item[]): boolean => {
  if (spec.kind === 'sequential' || spec.kind === 'compose') {
    const ch = spec.children ?? [];
    return appliedOrder(spec).every((i) => flatten(ch[i]!, [...path, i], out));
  }
  if (spec.kind === 'dense') {
    if (spec.inputDim === null || spec.outputDim === null) return false;
    out.push({ kind: 'dense', spec, path });
    return true;
  }
  if (spec.kind in ACTS) {
    const alpha = spec.kind === 'leakyRelu' ? Number(spec.config?.['alpha'] ?? 0.01) : 0;
    if (!(alpha >= 0)) return false;
    out.push({ kind: 'act', act: ACTS[spec.kind as keyof typeof ACTS], alpha });
    return true;
  }
  if (spec.kind === 'standardize') {
    const stats = standardizeStatsOfSpec(spec);
    if (stats === undefined) return false;
    out.push({ kind: 'standardize', ...stats });
    return true;
  }
  return false;
};

/**
 * The engine's plan for a layer, read from its `spec`, or `undefined` when the layer is not a
 * plain chain of dense layers and element-wise activations, optionally led by one `standardize`
 * (recorded as `input`; a standardize anywhere else, or a second one, gives `undefined`).
 *
 * @example
 * planChain(sequential(dense(4, 8), relu, dense(8, 2)).spec)   // 2 stages
 * planChain(sequential(dense(4, 8), dropout(0.5), dense(8, 2)).spec)  // undefined
 * @since 0.1.0
 * @category training
 */
export const planChain = (spec: LayerSpec): ChainPlan | undefined => {
  const items: Item[] = [];
  if (!flatten(spec, [], items)) return undefined;
  // at most one standardize, and only as the very first item (before any dense or activation)
  const lead = items[0]?.kind === 'standardize' ? items[0] : undefined;
  if (items.some((it, i) => it.kind === 'standardize' && i > 0)) return undefined;
  const stages: DenseStage[] = [];
  for (const it of items) {
    if (it.kind === 'standardize') continue;
    if (it.kind === 'dense') {
      const prev = stages[stages.length - 1];
      if (prev !== undefined && prev.outputDim !== it.spec.inputDim) return undefined;
      stages.push({ inputDim: it.spec.inputDim!, outputDim: it.spec.outputDim!, act: 0, alpha: 0, path: it.path });
    } else if (it.act !== 0) {
      const last = stages[stages.length - 1];
      if (last === undefined || last.act !== 0) return undefined;
      stages[stages.length - 1] = { ...last, act: it.act, alpha: it.alpha };
    }
  }
  if (stages.length === 0) return undefined;
  if (lead === undefined) return Object.freeze({ stages: Object.freeze(stages) });
  if (lead.mean.length !== stages[0]!.inputDim) return undefined;
  // standardize's forward subtracts μ broadcast as 0 + μ (so a −0 mean acts as +0): the same here
  const input = Object.freeze({ mean: lead.mean.map((m) => 0 + m), std: lead.std.slice() });
  return Object.freeze({ stages: Object.freeze(stages), input });
};

/**
 * The optimizers the engine runs, with the library's update equations (`sgd`, `adam` in
 * src/optim): SGD `θ ← θ − ρ_t·g`; Adam `θ ← θ − ρ_t·m̂/(√v̂ + ε)`. `lr` may be a schedule
 * `t ↦ ρ_t` (t = updates so far), as the library's `LearningRate`.
 *
 * @since 0.1.0
 * @category model
 */
export type FastOptimizer =
  | { readonly kind: 'sgd'; readonly lr: number | ((t: number) => number) }
  | { readonly kind: 'adam'; readonly lr: number | ((t: number) => number); readonly b1?: number; readonly b2?: number; readonly eps?: number };

/**
 * The optimizer state in the library's own format: SGD's `{ count }` (as `sgd`'s
 * `CountState`) and Adam's `[{ count, mu, nu }, { count }]` (as `adam`'s chain state).
 *
 * @since 0.1.0
 * @category model
 */
export type FastOptState<P> =
  | { readonly count: number }
  | readonly [{ readonly count: number; readonly mu: P; readonly nu: P }, { readonly count: number }];

/**
 * Options of {@link trainChain}: the loss (`mse` or `softmaxCrossEntropy`, by `kind`), the
 * optimizer, the batch size, and one row order per epoch (each a sequence of row indices; the
 * epoch's batches are consecutive slices of it, the last one partial).
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainChainOptions<P> {
  readonly loss: Loss<number>;
  readonly optimizer: FastOptimizer;
  readonly batchSize: number;
  readonly orders: readonly ArrayLike<number>[];
  readonly optState?: FastOptState<P>;
}

/**
 * Why {@link trainChain} stopped early, with `makeStep`'s causes and checks, in its order: the
 * batch loss was not finite (`value` = the loss), ‖g‖² was not finite (`value` = ‖g‖²), or the
 * updated parameters were not (`value` = NaN). `update` counts the updates applied before.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainChainStop {
  readonly update: number;
  readonly cause: 'loss' | 'gradient' | 'parameters';
  readonly value: number;
}

/**
 * What {@link trainChain} returns: fresh parameters and optimizer state, the number of updates,
 * and each update's batch loss (before the update) in order. `stopped` is set when an update was
 * refused ({@link TrainChainStop}): training stopped before it, and `params` and `optState` are
 * the last finite ones.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainChainResult<P> {
  readonly params: P;
  readonly optState: FastOptState<P>;
  readonly updates: number;
  readonly costs: Float64Array;
  readonly stopped?: TrainChainStop;
}

type LossKind = 'mse' | 'sce';
const lossKind = (l: Loss<number>): LossKind | undefined => {
  const k = l.kind.replace(/\[\d+\]$/, '');
  return k === 'mse' ? 'mse' : k === 'softmaxCrossEntropy' ? 'sce' : undefined;
};

/**
 * True when {@link trainChain} can run this loss (`mse` or `softmaxCrossEntropy`).
 *
 * @since 0.1.0
 * @category training
 */
export const fastLossSupported = (l: Loss<number>): boolean => lossKind(l) !== undefined;

interface DenseLeaves {
  readonly w: Mat<number, number>;
  readonly b: { readonly size: number; readonly data: Float64Array };
}

/** Lexicographic order of parameter paths (the order `Params.leaves` visits them). */
const comparePaths = (a: readonly number[], b: readonly number[]): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
};

const getAt = (p: unknown, path: readonly number[]): unknown => path.reduce<unknown>((q, i) => (q as readonly unknown[])[i], p);

const setAt = (p: unknown, path: readonly number[], v: unknown): unknown => {
  if (path.length === 0) return v;
  const arr = [...(p as readonly unknown[])];
  arr[path[0]!] = setAt(arr[path[0]!], path.slice(1), v);
  return Object.freeze(arr);
};

const denseAt = (p: unknown, s: DenseStage, where: string): DenseLeaves => {
  const d = getAt(p, s.path) as DenseLeaves | undefined;
  if (d === undefined || d.w === undefined || d.b === undefined || d.w.data.length !== s.inputDim * s.outputDim || d.b.data.length !== s.outputDim) {
    throw new RangeError(`trainChain: the ${where} at [${s.path.join(', ')}] do not fit a dense ${s.inputDim}→${s.outputDim} layer`);
  }
  return d;
};

/** The arena layout: offsets (in f64) of every buffer. */
interface Layout {
  readonly total: number;
  readonly P: number; // all params, per stage W then b
  readonly P2: number; // the other parameter buffer: an update writes θ' there, so θ survives a refused one
  readonly G: number;
  readonly M: number;
  readonly V: number;
  readonly M2: number;
  readonly V2: number;
  readonly nParams: number;
  readonly w: readonly number[];
  readonly b: readonly number[];
  readonly wt: readonly number[];
  readonly h: readonly number[]; // stage outputs (post-activation), h[-1] = x
  readonly z: readonly number[]; // pre-activations (only for non-relu/identity acts, else -1)
  readonly dh: readonly number[]; // gradient wrt stage outputs
  readonly x: number;
  readonly y: number;
}

const layout = (plan: ChainPlan, B: number, adam: boolean): Layout => {
  let off = 0;
  const take = (n: number): number => {
    const o = off;
    off += n + (n & 1); // keep 16-byte alignment
    return o;
  };
  const st = plan.stages;
  const nParams = st.reduce((s, l) => s + l.inputDim * l.outputDim + l.outputDim, 0);
  const P = take(nParams);
  const P2 = take(nParams);
  const G = take(nParams);
  const M = adam ? take(nParams) : -1;
  const V = adam ? take(nParams) : -1;
  const M2 = adam ? take(nParams) : -1;
  const V2 = adam ? take(nParams) : -1;
  // W and b contiguous inside P (and at the same relative offsets inside G, M, V)
  const w: number[] = [];
  const b: number[] = [];
  let q = 0;
  for (const l of st) {
    w.push(q);
    q += l.inputDim * l.outputDim;
    b.push(q);
    q += l.outputDim;
  }
  const wt = st.map((l) => take(l.inputDim * l.outputDim));
  const x = take(B * st[0]!.inputDim);
  const y = take(B * st[st.length - 1]!.outputDim);
  const h = st.map((l) => take(B * l.outputDim));
  const z = st.map((l) => (l.act >= 2 ? take(B * l.outputDim) : -1));
  const dh = st.map((l) => take(B * l.outputDim));
  return { total: off, P, P2, G, M, V, M2, V2, nParams, w, b, wt, h, z, dh, x, y };
};

interface StepContext {
  readonly f: Float64Array;
  readonly ar: Arena;
  readonly st: readonly DenseStage[];
  readonly lay: Layout;
  readonly inDim: number;
  readonly outDim: number;
  /** Wᵀ (for dX = dZ·Wᵀ in the SIMD GEMM, which reads B row-contiguous) is kept only for batches ≥ 8. */
  readonly useWt: boolean;
  wtStale: boolean;
  /** Offset of the current parameters: `lay.P` or `lay.P2` (the update writes into the other). */
  p: number;
}

// The step's parts are small top-level functions, so the JIT optimises them after a few calls
// and keeps them across trainChain calls.

/** C = act(init + A·B) on the arena: SIMD for products of ≥ SIMD_MIN_MACS, scalar JS below. */
const gemmAuto = (
  ar: Arena, f: Float64Array, a: number, sai: number, sap: number, b: number, ldb: number, c: number, ldc: number,
  bias: number, m: number, k: number, n: number, mode: number, act: number,
): void => {
  if (ar.simd && m * k * n >= SIMD_MIN_MACS) ar.gemm(a, sai, sap, b, ldb, c, ldc, bias, m, k, n, mode, act);
  else K.gemm(f, a, sai, sap, f, b, ldb, 1, f, c, ldc, m, k, n, mode, f, bias, act);
};

const gather = (
  f: Float64Array, lay: Layout, xd: Float64Array, yd: Float64Array, nRows: number, inDim: number, outDim: number,
  order: ArrayLike<number>, start: number, rows: number, input: ChainPlan['input'],
): void => {
  const got = K.gatherRows(xd, inDim, nRows, order, start, rows, f, lay.x, input);
  if (got < rows) throw new RangeError(`trainChain: row index ${order[start + got]} out of range 0..${nRows - 1}`);
  K.gatherRows(yd, outDim, nRows, order, start, rows, f, lay.y);
};

const forward = (c: StepContext, rows: number): void => {
  const { f, ar, st, lay, p } = c;
  let hin = lay.x;
  for (let l = 0; l < st.length; l++) {
    const s = st[l]!;
    const O = s.outputDim;
    if (s.act <= 1) {
      gemmAuto(ar, f, hin, s.inputDim, 1, p + lay.w[l]!, O, lay.h[l]!, O, p + lay.b[l]!, rows, s.inputDim, O, 2, s.act);
    } else {
      const z = lay.z[l]!;
      gemmAuto(ar, f, hin, s.inputDim, 1, p + lay.w[l]!, O, z, O, p + lay.b[l]!, rows, s.inputDim, O, 2, 0);
      K.activationForward(s.act, s.alpha, f, z, f, lay.h[l]!, rows * O);
    }
    hin = lay.h[l]!;
  }
};

const refreshWt = (c: StepContext): void => {
  const { f, st, lay } = c;
  for (let l = 1; l < st.length; l++) K.transpose(f, f, st[l]!.inputDim, st[l]!.outputDim, c.p + lay.w[l]!, lay.wt[l]!);
  c.wtStale = false;
};

const backward = (c: StepContext, rows: number): void => {
  const { f, ar, st, lay } = c;
  for (let l = st.length - 1; l >= 0; l--) {
    const s = st[l]!;
    const O = s.outputDim;
    const I = s.inputDim;
    const dh = lay.dh[l]!;
    const cnt = rows * O;
    const gb = lay.G + lay.b[l]!;
    // ReLU/identity layers with enough rows: mask + bias gradient in one SIMD sweep
    const rb = ar.reluBack;
    const fused = rb !== null && s.act <= 1 && cnt >= 64;
    if (fused) rb(dh, lay.h[l]!, gb, rows, O, s.act);
    else K.activationBackward(s.act, s.alpha, f, dh, lay.z[l]!, lay.h[l]!, cnt);
    const hprev = l === 0 ? lay.x : lay.h[l - 1]!;
    gemmAuto(ar, f, hprev, 1, I, dh, O, lay.G + lay.w[l]!, O, 0, I, rows, O, 0, 0);
    if (!fused) K.sumRows(f, f, rows, O, false, dh, gb);
    if (l > 0) {
      if (c.useWt && rows >= 8) {
        if (c.wtStale) refreshWt(c);
        gemmAuto(ar, f, dh, O, 1, lay.wt[l]!, I, lay.dh[l - 1]!, I, 0, rows, O, I, 0, 0);
      } else {
        K.gemm(f, dh, O, 1, f, c.p + lay.w[l]!, 1, O, f, lay.dh[l - 1]!, I, rows, O, I, 0, f, 0, 0);
      }
    }
  }
};

/**
 * Trains a chain for `orders.length` epochs, in place in the arena, and returns fresh
 * parameters: the same numbers as folding the generic `makeStep` (no penalty, no dropout) over
 * the same batches. Throws a `RangeError` when the layer is not a chain ({@link planChain}), the
 * loss is not supported, or data and parameters do not fit.
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 2))
 * const r = trainChain(net.spec, net.init(key(0)), x, y, { loss: mse, optimizer: { kind: 'sgd', lr: 0.01 }, batchSize: 1, orders: [order] })
 * @since 0.1.0
 * @category training
 */
export const trainChain = <P>(
  spec: LayerSpec | ChainPlan,
  params: P,
  x: Mat<number, number>,
  y: Mat<number, number>,
  options: TrainChainOptions<P>,
): TrainChainResult<P> => {
  const plan = 'stages' in spec ? spec : planChain(spec);
  if (plan === undefined) throw new RangeError('trainChain: the layer is not a chain of dense layers and element-wise activations');
  const lk = lossKind(options.loss);
  if (lk === undefined) throw new RangeError(`trainChain: loss '${options.loss.kind}' is not supported (mse, softmaxCrossEntropy)`);
  const st = plan.stages;
  const L = st.length;
  const inDim = st[0]!.inputDim;
  const outDim = st[L - 1]!.outputDim;
  if (plan.input !== undefined && (plan.input.mean.length !== inDim || plan.input.std.length !== inDim)) {
    throw new RangeError(`trainChain: the input statistics do not have ${inDim} entries`);
  }
  if (x.cols !== inDim || y.cols !== outDim || x.rows !== y.rows) {
    throw new RangeError(`trainChain: data ${x.rows}×${x.cols} → ${y.rows}×${y.cols} does not fit a ${inDim}→${outDim} chain`);
  }
  const B = Math.floor(options.batchSize);
  if (!(B >= 1)) throw new RangeError(`trainChain: batchSize must be a positive integer, got ${options.batchSize}`);
  const opt = options.optimizer;
  const isAdam = opt.kind === 'adam';
  const lay = layout(plan, B, isAdam);
  const ar: Arena = ensureArena(lay.total);
  const f = ar.f64;
  // ---- copy in
  st.forEach((s, l) => {
    const d = denseAt(params, s, 'parameters');
    f.set(d.w.data, lay.P + lay.w[l]!);
    f.set(d.b.data, lay.P + lay.b[l]!);
  });
  let count1 = 0; // Adam's own count (bias correction)
  let countLr = 0; // the learning-rate step count
  if (isAdam) {
    f.fill(0, lay.M, lay.M + lay.nParams);
    f.fill(0, lay.V, lay.V + lay.nParams);
    const s0 = options.optState;
    if (s0 !== undefined) {
      if (!Array.isArray(s0)) throw new RangeError('trainChain: an Adam state is a pair [adamState, countState]');
      const [as, cs] = s0 as readonly [{ count: number; mu: P; nu: P }, { count: number }];
      count1 = as.count;
      countLr = cs.count;
      st.forEach((s, l) => {
        const mu = denseAt(as.mu, s, 'Adam moments');
        const nu = denseAt(as.nu, s, 'Adam moments');
        f.set(mu.w.data, lay.M + lay.w[l]!);
        f.set(mu.b.data, lay.M + lay.b[l]!);
        f.set(nu.w.data, lay.V + lay.w[l]!);
        f.set(nu.b.data, lay.V + lay.b[l]!);
      });
    }
  } else if (options.optState !== undefined) {
    countLr = (options.optState as { count: number }).count;
  }
  const xd = x.data;
  const yd = y.data;
  const lr = opt.lr;
  const b1 = isAdam ? (opt.b1 ?? 0.9) : 0;
  const b2 = isAdam ? (opt.b2 ?? 0.999) : 0;
  const eps = isAdam ? (opt.eps ?? 1e-8) : 0;
  const totalUpdates = options.orders.reduce((s, o) => s + Math.ceil(o.length / B), 0);
  const costs = new Float64Array(totalUpdates);
  let update = 0;
  let stopped: TrainChainStop | undefined;
  // Views for the loss kernels (the full batch; the partial last batch makes its own).
  const lastH = lay.h[L - 1]!;
  const lastDh = lay.dh[L - 1]!;
  const views = (rows: number): [Float64Array, Float64Array, Float64Array] => [
    f.subarray(lastH, lastH + rows * outDim),
    f.subarray(lay.y, lay.y + rows * outDim),
    f.subarray(lastDh, lastDh + rows * outDim),
  ];
  let fullViews = views(B);

  const ctx: StepContext = {
    f, ar, st, lay, inDim, outDim, useWt: ar.simd && B >= 8, wtStale: true, p: lay.P,
  };
  // Whole-buffer views for the optimizer kernels; index `cur` holds θ (and Adam's m, v), the
  // other one receives the update, and they swap when the update is accepted.
  const np = lay.nParams;
  const view = (o: number): Float64Array => (o < 0 ? f.subarray(0, 0) : f.subarray(o, o + np));
  const pv = [view(lay.P), view(lay.P2)] as const;
  const mv = [view(lay.M), view(lay.M2)] as const;
  const vv = [view(lay.V), view(lay.V2)] as const;
  const gv = view(lay.G);
  let cur: 0 | 1 = 0;
  // The gradient's leaves in the parameter tree's order (`Params.sumOfSquares`'s order), for ‖g‖².
  const leafOrder = st.map((_, l) => l).sort((a, b) => comparePaths(st[a]!.path, st[b]!.path));
  const gLeaves = leafOrder.flatMap((l) => [
    f.subarray(lay.G + lay.w[l]!, lay.G + lay.w[l]! + st[l]!.inputDim * st[l]!.outputDim),
    f.subarray(lay.G + lay.b[l]!, lay.G + lay.b[l]! + st[l]!.outputDim),
  ]);
  outer: for (const order of options.orders) {
    const n = order.length;
    for (let start = 0; start < n; start += B) {
      const rows = Math.min(B, n - start);
      gather(f, lay, xd, yd, x.rows, inDim, outDim, order, start, rows, plan.input);
      forward(ctx, rows);
      // loss and its gradient (the library's own loss kernels, on views of the arena)
      const [yh, yt, g] = rows === B ? fullViews : views(rows);
      const sc = 1 / rows;
      const total = lk === 'mse' ? K.squaredErrorLoss(yh, yt, g, sc) : K.softmaxCrossEntropyLoss(yh, yt, g, rows, outDim, sc);
      const cost = total / rows;
      if (!Number.isFinite(cost)) {
        stopped = { update, cause: 'loss', value: cost };
        break outer;
      }
      costs[update] = cost;
      backward(ctx, rows);
      // update (the library's equations, in its order of operations) into the other buffers, so a
      // refused update leaves θ, m, v as they were: Adam writes m', v' and its step u (into θ's
      // other buffer), then θ' = (−ρ)·u + θ (u = g for SGD)
      const rate = typeof lr === 'number' ? lr : lr(countLr);
      const nxt: 0 | 1 = cur === 0 ? 1 : 0;
      let u = gv;
      let gg = 0;
      if (isAdam) {
        const t = count1 + 1;
        gg = K.adamUpdate(gv, mv[cur], vv[cur], mv[nxt], vv[nxt], pv[nxt], b1, b2, 1 - Math.pow(b1, t), 1 - Math.pow(b2, t), eps);
        u = pv[nxt];
      }
      // makeStep's checks, in its order, from the sums these passes return (‖g‖², ‖u‖² + 0 or NaN
      // for a non-finite θ'); redone exactly only when one is huge or not finite
      const r = K.axpy(-rate, u, pv[cur], pv[nxt]);
      if (!((isAdam ? gg : r) < 1e300 && Number.isFinite(r))) {
        const g2 = gLeaves.reduce((acc, leaf) => acc + K.dot(leaf, leaf), 0); // Params.sumOfSquares' order
        if (!Number.isFinite(g2)) {
          stopped = { update, cause: 'gradient', value: g2 };
          break outer;
        }
        if (!K.allFinite(pv[nxt])) {
          stopped = { update, cause: 'parameters', value: NaN };
          break outer;
        }
      }
      cur = nxt;
      ctx.p = cur === 0 ? lay.P : lay.P2;
      if (isAdam) count1++;
      countLr++;
      ctx.wtStale = true;
      update++;
    }
  }
  void fullViews;
  fullViews = views(0);

  // ---- copy out: fresh records, the rest of the tree shared (it is immutable)
  const readTree = (base: number, like: unknown): unknown =>
    st.reduce<unknown>((acc, s, l) => {
      const d = denseAt(like, s, 'parameters');
      const w = unsafeMat(s.inputDim, s.outputDim, f.slice(base + lay.w[l]!, base + lay.w[l]! + s.inputDim * s.outputDim));
      const b = unsafeVec(s.outputDim, f.slice(base + lay.b[l]!, base + lay.b[l]! + s.outputDim));
      return setAt(acc, s.path, Object.freeze({ ...d, w, b }));
    }, like);
  const out = readTree(ctx.p, params) as P;
  const optState: FastOptState<P> = isAdam
    ? Object.freeze([
        Object.freeze({ count: count1, mu: readTree(cur === 0 ? lay.M : lay.M2, params) as P, nu: readTree(cur === 0 ? lay.V : lay.V2, params) as P }),
        Object.freeze({ count: countLr }),
      ] as const)
    : Object.freeze({ count: countLr });
  return Object.freeze({
    params: out,
    optState,
    updates: update,
    costs: costs.slice(0, update),
    ...(stopped === undefined ? {} : { stopped: Object.freeze(stopped) }),
  });
};

/**
 * Options of {@link predictChain}: rows per GEMM call (default 1024) and the compute precision.
 * `'f32'` is opt-in (SIMD only; inputs, weights and activations rounded to float32, ~2× the
 * throughput of f64x2, results within float32 rounding of the f64 ones).
 *
 * @since 0.1.0
 * @category model
 */
export interface PredictChainOptions {
  readonly batchSize?: number;
  readonly precision?: 'f64' | 'f32';
}

/**
 * Inference for a chain: `forward(params, x)` computed in the arena with the weights copied in
 * once and bias + ReLU fused into the GEMM, `batchSize` rows at a time; returns a fresh matrix.
 * In f64 the result is bitwise `layer.forward(params, x)`.
 *
 * @example
 * const yhat = predictChain(net.spec, params, x)               // = net.forward(params, x)
 * const fast = predictChain(net.spec, params, x, { precision: 'f32' })
 * @since 0.1.0
 * @category training
 */
export const predictChain = <P>(spec: LayerSpec | ChainPlan, params: P, x: Mat<number, number>, options: PredictChainOptions = {}): Mat<number, number> => {
  const plan = 'stages' in spec ? spec : planChain(spec);
  if (plan === undefined) throw new RangeError('predictChain: the layer is not a chain of dense layers and element-wise activations');
  const st = plan.stages;
  const L = st.length;
  const inDim = st[0]!.inputDim;
  const outDim = st[L - 1]!.outputDim;
  if (x.cols !== inDim) throw new RangeError(`predictChain: input has ${x.cols} columns, the chain takes ${inDim}`);
  if (plan.input !== undefined && (plan.input.mean.length !== inDim || plan.input.std.length !== inDim)) {
    throw new RangeError(`predictChain: the input statistics do not have ${inDim} entries`);
  }
  const B = Math.max(1, Math.min(x.rows, Math.floor(options.batchSize ?? 1024)));
  const nParams = st.reduce((s, l) => s + l.inputDim * l.outputDim + l.outputDim, 0);
  const maxW = st.reduce((s, l) => Math.max(s, l.outputDim), inDim);
  // layout in elements: params, then x, then two ping-pong activation buffers (+ z for smooth acts)
  const pad = (n: number): number => n + (n % 4 === 0 ? 0 : 4 - (n % 4));
  const xOff = pad(nParams);
  const h0 = xOff + pad(B * inDim);
  const h1 = h0 + pad(B * maxW);
  const zOff = h1 + pad(B * maxW);
  const total = zOff + pad(B * maxW);
  const f32 = options.precision === 'f32';
  const ar = ensureArena(f32 ? Math.ceil(total / 2) + 2 : total);
  if (f32 && ar.gemmF32 === null) throw new RangeError("predictChain: precision 'f32' needs WebAssembly SIMD");
  const buf: Float64Array | Float32Array = f32 ? ar.f32 : ar.f64;
  const g = f32
    ? ar.gemmF32!
    : (a: number, sai: number, sap: number, b: number, ldb: number, c: number, ldc: number, bias: number, m: number, k: number, n: number, mode: number, act: number): void =>
        gemmAuto(ar, ar.f64, a, sai, sap, b, ldb, c, ldc, bias, m, k, n, mode, act);
  const wOff: number[] = [];
  const bOff: number[] = [];
  let q = 0;
  st.forEach((s) => {
    const d = denseAt(params, s, 'parameters');
    wOff.push(q);
    buf.set(d.w.data, q);
    q += s.inputDim * s.outputDim;
    bOff.push(q);
    buf.set(d.b.data, q);
    q += s.outputDim;
  });
  const out = new Float64Array(x.rows * outDim);
  const xd = x.data;
  for (let start = 0; start < x.rows; start += B) {
    const rows = Math.min(B, x.rows - start);
    if (plan.input === undefined) buf.set(xd.subarray(start * inDim, (start + rows) * inDim), xOff);
    else K.standardizeRows(xd, start * inDim, rows, inDim, plan.input.mean, plan.input.std, buf, xOff);
    let hin = xOff;
    for (let l = 0; l < L; l++) {
      const s = st[l]!;
      const O = s.outputDim;
      const hout = l % 2 === 0 ? h0 : h1;
      if (s.act <= 1) {
        g(hin, s.inputDim, 1, wOff[l]!, O, hout, O, bOff[l]!, rows, s.inputDim, O, 2, s.act);
      } else {
        g(hin, s.inputDim, 1, wOff[l]!, O, zOff, O, bOff[l]!, rows, s.inputDim, O, 2, 0);
        K.activationForward(s.act, s.alpha, buf, zOff, buf, hout, rows * O);
      }
      hin = hout;
    }
    out.set(buf.subarray(hin, hin + rows * outDim), start * outDim); // f32 → f64 is exact
  }
  return unsafeMat(x.rows, outDim, out);
};

/**
 * The engine as `fit`'s epoch: given the model, loss, optimizer and penalty of a run, a function
 * that runs one epoch's batches (rows in `order`, `batchSize` at a time) from a step state and
 * returns the next one — or `undefined` when the run is not eligible (not a chain built by foldnet's
 * own `dense`/activations/`standardize`/`sequential`/`compose`, a penalty, an unsupported loss, an optimizer the
 * engine does not know). Same numbers as folding `makeStep`.
 * A non-finite batch loss, gradient or updated parameters stops the epoch before that update
 * (`Refused`, with `makeStep`'s cause and message).
 *
 * @since 0.1.0
 * @category training
 */
export const makeFastEpoch = <P, S>(
  model: { readonly spec: LayerSpec },
  loss: Loss<number>,
  optimizer: FastOptimizer | undefined,
  hasPenalty: boolean,
): ((state: { readonly params: P; readonly optState: S; readonly step: number }, x: Mat<number, number>, y: Mat<number, number>, order: ArrayLike<number>, batchSize: number) =>
  | { readonly _tag: 'Stepped'; readonly state: { readonly params: P; readonly optState: S; readonly step: number } }
  | {
      readonly _tag: 'Refused';
      readonly state: { readonly params: P; readonly optState: S; readonly step: number };
      readonly cause: 'loss' | 'gradient' | 'parameters';
      readonly message: string;
    }) | undefined => {
  if (hasPenalty || optimizer === undefined || lossKind(loss) === undefined || !isTrusted(model)) return undefined;
  const plan = planChain(model.spec);
  if (plan === undefined) return undefined;
  return (state, x, y, order, batchSize) => {
    const r = trainChain(plan, state.params, x, y, { loss, optimizer, batchSize, orders: [order], optState: state.optState as unknown as FastOptState<P> });
    const next = { params: r.params, optState: r.optState as unknown as S, step: state.step + r.updates };
    if (r.stopped === undefined) return { _tag: 'Stepped', state: next };
    const { cause, value } = r.stopped;
    const at = `at update ${next.step + 1}`;
    const message =
      cause === 'loss'
        ? `the loss is ${value} ${at}`
        : cause === 'gradient'
          ? `the gradient is not finite (‖g‖² = ${value}) ${at}`
          : `the update made the parameters non-finite ${at}`;
    return { _tag: 'Refused', state: next, cause, message };
  };
};
