/**
 * Training from batches that arrive one at a time (a file larger than memory, a generator, a
 * network feed): the same fold as `fit` (the step folded over an epoch's batches, then the
 * epoch's records, validation and early stopping), with the batches pulled from an
 * asynchronous source instead of cut from one in-memory matrix.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LossFits } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import { split, type Key } from '../random.js';
import type { Mat } from '../tensor/mat.js';
import { checkDataset, checkFitInputs } from './check-inputs.js';
import { compileProgram, type BatchesResult, type EpochResult, type FlatState, type Program } from './engine.js';
import { checkData, checkEarlyStopping, closeEpoch, fail, initialState, isInt, judgeOf, logOf, orThrow, resultOf } from './fit.js';
import { makeStep, type StepState } from './step.js';
import type { Dataset, FitError, FitOptions, FitResult, TrainState } from './types.js';

/**
 * Where `fitStream` gets its batches: a function giving epoch `e`'s batches (1-based; called once
 * per epoch, so every epoch re-reads the source and may reshuffle with `e`), or an iterable that
 * can be iterated again for every epoch (a one-shot async generator gives nothing the second
 * time, and `fitStream` then says so). Each batch is a `Dataset` of any number of rows ≥ 1.
 *
 * @since 0.2.0
 * @category model
 */
export type BatchSource<I extends number, O extends number> =
  | ((epoch: number) => AsyncIterable<Dataset<I, O>> | Iterable<Dataset<I, O>>)
  | AsyncIterable<Dataset<I, O>>
  | Iterable<Dataset<I, O>>;

/**
 * The options of `fitStream`: `fit`'s, less those that need all rows in memory (`batchSize`,
 * `shuffle`, `order`: the source decides the batches and their order; `validationSplit`,
 * `stratify`, `exactTrainLoss`). `validation` is an in-memory data set scored after every epoch.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export type StreamOptions<I extends number, O extends number, N extends number, P, S> = Omit<
  FitOptions<I, O, N, P, S>,
  'batchSize' | 'shuffle' | 'order' | 'validationSplit' | 'stratify' | 'exactTrainLoss'
>;

type CheckedStreamOptions<I extends number, O extends number, N extends number, P, S> = StreamOptions<I, O, N, P, S> & {
  readonly loss: Loss<N> & LossFits<O, N>;
};

/** A `FitError` raised inside an asynchronous run, so its `Either` form can return it as a `Left`. */
class AsyncFitError extends RangeError {
  constructor(readonly error: FitError) {
    super(error.message);
  }
}

/**
 * The value of `r`, or a throw of its `FitError` (its message naming `where` instead of `fit`)
 * that {@link foldAsyncRun} turns back into a `Left`.
 */
export const raiseIn =
  (where: string) =>
  <A>(r: E.Either<FitError, A>): A => {
    if (E.isLeft(r)) throw new AsyncFitError({ ...r.left, message: r.left.message.replace(/^fit: /, `${where}: `) });
    return r.right;
  };

const raise = raiseIn('fitStream');

/**
 * The result of an asynchronous run: the fold of its states to the last one's result, or the
 * `FitError` it raised (with {@link raiseIn}) as a `Left`; any other error rejects.
 */
export const foldAsyncRun = async <P, S>(
  states: AsyncIterable<TrainState<P, S>>,
  params: P,
  options: Pick<FitOptions<number, number, number, P, S>, 'resume' | 'optimizer' | 'earlyStopping'>,
): Promise<E.Either<FitError, FitResult<P, S>>> => {
  try {
    let last = initialState(params, options);
    for await (const s of states) last = s;
    return E.right(resultOf(last, options));
  } catch (e) {
    if (e instanceof AsyncFitError) return E.left(e.error);
    throw e;
  }
};

const batchesOf = <I extends number, O extends number>(source: BatchSource<I, O>, epoch: number): AsyncIterable<Dataset<I, O>> | Iterable<Dataset<I, O>> =>
  typeof source === 'function' ? source(epoch) : source;

