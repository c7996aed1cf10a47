/**
 * Gradient-transformation primitives: each is one line of an update equation. Recipes
 * (`sgd`, `adam`, …) are `chain`s of these. Convention (Optax's): updates are *added* to the
 * parameters, so the descent sign lives in {@link scaleByLearningRate}.
 *
 * Parameter trees inside states are stored as `unknown`: a transformation works for any
 * parameter record, and a state only ever meets the tree it was initialised from.
 *
 * Each primitive is written once, as an in-place kernel over the flat update vector
 * (`InPlaceUpdate`, see src/lowering.ts); its immutable `update` is derived from that kernel,
 * and the training interpreter runs the same kernel on its arena.
 *
 * @module
 */
import * as Params from '../params.js';
import * as K from '../tensor/kernels.js';
import { adamUpdateOnArena } from '../tensor/wasm/arena.js';
import { immutableUpdate, leafDot, withInPlaceUpdate, type InPlaceUpdate } from '../lowering.js';
import type { GradientTransformation } from './transform.js';
import { inRange, positive } from './check.js';
import { checkLearningRate, learningRateAt, type LearningRate } from './schedule.js';

/**
 * A transformation from its in-place form: `update` derived from the kernel, the kernel attached
 * as the value's lowered form.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromInPlace = <S>(init: <P>(params: P) => S, u: InPlaceUpdate<S>): GradientTransformation<S> => {
  const t: GradientTransformation<S> = Object.freeze({ init, update: immutableUpdate(u) });
  return withInPlaceUpdate(t, u);
};

/**
 * A transformation without state (`init` gives `state`) from its in-place kernel.
 *
 * @since 0.2.0
 * @category constructors
 */
export const statelessInPlace = <S>(state: S, compile: InPlaceUpdate<S>['compile']): GradientTransformation<S> =>
  fromInPlace(() => state, { slots: 0, counters: 0, read: () => ({ trees: [], counts: [] }), write: () => state, compile });

/** The state of a transformation that keeps none. @since 0.1.0 @category model */
export type EmptyState = Readonly<Record<string, never>>;

const empty: EmptyState = Object.freeze({});

/**
 * `u = α·g` for a fixed factor α (any sign).
 *
 * @since 0.1.0
 * @category primitives
 */
export const scaleUpdates = (factor: number): GradientTransformation<EmptyState> => {
  if (!Number.isFinite(factor)) throw new RangeError(`scaleUpdates: factor must be finite, got ${factor}`);
  return statelessInPlace(empty, () => (u) => K.scaleInPlace(u, factor));
};

/**
 * The state of {@link scaleByLearningRate}: `count` = updates applied so far.
 *
 * @since 0.1.0
 * @category model
 */
export interface CountState {
  readonly count: number;
}

/**
 * `u = −ρ_t·g`, `t` the number of updates so far: the gradient-descent step. `lr` is a number
 * `> 0` or a {@link Schedule}. Throws a `RangeError` for `lr ≤ 0`.
 *
 * @since 0.1.0
 * @category primitives
 */
export const scaleByLearningRate = (lr: LearningRate): GradientTransformation<CountState> => {
  const rate = checkLearningRate('scaleByLearningRate', lr);
  return fromInPlace((): CountState => Object.freeze({ count: 0 }), {
    slots: 0,
    counters: 1,
    read: (s) => ({ trees: [], counts: [s.count] }),
    write: (_t, [count]) => Object.freeze({ count: count! }),
    compile: () => (u, _theta, _cur, _next, [count]) => K.scaleInPlace(u, -learningRateAt(rate, count!)),
    split: { prefix: () => undefined, scaleOf: ([count]) => -learningRateAt(rate, count!) },
  });
};

/**
 * The state of {@link trace}: the velocity `v`, a tree shaped like the parameters.
 *
 * @since 0.1.0
 * @category model
 */
export interface TraceState {
  readonly velocity: unknown;
}

/**
 * Momentum (heavy ball): `v_t = β·v_{t−1} + g_t`, `u = v_t`; with `nesterov`,
 * `u = g_t + β·v_t` (the look-ahead form of Sutskever et al. 2013). `v_0 = 0`, `β ∈ [0, 1)`.
 * Follow with {@link scaleByLearningRate}: then `θ ← θ − ρ·v`, the momentum of the lecture on training multilayer perceptrons.
 *
 * @since 0.1.0
 * @category primitives
 */
export const trace = (decay: number, options: { readonly nesterov?: boolean } = {}): GradientTransformation<TraceState> => {
  const beta = inRange('trace', 'decay β', decay, 0, 1);
  const nesterov = options.nesterov ?? false;
  return fromInPlace((p) => Object.freeze({ velocity: Params.zerosLike(p) }), {
    slots: 1,
    counters: 0,
    read: (s) => ({ trees: [s.velocity], counts: [] }),
    write: ([velocity]) => Object.freeze({ velocity }),
    compile: () => (u, _theta, [v], [vNext]) => K.traceUpdate(u, v!, vNext!, beta, nesterov),
  });
};

