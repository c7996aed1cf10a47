/// <reference types="node" />
/**
 * Data-parallel training on every core: `fit`'s fold, with each batch's gradient computed in
 * shards by a pool of `worker_threads` over shared memory, summed in a fixed order, and one
 * update applied by the main thread. The contract (shards, reduction order, what can cross to a
 * thread) is `src/train/shards.ts`, in the browser-safe core; the threads are Node's.
 *
 * @module
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import type { LossFits } from '../diff/grad.js';
import type { Layer } from '../layer/layer.js';
import type { Loss } from '../loss/loss.js';
import { inPlaceUpdateOf, layoutOf, lossKernelOf, penaltyKernelOf, type InPlaceUpdate } from '../lowering.js';
import * as Params from '../params.js';
import { split, type Key } from '../random.js';
import * as K from '../tensor/kernels.js';
import { unsafeMat } from '../tensor/mat.js';
import { checkFitInputs, checkOrder } from '../train/check-inputs.js';
import { checkedUpdate, compileShardGradient, type EpochResult } from '../train/engine.js';
import { closeEpoch, fail, initialState, isInt, logOf, makePlan, orThrow, type Plan } from '../train/fit.js';
import { foldAsyncRun, raiseIn } from '../train/fit-stream.js';
import { DEFAULT_SHARD_SIZE, portableRun, shardCount, type PortableRun } from '../train/shards.js';
import { refusal, type Refusal, type StepState } from '../train/step.js';
import type { Dataset, FitError, FitOptions, FitResult, TrainState } from '../train/types.js';
import { claimShard, CTRL, CTRL_SLOTS, finishShard, MAX_ROUND_SHARDS, openClaims, STOP, type WorkerSetup } from './parallel-protocol.js';

/**
 * The options of {@link fitParallel}: `fit`'s, plus the thread count and the shard size.
 *
 * @since 0.2.0
 * @category model
 */
export type ParallelOptions<I extends number, O extends number, N extends number, P, S> = FitOptions<I, O, N, P, S> & {
  /** Threads computing gradients, the calling thread included (an integer ≥ 1): `workers: 2` is the caller and one worker thread. */
  readonly workers: number;
  /**
   * Rows per shard, S (default 64): the numbers depend on S, never on
   * `workers`. A batch of B rows is ⌈B/S⌉ shards; fewer shards than threads leaves threads idle.
   */
  readonly shardSize?: number;
  /** Heap limits of each worker thread (Node's `resourceLimits`). */
  readonly resourceLimits?: ResourceLimits;
};

type CheckedParallelOptions<I extends number, O extends number, N extends number, P, S> = ParallelOptions<I, O, N, P, S> & {
  readonly loss: Loss<N> & LossFits<O, N>;
};

/** At most this many doubles of shard gradients are held at once (256 MB): a batch of more shards runs in rounds. */
const GRADIENT_DOUBLES = 1 << 25;

const orRaise = raiseIn('fitParallel');

const sharedF64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n)));

/** `a` itself when it already lives in shared memory, else a shared copy. */
const shareOf = (a: Float64Array): Float64Array => {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = sharedF64(a.length);
  s.set(a);
  return s;
};

let live = 0;

/**
 * How many of `fitParallel`'s worker threads are running in this process (started and not yet
 * exited): 0 whenever no run is in progress, whatever way the last one ended.
 *
 * @since 0.2.0
 * @category training
 */
export const liveWorkers = (): number => live;

/** The worker module (compiled, or through tsx when running from the TypeScript sources). */
const startWorker = (setup: WorkerSetup, resourceLimits: ResourceLimits | undefined): Worker => {
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const entry = new URL(`./parallel-worker.${fromSource ? 'ts' : 'js'}`, here);
  const w = fromSource
    ? new Worker(new URL('./ts-worker.mjs', here), { workerData: { ...setup, entry: entry.href }, resourceLimits })
    : new Worker(entry, { workerData: setup, resourceLimits });
  live++;
  w.once('exit', () => live--);
  return w;
};