/**
 * One update on one batch, by the compiled arena program when the values carry lowered forms
 * (compiled once for the largest batch seen; each batch is the data set of one `run` call), else by
 * the generic step: the same numbers either way, and the same as `fit`'s epoch over those rows.
 * `begin(state)` starts an epoch, `step(batch)` runs one batch, `end()` gives the state as fresh
 * records. Between the batches of an epoch the program keeps the state as flat vectors (no
 * records made per batch).
 */
const makeBatchStep = <I extends number, O extends number, P, S>(
  model: Layer<I, O, P>,
  params: P,
  options: StreamOptions<I, O, number, P, S>,
  stepKey: Key,
) => {
  const loss = options.loss as Loss<number>;
  const generic = makeStep(model, loss, options.optimizer, { penalty: options.penalty, key: stepKey });
  let program: Program<P, S> | undefined;
  let compiledFor = 0;
  let inOrder = new Int32Array(0);
  let records: StepState<P, S> | undefined; // the state as records (the current one unless `flat` is set)
  let flat: { readonly fs: FlatState; readonly by: Program<P, S> } | undefined; // the newer state, as flat vectors
  /** The current state as records (made from the flat vectors when those are newer). */
  const current = (): StepState<P, S> => {
    if (flat !== undefined) {
      records = flat.by.tree(records!, flat.fs);
      flat = undefined;
    }
    return records!;
  };
  const begin = (state: StepState<P, S>): void => {
    records = state;
    flat = undefined;
  };
  const step = (batch: Dataset<I, O>): BatchesResult => {
    const rows = batch.x.rows;
    if (rows > compiledFor) {
      program = compileProgram<P, S>(model, params, loss, options.optimizer, options.penalty, stepKey, rows);
      compiledFor = rows;
      inOrder = Int32Array.from({ length: rows }, (_, i) => i);
    }
    // the batch is the program's whole data set for this call: its rows in order, as one batch
    if (program !== undefined) {
      flat ??= { fs: program.flat(current()), by: program };
      return program.run(flat.fs, inOrder.subarray(0, rows), batch);
    }
    const state = current();
    const out = generic(state, batch);
    if (out._tag === 'Refused') return { lossSum: 0, costSum: 0, rows: 0, refused: out };
    records = out.state;
    return { lossSum: out.loss * rows, costSum: out.cost * rows, rows };
  };
  const forward = (p: P, x: Mat<number, I>): Mat<number, O> => (program === undefined ? model.forward(p, x) : (program.forward(p, x) as Mat<number, O>));
  return { begin, step, end: current, forward };
};

async function* runStream<I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: P,
  source: BatchSource<I, O>,
  options: StreamOptions<I, O, N, P, S>,
): AsyncGenerator<TrainState<P, S>, void, undefined> {
  const { epochs, key, validation } = options;
  if (!isInt(epochs) || epochs < 0) raise(fail('epochs', `epochs must be an integer ≥ 0, got ${epochs}`));
  if (typeof key !== 'object' || key === null || key._tag !== 'Key') raise(fail('key', 'key must be a PRNG key made with key(seed)'));
  if (validation !== undefined) raise(checkData('validation', validation, model.inputDim, model.outputDim));
  raise(checkEarlyStopping(options.earlyStopping, validation, options.metric));
  if (options.resume !== undefined && !(isInt(options.resume.epoch) && options.resume.epoch <= epochs)) {
    raise(fail('resume', `the resumed state is at epoch ${options.resume.epoch}, beyond epochs = ${epochs}`));
  }
  // the same key split as fit's, so the same batches give the same run (dropout masks included)
  const [, stepKey] = split(key, 3) as [Key, Key, Key];
  const p0 = options.resume === undefined ? params : options.resume.params;
  const { begin, step, end, forward } = makeBatchStep(model, p0, options, stepKey);
  const judge = judgeOf(options, validation, forward);
  let trainState = initialState(params, options);
  const log = logOf(trainState.history);
  let checkedStart = false;
  while (trainState.epoch < epochs && trainState.stopReason === undefined) {
    const e = trainState.epoch + 1;
    begin({ params: trainState.params, optState: trainState.optState, step: trainState.step });
    let lossSum = 0;
    let costSum = 0;
    let rows = 0;
    let batches = 0;
    let refused: EpochResult<P, S>['refused'];
    for await (const batch of batchesOf(source, e)) {
      batches++;
      const where = `batch ${batches} of epoch ${e}`;
      const shape = checkDataset('data', batch);
      if (E.isLeft(shape)) raise(fail('data', `${where}: ${shape.left.message}`));
      const widths = checkData('data', batch, model.inputDim, model.outputDim);
      if (E.isLeft(widths)) raise(fail('data', `${where}: ${widths.left.message.replace(/^fit: /, '')}`));
      if (!checkedStart) {
        // params (or the resumed state) against the model, once, with the first batch as the data
        raise(checkFitInputs(model, params, batch, { ...options, batchSize: 'full' }));
        checkedStart = true;
      }
      const r = step(batch);
      lossSum += r.lossSum;
      costSum += r.costSum;
      rows += r.rows;
      if (r.refused !== undefined) {
        refused = r.refused;
        break; // closes the source (its return() runs: files are closed)
      }
    }
    if (batches === 0) {
      raise(fail('source', `the source gave no batches in epoch ${e}${e > 1 && typeof source !== 'function' ? ' (a one-shot async generator is used up after one epoch: pass a function epoch => batches)' : ''}`));
    }
    const state = end();
    const run: EpochResult<P, S> = refused === undefined ? { state, lossSum, costSum, rows } : { state, lossSum, costSum, rows, refused };
    trainState = closeEpoch(judge, epochs, trainState, run, log);
    yield trainState;
  }
}

