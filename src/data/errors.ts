/**
 * The error type of the data boundary: one record per bad cell, naming where and what.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { MAX_ERRORS, clip, describe, errorList } from '../errors.js';

/**
 * One problem found while decoding untrusted data.
 *
 * - `row`: 1-based data row (the header is not counted), or `null` when the problem is not in a
 *   row (an empty file, a missing column, a value that is not a list at all);
 * - `line`: the 1-based line of the file, for CSV input;
 * - `column`: the column's name (or `#j`, 1-based, when columns have no names), or `null`;
 * - `expected` / `got`: what the cell should have held and what it held, as short text;
 * - `message`: all of the above in one sentence.
 *
 * @since 0.1.0
 * @category model
 */
export interface DataError {
  readonly row: number | null;
  readonly line?: number;
  readonly column: string | null;
  readonly expected: string;
  readonly got: string;
  readonly message: string;
  /**
   * Set only on the last entry of a capped list: the number of further problems found but not
   * listed (the entry itself says `… and M more problems`). Lists hold at most 100 problems (`MAX_ERRORS`).
   */
  readonly more?: number;
}

/**
 * Every problem found, never empty inside a `Left`. Decoders collect all of them rather than
 * stopping at the first, so one run shows the whole repair list; past 100 problems (`MAX_ERRORS`)
 * the list is capped: the first ones, then one entry counting the rest (its `more` field).
 *
 * @since 0.1.0
 * @category model
 */
export type DataErrors = ReadonlyArray<DataError>;

/**
 * What a decoder returns: the decoded value, or every problem found.
 *
 * @since 0.1.0
 * @category model
 */
export type Decoded<A> = E.Either<DataErrors, A>;

/**
 * Builds a {@link DataError}, writing its message from the other fields:
 * `row 3 (line 4), column "petal_width": expected a finite number, got "abc"`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dataError = (e: Omit<DataError, 'message'> & { readonly message?: string }): DataError => {
  const rowPart = e.row === null ? (e.line === undefined ? null : `line ${e.line}`) : e.line === undefined ? `row ${e.row}` : `row ${e.row} (line ${e.line})`;
  const where = [rowPart, e.column === null ? null : `column ${clip(JSON.stringify(e.column))}`].filter((s): s is string => s !== null);
  const place = where.length === 0 ? '' : `${where.join(', ')}: `;
  const base = `${place}expected ${clip(e.expected)}, got ${clip(e.got)}`;
  return Object.freeze({
    row: e.row,
    ...(e.line === undefined ? {} : { line: e.line }),
    column: e.column,
    expected: e.expected,
    got: e.got,
    message: e.message === undefined ? base : `${base} (${clip(e.message)})`,
  });
};

/**
 * The last entry of a capped {@link DataErrors} list: `… and M more problems`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const moreDataErrors = (more: number): DataError =>
  Object.freeze({ row: null, column: null, expected: `at most ${MAX_ERRORS} problems listed`, got: `${more} more`, more, message: `… and ${more} more problem${more === 1 ? '' : 's'}` });

/** A {@link DataErrors} collector capped at `MAX_ERRORS`. @internal */
export const dataErrorList = () => errorList<DataError>(moreDataErrors);

/**
 * io-ts interop: turns io-ts validation errors into {@link DataErrors}. A path such as
 * `[3].petal_width` becomes row 4 (1-based), column `"petal_width"`.
 *
 * @since 0.1.0
 * @category interop
 */
export const fromIoTsErrors = (errors: t.Errors): DataErrors => {
  const out = dataErrorList();
  errors.forEach((err) => out.add(fromIoTsError(err)));
  return out.list();
};

const fromIoTsError = (err: t.ValidationError): DataError => {
  const keys = err.context.map((c) => c.key).filter((k) => k !== '');
  const rowKey = keys.find((k) => /^\d+$/.test(k));
  const colKey = rowKey === undefined ? keys[keys.length - 1] : keys[keys.indexOf(rowKey) + 1];
  const last = err.context[err.context.length - 1];
  const e = dataError({
    row: rowKey === undefined ? null : Number(rowKey) + 1,
    column: colKey ?? null,
    expected: last?.type.name ?? 'a valid value',
    got: describe(err.value),
  });
  // A codec that wrote its own message (e.g. `matrix(4).type`) already named the place.
  return err.message === undefined ? e : Object.freeze({ ...e, message: err.message });
};
