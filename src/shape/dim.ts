/**
 * Type-level shape checking: literal dims, the branded `ShapeError`, and the run-time-dim escape
 * hatch `dyn`. Only equality of literals is needed, so there is no type-level arithmetic.
 *
 * @module
 */

/**
 * The type an argument is given when it breaks a shape rule. No value has this type, so the
 * compiler underlines exactly that argument and prints `Msg`.
 *
 * @since 0.1.0
 * @category type helpers
 */
export interface ShapeError<Msg extends string> {
  readonly __shapeError: Msg;
}

declare const dynBrand: unique symbol;

/**
 * A dimension known only at run time, opted into explicitly with {@link dyn}. Compositions
 * involving it are accepted by the compiler and checked when the net is built.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type DynDim = number & { readonly [dynBrand]: true };

/**
 * Marks a run-time number as a dimension: `dense(dyn(features.length), 8)`. Without it a plain
 * `number` is rejected, since it would silently switch the shape check off.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dyn = (n: number): DynDim => {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`dyn: a dimension must be a positive integer, got ${showDim(n)}`);
  return n as DynDim;
};

/** True when `D` is not a literal (plain `number` or a `DynDim`): such dims are checked at run time. */
export type IsLoose<D> = number extends D ? true : D extends DynDim ? true : false;

/**
 * A dimension argument: a positive integer literal such as `8`, or `dyn(n)`. A plain `number`,
 * or a literal such as `0`, `-3` or `2.5`, becomes a `ShapeError` naming `Where`.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type Dim<N extends number, Where extends string> = N &
  (number extends N
    ? ShapeError<`${Where} must be a literal number (use dyn(n) for a dimension known only at run time)`>
    : N extends DynDim
      ? unknown
      : `${N}` extends `-${string}` | `${string}.${string}` | '0'
        ? ShapeError<`${Where} must be a positive integer, got ${N}`>
        : unknown);

/** Whether two dims may meet: equal literals, or at least one known only at run time. */
export type DimsMatch<A, B> = IsLoose<A> extends true ? true : IsLoose<B> extends true ? true : [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** How a bad dimension is shown: `"6" (a string)` is not the number 6. */
const showDim = (n: unknown): string => (typeof n === 'number' ? String(n) : `${typeof n === 'string' ? JSON.stringify(n) : String(n)} (a ${n === null ? 'null' : typeof n}, not a number)`);

/** Checks a dimension at run time (for `dyn` and for untyped callers). */
export const checkDim = (n: number, where: string): void => {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${where} must be a positive integer, got ${showDim(n)}`);
};

/**
 * Whether data `Got` columns wide may feed a model side of width `Want`: `unknown` when it may
 * (equal widths, or a model width known only at run time, which is checked when the data
 * arrives), else a `ShapeError` that names the fix. Data of a run-time width (`number`, `DynDim`)
 * meeting a literal gets `… has a width known only at run time, but the model takes 4 inputs;
 * check it with withCols(x, 4) or build the model with dyn(n)`. `Where` names the argument
 * (`fit: data.x`), `Name` the variable in the hint, `Side` the model's side (`takes 4 inputs`).
 *
 * The first test is on `[Got] extends [Want]` with no `infer`, so that generic code passing
 * `Mat<B, I>` to a `Layer<I, …>` still type-checks: the compiler sees that branch is always taken.
 */
export type WidthFits<Want, Got, Where extends string, Name extends string, Side extends string> = [Got] extends [Want]
  ? unknown
  : IsLoose<Want> extends true
    ? unknown
    : IsLoose<Got> extends true
      ? ShapeError<`${Where} has a width known only at run time, but the model ${Side}; check it with withCols(${Name}, ${Want & number}) or build the model with dyn(n)`>
      : ShapeError<`${Where} has ${Got & number} columns, but the model ${Side}`>;

/**
 * `fit`'s and `evaluate`'s data check: each of `x` and `y` meets `WidthFits` against the
 * model's input and output width, so the compiler underlines the field at fault and prints the fix.
 */
export interface DataFits<I, O, X, Y, Fn extends string> {
  readonly x: WidthFits<I, X, `${Fn}: data.x`, 'x', `takes ${Count<I, 'input'>}`>;
  readonly y: WidthFits<O, Y, `${Fn}: data.y`, 'y', `gives ${Count<O, 'output'>}`>;
}

/** `1 input`, `4 inputs`: a count and its noun, for messages. */
export type Count<N, Noun extends string> = `${N & number} ${Noun}${N extends 1 ? '' : 's'}`;
