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
 * The most problems a decoder or loader lists (the rest are counted, not listed): enough to show
 * a pattern, few enough that a hostile input cannot make an error list (or its text) huge.
 *
 * @since 0.2.0
 * @category model
 */
export const MAX_ERRORS = 100;

/**
 * A list of problems under construction that keeps the first `max` and counts the rest. `list()`
 * is the frozen list: the kept problems, then (if any were dropped) `summary(m)` for the `m`
 * others. Appending never spreads a list into arguments, so any number of problems is safe.
 *
 * @since 0.2.0
 * @category constructors
 */
export const errorList = <Err>(summary: (more: number) => Err, max: number = MAX_ERRORS) => {
  const kept: Err[] = [];
  let more = 0;
  const add = (e: Err): void => {
    if (kept.length < max) kept.push(e);
    else more += 1;
  };
  return Object.freeze({
    add,
    /** Adds every problem of another (possibly capped) list; its summary entry adds its `more` to the count. */
    addAll: (es: ReadonlyArray<Err & { readonly more?: number }>): void => {
      for (const e of es) {
        if (e.more === undefined) add(e);
        else more += e.more;
      }
    },
    /** The number of problems found so far (listed or not). */
    size: (): number => kept.length + more,
    list: (): ReadonlyArray<Err> => Object.freeze(more > 0 ? [...kept, summary(more)] : [...kept]),
  });
};

/** What `errorList` returns. @since 0.2.0 @category model */
export type ErrorList<Err> = ReturnType<typeof errorList<Err>>;

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

const MAX_GOT = 40;
const MAX_PART = 200;

const MAX_LINE = 1000;

/** Cuts text for a message (at 200 characters by default), so a hostile header or path cannot blow a message up. @internal */
export const clip = (s: string, max: number = MAX_PART): string => (s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s);

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
 * All messages, one per line, under a head line counting every problem (including those a capped
 * list only counts). With `max` (default 100, `MAX_ERRORS`), only the first `max` are listed and a
 * last line counts the rest. Never throws, whatever the list's length.
 *
 * @example
 * pipe(readCsv(text, opts), E.mapLeft(formatErrors))
 * @since 0.1.0
 * @category destructors
 */
export const formatErrors = (errors: ReadonlyArray<{ readonly message: string; readonly more?: number }>, max: number = MAX_ERRORS): string => {
  const listed = errors.filter((e) => e.more === undefined);
  const total = errors.reduce((n, e) => n + (e.more ?? 1), 0);
  const cap = Number.isNaN(max) ? MAX_ERRORS : Math.max(0, Math.min(listed.length, max));
  const shown = listed.slice(0, cap);
  const rest = total - shown.length;
  const head = `${total} problem${total === 1 ? '' : 's'}:`;
  return [head, ...shown.map((e) => `  - ${clip(e.message, MAX_LINE)}`), ...(rest > 0 ? [`  … and ${rest} more`] : [])].join('\n');
};

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
