/**
 * Training as a fold: a step folds over the batches of an epoch, `fitEpochs` lazily unfolds one
 * state per epoch, and `fit` is the fold over that iterator.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LossFits } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { DataFits } from '../shape/dim.js';
import type { Loss } from '../loss/loss.js';
import { foldIn, permutation, split, type Key } from '../random.js';
import { takeRows, type Mat } from '../tensor/mat.js';
import { batchRanges } from './batches.js';
import { makeStep, type Step, type StepState } from './step.js';
import { compileProgram, type EpochResult, type Program } from './engine.js';
import type { BestRecord, Dataset, FitError, FitOptions, FitResult, FitStopReason as StopReason, History, TrainState } from './types.js';
import { holdOut } from './validation-split.js';
import { checkFitInputs, checkOrder } from './check-inputs.js';

/** `fit`'s options with the loss checked against the net's output width. */
type CheckedOptions<I extends number, O extends number, N extends number, P, S> = FitOptions<I, O, N, P, S> & {
  readonly loss: Loss<N> & LossFits<O, N>;
};

/**
 * `fit`'s data: any widths `X`, `Y`, checked against the model's `I`, `O` by `DataFits` (a
 * `ShapeError` naming the fix when they differ, or when data of a run-time width meets a literal).
 */
type FitData<I extends number, O extends number, X extends number, Y extends number> = Dataset<X, Y> & DataFits<NoInfer<I>, NoInfer<O>, X, Y, 'fit'>;

export const fail = (option: string, message: string): E.Either<FitError, never> => E.left({ _tag: 'FitError', option, message: `fit: ${message}` });

export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Everything an epoch needs, fixed for the run (after validating the options). */
export interface Plan<I extends number, O extends number, P, S> {
  readonly train: Dataset<I, O>;
  readonly validation: Dataset<I, O> | undefined;
  readonly epochs: number;
  readonly batchSize: number | 'full';
  readonly step: Step<I, O, P, S>;
  /** The compiled arena program (same numbers as folding `step`), when the values carry lowered forms. */
  readonly program: Program<P, S> | undefined;
  readonly order: (epoch: number) => ArrayLike<number>;
  /** The exact full-data train loss and cost at the epoch's end, when asked for (`exactTrainLoss`). */
  readonly exactTrainLoss: ((params: P) => readonly [loss: number, cost: number]) | undefined;
  readonly valScores: (params: P) => readonly [loss: number | undefined, metric: number | undefined];
  readonly monitor: (r: EpochRecord) => number;
  readonly better: (value: number, best: number) => boolean;
  readonly patience: number | undefined;
}

const emptyHistory: History = Object.freeze({ trainLoss: [], trainCost: [], valLoss: [], valMetric: [], updates: [], bestEpoch: 0 });

/** One epoch's records. */
interface EpochRecord {
  readonly trainLoss: number;
  readonly trainCost: number;
  readonly valLoss: number | undefined;
  readonly valMetric: number | undefined;
  readonly updates: number;
}

/**
 * A run's history, appended in O(1) amortized per epoch: the run owns growing arrays, and each
 * epoch's {@link History} is a frozen view of their first entries (each list copied only when
 * read, once). Earlier states keep seeing their own epochs: the run only ever appends.
 */
export interface HistoryLog {
  readonly trainLoss: number[];
  readonly trainCost: number[];
  readonly valLoss: number[];
  readonly valMetric: number[];
  readonly updates: number[];
}

export const logOf = (h: History): HistoryLog => ({
  trainLoss: [...h.trainLoss],
  trainCost: [...h.trainCost],
  valLoss: [...h.valLoss],
  valMetric: [...h.valMetric],
  updates: [...h.updates],
});

const appendRecord = (log: HistoryLog, r: EpochRecord): void => {
  log.trainLoss.push(r.trainLoss);
  log.trainCost.push(r.trainCost);
  if (r.valLoss !== undefined) log.valLoss.push(r.valLoss);
  if (r.valMetric !== undefined) log.valMetric.push(r.valMetric);
  log.updates.push(r.updates);
};

const snapshot = (log: HistoryLog, bestEpoch: number): History => {
  const view = (xs: readonly number[]): PropertyDescriptor => {
    const len = xs.length;
    let copy: readonly number[] | undefined;
    return { enumerable: true, get: () => (copy ??= Object.freeze(xs.slice(0, len))) };
  };
  const h = Object.defineProperties({} as History, {
    trainLoss: view(log.trainLoss),
    trainCost: view(log.trainCost),
    valLoss: view(log.valLoss),
    valMetric: view(log.valMetric),
    updates: view(log.updates),
    bestEpoch: { enumerable: true, value: bestEpoch },
  });
  return Object.freeze(h);
};

