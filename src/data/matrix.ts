/**
 * `matrix(cols)`: the io-ts bridge from untrusted rows to a typed `Mat<number, C>`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { toRows, unsafeMat, type Mat } from '../tensor/mat.js';
import { checkDim, type Dim } from '../shape/dim.js';
import { describe } from '../errors.js';
import { dataError, dataErrorList, fromIoTsErrors, type Decoded } from './errors.js';
import { firstHole, holeProblem, numberCell } from './cell.js';

/**
 * A decoder from `unknown` to `A` whose errors are {@link DataErrors}, with its io-ts `Type`
 * for embedding in larger io-ts codecs (`t.type({ x: matrix(4).type })`).
 *
 * @since 0.1.0
 * @category model
 */
export interface Decoder<A, O = A> {
  readonly name: string;
  /** Decodes untrusted input; `Left` lists every problem. Never throws. */
  readonly decode: (u: unknown) => Decoded<A>;
  /** The same decoder as an io-ts `Type` (errors carry the same messages). */
  readonly type: t.Type<A, O, unknown>;
}

/**
 * Makes a {@link Decoder} from a decode function; the io-ts `Type` is derived from it.
 *
 * @since 0.1.0
 * @category interop
 */
export const makeDecoder = <A, O>(name: string, is: (u: unknown) => u is A, decode: (u: unknown) => Decoded<A>, encode: (a: A) => O): Decoder<A, O> => {
  const safe = (u: unknown): Decoded<A> => {
    try {
      return decode(u);
    } catch (e) {
      return E.left([dataError({ row: null, column: null, expected: name, got: describe(u), message: `decoder failed: ${String(e)}` })]);
    }
  };
  const type = new t.Type<A, O, unknown>(
    name,
    is,
    (u, c) => {
      const r = safe(u);
      return E.isRight(r) ? t.success(r.right) : t.failures(r.left.map((err) => ({ value: u, context: c, message: err.message })));
    },
    encode,
  );
  return Object.freeze({ name, decode: safe, type });
};

/**
 * io-ts interop the other way: any io-ts codec as a {@link Decoder} whose errors are
 * {@link DataErrors} (row and column taken from the io-ts path).
 *
 * @example
 * const rows = fromType(t.array(t.type({ a: t.number })))
 * @since 0.1.0
 * @category interop
 */
export const fromType = <A, O>(type: t.Type<A, O, unknown>): Decoder<A, O> =>
  Object.freeze({ name: type.name, decode: (u: unknown) => E.mapLeft(fromIoTsErrors)(type.decode(u)), type });

/** Options of {@link matrix}. @since 0.1.0 @category model @inline */
export interface MatrixOptions {
  /**
   * Column names, one per column. With names, rows may also be records (`{ sepal_length: 5.1, … }`)
   * and errors name the column; without, columns are called `#1`, `#2`, ….
   */
  readonly columns?: ReadonlyArray<string>;
}

const isMat = (cols: number) => (u: unknown): u is Mat<number, number> =>
  typeof u === 'object' && u !== null && (u as { data?: unknown }).data instanceof Float64Array && (u as { cols?: unknown }).cols === cols;

/**
 * A decoder from `unknown` to `Mat<number, C>`: the input must be a non-empty array whose rows are
 * arrays of exactly `C` finite numbers, or (given `columns`) records holding a finite number under
 * every column name (extra fields are ignored). Every bad row and cell is reported.
 * `C` is a literal (`matrix(4)` → `Mat<number, 4>`) or `dyn(n)`.
 *
 * @example
 * pipe(JSON.parse(text), matrix(4).decode, E.map((x) => net.forward(params, x)))
 * @since 0.1.0
 * @category decoders
 */
export const matrix = <C extends number>(cols: Dim<C, 'matrix: column count'>, options: MatrixOptions = {}): Decoder<Mat<number, C>, number[][]> => {
  const c = cols as C;
  checkDim(c, 'matrix: column count');
  const names = options.columns;
  if (names !== undefined && names.length !== c) throw new RangeError(`matrix: ${names.length} column names given for ${c} columns`);
  const colName = (j: number): string => names?.[j] ?? `#${j + 1}`;
  const decode = (u: unknown): Decoded<Mat<number, C>> => {
    if (!Array.isArray(u)) return E.left([dataError({ row: null, column: null, expected: 'a list of rows', got: describe(u) })]);
    if (u.length === 0) return E.left([dataError({ row: null, column: null, expected: 'at least one row', got: 'an empty list' })]);
    const hole = firstHole(u);
    if (hole !== undefined) return E.left([dataError({ row: hole + 1, column: null, ...holeProblem('a list of rows', hole) })]);
    const data = new Float64Array(u.length * c);
    const errors = dataErrorList();
    const cell = (r: number, j: number, v: unknown): void => {
      const x = numberCell(v);
      if (E.isLeft(x)) errors.add(dataError({ row: r + 1, column: colName(j), ...x.left }));
      else data[r * c + j] = x.right;
    };
    (u as readonly unknown[]).forEach((rowValue, r) => {
      if (Array.isArray(rowValue)) {
        if (rowValue.length !== c) {
          errors.add(dataError({ row: r + 1, column: null, expected: `${c} values`, got: `${rowValue.length} values` }));
          return;
        }
        const gap = firstHole(rowValue);
        if (gap !== undefined) {
          errors.add(dataError({ row: r + 1, column: colName(gap), ...holeProblem(`a list of ${c} numbers`, gap) }));
          return;
        }
        rowValue.forEach((v, j) => cell(r, j, v));
      } else if (names !== undefined && typeof rowValue === 'object' && rowValue !== null) {
        names.forEach((name, j) => {
          if (!Object.prototype.hasOwnProperty.call(rowValue, name)) {
            errors.add(dataError({ row: r + 1, column: name, expected: 'a finite number', got: 'no such field' }));
          } else cell(r, j, (rowValue as Record<string, unknown>)[name]);
        });
      } else {
        errors.add(dataError({ row: r + 1, column: null, expected: names === undefined ? `a list of ${c} numbers` : `a list of ${c} numbers or a record`, got: describe(rowValue) }));
      }
    });
    return errors.size() > 0 ? E.left(errors.list()) : E.right(unsafeMat(u.length, c, data));
  };
  return makeDecoder(`matrix(${c})`, isMat(c) as (u: unknown) => u is Mat<number, C>, decode, (m) => toRows(m));
};
