/**
 * What `fitParallel`'s main thread and its workers share: the control block's layout and the
 * setup each worker receives (shared memory for data, parameters and gradients; the run's
 * description).
 *
 * A step (or a round of a step, when a batch has more shards than the gradient buffer holds)
 * is published by writing its fields and incrementing `SEQ` (workers wait on it); each worker
 * computes its shards and increments `DONE` (the main thread waits on it). `CMD = STOP` ends the
 * workers' loop.
 *
 * @module
 */
import type { Key } from '../random.js';
import type { PortableRun } from '../train/shards.js';

/** Slots of the shared control block (an `Int32Array`). */
export const CTRL = { SEQ: 0, DONE: 1, CMD: 2, STEP: 3, START: 4, ROWS: 5, CUR: 6, K0: 7, K1: 8, FAILED: 9 } as const;
/** The number of control slots. */
export const CTRL_SLOTS = 10;
/** `CMD` value: leave the loop. */
export const STOP = 1;

/** A worker's `workerData`. */
export interface WorkerSetup {
  readonly run: PortableRun;
  readonly params: unknown;
  readonly stepKey: Key;
  readonly thread: number;
  readonly threads: number;
  readonly shardSize: number;
  readonly rows: number;
  readonly outputDim: number;
  readonly ctrl: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly order: Int32Array;
  /** Two parameter buffers, `n` each: the current one is `CUR`. */
  readonly theta: Float64Array;
  /** The round's shard gradients, shard k0 + j at `j·n`. */
  readonly grads: Float64Array;
  readonly losses: Float64Array;
}
