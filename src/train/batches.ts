/**
 * Batching: how an epoch's rows are cut into batches. `'full'` is batch learning (one update per
 * epoch), `1` online learning (N updates), `B` mini-batch (⌈N/B⌉ updates, last batch partial).
 *
 * @module
 */
import type { BatchSize } from './types.js';

/**
 * The number of updates in one epoch over `rows` examples: `1` for `'full'`, else `⌈N/B⌉`.
 *
 * @example
 * updatesPerEpoch(100, 32) // 4 (32 + 32 + 32 + 4)
 * @since 0.1.0
 * @category batching
 */
export const updatesPerEpoch = (rows: number, batchSize: BatchSize): number =>
  batchSize === 'full' ? 1 : Math.ceil(rows / batchSize);

/**
 * The `[start, end)` row ranges of one epoch's batches, in order (the last may be shorter).
 *
 * @since 0.1.0
 * @category batching
 */
export const batchRanges = (rows: number, batchSize: BatchSize): readonly (readonly [start: number, end: number])[] => {
  const b = batchSize === 'full' ? rows : batchSize;
  return Array.from({ length: updatesPerEpoch(rows, batchSize) }, (_, i) => [i * b, Math.min(rows, (i + 1) * b)] as const);
};