export const checkData = (name: string, d: Dataset<number, number>, inputDim: number, outputDim: number): E.Either<FitError, true> => {
  if (d.x.rows !== d.y.rows) return fail(name, `${name}.x has ${d.x.rows} rows but ${name}.y has ${d.y.rows}`);
  if (d.x.rows < 1) return fail(name, `${name} has no rows`);
  if (d.x.cols !== inputDim) return fail(name, `${name}.x has ${d.x.cols} columns but the model takes ${inputDim} inputs`);
  if (d.y.cols !== outputDim) return fail(name, `${name}.y has ${d.y.cols} columns but the model gives ${outputDim} outputs`);
  return E.right(true);
};

/** How an epoch is judged: validation scores, the monitored value, and the early-stopping rule. */
export type Judge<P> = Pick<Plan<number, number, P, unknown>, 'valScores' | 'monitor' | 'better' | 'patience'>;

/** The early-stopping option checked against the validation data and metric there are. */
export const checkEarlyStopping = (
  es: FitOptions<number, number, number, unknown, unknown>['earlyStopping'],
  validation: Dataset<number, number> | undefined,
  metric: unknown,
): E.Either<FitError, true> => {
  if (es !== undefined) {
    if (!isInt(es.patience) || es.patience < 0) return fail('earlyStopping', `earlyStopping.patience must be an integer ≥ 0, got ${es.patience}`);
    if (es.minDelta !== undefined && !(es.minDelta >= 0)) return fail('earlyStopping', `earlyStopping.minDelta must be ≥ 0, got ${es.minDelta}`);
    if ((es.monitor === 'valLoss' || es.monitor === 'valMetric') && validation === undefined) {
      return fail('earlyStopping', `earlyStopping.monitor '${es.monitor}' needs validation data (validation or validationSplit)`);
    }
    if (es.monitor === 'valMetric' && metric === undefined) return fail('earlyStopping', "earlyStopping.monitor 'valMetric' needs a metric");
  }
  return E.right(true);
};

/** The epoch's judge from the options: validation loss/metric with `forward`, monitor, mode, patience. */
export const judgeOf = <I extends number, O extends number, N extends number, P, S>(
  options: Pick<FitOptions<I, O, N, P, S>, 'earlyStopping' | 'metric' | 'loss'>,
  validation: Dataset<I, O> | undefined,
  forward: (p: P, x: Mat<number, I>) => Mat<number, O>,
): Judge<P> => {
  const { earlyStopping: es, metric } = options;
  const loss = options.loss as Loss<number>;
  const monitor = es?.monitor ?? (validation !== undefined ? 'valLoss' : 'trainLoss');
  const mode = es?.mode ?? (monitor === 'valMetric' ? (metric?.mode ?? 'max') : 'min');
  const minDelta = es?.minDelta ?? 0;
  return {
    valScores: (p) => {
      if (validation === undefined) return [undefined, undefined] as const;
      const yhat = forward(p, validation.x);
      return [loss.value(yhat, validation.y), metric?.compute(yhat, validation.y)] as const;
    },
    monitor: (r) => (monitor === 'valLoss' ? r.valLoss! : monitor === 'valMetric' ? r.valMetric! : r.trainCost),
    better: (v, best) => (mode === 'min' ? v < best - minDelta : v > best + minDelta),
    patience: es?.patience,
  };
};

