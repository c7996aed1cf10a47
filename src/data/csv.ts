/**
 * `readCsv`: CSV text to a typed feature matrix and target, with every bad cell named.
 *
 * Parsing is done by `csv-parse` (its synchronous, browser-safe build), a maintained parser that
 * implements RFC 4180 (quoted fields, embedded commas and newlines, BOM); we only add the numeric
 * checks and the line numbers. A hand-written `split(',')` gets quoting wrong.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'csv-parse/browser/esm/sync';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { DynDim } from '../shape/dim.js';
import { describe } from '../errors.js';
import { dataError, dataErrorList, type DataError, type DataErrors, type Decoded } from './errors.js';
import { labelValue, textCell } from './cell.js';
import { unsafeLabels, type Labels } from './labels.js';

/**
 * Which columns are features (a list of names, in the order the net expects them, or every column
 * except the target) and which is the target.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface CsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target'> {
  readonly features: Fs;
  /** The target column's name, e.g. `'label'` or `'target'`. */
  readonly target: string;
  /** Field separator (default `,`). */
  readonly delimiter?: string;
}

/**
 * What a bad data row does, an option of `readCsv`: `'fail'` (the default) makes the whole read a
 * `Left` listing every bad cell; `'reject'` keeps the good rows and returns the bad ones as data,
 * `{ table, rejected }` (see {@link CsvWithRejected}). Problems with the file itself (its header,
 * no good row at all) are a `Left` either way.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export interface BadRows<Mode extends 'fail' | 'reject'> {
  readonly badRows: Mode;
}

/** Options for a classification file: the target holds integer labels `0..classes−1`. @since 0.1.0 @category model @inline */
export interface ClassificationCsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target', C extends number> extends CsvOptions<Fs> {
  readonly task: 'classification';
  /**
   * The number of classes; labels outside `0..classes−1` are errors. Omitted: `max label + 1`,
   * where a label must be below the number of data rows (at most one class per row), so a stray
   * `1e9` is a bad cell, not a billion classes.
   */
  readonly classes?: C;
}

/** Options for a regression file: the target holds finite numbers. @since 0.1.0 @category model @inline */
export interface RegressionCsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target'> extends CsvOptions<Fs> {
  readonly task: 'regression';
}

/** What every decoded CSV holds besides its target. @since 0.1.0 @category model @inline */
export interface CsvTable<F extends number> {
  /** Features, one row per data row: `Mat<n, F>`. */
  readonly x: Mat<number, F>;
  /** The feature columns' names, in the matrix's column order. */
  readonly features: ReadonlyArray<string>;
  readonly target: string;
  /**
   * The file line where each data row starts (1-based; LF, CRLF and CR all end a line, in any
   * mix, and a quoted field's line breaks count), to trace a prediction back to its line.
   */
  readonly lines: ReadonlyArray<number>;
}

/** A decoded classification CSV. @since 0.1.0 @category model */
export interface ClassificationTable<F extends number, C extends number> extends CsvTable<F> {
  readonly task: 'classification';
  readonly labels: Labels<C>;
  readonly classes: C;
}

/** A decoded regression CSV: `y` is `Mat<n, 1>`. @since 0.1.0 @category model */
export interface RegressionTable<F extends number> extends CsvTable<F> {
  readonly task: 'regression';
  readonly y: Mat<number, 1>;
}

/**
 * A data row left out under `badRows: 'reject'`: its data row number (1-based, header not
 * counted), the file line it starts on, its raw fields, and every problem found in it.
 *
 * @since 0.2.0
 * @category model
 */
export interface RejectedRow {
  readonly row: number;
  readonly line: number;
  readonly fields: ReadonlyArray<string>;
  readonly errors: DataErrors;
}

/**
 * What `readCsv` returns under `badRows: 'reject'`: the good rows as a table (their `lines` say
 * where each came from) and the rejected rows, in file order.
 *
 * @since 0.2.0
 * @category model
 */
export interface CsvWithRejected<T> {
  readonly table: T;
  readonly rejected: ReadonlyArray<RejectedRow>;
}

/** The feature width: the length of a literal name list, else a run-time dim. @since 0.1.0 @category type helpers @inline */
export type FeatureDim<Fs> = Fs extends ReadonlyArray<string> ? (number extends Fs['length'] ? DynDim : Fs['length']) : DynDim;

export type Rec = { readonly record: string[]; readonly raw: string };
type AnyFeatures = ReadonlyArray<string> | 'all-but-target';
export type AnyOptions = (ClassificationCsvOptions<AnyFeatures, number> | RegressionCsvOptions<AnyFeatures>) & Partial<BadRows<'fail' | 'reject'>>;
type AnyTable = ClassificationTable<number, number> | RegressionTable<number>;

const headerError = (column: string | null, expected: string, got: string): DataError =>
  dataError({ row: null, line: 1, column, expected, got });

