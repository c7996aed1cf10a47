/**
 * The error type of the data boundary: one record per bad cell, naming where and what.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';

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
}

/**
 * Every problem found, never empty inside a `Left`. Decoders collect all of them rather than
 * stopping at the first, so one run shows the whole repair list.
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
  const where = [rowPart, e.column === null ? null : `column ${JSON.stringify(e.column)}`].filter((s): s is string => s !== null);
  const place = where.length === 0 ? '' : `${where.join(', ')}: `;
  const base = `${place}expected ${e.expected}, got ${e.got}`;
  return Object.freeze({
    row: e.row,
    ...(e.line === undefined ? {} : { line: e.line }),
    column: e.column,
    expected: e.expected,
    got: e.got,
    message: e.message === undefined ? base : `${base} (${e.message})`,
  });
};

const MAX_GOT = 40;

/**
 * A short, printable description of an untrusted value for the `got` field: strings are quoted
 * and cut at 40 characters; arrays and objects are summarised by size.
 *
 * @since 0.1.0
 * @category destructors
 */
export const describe = (u: unknown): string => {
  if (typeof u === 'string') {
    const s = u.length > MAX_GOT ? `${u.slice(0, MAX_GOT)}…` : u;
    return u === '' ? 'an empty cell' : JSON.stringify(s);
  }
  if (typeof u === 'number') return Object.is(u, -0) ? '-0' : String(u);
  if (u === null) return 'null';
  if (u === undefined) return 'nothing';
  if (Array.isArray(u)) return `a list of ${u.length}`;
  if (typeof u === 'object') return 'an object';
  return `${typeof u} ${String(u)}`;
};

/**
 * All messages, one per line. With `max`, only the first `max` are listed and a last line counts
 * the rest.
 *
 * @example
 * pipe(readCsv(text, opts), E.mapLeft(formatErrors))
 * @since 0.1.0
 * @category destructors
 */
export const formatErrors = (errors: ReadonlyArray<{ readonly message: string }>, max = Infinity): string => {
  const shown = errors.slice(0, Math.max(0, Math.min(errors.length, max)));
  const rest = errors.length - shown.length;
  const head = `${errors.length} problem${errors.length === 1 ? '' : 's'}:`;
  return [head, ...shown.map((e) => `  - ${e.message}`), ...(rest > 0 ? [`  … and ${rest} more`] : [])].join('\n');
};

/**
 * io-ts interop: turns io-ts validation errors into {@link DataErrors}. A path such as
 * `[3].petal_width` becomes row 4 (1-based), column `"petal_width"`.
 *
 * @since 0.1.0
 * @category interop
 */
export const fromIoTsErrors = (errors: t.Errors): DataErrors =>
  errors.map((err) => {
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
  });
