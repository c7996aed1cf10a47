/**
 * What `fitParallel`'s main thread and its workers share: the control block's layout and the
 * setup each worker receives (shared memory for data, parameters and gradients; the run's
 * description).
 *
 * A step (or a round of a step, when a batch has more shards than the gradient buffer holds)
 * is published by the main thread: it opens the round's claim counter (a 64-bit word holding the
 * round's number, so a late thread cannot claim in the wrong round), writes the round's fields and
 * increments `SEQ` (the workers wait on it). Then every thread, the main one included, claims the
 * round's shards one at a time ({@link claimShard}), computes each into its own slot and counts it
 * in `FINISHED` (the main thread waits on it). Whichever thread is free takes the next shard: on a
 * loaded machine a thread that waits for a core leaves its shards to the others. Which thread
 * computed a shard never changes its numbers. `CMD = STOP` ends the workers' loop.
 *
 * @module
 */
import type { Key } from '../random.js';
import type { PortableRun } from '../train/shards.js';

/** Slots of the shared control block (an `Int32Array`). */
export const CTRL = { SEQ: 0, FINISHED: 1, CMD: 2, STEP: 3, START: 4, ROWS: 5, CUR: 6, K0: 7, K1: 8, FAILED: 9 } as const;
/** The number of control slots. */
export const CTRL_SLOTS = 10;
/** `CMD` value: leave the loop. */
export const STOP = 1;

/** At most this many shards per round (the claim index sits in the low 16 bits of the claim counter). */
export const MAX_ROUND_SHARDS = 0xffff;

/** Opens round `seq`'s claims at shard 0 (before its fields are written): the counter holds seq·2¹⁶ + next index. */
export const openClaims = (claims: BigInt64Array, seq: number): void => void Atomics.store(claims, 0, BigInt(seq) << 16n);

/**
 * Claims the next shard of round `seq` with `count` shards: its index, or −1 when every shard is
 * taken or another round has begun (the round's number is in the counter, so a thread that read an
 * old round's fields can never claim a shard of a newer one).
 */
export const claimShard = (claims: BigInt64Array, seq: number, count: number): number => {
  const tag = BigInt(seq);
  for (;;) {
    const v = Atomics.load(claims, 0);
    const j = Number(v & 0xffffn);
    if (v >> 16n !== tag || j >= count) return -1;
    if (Atomics.compareExchange(claims, 0, v, v + 1n) === v) return j;
  }
};

/**
 * Records shard j of round `seq` as finished: its gradient and loss into slot j, its ready flag,
 * and the round's count of finished shards (waking a thread that waits on it).
 */
export const finishShard =
  (shared: Pick<WorkerSetup, 'ctrl' | 'ready' | 'grads' | 'losses'>, n: number) =>
  (j: number, loss: number, g: Float64Array, seq: number): void => {
    shared.grads.set(g, j * n);
    shared.losses[j] = loss;
    Atomics.store(shared.ready, j, seq);
    Atomics.add(shared.ctrl, CTRL.FINISHED, 1);
    Atomics.notify(shared.ctrl, CTRL.FINISHED);
  };

/** A worker's `workerData`. */
export interface WorkerSetup {
  readonly run: PortableRun;
  readonly params: unknown;
  readonly stepKey: Key;
  readonly thread: number;
  readonly shardSize: number;
  readonly rows: number;
  readonly outputDim: number;
  readonly ctrl: Int32Array;
  /** The claim counter (one 64-bit word). */
  readonly claims: BigInt64Array;
  /** `ready[j]` = the number of the round in which shard j of the round was last finished. */
  readonly ready: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly order: Int32Array;
  /** Two parameter buffers, `n` each: the current one is `CUR`. */
  readonly theta: Float64Array;
  /** The round's shard gradients, shard k0 + j at `j·n`. */
  readonly grads: Float64Array;
  readonly losses: Float64Array;
}