interface Pool {
  /** Publishes a round of a step (`from`..`to`: the shards of the batch it covers); returns its number. */
  readonly publish: (step: number, start: number, rows: number, cur: number, from: number, to: number) => number;
  /** Waits until `count` shards of the round are finished; rejects with a worker's error. */
  readonly wait: (count: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Starts `threads − 1` workers and waits until each has compiled the run (or one fails). */
const startPool = async (setups: readonly WorkerSetup[], ctrl: Int32Array, claims: BigInt64Array, resourceLimits: ResourceLimits | undefined): Promise<Pool> => {
  const workers: Worker[] = [];
  let failed: Error | undefined;
  let closing = false;
  let onFailure: (e: Error) => void = () => undefined;
  const failure = new Promise<Error>((resolve) => (onFailure = resolve));
  const fault = (e: Error): void => {
    if (failed === undefined) {
      failed = e;
      onFailure(e);
    }
  };
  const close = async (): Promise<void> => {
    closing = true;
    Atomics.store(ctrl, CTRL.CMD, STOP);
    Atomics.add(ctrl, CTRL.SEQ, 1);
    Atomics.notify(ctrl, CTRL.SEQ);
    await Promise.all(workers.map((w) => w.terminate()));
  };
  const ready = setups.map((setup) => {
    const w = startWorker(setup, resourceLimits);
    workers.push(w);
    return new Promise<void>((resolve, reject) => {
      w.on('message', (m: { ready?: true; error?: string }) => {
        if (m.ready === true) resolve();
        else if (m.error !== undefined) {
          const e = new Error(`fitParallel: worker ${setup.thread} failed: ${m.error}`);
          fault(e);
          reject(e);
        }
      });
      w.on('error', (err) => {
        const e = new Error(`fitParallel: worker ${setup.thread} failed: ${err.message}`, { cause: err });
        fault(e);
        reject(e);
      });
      w.on('exit', (code) => {
        if (closing) return;
        const e = new Error(`fitParallel: worker ${setup.thread} exited (code ${code}) during training`);
        fault(e);
        reject(e);
      });
    });
  });
  try {
    await Promise.all(ready);
  } catch (e) {
    await close();
    throw e;
  }
  return {
    publish: (step, start, rows, cur, from, to) => {
      // claims first (a late thread then fails to claim), then the fields, then wake the threads
      const seq = (Atomics.load(ctrl, CTRL.SEQ) + 1) | 0;
      openClaims(claims, seq);
      Atomics.store(ctrl, CTRL.FINISHED, 0);
      Atomics.store(ctrl, CTRL.STEP, step);
      Atomics.store(ctrl, CTRL.START, start);
      Atomics.store(ctrl, CTRL.ROWS, rows);
      Atomics.store(ctrl, CTRL.CUR, cur);
      Atomics.store(ctrl, CTRL.K0, from);
      Atomics.store(ctrl, CTRL.K1, to);
      Atomics.store(ctrl, CTRL.SEQ, seq);
      Atomics.notify(ctrl, CTRL.SEQ);
      return seq;
    },
    wait: async (count) => {
      // Blocks on the counter; every 100 ms without progress, lets the event loop deliver a
      // worker's 'error' or 'exit' (a thread that died never counts its shard finished).
      for (;;) {
        const done = Atomics.load(ctrl, CTRL.FINISHED);
        if (done >= count) break;
        if (Atomics.wait(ctrl, CTRL.FINISHED, done, 100) === 'timed-out') {
          await new Promise<void>((r) => setImmediate(r));
          if (failed !== undefined) throw failed;
        }
      }
      if (ctrl[CTRL.FAILED] !== 0) throw await failure;
    },
    close,
  };
};

async function* runParallel<I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: P,
  data: Dataset<I, O>,
  options: ParallelOptions<I, O, N, P, S>,
): AsyncGenerator<TrainState<P, S>, void, undefined> {
  const { workers: threads, shardSize = DEFAULT_SHARD_SIZE } = options;
  if (!isInt(threads) || threads < 1) orRaise(fail('workers', `workers must be an integer ≥ 1 (the calling thread included), got ${threads}`));
  if (!isInt(shardSize) || shardSize < 1) orRaise(fail('shardSize', `shardSize must be an integer ≥ 1, got ${shardSize}`));
  const p0 = options.resume === undefined ? params : options.resume.params;
  const plan: Plan<I, O, P, S> = orRaise(E.chainW(() => makePlan(model, p0, data, options))(checkFitInputs(model, params, data, options)));
  orRaise(checkOrder(options.order, options.resume?.epoch ?? 0, plan.epochs, plan.train.x.rows));
  const loss = options.loss as Loss<number>;
  const run: PortableRun = orRaise(portableRun('fit', model, loss, options.optimizer as never, options.penalty));
  const update = inPlaceUpdateOf(options.optimizer) as InPlaceUpdate<S>;
  const layout = layoutOf(p0);
  const n = layout.size;
  const kernel = update.compile(layout);
  const pen = options.penalty === undefined ? undefined : penaltyKernelOf(options.penalty)!(layout);
  const [, stepKey] = split(options.key, 3) as [Key, Key, Key];
  const N = plan.train.x.rows;
  const B = plan.batchSize === 'full' ? N : plan.batchSize;
  const S = shardSize;
  const W = Math.max(1, Math.min(shardCount(B, S), MAX_ROUND_SHARDS, Math.floor(GRADIENT_DOUBLES / Math.max(1, n)))); // shards per round
  // shared memory: the training rows, the epoch's order, θ (two buffers), a round's shard gradients and losses
  const x = shareOf(plan.train.x.data);
  const y = shareOf(plan.train.y.data);
  const order = new Int32Array(new SharedArrayBuffer(4 * N));
  const theta = sharedF64(2 * n);
  const grads = sharedF64(W * n);
  const losses = sharedF64(W);
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL_SLOTS));
  const claims = new BigInt64Array(new SharedArrayBuffer(8));
  const ready = new Int32Array(new SharedArrayBuffer(4 * W)); // ready[j] = the round in which shard j was finished
  const train = { x: unsafeMat(N, model.inputDim as number, x), y: unsafeMat(N, model.outputDim as number, y) };
  const gradient = compileShardGradient(run.stages, run.inputDim, p0, lossKernelOf(loss)!, stepKey, S);
  if (gradient === undefined) orRaise(fail('model', 'the net’s stages do not fit its parameters'));
  const setups = Array.from({ length: threads - 1 }, (_, i): WorkerSetup => ({
    run, params: p0, stepKey, thread: i + 1, shardSize: S, rows: N, outputDim: model.outputDim, ctrl, claims, ready, x, y, order, theta, grads, losses,
  }));
  const pool = await startPool(setups, ctrl, claims, options.resourceLimits);
  try {
    const thetaAt = (c: number): Float64Array => theta.subarray(c * n, (c + 1) * n);
    const finish = finishShard({ ctrl, ready, grads, losses }, n);
    const sum = new Float64Array(n);
    /** One epoch: per batch, the shard gradients of every thread summed in shard order, the penalty's gradient, one checked update. */
    const epoch = async (start: StepState<P, S>, idx: ArrayLike<number>): Promise<EpochResult<P, S>> => {
      order.set(idx);
      thetaAt(0).set(Params.flatten(start.params));
      const { trees, counts: counts0 } = update.read(start.optState);
      const sv = [trees.map((t) => Params.flatten(t)), trees.map(() => new Float64Array(n))] as const;
      const counts = [...counts0];
      let cur: 0 | 1 = 0;
      let step = start.step;
      let lossSum = 0;
      let costSum = 0;
      let seen = 0;
      let refused: Refusal | undefined;
      for (let b0 = 0; b0 < N; b0 += B) {
        const rows = Math.min(B, N - b0);
        const Kb = shardCount(rows, S);
        let total = 0;
        for (let k0 = 0; k0 < Kb; k0 += W) {
          const k1 = Math.min(Kb, k0 + W);
          const count = k1 - k0;
          const seq = pool.publish(step, b0, rows, cur, k0, k1);
          // The fixed reduction order, g = (…(g_0 + g_1) + …) + g_{K−1} (losses likewise), folded
          // as the shards get done: this thread adds the finished prefix between its own shards,
          // so little of the sum is left once the last shard is in.
          let folded = 0;
          const foldDone = (): void => {
            for (; folded < count && Atomics.load(ready, folded) === seq; folded++) {
              total += losses[folded]!;
              const g = grads.subarray(folded * n, (folded + 1) * n);
              if (k0 + folded === 0) sum.set(g);
              else K.axpy(1, g, sum, sum);
            }
          };
          // this thread claims shards too, as long as any is left
          gradient!.shards(thetaAt(cur), train, order, b0, rows, step, k0, () => claimShard(claims, seq, count), (j, loss, g) => {
            finish(j, loss, g, seq);
            foldDone();
          });
          await pool.wait(count);
          foldDone();
        }
        const th = thetaAt(cur);
        const dataLoss = total / rows;
        const cost = pen === undefined ? dataLoss : dataLoss + pen.value(th);
        if (!Number.isFinite(cost)) {
          refused = refusal('loss', cost, step);
          break;
        }
        if (pen !== undefined) pen.grad(th, sum, sum);
        const nxt: 0 | 1 = cur === 0 ? 1 : 0;
        refused = checkedUpdate(layout, kernel, sum, th, sv[cur], sv[nxt], counts, thetaAt(nxt), step);
        if (refused !== undefined) break;
        cur = nxt;
        for (let i = 0; i < counts.length; i++) counts[i] = counts[i]! + 1;
        step++;
        lossSum += dataLoss * rows;
        costSum += cost * rows;
        seen += rows;
      }
      const optState = update.write(sv[cur].map((v) => Params.unflatten(start.params, v)), counts);
      const state: StepState<P, S> = { params: Params.unflatten(start.params, thetaAt(cur)), optState, step };
      return refused === undefined ? { state, lossSum, costSum, rows: seen } : { state, lossSum, costSum, rows: seen, refused };
    };
    let st = initialState(params, options);
    const log = logOf(st.history);
    while (st.epoch < plan.epochs && st.stopReason === undefined) {
      const e = st.epoch + 1;
      const idx = plan.order(e);
      if (idx.length !== N) throw new RangeError(`fitParallel: order(${e}, ${N}) returned ${idx.length} indices; it must return a permutation of 0..${N - 1}`);
      const start: StepState<P, S> = { params: st.params, optState: st.optState, step: st.step };
      st = closeEpoch(plan, plan.epochs, st, await epoch(start, idx), log);
      yield st;
    }
  } finally {
    await pool.close();
  }
}

