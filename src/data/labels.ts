/**
 * `labels(classes)`: integer class labels `0..C−1` from untrusted input.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { checkDim, type Dim } from '../layer/shape.js';
import { dataError, describe, type DataError, type Decoded } from './errors.js';
import { labelValue, numberCell } from './cell.js';
import { makeDecoder, type Decoder } from './matrix.js';

/**
 * Class labels for `C` classes: a frozen array of integers in `0..C−1`. The phantom `C` lets
 * `oneHot` and the metrics agree with the net's output width.
 *
 * @since 0.1.0
 * @category model
 */
export type Labels<C extends number = number> = ReadonlyArray<number> & { readonly __classes?: C };

/**
 * A decoder from `unknown` to {@link Labels}: a non-empty array of integers `0..C−1`. Every bad
 * entry is reported (non-numbers, NaN, ±∞, fractions, out of range).
 *
 * @example
 * pipe([0, 2, 1], labels(3).decode) // right([0, 2, 1])
 * @since 0.1.0
 * @category decoders
 */
export const labels = <C extends number>(classes: Dim<C, 'labels: class count'>, column: string | null = null): Decoder<Labels<C>, number[]> => {
  const k = classes as C;
  checkDim(k, 'labels: class count');
  const decode = (u: unknown): Decoded<Labels<C>> => {
    if (!Array.isArray(u)) return E.left([dataError({ row: null, column, expected: 'a list of labels', got: describe(u) })]);
    if (u.length === 0) return E.left([dataError({ row: null, column, expected: 'at least one label', got: 'an empty list' })]);
    const errors: DataError[] = [];
    const out = (u as readonly unknown[]).map((v, i) => {
      const r = E.chain((x: number) => labelValue(x, k))(numberCell(v));
      if (E.isLeft(r)) {
        errors.push(dataError({ row: i + 1, column, ...r.left }));
        return 0;
      }
      return r.right;
    });
    return errors.length > 0 ? E.left(errors) : E.right(Object.freeze(out) as Labels<C>);
  };
  const is = (u: unknown): u is Labels<C> => Array.isArray(u) && u.every((x) => Number.isInteger(x) && x >= 0 && x < k);
  return makeDecoder(`labels(${k})`, is, decode, (l) => [...l]);
};
