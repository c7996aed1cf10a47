/**
 * Train/test splits: random (optionally stratified) splits driven by a PRNG key, and fixed
 * splits read from index lists.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { permutation, split as splitKey, type Key } from '../random.js';
import { parseJson } from '../io/json.js';
import { UNSIZED_NUMBERS, defaultMaxChars } from '../io/save.js';
import { describe } from '../errors.js';
import { dataError, dataErrorList, type DataError, type Decoded } from './errors.js';
import { firstHole, holeProblem } from './cell.js';

/**
 * One split: 0-based row indices, sorted ascending, disjoint. Use them with `takeRows(x, split.train)`.
 *
 * @since 0.1.0
 * @category model
 */
export interface Split {
  readonly train: ReadonlyArray<number>;
  readonly test: ReadonlyArray<number>;
}

/** Options of {@link trainTestSplit}. @since 0.1.0 @category model @inline */
export interface SplitOptions {
  /** Fraction of rows in the test set, in (0, 1); the test size is `round(n·testFraction)`. */
  readonly testFraction: number;
  /** The PRNG key: the same key gives the same split. */
  readonly key: Key;
  /** Keep class proportions: each class contributes `round(n_c·testFraction)` test rows. Needs labels. */
  readonly stratify?: boolean;
}

const sorted = (xs: number[]): ReadonlyArray<number> => Object.freeze(xs.sort((a, b) => a - b));

/**
 * Splits rows `0..n−1` into train and test at random (keyed). Given labels instead of `n`, and
 * `stratify: true`, each class is split separately so both parts keep the class proportions.
 * Throws a `RangeError` on a fraction outside (0, 1) (a programming error).
 *
 * @example
 * const { train, test } = trainTestSplit(iris.labels, { testFraction: 0.2, stratify: true, key: key(0) })
 * const xTrain = takeRows(iris.x, train)
 * @since 0.1.0
 * @category splits
 */
export const trainTestSplit = (nOrLabels: number | ReadonlyArray<number>, options: SplitOptions): Split => {
  const { testFraction, key, stratify = false } = options;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const n = typeof nOrLabels === 'number' ? nOrLabels : nOrLabels.length;
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`trainTestSplit: needs at least 2 rows, got ${n}`);
  if (stratify && typeof nOrLabels === 'number') throw new RangeError('trainTestSplit: stratify needs the labels, not a row count');
  const groups: number[][] = [];
  if (stratify) {
    const byClass = new Map<number, number[]>();
    // Appending to each class's own (local) list keeps this linear; copying the list per row was O(n²).
    (nOrLabels as ReadonlyArray<number>).forEach((c, i) => {
      const rows = byClass.get(c);
      if (rows === undefined) byClass.set(c, [i]);
      else rows.push(i);
    });
    [...byClass.keys()].sort((a, b) => a - b).forEach((c) => groups.push(byClass.get(c)!));
  } else groups.push(Array.from({ length: n }, (_, i) => i));
  const keys = splitKey(key, groups.length);
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, gi) => {
    const perm = permutation(keys[gi]!, g.length);
    const nTest = Math.round(g.length * testFraction);
    perm.forEach((p, k) => (k < nTest ? test : train).push(g[p]!));
  });
  return Object.freeze({ train: sorted(train), test: sorted(test) });
};

