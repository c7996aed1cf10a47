/**
 * `readCsv`: CSV text to a typed feature matrix and target, with every bad cell named.
 *
 * Parsing is done by `csv-parse` (its synchronous, browser-safe build), a maintained parser that
 * implements RFC 4180 (quoted fields, embedded commas and newlines, CRLF, BOM) and reports the line
 * of each record; we only add the numeric checks. A hand-written `split(',')` gets quoting wrong.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { parse } from 'csv-parse/browser/esm/sync';
import { unsafeMat, type Mat } from '../tensor/mat.js';
import type { DynDim } from '../layer/shape.js';
import { dataError, describe, type DataError, type Decoded } from './errors.js';
import { labelValue, textCell } from './cell.js';
import type { Labels } from './labels.js';

/**
 * Which columns are features (a list of names, in the order the net expects them, or every column
 * except the target) and which is the target.
 *
 * @since 0.1.0
 * @category model
 */
export interface CsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target'> {
  readonly features: Fs;
  /** The target column's name, e.g. `'label'` or `'target'`. */
  readonly target: string;
  /** Field separator (default `,`). */
  readonly delimiter?: string;
}

/** Options for a classification file: the target holds integer labels `0..classes−1`. @since 0.1.0 @category model */
export interface ClassificationCsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target', C extends number> extends CsvOptions<Fs> {
  readonly task: 'classification';
  /** The number of classes; labels outside `0..classes−1` are errors. Omitted: `max label + 1`. */
  readonly classes?: C;
}

/** Options for a regression file: the target holds finite numbers. @since 0.1.0 @category model */
export interface RegressionCsvOptions<Fs extends ReadonlyArray<string> | 'all-but-target'> extends CsvOptions<Fs> {
  readonly task: 'regression';
}

/** What every decoded CSV holds besides its target. @since 0.1.0 @category model */
export interface CsvTable<F extends number> {
  /** Features, one row per data row: `Mat<n, F>`. */
  readonly x: Mat<number, F>;
  /** The feature columns' names, in the matrix's column order. */
  readonly features: ReadonlyArray<string>;
  readonly target: string;
  /** The file line of each data row (1-based), to trace a prediction back to its line. */
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

/** The feature width: the length of a literal name list, else a run-time dim. @since 0.1.0 @category type helpers */
export type FeatureDim<Fs> = Fs extends ReadonlyArray<string> ? (number extends Fs['length'] ? DynDim : Fs['length']) : DynDim;

type Rec = { readonly record: string[]; readonly info: { readonly lines: number } };

const headerError = (column: string | null, expected: string, got: string): DataError =>
  dataError({ row: null, line: 1, column, expected, got });

/**
 * Reads CSV text (a header line, then data rows) into features `x: Mat<n, F>` and the target.
 * Every problem is listed with its data row (1-based, header not counted), file line and column:
 * an empty file, a header-only file, duplicate or missing column names, ragged rows, empty cells,
 * non-numeric text, NaN, ±Infinity, and for classification labels that are not integers in
 * `0..classes−1`. Blank lines are skipped. Columns not used as features or target are not checked.
 *
 * @example
 * const data = readCsv(text, { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3 })
 * // Either<DataErrors, ClassificationTable<2, 3>>
 * @since 0.1.0
 * @category decoders
 */
export function readCsv<const Fs extends ReadonlyArray<string> | 'all-but-target', C extends number = DynDim>(
  text: string,
  options: ClassificationCsvOptions<Fs, C>,
): Decoded<ClassificationTable<FeatureDim<Fs>, C>>;
export function readCsv<const Fs extends ReadonlyArray<string> | 'all-but-target'>(
  text: string,
  options: RegressionCsvOptions<Fs>,
): Decoded<RegressionTable<FeatureDim<Fs>>>;
export function readCsv(
  text: string,
  options: ClassificationCsvOptions<ReadonlyArray<string> | 'all-but-target', number> | RegressionCsvOptions<ReadonlyArray<string> | 'all-but-target'>,
): Decoded<ClassificationTable<number, number> | RegressionTable<number>> {
  try {
    return readCsvUnsafe(text, options);
  } catch (e) {
    return E.left([dataError({ row: null, column: null, expected: 'CSV text', got: describe(text), message: `reader failed: ${String(e)}` })]);
  }
}

const readCsvUnsafe = (
  text: unknown,
  options: ClassificationCsvOptions<ReadonlyArray<string> | 'all-but-target', number> | RegressionCsvOptions<ReadonlyArray<string> | 'all-but-target'>,
): Decoded<ClassificationTable<number, number> | RegressionTable<number>> => {
  if (typeof text !== 'string') return E.left([dataError({ row: null, column: null, expected: 'CSV text', got: describe(text) })]);
  if (text.trim() === '') return E.left([headerError(null, 'a header line and data rows', 'an empty file')]);
  let records: Rec[];
  try {
    records = parse(text, { relax_column_count: true, info: true, skip_empty_lines: true, bom: true, delimiter: options.delimiter ?? ',' }) as unknown as Rec[];
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as { lines: number }).lines : undefined;
    return E.left([dataError({ row: null, ...(line === undefined ? {} : { line }), column: null, expected: 'well-formed CSV', got: String((e as Error).message ?? e) })]);
  }
  const header = records[0]!.record.map((h) => h.trim());
  const body = records.slice(1);
  const errors: DataError[] = [];