export const makePlan = <I extends number, O extends number, N extends number, P, S>(
  model: Layer<I, O, P>,
  params: P,
  data: Dataset<I, O>,
  options: FitOptions<I, O, N, P, S>,
): E.Either<FitError, Plan<I, O, P, S>> => {
  const { epochs, batchSize, key, validationSplit, earlyStopping: es, metric, penalty } = options;
  if (!isInt(epochs) || epochs < 0) return fail('epochs', `epochs must be an integer ≥ 0, got ${epochs}`);
  if (typeof key !== 'object' || key === null || key._tag !== 'Key') return fail('key', 'key must be a PRNG key made with key(seed)');
  const checked = checkData('data', data, model.inputDim, model.outputDim);
  if (E.isLeft(checked)) return checked;
  const [shuffleKey, stepKey, splitKey] = split(key, 3) as [Key, Key, Key];
  let train = data;
  let validation = options.validation;
  if (validation !== undefined) {
    if (validationSplit !== undefined) return fail('validationSplit', 'give either validation or validationSplit, not both');
    const v = checkData('validation', validation, model.inputDim, model.outputDim);
    if (E.isLeft(v)) return v;
  } else if (validationSplit !== undefined) {
    if (!(validationSplit > 0 && validationSplit < 1)) return fail('validationSplit', `validationSplit must be in (0, 1), got ${validationSplit}`);
    const parts = holdOut(data, validationSplit, splitKey, options.stratify ?? false);
    if (parts === undefined) return fail('validationSplit', `validationSplit ${validationSplit} of ${data.x.rows} rows leaves an empty part`);
    [train, validation] = parts;
  }
  const n = train.x.rows;
  if (batchSize !== 'full' && (!isInt(batchSize) || batchSize < 1 || batchSize > n)) {
    return fail('batchSize', `batchSize must be 'full' or an integer in 1..${n} (the training rows), got ${batchSize}`);
  }
  const esChecked = checkEarlyStopping(es, validation, metric);
  if (E.isLeft(esChecked)) return esChecked;
  if (options.resume !== undefined && !(isInt(options.resume.epoch) && options.resume.epoch <= epochs)) {
    return fail('resume', `the resumed state is at epoch ${options.resume.epoch}, beyond epochs = ${epochs}`);
  }
  const loss = options.loss as Loss<number>;
  const shuffle = (options.shuffle ?? true) && batchSize !== 'full';
  const order = options.order;
  const penaltyValue = (p: P): number => (penalty === undefined ? 0 : penalty.value(p));
  let inOrder: Int32Array | undefined; // 0 … n−1, made when first needed
  const identity = (): Int32Array => {
    if (inOrder === undefined) {
      inOrder = new Int32Array(n);
      for (let i = 0; i < n; i++) inOrder[i] = i;
    }
    return inOrder;
  };
  // One execution path: the run compiled to an arena program from the lowered forms the values
  // carry (bitwise the fold of makeStep below, which stays the reference and runs when the loss,
  // optimizer or penalty has no lowered form).
  const program = compileProgram<P, S>(model, params, loss, options.optimizer, penalty, stepKey, batchSize === 'full' ? n : batchSize);
  const forward = (p: P, x: Mat<number, I>): Mat<number, O> =>
    program === undefined ? model.forward(p, x) : (program.forward(p, x) as Mat<number, O>);
  return E.right({
    train,
    validation,
    epochs,
    batchSize,
    step: makeStep(model, loss, options.optimizer, { penalty, key: stepKey }),
    program,
    order: (e) => (order !== undefined ? order(e, n) : shuffle ? permutation(foldIn(shuffleKey, e), n) : identity()),
    exactTrainLoss:
      options.exactTrainLoss === true
        ? (p) => {
            const l = loss.value(forward(p, train.x), train.y);
            return [l, l + penaltyValue(p)] as const;
          }
        : undefined,
    ...judgeOf(options, validation, forward),
  });
};

const rowsOf = <R extends number, C extends number>(m: Mat<R, C>, idx: ArrayLike<number>, start: number, end: number): Mat<number, C> =>
  takeRows(m, Array.prototype.slice.call(idx, start, end) as number[]);

/** The epoch's batches through the generic step: the same sums as the program's epoch. */
const genericEpoch = <I extends number, O extends number, P, S>(plan: Plan<I, O, P, S>, start: StepState<P, S>, idx: ArrayLike<number>) => {
  let state = start;
  let lossSum = 0;
  let costSum = 0;
  let rows = 0;
  for (const [a, b] of batchRanges(plan.train.x.rows, plan.batchSize)) {
    const out = plan.step(state, { x: rowsOf(plan.train.x, idx, a, b), y: rowsOf(plan.train.y, idx, a, b) });
    if (out._tag === 'Refused') return { state, lossSum, costSum, rows, refused: out };
    state = out.state;
    lossSum += out.loss * (b - a);
    costSum += out.cost * (b - a);
    rows += b - a;
  }
  return { state, lossSum, costSum, rows };
};

/**
 * One epoch: the fold of the step over the epoch's batches (run by the compiled program when
 * there is one), then the epoch's records. The train loss is the row-weighted mean of the batch
 * losses the steps computed (each before its update, in training mode), as Keras reports it;
 * `exactTrainLoss` recomputes it on all training rows with the epoch's final parameters.
 */