/**
 * Reads CSV text (a header line, then data rows) into features `x: Mat<n, F>` and the target.
 * Every problem is listed with its data row (1-based, header not counted), file line and column:
 * an empty file, a header-only file, duplicate or missing column names, ragged rows, empty cells,
 * non-numeric text, NaN, ±Infinity, and for classification labels that are not integers in
 * `0..classes−1`. Blank lines are skipped; LF, CRLF and CR line endings may be mixed. Columns not
 * used as features or target are not checked. With `badRows: 'reject'` the good rows are kept and
 * the bad ones returned as data (`{ table, rejected }`). Past `MAX_ERRORS` problems the list is capped.
 *
 * @example
 * const data = readCsv(text, { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3 })
 * // Either<DataErrors, ClassificationTable<2, 3>>
 * const some = readCsv(text, { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3, badRows: 'reject' })
 * // Either<DataErrors, { table: ClassificationTable<2, 3>, rejected: RejectedRow[] }>
 * @since 0.1.0
 * @category decoders
 */
export function readCsv<const Fs extends AnyFeatures, C extends number = DynDim>(
  text: string,
  options: ClassificationCsvOptions<Fs, C> & BadRows<'reject'>,
): Decoded<CsvWithRejected<ClassificationTable<FeatureDim<Fs>, C>>>;
export function readCsv<const Fs extends AnyFeatures>(
  text: string,
  options: RegressionCsvOptions<Fs> & BadRows<'reject'>,
): Decoded<CsvWithRejected<RegressionTable<FeatureDim<Fs>>>>;
export function readCsv<const Fs extends AnyFeatures, C extends number = DynDim>(
  text: string,
  options: ClassificationCsvOptions<Fs, C> & Partial<BadRows<'fail'>>,
): Decoded<ClassificationTable<FeatureDim<Fs>, C>>;
export function readCsv<const Fs extends AnyFeatures>(
  text: string,
  options: RegressionCsvOptions<Fs> & Partial<BadRows<'fail'>>,
): Decoded<RegressionTable<FeatureDim<Fs>>>;
export function readCsv(text: string, options: AnyOptions): Decoded<AnyTable | CsvWithRejected<AnyTable>> {
  try {
    return E.map((r: CsvWithRejected<AnyTable>) => (options.badRows === 'reject' ? r : r.table))(readCsvUnsafe(text, options));
  } catch (e) {
    return E.left([dataError({ row: null, column: null, expected: 'CSV text', got: describe(text), message: `reader failed: ${String(e)}` })]);
  }
}

/**
 * The line each record starts on. The parser sees LF only (line endings are normalised first), and
 * the records' raw texts are consecutive slices of the file: a record starts after the line breaks
 * of every record before it and the blank lines skipped in front of it.
 */
const startLines = (records: ReadonlyArray<Rec>): number[] => records.map(lineCounter());

/** The start-line counter of consecutive records' raw texts (a stream's records, one at a time). */
export const lineCounter = (): ((r: Rec) => number) => {
  let breaks = 0;
  return (r) => {
    let lead = 0;
    while (r.raw[lead] === '\n') lead++;
    const line = breaks + lead + 1;
    for (let i = 0; i < r.raw.length; i++) if (r.raw[i] === '\n') breaks++;
    return line;
  };
};

/** The columns a header resolves to under the options; problems go to `errors`. */
export const csvColumns = (headerRecord: ReadonlyArray<string>, options: AnyOptions, errors: ReturnType<typeof dataErrorList>): CsvColumns => {
  const header = headerRecord.map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') errors.add(headerError(`#${j + 1}`, 'a column name', 'an empty header cell'));
    else if (seen.has(h)) errors.add(headerError(h, 'unique column names', `a duplicate of column #${seen.get(h)! + 1} (at #${j + 1})`));
    else seen.set(h, j);
  });
  const index = (name: string): number | null => {
    const j = seen.get(name);
    if (j === undefined) {
      errors.add(headerError(name, 'a column of that name', `no such column (header: ${header.join(', ')})`));
      return null;
    }
    return j;
  };
  const targetIdx = index(options.target);
  const featureNames = options.features === 'all-but-target' ? header.filter((h) => h !== options.target && h !== '') : [...options.features];
  if (options.features !== 'all-but-target') {
    const dup = featureNames.filter((f, i) => featureNames.indexOf(f) !== i);
    dup.forEach((f) => errors.add(headerError(f, 'each feature listed once', 'listed twice in options.features')));
    if (featureNames.includes(options.target)) errors.add(headerError(options.target, 'a feature column', 'the target column'));
  }
  const featureIdx = featureNames.map(index);
  return { header, featureNames, featureIdx, targetIdx };
};

/** The columns of a CSV: its header, the feature names and indices, the target's index (null: missing). */
export interface CsvColumns {
  readonly header: ReadonlyArray<string>;
  readonly featureNames: ReadonlyArray<string>;
  readonly featureIdx: ReadonlyArray<number | null>;
  readonly targetIdx: number | null;
}

/**
 * Decodes one data row into `x[xAt …]` (the features) and `y[yAt]` (the target), every bad cell
 * named by `place` (data row and line) and column; `classes` bounds a classification label.
 */
