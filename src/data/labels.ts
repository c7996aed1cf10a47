/**
 * `labels(classes)`: integer class labels `0..C−1` from untrusted input.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { checkDim, type Dim } from '../shape/dim.js';
import { describe } from '../errors.js';
import { dataError, dataErrorList, type Decoded } from './errors.js';
import { firstHole, holeProblem, labelValue, numberCell } from './cell.js';
import { makeDecoder, type Decoder } from './matrix.js';

/**
 * Class labels for `C` classes: a frozen array of integers in `0..C−1`. The phantom `C` lets
 * `oneHot` and the metrics agree with the net's output width.
 *
 * @since 0.1.0
 * @category model
 */
export type Labels<C extends number = number> = ReadonlyArray<number> & { readonly [labelsBrand]: C };

declare const labelsBrand: unique symbol;

/**
 * Marks a list already checked to hold integers in `0..C−1` as {@link Labels}. Only for code that
 * has checked it (untrusted lists go through {@link labels}); the brand is required, so a plain
 * array such as `[7, -1, 0.5]` is not `Labels<3>`.
 *
 * @internal
 */
export const unsafeLabels = <C extends number>(xs: ReadonlyArray<number>): Labels<C> => Object.freeze(xs) as Labels<C>;

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
    const hole = firstHole(u);
    if (hole !== undefined) return E.left([dataError({ row: hole + 1, column, ...holeProblem('a list of labels', hole) })]);
    const errors = dataErrorList();
    const out = (u as readonly unknown[]).map((v, i) => {
      const r = E.chain((x: number) => labelValue(x, k))(numberCell(v));
      if (E.isLeft(r)) {
        errors.add(dataError({ row: i + 1, column, ...r.left }));
        return 0;
      }
      return r.right;
    });
    return errors.size() > 0 ? E.left(errors.list()) : E.right(unsafeLabels<C>(out));
  };
  const is = (u: unknown): u is Labels<C> => Array.isArray(u) && firstHole(u) === undefined && u.every((x) => Number.isInteger(x) && x >= 0 && x < k);
  return makeDecoder(`labels(${k})`, is, decode, (l) => [...l]);
};
