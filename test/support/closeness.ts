/**
 * How close two arrays of numbers are: the one place tests define it. Two measures, each with its
 * tolerance semantics written out:
 *
 * - **elementwise** ({@link maxRelDiff}, {@link expectClose}): the worst entry's
 *   `|gotᵢ − wantᵢ| / max(|gotᵢ|, |wantᵢ|, floor)`. `floor = 0` is purely relative (every entry to
 *   its own size); `floor = 1` compares entries smaller than 1 absolutely (`|Δ| ≤ tol`) and larger
 *   ones relatively, the usual test of a sum whose terms may cancel; a tiny floor such as `1e-8`
 *   only keeps 0/0 out.
 * - **normwise** ({@link relErr}): `‖a − b‖∞ / max(‖a‖∞, ‖b‖∞)` (0 when both are 0): one number for a
 *   whole vector, so a tiny entry is judged against the largest one. Gradient checks bound it.
 *
 * Either accepts plain arrays (`Float64Array`, `number[]`) or matrices (`{ rows, cols, data }`);
 * two matrices must also have the same shape, and two arrays the same length.
 */
import { expect } from 'vitest';

/** Numbers to compare: an array, or a matrix whose `data` holds them (row-major). */
export type Numbers = ArrayLike<number> | { readonly rows: number; readonly cols: number; readonly data: ArrayLike<number> };

const entries = (a: Numbers): ArrayLike<number> => ('data' in a ? a.data : a);
const shape = (a: Numbers): string => ('data' in a ? `${a.rows}×${a.cols}` : `${a.length}`);

const sameSize = (got: Numbers, want: Numbers): void => {
  const bothMats = 'data' in got && 'data' in want;
  if (bothMats ? shape(got) !== shape(want) : entries(got).length !== entries(want).length) {
    throw new Error(`closeness: shapes differ, got ${shape(got)} and want ${shape(want)}`);
  }
};

/** The elementwise measure: max over i of `|gotᵢ − wantᵢ| / max(|gotᵢ|, |wantᵢ|, floor)`, and where it is worst. */
const worst = (got: Numbers, want: Numbers, floor: number): { readonly diff: number; readonly at: number } => {
  sameSize(got, want);
  const g = entries(got);
  const w = entries(want);
  let diff = 0;
  let at = -1;
  for (let i = 0; i < g.length; i++) {
    const d = Math.abs(g[i]! - w[i]!) / Math.max(Math.abs(g[i]!), Math.abs(w[i]!), floor);
    // NaN anywhere is as far as it gets.
    if (!(d <= diff)) {
      diff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
      at = i;
      if (Number.isNaN(d)) break;
    }
  }
  return { diff, at };
};

/**
 * The elementwise relative difference `max_i |gotᵢ − wantᵢ| / max(|gotᵢ|, |wantᵢ|, floor)`
 * (`Infinity` if an entry is NaN on one side only, or on both).
 */
export const maxRelDiff = (got: Numbers, want: Numbers, floor = 0): number => worst(got, want, floor).diff;

/**
 * Asserts `maxRelDiff(got, want, floor) ≤ tol`; on failure the message names the worst entry.
 * `expectClose(x, y, 1e-12, 1)` reads "equal to 12 digits, or within 1e-12 where |y| < 1".
 */
export const expectClose = (got: Numbers, want: Numbers, tol: number, floor = 0): void => {
  const { diff, at } = worst(got, want, floor);
  const where = at < 0 ? '' : ` (entry ${at}: got ${entries(got)[at]}, want ${entries(want)[at]})`;
  expect(diff, `relative difference ${diff} > ${tol} with floor ${floor}${where}`).toBeLessThanOrEqual(tol);
};

/** The normwise relative error `‖a − b‖∞ / max(‖a‖∞, ‖b‖∞)` (0 when both are 0). */
export const relErr = (a: Numbers, b: Numbers): number => {
  sameSize(a, b);
  const x = entries(a);
  const y = entries(b);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(x[i]!), Math.abs(y[i]!));
  }
  return scale === 0 ? diff : diff / scale;
};