const runEpoch = <I extends number, O extends number, P, S>(plan: Plan<I, O, P, S>, trainState: TrainState<P, S>, log: HistoryLog): TrainState<P, S> => {
  const e = trainState.epoch + 1;
  const idx = plan.order(e);
  if (idx.length !== plan.train.x.rows) {
    throw new RangeError(`fit: order(${e}, ${plan.train.x.rows}) returned ${idx.length} indices; it must return a permutation of 0..${plan.train.x.rows - 1}`);
  }
  const start: StepState<P, S> = { params: trainState.params, optState: trainState.optState, step: trainState.step };
  const run = plan.program !== undefined ? plan.program.epoch(start, idx, plan.train) : genericEpoch(plan, start, idx);
  return closeEpoch(plan, plan.epochs, trainState, run, log);
};

/**
 * The end of epoch `trainState.epoch + 1` whose fold of steps gave `run`: its records (the train loss
 * from `exactTrainLoss` or the row-weighted batch means), validation, the early-stopping record,
 * and the stop reason; or a `Diverged` state when a step was refused.
 */
export const closeEpoch = <P, S>(
  plan: Judge<P> & { readonly exactTrainLoss?: ((params: P) => readonly [number, number]) | undefined },
  epochs: number,
  trainState: TrainState<P, S>,
  run: EpochResult<P, S>,
  log: HistoryLog,
): TrainState<P, S> => {
  const e = trainState.epoch + 1;
  const inner = run.state;
  if (run.refused !== undefined) {
    const { cause, message } = run.refused;
    const reason: StopReason = { _tag: 'Diverged', epoch: e, step: inner.step + 1, cause, message: `${message} (epoch ${e})` };
    return Object.freeze({ ...trainState, params: inner.params, optState: inner.optState, step: inner.step, stopReason: reason });
  }
  const [trainLoss, trainCost] = plan.exactTrainLoss?.(inner.params) ?? [run.lossSum / run.rows, run.costSum / run.rows];
  const [valLoss, valMetric] = plan.valScores(inner.params);
  const record: EpochRecord = { trainLoss, trainCost, valLoss, valMetric, updates: inner.step - trainState.step };
  const value = plan.monitor(record);
  const improved = Number.isFinite(value) && (trainState.best === undefined || plan.better(value, trainState.best.value));
  const best: BestRecord<P> | undefined = improved ? Object.freeze({ epoch: e, value, params: inner.params }) : trainState.best;
  const wait = improved ? 0 : trainState.wait + 1;
  appendRecord(log, record);
  const history = snapshot(log, best?.epoch ?? 0);
  const stopReason: StopReason | undefined = !Number.isFinite(trainCost)
    ? { _tag: 'Diverged', epoch: e, step: inner.step, cause: 'loss', message: `the training loss is ${trainCost} after epoch ${e}` }
    : plan.patience !== undefined && !improved && wait >= plan.patience
      ? { _tag: 'EarlyStopped', epoch: e, bestEpoch: best?.epoch ?? 0 }
      : e >= epochs
        ? { _tag: 'EpochsDone', epoch: e }
        : undefined;
  return Object.freeze({ params: inner.params, optState: inner.optState, epoch: e, step: inner.step, history, best, wait, stopReason });
};

function* unfold<I extends number, O extends number, P, S>(plan: Plan<I, O, P, S>, start: TrainState<P, S>): Generator<TrainState<P, S>, void, undefined> {
  let trainState = start;
  const log = logOf(start.history);
  while (trainState.epoch < plan.epochs && trainState.stopReason === undefined) {
    trainState = runEpoch(plan, trainState, log);
    yield trainState;
  }
}

export const initialState = <I extends number, O extends number, N extends number, P, S>(params: P, options: Pick<FitOptions<I, O, N, P, S>, 'resume' | 'optimizer'>): TrainState<P, S> =>
  options.resume !== undefined
    ? Object.freeze({ ...options.resume, stopReason: undefined })
    : Object.freeze({ params, optState: options.optimizer.init(params), epoch: 0, step: 0, history: emptyHistory, best: undefined, wait: 0, stopReason: undefined });

/**
 * The lazy form of {@link fit}: an iterable of training states, one per epoch, each a value the
 * caller may keep, print, plot or stop at; the last one has its `stopReason` set. Iterating again
 * replays the run from the start (it is deterministic). Resume from any yielded state with
 * `{ …options, resume: state }`. Invalid options give a `Left` (see {@link FitError}).
 *
 * @example
 * const states = fitEpochsEither(net, p0, { x, y }, { loss: mse, optimizer: sgd(0.1), epochs: 50, batchSize: 16, key: key(0) })
 * @since 0.2.0
 * @category training
 */