export const decodeRow = (
  record: ReadonlyArray<string>,
  place: { readonly row: number; readonly line: number },
  cols: CsvColumns,
  options: AnyOptions,
  classes: number,
  x: Float64Array,
  xAt: number,
  y: Float64Array,
  yAt: number,
): ReturnType<typeof dataErrorList> => {
  const { header, featureNames, featureIdx, targetIdx } = cols;
  const inferred = options.task === 'classification' && options.classes === undefined;
  const rowErrors = dataErrorList();
  if (record.length !== header.length) {
    rowErrors.add(dataError({ ...place, column: null, expected: `${header.length} fields`, got: `${record.length} fields` }));
  } else {
    featureIdx.forEach((j, k) => {
      const v = textCell(record[j!]!);
      if (E.isLeft(v)) rowErrors.add(dataError({ ...place, column: featureNames[k]!, ...v.left }));
      else x[xAt + k] = v.right;
    });
    const t = textCell(record[targetIdx!]!);
    const checked = options.task === 'classification' ? E.chain((v: number) => labelValue(v, classes))(t) : t;
    if (E.isLeft(checked)) {
      const why = inferred && E.isRight(t) ? { ...checked.left, expected: `${checked.left.expected} (options.classes omitted: at most one class per data row)` } : checked.left;
      rowErrors.add(dataError({ ...place, column: options.target, ...why }));
    } else y[yAt] = checked.right;
  }
  return rowErrors;
};

const readCsvUnsafe = (text: unknown, options: AnyOptions): Decoded<CsvWithRejected<AnyTable>> => {
  if (typeof text !== 'string') return E.left([dataError({ row: null, column: null, expected: 'CSV text', got: describe(text) })]);
  if (text.trim() === '') return E.left([headerError(null, 'a header line and data rows', 'an empty file')]);
  let records: Rec[];
  // Every line ending counts as one: a CRLF file with an LF header (or the reverse) keeps its lines.
  const lf = text.replace(/\r\n?/g, '\n');
  try {
    records = parse(lf, { relax_column_count: true, raw: true, skip_empty_lines: true, bom: true, record_delimiter: '\n', delimiter: options.delimiter ?? ',' }) as unknown as Rec[];
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : undefined;
    return E.left([dataError({ row: null, ...(line === undefined ? {} : { line }), column: null, expected: 'well-formed CSV', got: String((e as Error).message ?? e) })]);
  }
  const lineOf = startLines(records);
  const body = records.slice(1);
  const errors = dataErrorList();
  const { header, featureNames, featureIdx, targetIdx } = csvColumns(records[0]!.record, options, errors);
  if (featureNames.length === 0) errors.add(headerError(null, 'at least one feature column', 'none'));
  if (body.length === 0) errors.add(dataError({ row: null, line: 2, column: null, expected: 'at least one data row', got: 'a header-only file' }));
  if (options.task === 'classification' && options.classes !== undefined && !(Number.isInteger(options.classes) && options.classes >= 1)) {
    errors.add(dataError({ row: null, column: null, expected: 'options.classes a positive integer', got: describe(options.classes) }));
  }
  if (errors.size() > 0) return E.left(errors.list());

  const f = featureNames.length;
  const n = body.length;
  // Without options.classes the class count is inferred, and bounded by the rows: a label ≥ n
  // would make more classes than examples (a stray 1e9 would make a billion).
  const classes = options.task === 'classification' ? (options.classes ?? n) : Infinity;
  const x = new Float64Array(n * f);
  const y = new Float64Array(n);
  const kept: number[] = [];
  const rejected: RejectedRow[] = [];
  body.forEach((rec, i) => {
    const place = { row: i + 1, line: lineOf[i + 1]! };
    const at = kept.length;
    const rowErrors = decodeRow(rec.record, place, { header, featureNames, featureIdx, targetIdx }, options, classes, x, at * f, y, at);
    if (rowErrors.size() === 0) kept.push(i);
    else {
      errors.addAll(rowErrors.list());
      if (options.badRows === 'reject') rejected.push(Object.freeze({ ...place, fields: Object.freeze(rec.record), errors: rowErrors.list() }));
    }
  });
  if (kept.length === 0 || (errors.size() > 0 && options.badRows !== 'reject')) return E.left(errors.list());

  const m = kept.length;
  const labelList = Array.from(y.subarray(0, m));
  const table = {
    x: unsafeMat(m, f, x.slice(0, m * f)),
    features: Object.freeze(featureNames),
    target: options.target,
    lines: Object.freeze(kept.map((i) => lineOf[i + 1]!)),
  };
  const out = options.task === 'regression'
    ? Object.freeze({ ...table, task: 'regression' as const, y: unsafeMat(m, 1 as const, y.slice(0, m)) })
    : Object.freeze({ ...table, task: 'classification' as const, labels: unsafeLabels(labelList), classes: options.classes ?? labelList.reduce((a, v) => Math.max(a, v), 0) + 1 });
  return E.right(Object.freeze({ table: out, rejected: Object.freeze(rejected) }));
};
