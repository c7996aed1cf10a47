/**
 * The data of training: what `fit` and `fitEpochs` take (options), what they carry from epoch to
 * epoch (`TrainState`), and what they return (`FitResult`, `History`, `StopReason`).
 *
 * Everything here is an immutable record: a state is a value, so a caller can keep any epoch's
 * state, inspect it, and resume from it later with `fitEpochs(…, { …, resume: state })`.
 *
 * @module
 */
import type { Loss } from '../loss/loss.js';
import type { GradientTransformation } from '../optim/transform.js';
import type { Key } from '../random.js';
import type { Mat } from '../tensor/mat.js';
import type { Penalty } from '../optim/regularize/penalty.js';
import type { StopReason } from '../stop-reason.js';

export type { StopReason };

/**
 * Inputs `x: Mat<N, I>` and targets `y: Mat<N, O>`, one example per row (the row counts must
 * agree; `fit` checks that at run time).
 *
 * @since 0.1.0
 * @category model
 */
export interface Dataset<I extends number, O extends number> {
  readonly x: Mat<number, I>;
  readonly y: Mat<number, O>;
}

/**
 * How many examples each update averages over: `'full'` is batch learning (one update per
 * epoch), `1` is online / stochastic gradient descent (N updates per epoch), any other `B` is
 * mini-batch (⌈N/B⌉ updates per epoch; the last, partial batch is kept).
 *
 * @since 0.1.0
 * @category model
 */
export type BatchSize = number | 'full';

/**
 * A score of predictions against targets on a whole data set (accuracy, RMSE, …), with the
 * direction that counts as better, `mode`: `'max'` when higher is better (accuracy), `'min'` when
 * lower is (RMSE); early stopping on `'valMetric'` uses it.
 *
 * @example
 * const accuracyMetric: Metric<3> = { name: 'accuracy', mode: 'max', compute: (yhat, y) => accuracy(yhat, argmaxRows(y)) }
 * @since 0.1.0
 * @category model
 */
export interface Metric<O extends number = number> {
  readonly name: string;
  readonly mode: 'min' | 'max';
  readonly compute: (yhat: Mat<number, O>, y: Mat<number, O>) => number;
}

/**
 * Early stopping: after each epoch the monitored quantity is compared with the best so far; an
 * improvement is a change of more than `minDelta` in the better direction. Training stops after
 * `patience` epochs in a row without improvement. With `restoreBest` (default `true`) the
 * returned parameters are the best epoch's, however training ended (stopped early, epochs ran
 * out, or diverged).
 *
 * - `monitor`: default `'valLoss'` when there is validation data, else `'trainLoss'`.
 * - `mode`: `'min'` for losses; for `'valMetric'` it defaults to the metric's `mode`.
 *
 * @since 0.1.0
 * @category model
 */
export interface EarlyStopping {
  readonly patience: number;
  readonly minDelta?: number;
  readonly monitor?: 'valLoss' | 'trainLoss' | 'valMetric';
  readonly mode?: 'min' | 'max';
  readonly restoreBest?: boolean;
}

/**
 * The options of `fit` / `fitEpochs` for a net `ℝ^I → ℝ^O`, a loss for width `N` and an optimizer
 * with state `S`.
 *
 * - `epochs`: a non-negative integer (the total count, also when resuming).
 * - `batchSize`: see {@link BatchSize}; an integer in 1..N or `'full'`.
 * - `key`: split three ways, it decides the row order of every epoch (epoch e shuffles with
 *   `foldIn(k₁, e)`), the dropout masks (update t runs with `foldIn(k₂, t)`) and the validation
 *   split (`k₃`); the same key gives a bit-identical result.
 * - `validation` or `validationSplit` (a fraction in (0, 1) of the rows held out, drawn with the
 *   key; `stratify: true` keeps class proportions, for one-hot or single-column integer labels).
 * - `metric`: also reported on the validation data (and used by `monitor: 'valMetric'`).
 * - `penalty`: the minimised cost is `loss + penalty.value(θ)`, its gradient adds `penalty.grad(θ)`.
 * - `shuffle`: reshuffle the rows every epoch (default `true`; `false` keeps data order).
 * - `order`: instead of the key's shuffle, visit the training rows of epoch `e` (1-based) in the
 *   order `order(e, n)` returns (a permutation of 0..n−1): to replay another library's run.
 * - `resume`: continue from a state that `fitEpochs` yielded (its params, optimizer state,
 *   epoch counter, history and early-stopping record), up to `epochs` in total.
 * - `exactTrainLoss`: record the train loss on all training rows with each epoch's final
 *   parameters (one more forward pass per epoch) instead of the mean of the batch losses.
 *
 * @since 0.1.0
 * @category model
 */
