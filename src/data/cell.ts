/**
 * The one rule for a numeric cell, shared by the JSON and CSV decoders, so both report the same
 * problems in the same words.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe } from '../errors.js';

/** What was wrong with a cell: the `expected`/`got` pair of a `DataError`. @internal */
export interface CellProblem {
  readonly expected: string;
  readonly got: string;
}

const FINITE = 'a finite number';
// Plain decimal notation only: `Number()` would also take "0x1F", "0b1", " " and "Infinity".
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A JSON cell: must be a number that is finite.
 *
 * @since 0.1.0
 * @category decoders
 */
export const numberCell = (u: unknown): E.Either<CellProblem, number> => {
  if (typeof u !== 'number') return E.left({ expected: FINITE, got: describe(u) });
  if (!Number.isFinite(u)) return E.left({ expected: FINITE, got: String(u) });
  return E.right(u);
};

/**
 * A CSV cell: decimal text (surrounding spaces allowed) whose value is a finite double.
 * "NaN", "Infinity", "1e999" (overflows to ∞) and "" are rejected with their own `got`.
 *
 * @since 0.1.0
 * @category decoders
 */
export const textCell = (s: string): E.Either<CellProblem, number> => {
  const v = s.trim();
  if (v === '') return E.left({ expected: FINITE, got: 'an empty cell' });
  if (!DECIMAL.test(v)) {
    const lower = v.toLowerCase().replace(/^[+-]/, '');
    if (lower === 'nan') return E.left({ expected: FINITE, got: 'NaN' });
    if (lower === 'infinity' || lower === 'inf') return E.left({ expected: FINITE, got: v.startsWith('-') ? '-Infinity' : 'Infinity' });
    return E.left({ expected: FINITE, got: describe(s) });
  }
  const x = Number(v);
  if (!Number.isFinite(x)) return E.left({ expected: FINITE, got: `${JSON.stringify(s)} (overflows to ${x})` });
  return E.right(x);
};

/**
 * A class label: an integer in `0..classes−1` (`classes` may be `Infinity` when unknown).
 *
 * @since 0.1.0
 * @category decoders
 */
export const labelValue = (x: number, classes: number): E.Either<CellProblem, number> => {
  const expected = Number.isFinite(classes) ? `an integer label in 0..${classes - 1}` : 'a non-negative integer label';
  if (!Number.isInteger(x)) return E.left({ expected, got: `${describe(x)} (not an integer)` });
  if (x < 0 || x >= classes) return E.left({ expected, got: `${describe(x)} (out of range)` });
  return E.right(x === 0 ? 0 : x);
};

/**
 * The index of the first hole of a sparse array (`new Array(5)`, `[1, , 3]`), or `undefined` when
 * every index holds an entry. `forEach` and `map` skip holes, so decoders ask this first. O(index).
 *
 * @since 0.2.0
 * @category decoders
 */
export const firstHole = (a: ReadonlyArray<unknown>): number | undefined => {
  let i = 0;
  while (i < a.length && i in a) i++;
  return i < a.length ? i : undefined;
};

/** The `expected`/`got` pair for a list with a hole. @internal */
export const holeProblem = (what: string, index: number): CellProblem => ({ expected: `${what} without holes`, got: `a sparse list (nothing at index ${index})` });
