/**
 * Training as a fold: a step folds over the batches of an epoch, `fitIterator` lazily unfolds one
 * state per epoch, and `fit` is the fold over that iterator.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LossFits } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { DataFits } from '../layer/shape.js';
import type { Loss } from '../loss/loss.js';
import { foldIn, permutation, split, type Key } from '../random.js';
import { takeRows, type Mat } from '../tensor/mat.js';
import { batchRanges } from './batches.js';
import { makeStep, type Step, type StepState } from './step.js';
import { makeFastEpoch } from './engine.js';
import { fastOptimizerOf } from './engine-optimizers.js';
import type { BestRecord, Dataset, FitError, FitOptions, FitResult, History, StopReason, TrainState } from './types.js';
import { holdOut } from './validationSplit.js';
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

const fail = (option: string, message: string): E.Either<FitError, never> => E.left({ _tag: 'FitError', option, message: `fit: ${message}` });

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Everything an epoch needs, fixed for the run (after validating the options). */
interface Plan<I extends number, O extends number, P, S> {
  readonly train: Dataset<I, O>;
  readonly validation: Dataset<I, O> | undefined;
  readonly epochs: number;
  readonly batchSize: number | 'full';
  readonly step: Step<I, O, P, S>;
  /** The fast engine's epoch for plain dense chains (same numbers as folding `step`), if eligible. */
  readonly fastEpoch: ReturnType<typeof makeFastEpoch<P, S>>;
  readonly order: ((epoch: number) => ArrayLike<number> | undefined);
  readonly trainLoss: (params: P) => readonly [loss: number, cost: number];
  readonly valScores: (params: P) => readonly [loss: number | undefined, metric: number | undefined];
  readonly monitor: (h: History, e: number) => number;
  readonly better: (value: number, best: number) => boolean;
  readonly patience: number | undefined;
}

const emptyHistory: History = Object.freeze({ trainLoss: [], trainCost: [], valLoss: [], valMetric: [], updates: [], bestEpoch: 0 });

const checkData = (name: string, d: Dataset<number, number>, inputDim: number, outputDim: number): E.Either<FitError, true> => {
  if (d.x.rows !== d.y.rows) return fail(name, `${name}.x has ${d.x.rows} rows but ${name}.y has ${d.y.rows}`);
  if (d.x.rows < 1) return fail(name, `${name} has no rows`);
  if (d.x.cols !== inputDim) return fail(name, `${name}.x has ${d.x.cols} columns but the model takes ${inputDim} inputs`);
  if (d.y.cols !== outputDim) return fail(name, `${name}.y has ${d.y.cols} columns but the model gives ${outputDim} outputs`);
  return E.right(true);
};

const makePlan = <I extends number, O extends number, N extends number, P, S>(
  model: Layer<I, O, P>,
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
  if (es !== undefined) {
    if (!isInt(es.patience) || es.patience < 0) return fail('earlyStopping', `earlyStopping.patience must be an integer ≥ 0, got ${es.patience}`);
    if (es.minDelta !== undefined && !(es.minDelta >= 0)) return fail('earlyStopping', `earlyStopping.minDelta must be ≥ 0, got ${es.minDelta}`);
    if ((es.monitor === 'valLoss' || es.monitor === 'valMetric') && validation === undefined) {
      return fail('earlyStopping', `earlyStopping.monitor '${es.monitor}' needs validation data (validation or validationSplit)`);
    }
    if (es.monitor === 'valMetric' && metric === undefined) return fail('earlyStopping', "earlyStopping.monitor 'valMetric' needs a metric");
  }
  if (options.resume !== undefined && !(isInt(options.resume.epoch) && options.resume.epoch <= epochs)) {
    return fail('resume', `the resumed state is at epoch ${options.resume.epoch}, beyond epochs = ${epochs}`);
  }
  const loss = options.loss as Loss<number>;
  const monitor = es?.monitor ?? (validation !== undefined ? 'valLoss' : 'trainLoss');
  const mode = es?.mode ?? (monitor === 'valMetric' ? (metric?.better === 'lower' ? 'min' : 'max') : 'min');
  const minDelta = es?.minDelta ?? 0;
  const shuffle = (options.shuffle ?? true) && batchSize !== 'full';
  const order = options.order;
  const penaltyValue = (p: P): number => (penalty === undefined ? 0 : penalty.value(p));
  return E.right({
    train,
    validation,
    epochs,
    batchSize,
    // The seam for the fast engine: a specialised Step for plain chains of dense layers and
    // elementwise activations (same numbers as makeStep) is chosen here, falling back to makeStep.
    step: makeStep(model, loss, options.optimizer, { penalty, key: stepKey }),
    fastEpoch: makeFastEpoch<P, S>(model, loss, fastOptimizerOf(options.optimizer), penalty !== undefined),
    order: (e) => (order !== undefined ? order(e, n) : shuffle ? permutation(foldIn(shuffleKey, e), n) : undefined),
    trainLoss: (p) => {
      const l = loss.value(model.forward(p, train.x), train.y);
      return [l, l + penaltyValue(p)] as const;
    },
    valScores: (p) => {
      if (validation === undefined) return [undefined, undefined] as const;
      const yhat = model.forward(p, validation.x);
      return [loss.value(yhat, validation.y), metric?.compute(yhat, validation.y)] as const;
    },
    monitor: (h, e) => (monitor === 'valLoss' ? h.valLoss[e - 1]! : monitor === 'valMetric' ? h.valMetric[e - 1]! : h.trainCost[e - 1]!),
    better: (v, best) => (mode === 'min' ? v < best - minDelta : v > best + minDelta),
    patience: es?.patience,
  });
};

