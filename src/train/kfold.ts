/**
 * K-fold splits of the rows 0..n−1 for cross-validation: every row is in exactly one validation
 * fold, and each fold trains on all the other rows.
 *
 * @module
 */
import { foldIn, permutation, type Key } from '../random.js';

/**
 * One fold: the row indices to train on and the held-out rows to score on (both ascending,
 * disjoint, together 0..n−1).
 *
 * @since 0.1.0
 * @category model
 */
export interface Fold {
  readonly train: readonly number[];
  readonly validation: readonly number[];
}

const checkK = (name: string, n: number, k: number): void => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${name}: the row count must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`${name}: k must be an integer ≥ 2, got ${k}`);
  if (k > n) throw new RangeError(`${name}: cannot make ${k} folds from ${n} rows (k ≤ n)`);
};

/** Folds from an assignment row → fold number. */
const foldsFrom = (assignment: readonly number[], k: number): readonly Fold[] =>
  Object.freeze(
    Array.from({ length: k }, (_, f) =>
      Object.freeze({
        train: Object.freeze(assignment.flatMap((a, i) => (a === f ? [] : [i]))),
        validation: Object.freeze(assignment.flatMap((a, i) => (a === f ? [i] : []))),
      }),
    ),
  );

/**
 * `k` folds of the rows 0..n−1 in a random order drawn from `key`: the rows are permuted and cut
 * into `k` consecutive blocks whose sizes differ by at most one (the first `n mod k` blocks have
 * one row more). Deterministic for a given key.
 *
 * @throws RangeError unless `2 ≤ k ≤ n`.
 * @example
 * kFold(10, 5, key(0))   // 5 × { train: 8 rows, validation: 2 rows }
 * @since 0.1.0
 * @category constructors
 */
export const kFold = (n: number, k: number, key: Key): readonly Fold[] => {
  checkK('kFold', n, k);
  const perm = permutation(key, n);
  const base = Math.floor(n / k);
  const extra = n % k;
  // block f covers permuted positions [start(f), start(f + 1)), start(f) = f·base + min(f, extra)
  const blockOf = (pos: number): number => {
    const big = extra * (base + 1);
    return pos < big ? Math.floor(pos / (base + 1)) : extra + Math.floor((pos - big) / base);
  };
  const assignment = new Array<number>(n);
  perm.forEach((row, pos) => {
    assignment[row] = blockOf(pos);
  });
  return foldsFrom(assignment, k);
};

/**
 * Stratified `k` folds: each class's rows are shuffled (with `key`) and dealt out in turn, so
 * every fold holds each class in the proportion of the whole data (its count differs by at most
 * one between folds) and fold sizes differ by at most one. `labels[i]` is row i's class (any
 * number; for one-hot targets pass the argmax of each row).
 *
 * @throws RangeError unless `2 ≤ k ≤ labels.length`.
 * @example
 * stratifiedKFold([0, 0, 0, 1, 1, 1], 3, key(0))   // each validation fold: one 0 and one 1
 * @since 0.1.0
 * @category constructors
 */
export const stratifiedKFold = (labels: ArrayLike<number>, k: number, key: Key): readonly Fold[] => {
  const n = labels.length;
  checkK('stratifiedKFold', n, k);
  const ls = Array.from(labels);
  const bad = ls.findIndex((l) => !Number.isFinite(l));
  if (bad >= 0) throw new RangeError(`stratifiedKFold: label of row ${bad} is not a finite number (${ls[bad]})`);
  const classes = [...new Set(ls)].sort((a, b) => a - b);
  // Rows grouped by class (classes ascending), each group in its own random order; dealing the
  // concatenation round-robin balances every class across folds and the folds' sizes.
  const order = classes.flatMap((c, ci) => {
    const rows = ls.flatMap((l, i) => (l === c ? [i] : []));
    return Array.from(permutation(foldIn(key, ci + 1), rows.length), (j) => rows[j]!);
  });
  // Start the deal at a random fold so that the remainders do not always land in fold 0.
  const offset = permutation(key, k)[0]!;
  const assignment = new Array<number>(n);
  order.forEach((row, pos) => {
    assignment[row] = (pos + offset) % k;
  });
  return foldsFrom(assignment, k);
};
