/**
 * Shapes beyond widths. An example with shape `[28, 28, 1]` (height, width, channels; channels
 * last) is stored as one row of `28·28·1 = 784` numbers in row-major order, so a batch is still a
 * `Mat` with one example per row. The row's width is typed as `Shaped<[28, 28, 1]>`: a width that
 * carries its shape, so `sequential`/`compose` compare whole shapes while every width-only type
 * (and everything generic over widths: `fit`, `jacobian`, `save`, …) stays as it is.
 *
 * @module
 */
import type { Mat } from '../tensor/mat.js';
import { unsafeMat } from '../tensor/mat.js';
import type { Product } from './decimal.js';
import type { DynDim, IsLoose, ShapeError } from './dim.js';

declare const shapeBrand: unique symbol;

/**
 * The width of an example of shape `S` (the product of its entries), branded with `S`:
 * `Mat<B, Shaped<[24, 4]>>` is a batch of `B` sequences of 24 steps of 4 features, each row
 * holding `x[t][f]` at column `t·4 + f`.
 *
 * @since 0.2.0
 * @category model
 */
export type Shaped<S extends readonly number[]> = number & { readonly [shapeBrand]: S };

/** The width type of a shape: `n` for `[n]`, else `Shaped<S>`. @internal */
export type WidthOfShape<S extends readonly number[]> = S extends readonly [infer W extends number] ? W : Shaped<S>;

/**
 * A shape argument: a tuple of positive integer literals (or `dyn(n)` entries).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ShapeArg = readonly number[];

/**
 * The shape a width or shaped width stands for: `ShapeOf<Shaped<[5, 5, 16]>>` is `[5, 5, 16]`,
 * `ShapeOf<8>` is `[8]`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ShapeOf<D> = D extends { readonly [shapeBrand]: infer S extends readonly number[] } ? S : [D];

/** `[a, b, c]` as text for messages; loose entries print as `number`. */
type JoinShape<S extends readonly unknown[], Acc extends string = ''> = S extends readonly [infer H, ...infer T]
  ? JoinShape<T, Acc extends '' ? `${Describe<H>}` : `${Acc}, ${Describe<H>}`>
  : Acc;
type Describe<D> = IsLoose<D> extends true ? 'number' : D & number;

/**
 * How a width or shape reads in an error message: `dim 400` or `shape [5, 5, 16]`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type DescribeDim<D> = D extends { readonly [shapeBrand]: infer S extends readonly number[] } ? `shape [${JoinShape<S>}]` : `dim ${Describe<D>}`;

type EntriesMatch<A extends readonly unknown[], B extends readonly unknown[]> = A extends readonly [infer a, ...infer At]
  ? B extends readonly [infer b, ...infer Bt]
    ? IsLoose<a> extends true ? EntriesMatch<At, Bt> : IsLoose<b> extends true ? EntriesMatch<At, Bt> : [a] extends [b] ? ([b] extends [a] ? EntriesMatch<At, Bt> : false) : false
    : false
  : B extends readonly [] ? true : false;

/**
 * Whether two shaped widths may meet: same rank and, entry by entry, equal literals or one
 * known only at run time. (Plain widths are compared by `DimsMatch`, which is tried first.)
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ShapesMatch<A, B> = A extends { readonly [shapeBrand]: infer SA extends readonly number[] }
  ? B extends { readonly [shapeBrand]: infer SB extends readonly number[] } ? EntriesMatch<SA, SB> : false
  : false;

/** A shape tuple with `readonly` dropped, so hovers read `[26, 26, 8]`. @since 0.2.0 @category type helpers */
export type Mutable<S extends readonly number[]> = { -readonly [K in keyof S]: S[K] };

/**
 * Checks a shape argument's entries: positive integer literals or `dyn(n)`; a plain `number` or
 * a bad literal turns the argument into a `ShapeError` naming `Where`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ShapeCheck<S extends readonly number[], Where extends string> = S & BadEntry<S, Where>;
type BadEntry<S extends readonly unknown[], Where extends string> = S extends readonly [infer H, ...infer T]
  ? number extends H
    ? ShapeError<`${Where} must have literal entries (use dyn(n) for a size known only at run time)`>
    : H extends DynDim
      ? BadEntry<T, Where>
      : `${H & number}` extends `-${string}` | `${string}.${string}` | '0'
        ? ShapeError<`${Where} entries must be positive integers, got ${H & number}`>
        : BadEntry<T, Where>
  : unknown;

/** The product of a shape's entries at run time. @since 0.2.0 @category internals */
export const shapeSize = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A shape as text, `[26, 26, 8]`. @since 0.2.0 @category internals */
export const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Checks a shape at run time: a non-empty list of positive integers. @since 0.2.0 @category internals */
export const checkShape = (shape: readonly number[], where: string): readonly number[] => {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`${where} must be a non-empty list of positive integers, got ${JSON.stringify(shape)}`);
  }
  return Object.freeze([...shape]);
};

/**
 * Views a batch as examples of shape `S` (no copy): each row must hold `product(S)` values, in
 * row-major order with the last axis fastest (channels last). Throws a `RangeError` naming both
 * sizes otherwise.
 *
 * @example
 * const images = withShape(fromArray(2, 784, new Float64Array(2 * 784)), [28, 28, 1]) // Mat<2, Shaped<[28, 28, 1]>>
 * @since 0.2.0
 * @category constructors
 */
export const withShape = <R extends number, const S extends readonly number[]>(
  x: Mat<R, number>,
  shape: ShapeCheck<S, 'withShape: shape'>,
): Mat<R, Shaped<Mutable<S>>> => {
  const s = checkShape(shape, 'withShape: shape');
  const size = shapeSize(s);
  if (x.cols !== size) throw new RangeError(`withShape: shape ${formatShape(s)} needs ${size} columns, the matrix has ${x.cols}`);
  return unsafeMat(x.rows, x.cols as Shaped<Mutable<S>>, x.data);
};

/**
 * The plain width of a shaped batch (the same data): `Mat<B, Shaped<[5, 5, 16]>>` → `Mat<B, 400>`.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Flat<D> = D extends { readonly [shapeBrand]: infer S extends readonly number[] } ? Product<S> : D;

/**
 * The `inputShape`/`outputShape` fields of a layer definition: a rank-1 shape is a plain width
 * and is left out, so a shaped layer meets a width layer (`flatten` → `dense`) as widths do.
 */
export const shapeFields = (inputShape: readonly number[], outputShape: readonly number[]): { inputShape?: readonly number[]; outputShape?: readonly number[] } => ({
  ...(inputShape.length > 1 ? { inputShape } : {}),
  ...(outputShape.length > 1 ? { outputShape } : {}),
});