const rowsOf = <R extends number, C extends number>(m: Mat<R, C>, idx: ArrayLike<number> | undefined, start: number, end: number): Mat<number, C> =>
  idx === undefined
    ? start === 0 && end === m.rows
      ? m
      : takeRows(m, Array.from({ length: end - start }, (_, i) => start + i))
    : takeRows(m, Array.prototype.slice.call(idx, start, end) as number[]);

const push = <A>(xs: readonly A[], x: A | undefined): readonly A[] => (x === undefined ? xs : Object.freeze([...xs, x]));

/** One epoch: the fold of the step over the epoch's batches, then the epoch's records. */
const runEpoch = <I extends number, O extends number, P, S>(plan: Plan<I, O, P, S>, st: TrainState<P, S>): TrainState<P, S> => {
  const e = st.epoch + 1;
  const idx = plan.order(e);
  if (idx !== undefined && idx.length !== plan.train.x.rows) {
    throw new RangeError(`fit: order(${e}, ${plan.train.x.rows}) returned ${idx.length} indices; it must return a permutation of 0..${plan.train.x.rows - 1}`);
  }
  let inner: StepState<P, S> = { params: st.params, optState: st.optState, step: st.step };
  const ranges = batchRanges(plan.train.x.rows, plan.batchSize);
  if (plan.fastEpoch !== undefined) {
    const n = plan.train.x.rows;
    const out = plan.fastEpoch(inner, plan.train.x, plan.train.y, idx ?? Array.from({ length: n }, (_, i) => i), plan.batchSize === 'full' ? n : plan.batchSize);
    if (out._tag === 'Refused') {
      const reason: StopReason = { _tag: 'Diverged', epoch: e, step: out.state.step + 1, cause: out.cause, message: `${out.message} (epoch ${e})` };
      return Object.freeze({ ...st, params: out.state.params, optState: out.state.optState, step: out.state.step, stopReason: reason });
    }
    inner = out.state;
  }
  for (const [start, end] of plan.fastEpoch === undefined ? ranges : []) {
    const out = plan.step(inner, { x: rowsOf(plan.train.x, idx, start, end), y: rowsOf(plan.train.y, idx, start, end) });
    if (out._tag === 'Refused') {
      const reason: StopReason = { _tag: 'Diverged', epoch: e, step: inner.step + 1, cause: out.cause, message: `${out.message} (epoch ${e})` };
      return Object.freeze({ ...st, params: inner.params, optState: inner.optState, step: inner.step, stopReason: reason });
    }
    inner = out.state;
  }
  const [trainLoss, trainCost] = plan.trainLoss(inner.params);
  const [valLoss, valMetric] = plan.valScores(inner.params);
  const h0 = st.history;
  const partial: History = {
    trainLoss: push(h0.trainLoss, trainLoss),
    trainCost: push(h0.trainCost, trainCost),
    valLoss: push(h0.valLoss, valLoss),
    valMetric: push(h0.valMetric, valMetric),
    updates: push(h0.updates, ranges.length),
    bestEpoch: h0.bestEpoch,
  };
  const value = plan.monitor(partial, e);
  const improved = Number.isFinite(value) && (st.best === undefined || plan.better(value, st.best.value));
  const best: BestRecord<P> | undefined = improved ? Object.freeze({ epoch: e, value, params: inner.params }) : st.best;
  const wait = improved ? 0 : st.wait + 1;
  const history: History = Object.freeze({ ...partial, bestEpoch: best?.epoch ?? 0 });
  const stopReason: StopReason | undefined = !Number.isFinite(trainCost)
    ? { _tag: 'Diverged', epoch: e, step: inner.step, cause: 'loss', message: `the training loss is ${trainCost} after epoch ${e}` }
    : plan.patience !== undefined && !improved && wait >= plan.patience
      ? { _tag: 'EarlyStopped', epoch: e, bestEpoch: best?.epoch ?? 0 }
      : e >= plan.epochs
        ? { _tag: 'EpochsDone', epoch: e }
        : undefined;
  return Object.freeze({ params: inner.params, optState: inner.optState, epoch: e, step: inner.step, history, best, wait, stopReason });
};