/**
 * The lazy form of {@link fitStream}: an async iterable of training states, one per epoch (the
 * last has its `stopReason`); each `for await` replays the run from the start, re-reading the
 * source. Invalid options or a bad batch make the iteration throw a `RangeError` naming the
 * option, or the batch and epoch.
 *
 * @example
 * const batches = csvBatches('big.csv', { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' }, { batchSize: 256 })
 * for await (const s of fitStreamEpochs(net, p0, batches, { loss: mse, optimizer: adam(1e-2), epochs: 5, key: key(0) })) console.log(s.epoch)
 * @since 0.2.0
 * @category training
 */
export const fitStreamEpochs = <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  source: BatchSource<NoInfer<I>, NoInfer<O>>,
  options: CheckedStreamOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): AsyncIterable<TrainState<P, S>> => ({ [Symbol.asyncIterator]: () => runStream(model, params, source, options) });

/**
 * {@link fitStream} with invalid options or a bad batch as a `Left` (see {@link FitError});
 * an error of the source itself (an unreadable file, a bad CSV row) rejects the promise.
 *
 * @since 0.2.0
 * @category training
 */
export const fitStreamEither = async <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  source: BatchSource<NoInfer<I>, NoInfer<O>>,
  options: CheckedStreamOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Promise<E.Either<FitError, FitResult<P, S>>> => foldAsyncRun(runStream(model, params, source, options), params, options);

/**
 * Trains a net on batches pulled from `source`, one epoch at a time: the fold of `fit` (one
 * update per batch, θ ← θ + u(∇L_b(θ)), by the same compiled program, so the same batches in the
 * same order give `fit`'s parameters bit for bit), with its history, validation, early stopping,
 * `restoreBest` and `resume`. Only the current batch is in memory. The train loss is the
 * row-weighted mean of the batch losses, Σ_b B_b·L_b / Σ_b B_b. Rejects with a `RangeError` on
 * invalid options or a bad batch.
 *
 * @example
 * const columns = { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' } as const
 * const { params } = await fitStream(net, p0, csvBatches('big.csv', columns, { batchSize: 256, shuffleBuffer: 4096, key: key(1) }), { loss: mse, optimizer: adam(1e-3), epochs: 3, key: key(2) })
 * @since 0.2.0
 * @category training
 */
export const fitStream = async <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  source: BatchSource<NoInfer<I>, NoInfer<O>>,
  options: CheckedStreamOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Promise<FitResult<P, S>> => orThrow(await fitStreamEither(model, params, source, options));
