/**
 * Grid search: evaluate every combination of option values (typically by cross-validation) and
 * pick the best mean score, keeping the whole table.
 *
 * @module
 */
import type { Key } from '../random.js';
import { summarizeScores, type ScoreSummary } from './cross-validate.js';

/**
 * A grid: for each option name, the values to try.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export type Grid = { readonly [name: string]: readonly unknown[] };

/**
 * One point of a grid: one value per option (`{ lambda: 1e-3, hidden: 16 }` for the grid
 * `{ lambda: [1e-4, 1e-3], hidden: [8, 16] }`).
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export type GridPoint<G extends Grid> = { readonly [K in keyof G]: G[K][number] };

/**
 * One row of the grid-search table: the point and its scores' summary.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface GridRow<G extends Grid> extends ScoreSummary {
  readonly point: GridPoint<G>;
}

/**
 * The outcome: the best point, its summary, and the table of every point in grid order.
 *
 * @since 0.1.0
 * @category model
 */
export interface GridSearchResult<G extends Grid> {
  readonly best: GridPoint<G>;
  readonly bestRow: GridRow<G>;
  readonly table: readonly GridRow<G>[];
}

/**
 * What {@link gridSearch} needs: the grid, `evaluate(point, key)` returning the point's scores
 * (a `ScoreSummary` such as `crossValidate`'s result, or a single number), whether a
 * higher (`'max'`) or lower (`'min'`) mean score is better, and the key.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface GridSearchOptions<G extends Grid> {
  readonly grid: G;
  readonly evaluate: (point: GridPoint<G>, key: Key) => ScoreSummary | number;
  readonly mode: 'min' | 'max';
  readonly key: Key;
}

/**
 * Every point of the grid, in order: the first option varies slowest, the last fastest.
 *
 * @example
 * gridPoints({ lambda: [0, 1e-3], p: [0.1, 0.2] })
 * // [{ lambda: 0, p: 0.1 }, { lambda: 0, p: 0.2 }, { lambda: 1e-3, p: 0.1 }, { lambda: 1e-3, p: 0.2 }]
 * @since 0.1.0
 * @category constructors
 */
export const gridPoints = <G extends Grid>(grid: G): readonly GridPoint<G>[] => {
  const names = Object.keys(grid);
  names.forEach((n) => {
    if (!Array.isArray(grid[n]) || grid[n]!.length === 0) throw new RangeError(`gridSearch: option "${n}" has no values to try`);
  });
  const points = names.reduce<Record<string, unknown>[]>(
    (acc, n) => acc.flatMap((pt) => grid[n]!.map((v) => ({ ...pt, [n]: v }))),
    [{}],
  );
  return Object.freeze(points.map((pt) => Object.freeze(pt) as GridPoint<G>));
};

/**
 * Exhaustive search: `score(point) = evaluate(point, key)` for every grid point, best =
 * argmax (or argmin) of the mean score; ties go to the earlier point, and a NaN mean ranks last.
 * Every point gets the SAME key, so with cross-validation all points see the same folds and draws
 * (a paired comparison) and the result is deterministic for a given key.
 *
 * @example
 * const { best, table } = gridSearch({
 *   grid: { lambda: [0, 1e-4, 1e-3, 1e-2] }, mode: 'max', key: key(1),
 *   evaluate: ({ lambda }, k) => crossValidate({
 *     data, folds: 5, key: k,
 *     train: (d, kf) => fit(net, net.init(kf), d, { ...opts, key: kf, penalty: l2Penalty(lambda) }).params,
 *     score: (params, v) => r2(predict(net, params, v.x), v.y),
 *   }),
 * })
 * @since 0.1.0
 * @category combinators
 */
export const gridSearch = <G extends Grid>(options: GridSearchOptions<G>): GridSearchResult<G> => {
  const table: readonly GridRow<G>[] = gridPoints(options.grid).map((point) => {
    const r = options.evaluate(point, options.key);
    const s = typeof r === 'number' ? summarizeScores([r]) : r;
    return Object.freeze({ point, scores: s.scores, mean: s.mean, std: s.std });
  });
  const better = (a: number, b: number): boolean =>
    Number.isNaN(b) ? !Number.isNaN(a) : options.mode === 'max' ? a > b : a < b;
  const bestRow = table.reduce((best, row) => (better(row.mean, best.mean) ? row : best), table[0]!);
  return Object.freeze({ best: bestRow.point, bestRow, table: Object.freeze(table) });
};
