/**
 * Gradient-transformation primitives: each is one line of an update equation. Recipes
 * (`sgd`, `adam`, …) are `chain`s of these. Convention (Optax's): updates are *added* to the
 * parameters, so the descent sign lives in {@link scaleByLearningRate}.
 *
 * Parameter trees inside states are stored as `unknown`: a transformation works for any
 * parameter record, and a state only ever meets the tree it was initialised from.
 *
 * @module
 */
import * as Params from '../params.js';
import * as K from '../tensor/kernels.js';
import type { GradientTransformation } from './transform.js';
import { inRange, positive } from './check.js';
import { checkLearningRate, learningRateAt, type LearningRate } from './schedule.js';

const make = <S>(t: GradientTransformation<S>): GradientTransformation<S> => Object.freeze(t);

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
  return make({ init: () => empty, update: (g, s) => [Params.scale(g, factor), s] as const });
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
  return make({
    init: (): CountState => Object.freeze({ count: 0 }),
    update: (g, s) => {
      const step = -learningRateAt(rate, s.count);
      const u = Params.mapLeaves(g, (leaf) => {
        const out = new Float64Array(leaf.data.length);
        K.scaleInto(leaf.data, step, out);
        return out;
      });
      return [u, Object.freeze({ count: s.count + 1 }) as CountState] as const;
    },
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
  return make({
    init: (p) => Object.freeze({ velocity: Params.zerosLike(p) }),
    update: (g, s) => {
      const v = Params.axpy(beta, s.velocity as typeof g, g);
      return [nesterov ? Params.axpy(beta, v, g) : v, Object.freeze({ velocity: v })] as const;
    },
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
  return make({
    init: (p) => Object.freeze({ count: 0, mu: Params.zerosLike(p), nu: Params.zerosLike(p) }),
    update: (g, s) => {
      const t = s.count + 1;
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      // One fused pass per leaf (K.adamUpdate) writes m', v' and u; the three trees are then
      // assembled in leaf order.
      const ms = Params.leaves(s.mu);
      const vs = Params.leaves(s.nu);
      const outs: (readonly [Float64Array, Float64Array, Float64Array])[] = [];
      const mu = Params.mapLeaves(g, (leaf) => {
        const i = outs.length;
        const n = leaf.data.length;
        const out = [new Float64Array(n), new Float64Array(n), new Float64Array(n)] as const;
        K.adamUpdate(leaf.data, ms[i]!.tensor.data, vs[i]!.tensor.data, out[0], out[1], out[2], b1, b2, c1, c2, eps);
        outs.push(out);
        return out[0];
      });
      let j = 0;
      const nu = Params.mapLeaves(g, () => outs[j++]![1]);
      let k = 0;
      const u = Params.mapLeaves(g, () => outs[k++]![2]);
      return [u, Object.freeze({ count: t, mu, nu })] as const;
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
  return make({
    init: (p) => Object.freeze({ squares: Params.zerosLike(p) }),
    update: (g, s) => {
      const v = Params.zipWith(s.squares as typeof g, g, (a, x) => decay * a + (1 - decay) * x * x);
      return [Params.zipWith(g, v, (x, a) => x / (Math.sqrt(a) + eps)), Object.freeze({ squares: v })] as const;
    },
  });
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
  return make({
    init: (p) => Object.freeze({ squares: Params.fullLike(p, g0) }),
    update: (g, s) => {
      const G = Params.zipWith(s.squares as typeof g, g, (a, x) => a + x * x);
      return [Params.zipWith(g, G, (x, a) => x / (Math.sqrt(a) + eps)), Object.freeze({ squares: G })] as const;
    },
  });
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
  return make({
    init: () => empty,
    update: (g, s) => {
      const n = Params.norm(g);
      return [n > c ? Params.scale(g, c / n) : g, s] as const;
    },
  });
};