/** A split file: the format of the bundled `data/*.splits.json`. @since 0.1.0 @category model */
export interface SplitFile {
  readonly rows: number;
  readonly splits: ReadonlyArray<Split & { readonly seed?: number }>;
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** Options of {@link readSplits}. @since 0.2.0 @category model @inline */
export interface ReadSplitsOptions {
  /** The data's row count; `n_rows` must equal it. */
  readonly rows?: number;
  /** Longest text accepted, as for `load` (default: `defaultMaxChars(UNSIZED_NUMBERS)`). */
  readonly maxChars?: number;
}

/**
 * Decodes a split file (`{ n_rows, splits: [{ train: [...], test: [...] }, ...] }`, indices 0-based)
 * from text or parsed JSON. Checks every index is an integer in `0..n_rows−1`, that train and test
 * are disjoint and together cover every row once. `rows` (a number, or in the options), when
 * given, must equal `n_rows`. Text is bounded before parsing like `load`'s (`maxChars`), and
 * nothing is allocated per row of `n_rows` (only per index listed), so a forged `n_rows: 1e10` is a
 * quick `Left`, not an allocation.
 *
 * @since 0.1.0
 * @category splits
 */
export const readSplits = (input: unknown, rowsOrOptions?: number | ReadSplitsOptions): Decoded<SplitFile> => {
  const options: ReadSplitsOptions = typeof rowsOrOptions === 'number' ? { rows: rowsOrOptions } : (rowsOrOptions ?? {});
  const rows = options.rows;
  let u = input;
  if (typeof input === 'string') {
    const parsed = parseJson(input, options.maxChars ?? defaultMaxChars(UNSIZED_NUMBERS));
    if (E.isLeft(parsed)) return E.left(parsed.left.map((e) => dataError({ row: null, column: e.path === '' ? null : e.path, expected: e.expected, got: e.got })));
    u = parsed.right;
  }
  const err = (column: string | null, expected: string, got: string, row: number | null = null): DataError => dataError({ row, column, expected, got });
  if (!isRecord(u)) return E.left([err(null, 'a split file object', describe(u))]);
  const n = u['n_rows'];
  if (!(typeof n === 'number' && Number.isInteger(n) && n >= 1)) return E.left([err('n_rows', 'a positive integer', describe(n))]);
  if (rows !== undefined && rows !== n) return E.left([err('n_rows', `${rows} (the data's row count)`, describe(n))]);
  if (u['index_base'] !== undefined && u['index_base'] !== 0) return E.left([err('index_base', '0', describe(u['index_base']))]);
  const list = u['splits'];
  if (!Array.isArray(list) || list.length === 0) return E.left([err('splits', 'a non-empty list of splits', describe(list))]);
  const hole = firstHole(list);
  if (hole !== undefined) return E.left([err(`splits[${hole}]`, holeProblem('a list of splits', hole).expected, holeProblem('a list of splits', hole).got)]);
  const errors = dataErrorList();
  const splits = (list as unknown[]).map((s, k) => {
    const where = `splits[${k}]`;
    if (!isRecord(s)) {
      errors.add(err(where, 'an object with train and test', describe(s)));
      return null;
    }
    const lists = (['train', 'test'] as const).map((name) => {
      const xs = s[name];
      if (!Array.isArray(xs)) errors.add(err(`${where}.${name}`, 'a list of row indices', describe(xs)));
      else {
        const gap = firstHole(xs);
        if (gap === undefined) return xs as unknown[];
        const p = holeProblem('a list of row indices', gap);
        errors.add(err(`${where}.${name}[${gap}]`, p.expected, p.got));
      }
      return null;
    });
    // A set of the rows seen, not an array of n_rows flags: a forged n_rows allocates nothing.
    const seen = new Set<number>();
    const part = (name: 'train' | 'test', xs: unknown[] | null): number[] =>
      (xs ?? []).flatMap((v, i) => {
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < n)) {
          errors.add(err(`${where}.${name}[${i}]`, `a row index in 0..${n - 1}`, describe(v)));
          return [];
        }
        if (seen.has(v)) {
          errors.add(err(`${where}.${name}[${i}]`, 'each row once', `row ${v} again`));
          return [];
        }
        seen.add(v);
        return [v];
      });
    const [trainList, testList] = lists;
    const train = part('train', trainList ?? null);
    const test = part('test', testList ?? null);
    const missing = n - seen.size;
    if (missing > 0 && trainList !== null && testList !== null) errors.add(err(where, `train and test covering all ${n} rows`, `${missing} rows in neither`));
    const seed = typeof s['seed'] === 'number' ? { seed: s['seed'] } : {};
    return Object.freeze({ ...seed, train: sorted(train), test: sorted(test) });
  });
  if (errors.size() > 0) return E.left(errors.list());
  return E.right(Object.freeze({ rows: n, splits: Object.freeze(splits as (Split & { seed?: number })[]) }));
};