/**
 * The lazy form of {@link fitParallel}: an async iterable of training states, one per epoch (the
 * last has its `stopReason`). Each `for await` starts its own threads; leaving the loop early
 * (`break`, `return`, a throw) stops and terminates them. Invalid options make the iteration
 * throw a `RangeError` naming the option.
 *
 * @example
 * for await (const s of fitParallelEpochs(net, p0, { x, y }, { ...opts, workers: 2 })) if (s.epoch === 3) break
 * @since 0.2.0
 * @category training
 */
export const fitParallelEpochs = <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: Dataset<NoInfer<I>, NoInfer<O>>,
  options: CheckedParallelOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): AsyncIterable<TrainState<P, S>> => ({ [Symbol.asyncIterator]: () => runParallel(model, params, data, options) });

/**
 * {@link fitParallel} with invalid options, or a run that cannot cross to a worker thread, as a
 * `Left` (see {@link FitError}: a layer without a lowered form, a loss of one's own, an
 * optimizer or penalty without a kernel), returned before any thread starts. A worker that
 * fails (throws, runs out of memory, exits) rejects the promise with its cause, after every
 * thread of the run is terminated.
 *
 * @since 0.2.0
 * @category training
 */
export const fitParallelEither = async <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: Dataset<NoInfer<I>, NoInfer<O>>,
  options: CheckedParallelOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Promise<E.Either<FitError, FitResult<P, S>>> => foldAsyncRun(runParallel(model, params, data, options), params, options);