/**
 * The state of {@link scaleByAdam}: step count and the first and second moment estimates.
 *
 * @since 0.1.0
 * @category model
 */
export interface AdamState {
  readonly count: number;
  readonly mu: unknown;
  readonly nu: unknown;
}

/**
 * Options of the Adam moments. @since 0.1.0 @category model
 * @inline
 */
export interface AdamOptions {
  /** β₁, decay of the first moment (default 0.9). */
  readonly b1?: number;
  /** β₂, decay of the second moment (default 0.999). */
  readonly b2?: number;
  /** ε added to √v̂ (default 1e-8). */
  readonly eps?: number;
}

/**
 * Adam's moments with bias correction (Kingma & Ba 2015): `m_t = β₁m + (1−β₁)g`,
 * `v_t = β₂v + (1−β₂)g²`, `m̂ = m_t/(1−β₁ᵗ)`, `v̂ = v_t/(1−β₂ᵗ)`, `u = m̂ / (√v̂ + ε)` (t from 1).
 *
 * @since 0.1.0
 * @category primitives
 */
export const scaleByAdam = (options: AdamOptions = {}): GradientTransformation<AdamState> => {
  const b1 = inRange('scaleByAdam', 'b1', options.b1 ?? 0.9, 0, 1);
  const b2 = inRange('scaleByAdam', 'b2', options.b2 ?? 0.999, 0, 1);
  const eps = inRange('scaleByAdam', 'eps', options.eps ?? 1e-8, 0, Infinity);
  return fromInPlace((p) => Object.freeze({ count: 0, mu: Params.zerosLike(p), nu: Params.zerosLike(p) }), {
    slots: 2,
    counters: 1,
    read: (s) => ({ trees: [s.mu, s.nu], counts: [s.count] }),
    write: ([mu, nu], [count]) => Object.freeze({ count: count!, mu, nu }),
    compile: () => (u, _theta, [m, v], [mNext, vNext], [count]) => {
      const t = count! + 1;
      return adamUpdateOnArena(u, m!, v!, mNext!, vNext!, u, b1, b2, 1 - Math.pow(b1, t), 1 - Math.pow(b2, t), eps);
    },
  });
};

/**
 * The state of {@link scaleByRms} and {@link scaleByAdagrad}: the running (or summed) squares.
 *
 * @since 0.1.0
 * @category model
 */
export interface SquaresState {
  readonly squares: unknown;
}

const squares = (init: <P>(p: P) => unknown, compile: InPlaceUpdate<SquaresState>['compile']): GradientTransformation<SquaresState> =>
  fromInPlace((p) => Object.freeze({ squares: init(p) }), {
    slots: 1,
    counters: 0,
    read: (s) => ({ trees: [s.squares], counts: [] }),
    write: ([sq]) => Object.freeze({ squares: sq }),
    compile,
  });

/**
 * RMSProp's scaling (Hinton 2012): `v_t = γ·v + (1−γ)·g²`, `u = g / (√v_t + ε)`; `v_0 = 0`,
 * defaults `γ = 0.9`, `ε = 1e-8`.
 *
 * @since 0.1.0
 * @category primitives
 */
export const scaleByRms = (options: { readonly decay?: number; readonly eps?: number } = {}): GradientTransformation<SquaresState> => {
  const decay = inRange('scaleByRms', 'decay', options.decay ?? 0.9, 0, 1);
  const eps = inRange('scaleByRms', 'eps', options.eps ?? 1e-8, 0, Infinity);
  return squares(Params.zerosLike, () => (u, _theta, [s], [sNext]) => K.rmsUpdate(u, s!, sNext!, decay, eps));
};

/**
 * Adagrad's scaling (Duchi et al. 2011): `G_t = G + g²`, `u = g / (√G_t + ε)`; `G_0 =`
 * `initialAccumulator` (default 0), `ε` default 1e-10.
 *
 * @since 0.1.0
 * @category primitives
 */
export const scaleByAdagrad = (
  options: { readonly eps?: number; readonly initialAccumulator?: number } = {},
): GradientTransformation<SquaresState> => {
  const eps = inRange('scaleByAdagrad', 'eps', options.eps ?? 1e-10, 0, Infinity);
  const g0 = inRange('scaleByAdagrad', 'initialAccumulator', options.initialAccumulator ?? 0, 0, Infinity);
  return squares((p) => Params.fullLike(p, g0), () => (u, _theta, [s], [sNext]) => K.adagradUpdate(u, s!, sNext!, eps));
};

/**
 * Clipping by global norm: `u = g · min(1, c / ‖g‖₂)`, ‖g‖₂ over all leaves together (so the
 * direction is kept). `c = maxNorm > 0`.
 *
 * @since 0.1.0
 * @category primitives
 */
export const clipByGlobalNorm = (maxNorm: number): GradientTransformation<EmptyState> => {
  const c = positive('clipByGlobalNorm', 'maxNorm', maxNorm);
  return statelessInPlace(empty, (layout) => (u) => {
    const n = Math.sqrt(leafDot(layout, u, u));
    if (n > c) K.scaleInPlace(u, c / n);
  });
};
