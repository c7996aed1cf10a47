/**
 * Type-level arithmetic on non-negative integer literals, for the output shapes of convolution,
 * pooling and `flatten`. Numbers are worked on digit by digit through their decimal string forms
 * (template-literal types), least significant digit first: addition and subtraction carry with a
 * lookup over digit tuples, multiplication is shift-and-add, division is long division. Each
 * operation costs a few hundred type instantiations (a conv output shape ~1k), independent of
 * the size of the numbers' values (tuple-length arithmetic would build tuples of length 25 088).
 *
 * A non-literal operand (`number`, or a `DynDim`) gives `number`: the result is checked at run
 * time instead.
 *
 * @module
 */

type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
/** `DigitTuple[d]` has length `d`. */
type DigitTuple = [[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]];
type Ten = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
type Bit = 0 | 1;
type BitTuple<C extends Bit> = C extends 1 ? [0] : [];

/** A value 0..19 as its digit and whether it reached ten. */
type SplitTens<N> = `${N & number}` extends `1${infer D extends Digit}` ? [D, 1] : [`${N & number}` & Digit, 0];

type Reverse<S extends string, Acc extends string = ''> = S extends `${infer H}${infer T}` ? Reverse<T, `${H}${Acc}`> : Acc;
/** Drops the zeros at the (reversed form's) end: '0021' → '0021' stays, '120' → '12'; '' means 0. */
type TrimR<S extends string> = S extends `${infer X}0` ? TrimR<X> : S;

/** Sum of two reversed digit strings, reversed. */
type AddR<A extends string, B extends string, C extends Bit = 0, Acc extends string = ''> =
  A extends `${infer a extends Digit}${infer At}`
    ? B extends `${infer b extends Digit}${infer Bt}`
      ? SplitTens<[...DigitTuple[a], ...DigitTuple[b], ...BitTuple<C>]['length']> extends [infer D extends string, infer C2 extends Bit]
        ? AddR<At, Bt, C2, `${Acc}${D}`>
        : never
      : AddR<A, '0', C, Acc>
    : B extends ''
      ? C extends 1 ? `${Acc}1` : Acc
      : AddR<B, '', C, Acc>;

/** Difference `A − B` of two reversed digit strings (reversed, with trailing zeros), or '-' if negative. */
type SubR<A extends string, B extends string, Borrow extends Bit = 0, Acc extends string = ''> =
  A extends `${infer a extends Digit}${infer At}`
    ? B extends `${infer b extends Digit}${infer Bt}`
      ? [...DigitTuple[a], ...Ten] extends [...DigitTuple[b], ...BitTuple<Borrow>, ...infer R]
        ? SplitTens<R['length']> extends [infer D extends string, infer NoBorrow extends Bit]
          ? SubR<At, Bt, NoBorrow extends 1 ? 0 : 1, `${Acc}${D}`>
          : never
        : never
      : SubR<A, '0', Borrow, Acc>
    : B extends ''
      ? Borrow extends 1 ? '-' : Acc
      : '-';

/** `A·d` for a single digit `d`, by repeated addition (at most nine). */
type MulDigitR<A extends string, N extends readonly unknown[], Acc extends string = ''> =
  N extends readonly [unknown, ...infer Rest] ? MulDigitR<A, Rest, AddR<Acc, A>> : Acc;

/** `A·B` by shift-and-add over the digits of `B` (both reversed). */
type MulR<A extends string, B extends string, Shift extends string = '', Acc extends string = ''> =
  B extends `${infer b extends Digit}${infer Bt}`
    ? MulR<A, Bt, `${Shift}0`, AddR<Acc, `${Shift}${MulDigitR<A, DigitTuple[b]>}`>>
    : Acc;

/** One step of long division: how many times `D` (reversed) goes into `Cur` (reversed), ≤ 9. */
type DivStep<Cur extends string, D extends string, Q extends readonly unknown[] = []> =
  SubR<Cur, D> extends infer R extends string
    ? R extends '-' ? [Q['length'], Cur] : DivStep<TrimR<R>, D, [...Q, 0]>
    : never;

/** `floor(N / D)` by long division over the digits of `N` (most significant first, not reversed). */
type DivS<N extends string, D extends string, Rem extends string = '', Q extends string = ''> =
  N extends `${infer h extends Digit}${infer Nt}`
    ? DivStep<TrimR<`${h}${Rem}`>, D> extends [infer q extends number, infer R extends string]
      ? DivS<Nt, D, R, `${Q}${q}`>
      : never
    : Q;

type ToNumber<S extends string> = S extends `${infer N extends number}` ? N : never;
/** A reversed digit string as a number ('' is 0). */
type FromR<S extends string> = TrimR<S> extends infer T extends string ? (T extends '' ? 0 : ToNumber<Reverse<T>>) : never;
/** Leading zeros dropped from a normal-order digit string. */
type TrimL<S extends string> = S extends `0${infer X extends `${Digit}${string}`}` ? TrimL<X> : S;

/** True when `N` is a non-negative integer literal (not `number`, not a branded run-time dim). */
type IsLiteral<N> = number extends N ? false : N extends number ? (`${N}` extends `-${string}` ? false : `${N}` extends `${bigint}` ? ([N] extends [ToNumber<`${N}`>] ? true : false) : false) : false;

/**
 * `A + B` for non-negative integer literals (`number` when either is not a literal).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Add<A extends number, B extends number> = IsLiteral<A> extends true ? (IsLiteral<B> extends true ? FromR<AddR<Reverse<`${A}`>, Reverse<`${B}`>>> : number) : number;

/**
 * `A − B` for non-negative integer literals; `never` when `B > A`; `number` when either is not a literal.
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Subtract<A extends number, B extends number> = IsLiteral<A> extends true
  ? IsLiteral<B> extends true
    ? SubR<Reverse<`${A}`>, Reverse<`${B}`>> extends infer R extends string ? (R extends '-' ? never : FromR<R>) : never
    : number
  : number;

/**
 * `A · B` for non-negative integer literals (`number` when either is not a literal).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Multiply<A extends number, B extends number> = IsLiteral<A> extends true
  ? IsLiteral<B> extends true ? FromR<MulR<Reverse<`${A}`>, Reverse<`${B}`>>> : number
  : number;

/**
 * `floor(A / B)` for non-negative integer literals, `B ≥ 1` (`number` when either is not a literal).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Divide<A extends number, B extends number> = IsLiteral<A> extends true
  ? IsLiteral<B> extends true ? ToNumber<TrimL<DivS<`${A}`, Reverse<`${B}`>>>> : number
  : number;

/**
 * The product of a shape's entries: `Product<[5, 5, 16]>` is `400` (`number` if an entry is not a literal).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type Product<S extends readonly number[], Acc extends number = 1> = S extends readonly [infer H extends number, ...infer T extends readonly number[]]
  ? Product<T, Multiply<Acc, H>>
  : Acc;