/**
 * Trains a net on every core: `fit` (same options, history, validation, early stopping,
 * `restoreBest`, `resume`; its result as a promise), with each batch's gradient computed by
 * `workers` threads over shared memory. Named beside `fit` and `fitStream` for what changes: the
 * fold is the same, only where the gradient is computed differs, and that makes it asynchronous.
 *
 * The contract: a batch of B rows is cut into K = ⌈B/S⌉ shards of S = `shardSize` rows (shard k:
 * rows [k·S, min((k+1)·S, B))), whatever `workers` is; shard k's gradient
 * `g_k = ∂/∂θ (1/B)·Σ_{i∈k} ℓ_i(θ)` is computed by the compiled program into its own buffer
 * (the threads, the caller's included, claim shards one at a time: whichever is free takes the
 * next); the batch's gradient is the left fold
 * `g = (…((g_0 + g_1) + g_2) + …) + g_{K−1}` (the reduction order is part of the contract), the
 * penalty's gradient is added, and one update `θ ← θ + u(g)` is applied by the optimizer's
 * in-place kernel, with `fit`'s refusal checks. Dropout draws each row's own entries of the
 * batch's mask, as `fit` does. So the parameters are bit-identical for any `workers` at the same
 * key and `shardSize`; against plain `fit` they differ by rounding only (the batch's sums are
 * associated by shard: after 5 epochs of a 32-64-64-1 net on 20 000 rows at batch 256, the
 * largest parameter difference is 2.8e-16 of the largest parameter), and with one shard per batch
 * (`shardSize ≥ batchSize`) they are `fit`'s bit for bit.
 *
 * Node only (`worker_threads`; no Web Workers yet). The threads rebuild the net from its lowered
 * stages and the loss from its recipe, so a layer without a lowered form, or a loss of one's own,
 * is refused before any thread starts. Threads pay on batches of several shards with free cores
 * (W2's 32-128-128-4 net with 2 threads: 1.6× at batch 512, 1.2× at 128, none at 64).
 * Rejects with a `RangeError` on invalid options.
 *
 * @example
 * const { params } = await fitParallel(net, p0, { x, y }, { loss: softmaxCrossEntropy, optimizer: adam(1e-3), epochs: 5, batchSize: 512, key: key(2), workers: 2 })
 * @since 0.2.0
 * @category training
 */
export const fitParallel = async <I extends number, O extends number, P, N extends number, S>(
  model: Layer<I, O, P>,
  params: NoInfer<P>,
  data: Dataset<NoInfer<I>, NoInfer<O>>,
  options: CheckedParallelOptions<NoInfer<I>, NoInfer<O>, N, NoInfer<P>, S>,
): Promise<FitResult<P, S>> => orThrow(await fitParallelEither(model, params, data, options));