export const fitEpochsEither = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): E.Either<FitError, Iterable<TrainState<P, S>>> => {
  const dataset = data as Dataset<number, number> as Dataset<I, O>;
  const p0 = options.resume === undefined ? params : options.resume.params;
  // Inputs are checked once per run (src/train/check-inputs.ts): data and start before the plan, row orders after it.
  const checked = E.chainW(() => makePlan(model, p0, dataset, options))(checkFitInputs(model, params, dataset, options));
  const ordered = E.chainW((plan: Plan<I, O, P, S>) => E.map(() => plan)(checkOrder(options.order, options.resume?.epoch ?? 0, plan.epochs, plan.train.x.rows)))(checked);
  return E.map((plan: Plan<I, O, P, S>) => ({ [Symbol.iterator]: () => unfold(plan, initialState(params, options)) }))(ordered);
};

export const orThrow = <A>(r: E.Either<FitError, A>): A => {
  if (E.isLeft(r)) throw new RangeError(r.left.message);
  return r.right;
};

/**
 * {@link fitEpochsEither} that throws a `RangeError` with the {@link FitError}'s message on invalid
 * options.
 *
 * @example
 * for (const s of fitEpochs(net, p0, data, opts)) console.log(s.epoch, s.history.trainLoss[s.epoch - 1])
 * @since 0.2.0
 * @category training
 */
export const fitEpochs = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Iterable<TrainState<P, S>> => orThrow(fitEpochsEither(model, params, data, options));

/**
 * Trains a net: the fold over {@link fitEpochs}'s states. Each epoch shuffles the training rows
 * with the key (unless `batchSize` is `'full'`), folds the training step (backprop, then the optimizer's update) over the batches
 * (`'full'`: 1 update, `1`: N updates, `B`: ⌈N/B⌉), then records train/validation loss and metric.
 * The fold runs as one compiled arena program built from the lowered forms the model, loss,
 * optimizer and penalty carry (src/train/engine.ts), with the same numbers as the generic step.
 * Stops when the epochs run out, early stopping triggers, or a step meets a non-finite value
 * (then the last finite parameters are kept and `stopReason` says where). With early stopping
 * and `restoreBest` (default), `params` are the best epoch's. Invalid options give a `Left`.
 * `data.x` must be `I` wide and `data.y` `O` wide: data of a width known only at run time
 * (`Mat<number, number>`, `Mat<number, DynDim>`) does not compile against a model with literal
 * dims, and the message names the fix (`withCols(x, 4)`, or a model built with `dyn(n)`).
 *
 * @example
 * const r = fitEither(net, net.init(key(1)), { x, y }, { loss: mse, optimizer: adam(1e-2), epochs: 100, batchSize: 32, key: key(2) })
 * @since 0.2.0
 * @category training
 */
export const fitEither = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): E.Either<FitError, FitResult<P, S>> =>
  E.map((states: Iterable<TrainState<P, S>>) => {
    let last = initialState(params, options);
    for (const s of states) last = s;
    return resultOf(last, options);
  })(fitEpochsEither(model, params, data, options));

/** A run's result from its last state: the stop reason, and the best epoch's params under `restoreBest`. */
export const resultOf = <P, S>(last: TrainState<P, S>, options: { readonly earlyStopping?: FitOptions<number, number, number, P, S>['earlyStopping'] }): FitResult<P, S> => {
  const stopReason: StopReason = last.stopReason ?? { _tag: 'EpochsDone', epoch: last.epoch };
  const restore = options.earlyStopping !== undefined && options.earlyStopping.restoreBest !== false && last.best !== undefined;
  const state = Object.freeze({ ...last, stopReason });
  return Object.freeze({ params: restore ? last.best!.params : last.params, history: last.history, state, stopReason });
};

/**
 * {@link fitEither} that throws a `RangeError` with the {@link FitError}'s message on invalid options
 * (e.g. `fit: batchSize must be 'full' or an integer in 1..150 (the training rows), got 0`).
 *
 * @example
 * const { params, history } = fit(net, p0, { x, y }, { loss: mse, optimizer: sgd(0.05), epochs: 20, batchSize: 'full', key: key(0) })
 * @since 0.1.0
 * @category training
 */
export const fit = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): FitResult<P, S> => orThrow(fitEither(model, params, data, options));