  const seen = new Map<string, number>();
  header.forEach((h, j) => {
    if (h === '') errors.push(headerError(`#${j + 1}`, 'a column name', 'an empty header cell'));
    else if (seen.has(h)) errors.push(headerError(h, 'unique column names', `a duplicate of column #${seen.get(h)! + 1} (at #${j + 1})`));
    else seen.set(h, j);
  });
  const index = (name: string): number | null => {
    const j = seen.get(name);
    if (j === undefined) {
      errors.push(headerError(name, 'a column of that name', `no such column (header: ${header.join(', ')})`));
      return null;
    }
    return j;
  };
  const targetIdx = index(options.target);
  const featureNames = options.features === 'all-but-target' ? header.filter((h) => h !== options.target && h !== '') : [...options.features];
  if (options.features !== 'all-but-target') {
    const dup = featureNames.filter((f, i) => featureNames.indexOf(f) !== i);
    dup.forEach((f) => errors.push(headerError(f, 'each feature listed once', 'listed twice in options.features')));
    if (featureNames.includes(options.target)) errors.push(headerError(options.target, 'a feature column', 'the target column'));
  }
  const featureIdx = featureNames.map(index);
  if (featureNames.length === 0) errors.push(headerError(null, 'at least one feature column', 'none'));
  if (body.length === 0) errors.push(dataError({ row: null, line: 2, column: null, expected: 'at least one data row', got: 'a header-only file' }));
  if (errors.length > 0) return E.left(errors);

  const f = featureNames.length;
  const classes = options.task === 'classification' ? (options.classes ?? Infinity) : Infinity;
  if (options.task === 'classification' && options.classes !== undefined && !(Number.isInteger(options.classes) && options.classes >= 1)) {
    return E.left([dataError({ row: null, column: null, expected: 'options.classes a positive integer', got: describe(options.classes) })]);
  }
  const x = new Float64Array(body.length * f);
  const y = new Float64Array(body.length);
  const lines = body.map((r) => r.info.lines);
  body.forEach((rec, i) => {
    const place = { row: i + 1, line: rec.info.lines };
    if (rec.record.length !== header.length) {
      errors.push(dataError({ ...place, column: null, expected: `${header.length} fields`, got: `${rec.record.length} fields` }));
      return;
    }
    featureIdx.forEach((j, k) => {
      const v = textCell(rec.record[j!]!);
      if (E.isLeft(v)) errors.push(dataError({ ...place, column: featureNames[k]!, ...v.left }));
      else x[i * f + k] = v.right;
    });
    const t = textCell(rec.record[targetIdx!]!);
    const checked = options.task === 'classification' ? E.chain((v: number) => labelValue(v, classes))(t) : t;
    if (E.isLeft(checked)) errors.push(dataError({ ...place, column: options.target, ...checked.left }));
    else y[i] = checked.right;
  });
  if (errors.length > 0) return E.left(errors);

  const table = {
    x: unsafeMat(body.length, f, x),
    features: Object.freeze(featureNames),
    target: options.target,
    lines: Object.freeze(lines),
  };
  if (options.task === 'regression') return E.right(Object.freeze({ ...table, task: 'regression' as const, y: unsafeMat(body.length, 1 as const, y) }));
  const labelList = Object.freeze(Array.from(y));
  const k = options.classes ?? labelList.reduce((m, v) => Math.max(m, v), 0) + 1;
  return E.right(Object.freeze({ ...table, task: 'classification' as const, labels: labelList, classes: k }));
};