export interface FitOptions<I extends number, O extends number, N extends number, P, S> {
  readonly loss: Loss<N>;
  readonly optimizer: GradientTransformation<S>;
  readonly epochs: number;
  readonly batchSize: BatchSize;
  readonly key: Key;
  readonly validation?: Dataset<I, O>;
  readonly validationSplit?: number;
  readonly stratify?: boolean;
  readonly metric?: Metric<O>;
  readonly penalty?: Penalty;
  readonly earlyStopping?: EarlyStopping;
  readonly shuffle?: boolean;
  readonly order?: (epoch: number, rows: number) => ArrayLike<number>;
  readonly resume?: TrainState<P, S>;
  readonly exactTrainLoss?: boolean;
}

/**
 * Per-epoch records; index `e − 1` holds epoch `e`.
 *
 * - `trainLoss`: the mean of the batch losses the epoch's steps computed, weighted by rows
 *   (Σ_b B_b·L_b / N; each in training mode, before its update), as Keras reports it: it costs
 *   nothing extra, and it lags the end-of-epoch parameters. With `exactTrainLoss: true` it is
 *   the data loss on all training rows with the epoch's final parameters (evaluation mode).
 * - `trainCost`: the same mean of the steps' costs `L_b + penalty.value(θ)` (with
 *   `exactTrainLoss`: `trainLoss + penalty.value(θ)`); equal to `trainLoss` without a penalty.
 * - `valLoss` / `valMetric`: on the validation data (empty arrays when there is none / no metric).
 * - `updates`: the number of parameter updates in that epoch (`1`, `N` or `⌈N/B⌉`).
 * - `bestEpoch`: the epoch with the best monitored value (see {@link EarlyStopping}; without
 *   early stopping: the lowest `valLoss`, else the lowest `trainCost`); `0` before any epoch.
 *
 * @since 0.1.0
 * @category model
 */
export interface History {
  readonly trainLoss: readonly number[];
  readonly trainCost: readonly number[];
  readonly valLoss: readonly number[];
  readonly valMetric: readonly number[];
  readonly updates: readonly number[];
  readonly bestEpoch: number;
}

/**
 * Why a run of `fit` or `fitStream` stopped: `EpochsDone`, `EarlyStopped` or `Diverged` (the
 * members of {@link StopReason} that carry an `epoch`).
 *
 * @since 0.2.0
 * @category model
 */
export type FitStopReason = Extract<StopReason, { readonly epoch: number }>;

/**
 * The best epoch so far under the monitored quantity, and its parameters (for `restoreBest`).
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface BestRecord<P> {
  readonly epoch: number;
  readonly value: number;
  readonly params: P;
}

/**
 * The state of training after an epoch: a value (nothing in it is mutated later).
 *
 * - `params`: the current parameters (always finite).
 * - `optState`: the optimizer's state.
 * - `epoch`: epochs completed; `step`: updates applied in total.
 * - `history`: the records of epochs 1..`epoch`.
 * - `best` / `wait`: the early-stopping record (best monitored value and epochs since it).
 * - `stopReason`: set on the last state of a run, `undefined` while training continues.
 *
 * @since 0.1.0
 * @category model
 */
export interface TrainState<P, S> {
  readonly params: P;
  readonly optState: S;
  readonly epoch: number;
  readonly step: number;
  readonly history: History;
  readonly best: BestRecord<P> | undefined;
  readonly wait: number;
  readonly stopReason: FitStopReason | undefined;
}

/**
 * The result of `fit`: the final parameters (the best epoch's under `restoreBest`), the history,
 * the last training state (to resume from) and why training ended.
 *
 * @since 0.1.0
 * @category model
 */
export interface FitResult<P, S> {
  readonly params: P;
  readonly history: History;
  readonly state: TrainState<P, S>;
  readonly stopReason: FitStopReason;
}

/**
 * An invalid option (`batchSize` 0 or larger than N, negative or fractional `epochs`,
 * mismatched row counts, …), named with a message. `fitEither` returns it in a `Left`; `fit` throws
 * it as a `RangeError` with the same message.
 *
 * @since 0.1.0
 * @category model
 */
export interface FitError {
  readonly _tag: 'FitError';
  readonly option: string;
  readonly message: string;
}

/**
 * What `evaluate` reports: the data loss and, if a metric was given, its value.
 *
 * @since 0.1.0
 * @category model
 */
export interface Evaluation {
  readonly loss: number;
  readonly metric?: number;
}
