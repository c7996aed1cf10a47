/**
 * Learning-rate schedules: a schedule is a pure function from the update count `t = 0, 1, 2, …`
 * (updates applied so far) to a step size `ρ_t`. Wherever a learning rate is accepted, a plain
 * number means the constant schedule.
 *
 * The lecture on training multilayer perceptrons counts iterations from one, `r = t + 1`; so `inverseTime(ρ₀)` gives its
 * `ρ_r = ρ₀ / r`.
 *
 * @module
 */
import { nonNegative, positive, positiveInteger } from './check.js';

/**
 * A step size as a function of the number of updates already applied, `t ≥ 0`.
 *
 * @since 0.1.0
 * @category model
 */
export type Schedule = (count: number) => number;

/**
 * A learning rate: a positive number (constant) or a {@link Schedule}.
 *
 * @since 0.1.0
 * @category model
 */
export type LearningRate = number | Schedule;

/**
 * The step size at update count `t` of a learning rate (a number is constant).
 *
 * @since 0.1.0
 * @category destructors
 */
export const learningRateAt = (lr: LearningRate, count: number): number => (typeof lr === 'number' ? lr : lr(count));

/**
 * Checks a learning rate given as a number (`ρ > 0`, finite); schedules are checked when built.
 * Throws a `RangeError` naming `where`.
 *
 * @since 0.1.0
 * @category refinements
 */
export const checkLearningRate = (where: string, lr: LearningRate): LearningRate =>
  typeof lr === 'number' ? positive(where, 'learning rate', lr) : lr;

/**
 * `ρ_t = ρ₀`.
 *
 * @since 0.1.0
 * @category schedules
 */
export const constant = (value: number): Schedule => {
  positive('constant', 'value', value);
  return () => value;
};

/**
 * `ρ_t = ρ₀ / (1 + k·t)^p` (defaults `k = 1`, `p = 1`): with the defaults this is the lecture's
 * `ρ_r = ρ₀ / r` for the r-th update (`r = t + 1`), which satisfies Σρ = ∞, Σρ² < ∞ (the
 * Robbins–Monro conditions for stochastic gradient descent to converge).
 *
 * @example
 * const lr = inverseTime(1)        // 1, 1/2, 1/3, …
 * const slow = inverseTime(0.1, { decayRate: 0.01, power: 0.5 })
 * @since 0.1.0
 * @category schedules
 */
export const inverseTime = (initial: number, options: { readonly decayRate?: number; readonly power?: number } = {}): Schedule => {
  positive('inverseTime', 'initial', initial);
  const k = nonNegative('inverseTime', 'decayRate', options.decayRate ?? 1);
  const p = nonNegative('inverseTime', 'power', options.power ?? 1);
  return (t) => initial / Math.pow(1 + k * t, p);
};

/**
 * `ρ_t = ρ₀ · γ^⌊t / s⌋`: multiply by `factor` γ every `every` s updates.
 *
 * @since 0.1.0
 * @category schedules
 */
export const stepDecay = (initial: number, options: { readonly every: number; readonly factor: number }): Schedule => {
  positive('stepDecay', 'initial', initial);
  const s = positiveInteger('stepDecay', 'every', options.every);
  const g = positive('stepDecay', 'factor', options.factor);
  return (t) => initial * Math.pow(g, Math.floor(t / s));
};

/**
 * `ρ_t = ρ₀ · γ^(t / s)`: a smooth decay by `rate` γ every `every` s updates (default `s = 1`).
 *
 * @since 0.1.0
 * @category schedules
 */
export const exponentialDecay = (initial: number, options: { readonly rate: number; readonly every?: number }): Schedule => {
  positive('exponentialDecay', 'initial', initial);
  const g = positive('exponentialDecay', 'rate', options.rate);
  const s = positive('exponentialDecay', 'every', options.every ?? 1);
  return (t) => initial * Math.pow(g, t / s);
};

/**
 * `ρ_t = ρ₀ · (α + (1 − α)·½(1 + cos(π·min(t, T)/T)))`: half a cosine from ρ₀ down to α·ρ₀ over
 * `T = decaySteps` updates, then constant (Loshchilov & Hutter 2017, without restarts).
 *
 * @since 0.1.0
 * @category schedules
 */
export const cosineDecay = (initial: number, decaySteps: number, options: { readonly alpha?: number } = {}): Schedule => {
  positive('cosineDecay', 'initial', initial);
  const T = positiveInteger('cosineDecay', 'decaySteps', decaySteps);
  const a = nonNegative('cosineDecay', 'alpha', options.alpha ?? 0);
  return (t) => initial * (a + (1 - a) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, T)) / T)));
};

/**
 * Linear warm-up: `ρ_t = ρ_from + (ρ*_0 − ρ_from)·t / W` for `t < W`, then `ρ*_{t−W}`, where `ρ*`
 * is the schedule that follows (a number or a schedule) and `W = steps`. `from` defaults to 0
 * (so the first update has step size 0, as in Optax and Keras).
 *
 * @example
 * const lr = linearWarmup(100, cosineDecay(1e-3, 1000))
 * @since 0.1.0
 * @category schedules
 */
export const linearWarmup = (steps: number, then: LearningRate, options: { readonly from?: number } = {}): Schedule => {
  const W = positiveInteger('linearWarmup', 'steps', steps);
  const after = checkLearningRate('linearWarmup', then);
  const from = nonNegative('linearWarmup', 'from', options.from ?? 0);
  const peak = learningRateAt(after, 0);
  return (t) => (t < W ? from + ((peak - from) * t) / W : learningRateAt(after, t - W));
};
