/**
 * Holding out validation rows from the training data (`fit`'s `validationSplit`).
 *
 * @module
 */
import { permutation, type Key } from '../random.js';
import { takeRows } from '../tensor/mat.js';
import type { Dataset } from './types.js';

/** The class of each row: the argmax of a one-hot / probability row, or the value of a single column. */
const rowClasses = (y: Dataset<number, number>['y']): number[] =>
  Array.from({ length: y.rows }, (_, i) => {
    if (y.cols === 1) return y.data[i]!;
    let best = 0;
    for (let j = 1; j < y.cols; j++) if (y.data[i * y.cols + j]! > y.data[i * y.cols + best]!) best = j;
    return best;
  });

/**
 * Splits `data` into `[train, validation]`, holding out `round(N·fraction)` rows drawn with `key`
 * (each class's share separately with `stratify`, classes read from one-hot rows by argmax or from
 * a single label column). Both parts keep the original row order. Returns `undefined` when a
 * part would be empty.
 *
 * @since 0.1.0
 * @category training
 */
export const holdOut = <I extends number, O extends number>(
  data: Dataset<I, O>,
  fraction: number,
  key: Key,
  stratify = false,
): readonly [train: Dataset<I, O>, validation: Dataset<I, O>] | undefined => {
  const n = data.x.rows;
  const perm = permutation(key, n);
  const held = new Set<number>();
  if (stratify) {
    const classes = rowClasses(data.y);
    const byClass = new Map<number, number[]>();
    // Appending to each class's own (local) list keeps this linear; copying the list per row was O(n²).
    for (const i of perm) {
      const rows = byClass.get(classes[i]!);
      if (rows === undefined) byClass.set(classes[i]!, [i]);
      else rows.push(i);
    }
    for (const rows of byClass.values()) rows.slice(0, Math.round(rows.length * fraction)).forEach((i) => held.add(i));
  } else {
    Array.from(perm.subarray(0, Math.round(n * fraction))).forEach((i) => held.add(i));
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const val = all.filter((i) => held.has(i));
  const train = all.filter((i) => !held.has(i));
  if (val.length === 0 || train.length === 0) return undefined;
  const part = (idx: number[]): Dataset<I, O> => ({ x: takeRows(data.x, idx) as Dataset<I, O>['x'], y: takeRows(data.y, idx) as Dataset<I, O>['y'] });
  return [part(train), part(val)] as const;
};