function* unfold<I extends number, O extends number, P, S>(plan: Plan<I, O, P, S>, start: TrainState<P, S>): Generator<TrainState<P, S>, void, undefined> {
  let st = start;
  while (st.epoch < plan.epochs && st.stopReason === undefined) {
    st = runEpoch(plan, st);
    yield st;
  }
}

const initialState = <I extends number, O extends number, N extends number, P, S>(params: P, options: FitOptions<I, O, N, P, S>): TrainState<P, S> =>
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
 * const states = fitIteratorE(net, p0, { x, y }, { loss: mse, optimizer: sgd(0.1), epochs: 50, batchSize: 16, key: key(0) })
 * @since 0.1.0
 * @category training
 */
export const fitIteratorE = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): E.Either<FitError, Iterable<TrainState<P, S>>> => {
  const dataset = data as Dataset<number, number> as Dataset<I, O>;
  // Inputs are checked once per run (src/train/check-inputs.ts): data and start before the plan, row orders after it.
  const checked = E.chainW(() => makePlan(model, dataset, options))(checkFitInputs(model, params, dataset, options));
  const ordered = E.chainW((plan: Plan<I, O, P, S>) => E.map(() => plan)(checkOrder(options.order, options.resume?.epoch ?? 0, plan.epochs, plan.train.x.rows)))(checked);
  return E.map((plan: Plan<I, O, P, S>) => ({ [Symbol.iterator]: () => unfold(plan, initialState(params, options)) }))(ordered);
};

const orThrow = <A>(r: E.Either<FitError, A>): A => {
  if (E.isLeft(r)) throw new RangeError(r.left.message);
  return r.right;
};

/**
 * {@link fitIteratorE} that throws a `RangeError` with the {@link FitError}'s message on invalid
 * options.
 *
 * @example
 * for (const s of fitIterator(net, p0, data, opts)) console.log(s.epoch, s.history.trainLoss[s.epoch - 1])
 * @since 0.1.0
 * @category training
 */
export const fitIterator = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Iterable<TrainState<P, S>> => orThrow(fitIteratorE(model, params, data, options));

/**
 * Trains a net: the fold over {@link fitIterator}'s states. Each epoch shuffles the training rows
 * with the key (unless `batchSize` is `'full'`), folds {@link makeStep} over the batches
 * (`'full'`: 1 update, `1`: N updates, `B`: ⌈N/B⌉), then records train/validation loss and metric.
 * Stops when the epochs run out, early stopping triggers, or a step meets a non-finite value
 * (then the last finite parameters are kept and `stopReason` says where). With early stopping
 * and `restoreBest` (default), `params` are the best epoch's. Invalid options give a `Left`.
 * `data.x` must be `I` wide and `data.y` `O` wide: data of a width known only at run time
 * (`Mat<number, number>`, `Mat<number, DynDim>`) does not compile against a model with literal
 * dims, and the message names the fix (`withCols(x, 4)`, or a model built with `dyn(n)`).
 *
 * @example
 * const r = fitE(net, net.init(key(1)), { x, y }, { loss: mse, optimizer: adam(1e-2), epochs: 100, batchSize: 32, key: key(2) })
 * @since 0.1.0
 * @category training
 */
export const fitE = <I extends number, O extends number, P, N extends number, S, X extends number, Y extends number>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: FitData<I, O, X, Y>,
  options: CheckedOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): E.Either<FitError, FitResult<P, S>> =>
  E.map((states: Iterable<TrainState<P, S>>) => {
    let last = initialState(params, options);
    for (const s of states) last = s;
    const stopReason: StopReason = last.stopReason ?? { _tag: 'EpochsDone', epoch: last.epoch };
    const restore = options.earlyStopping !== undefined && options.earlyStopping.restoreBest !== false && last.best !== undefined;
    const state = Object.freeze({ ...last, stopReason });
    return Object.freeze({ params: restore ? last.best!.params : last.params, history: last.history, state, stopReason });
  })(fitIteratorE(model, params, data, options));

/**
 * {@link fitE} that throws a `RangeError` with the {@link FitError}'s message on invalid options
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
): FitResult<P, S> => orThrow(fitE(model, params, data, options));
