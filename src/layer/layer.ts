/**
 * The `Layer` type: a layer is a value, a frozen record of pure functions.
 *
 * @module
 */
import type { WidthOfShape } from '../shape/shaped.js';
import type { Key } from '../random.js';
import type { Mat } from '../tensor/mat.js';

/**
 * The parameter record of a layer that has no parameters (activations, dropout, standardize).
 *
 * @since 0.1.0
 * @category model
 */
export type NoParams = { readonly [k: string]: never };

/**
 * What a stochastic layer needs besides its input: whether it is training and, if so, the
 * PRNG key that decides its randomness. Omitted, a layer runs in evaluation mode.
 * Composites hand each child its own key, derived with `foldIn(key, childIndex)`.
 *
 * @since 0.1.0
 * @category model
 */
export interface Context {
  readonly training: boolean;
  readonly key?: Key;
}

/**
 * A layer's architecture, as data: used for save/load signatures and error messages.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerSpec {
  readonly kind: string;
  /** Input and output widths; `null` for shape-polymorphic layers (activations). */
  readonly inputDim: number | null;
  readonly outputDim: number | null;
  /** For layers on shaped examples (images, sequences): the shapes behind the widths. */
  readonly inputShape?: readonly number[];
  readonly outputShape?: readonly number[];
  readonly config?: Readonly<Record<string, number | string | boolean>>;
  readonly children?: readonly LayerSpec[];
}

/**
 * The reverse-mode step of a layer at `(p, x)`: the output `y` and the pullback that maps an
 * output cotangent `dy = ∂L/∂y` to `[∂L/∂p, ∂L/∂x]`, i.e. `u_kᵀ = u_{k+1}ᵀ ∂f/∂x` and
 * `∂L/∂θ = u_{k+1}ᵀ ∂f/∂θ`.
 *
 * @since 0.1.0
 * @category model
 */
export type Vjp<B extends number, I extends number, O extends number, P> = readonly [
  y: Mat<B, O>,
  pullback: (dy: Mat<B, O>) => readonly [dp: P, dx: Mat<B, I>],
];

/**
 * A layer `f: ℝ^I → ℝ^O` with parameters `P`, applied row by row to a batch `Mat<B, I>`.
 *
 * - `init(key)`: fresh parameters (small random weights, seeded).
 * - `forward(p, x)`: `y = f(p, x)`.
 * - `vjp(p, x)`: `[y, dy ↦ [dyᵀ ∂f/∂p, dyᵀ ∂f/∂x]]` (reverse mode).
 * - `jvp(p, x, dp, dx)`: `[y, ∂f/∂p·dp + ∂f/∂x·dx]` (forward mode).
 * - `zerosLike(p)`: the zero tangent/cotangent for `p`.
 *
 * The dims are literal types, so the compiler checks every composition. Layers are invariant in
 * `I` (it appears in argument and result positions); bound generic code by `Layer<any, any, any>`.
 *
 * @since 0.1.0
 * @category model
 */
export interface Layer<I extends number, O extends number, P> {
  readonly kind: string;
  readonly inputDim: I;
  readonly outputDim: O;
  readonly spec: LayerSpec;
  readonly init: (key: Key) => P;
  readonly forward: <B extends number>(p: P, x: Mat<B, I>, ctx?: Context) => Mat<B, O>;
  readonly vjp: <B extends number>(p: P, x: Mat<B, I>, ctx?: Context) => Vjp<B, I, O, P>;
  readonly jvp: <B extends number>(p: P, x: Mat<B, I>, dp: P, dx: Mat<B, I>, ctx?: Context) => readonly [y: Mat<B, O>, dy: Mat<B, O>];
  readonly zerosLike: (p: P) => P;
}

/**
 * A shape-polymorphic layer `ℝ^N → ℝ^N` that works at any width `N` (activations, dropout).
 * Inside `sequential`/`compose` it takes the width of its neighbours; `at(n)` fixes the width
 * to give an ordinary `Layer<N, N, P>`.
 *
 * @since 0.1.0
 * @category model
 */
export interface PolyLayer<P = NoParams> {
  readonly kind: string;
  readonly poly: true;
  readonly spec: LayerSpec;
  readonly init: (key: Key) => P;
  readonly forward: <B extends number, N extends number>(p: P, x: Mat<B, N>, ctx?: Context) => Mat<B, N>;
  readonly vjp: <B extends number, N extends number>(p: P, x: Mat<B, N>, ctx?: Context) => Vjp<B, N, N, P>;
  readonly jvp: <B extends number, N extends number>(
    p: P, x: Mat<B, N>, dp: P, dx: Mat<B, N>, ctx?: Context,
  ) => readonly [y: Mat<B, N>, dy: Mat<B, N>];
  readonly zerosLike: (p: P) => P;
  /** This layer at a fixed width, as an ordinary `Layer<N, N, P>`. */
  readonly at: <N extends number>(width: N) => Layer<N, N, P>;
}

// `any` is the only sound "some layer" bound: Layer is invariant in I (see the type's doc).
/* eslint-disable @typescript-eslint/no-explicit-any */
/** Any fixed-width layer. @since 0.1.0 @category model */
export type AnyLayer = Layer<any, any, any>;
/** Any shape-polymorphic layer. @since 0.1.0 @category model */
export type AnyPolyLayer = PolyLayer<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A layer of either kind: what `sequential` and `compose` accept. @since 0.1.0 @category model */
export type Part = AnyLayer | AnyPolyLayer;

/**
 * The input width of a layer type. `InputDim<typeof net>` is `4` for a 4-input net.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type InputDim<L> = L extends { readonly inputDim: infer I extends number } ? I : never;

/**
 * The output width of a layer type.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type OutputDim<L> = L extends { readonly outputDim: infer O extends number } ? O : never;

/**
 * The parameter record type of a layer (fixed-width or polymorphic).
 *
 * @since 0.1.0
 * @category type helpers
 */
export type ParamsOf<L> = L extends { readonly init: (key: Key) => infer P } ? P : never;

/** True for shape-polymorphic layers. @since 0.1.0 @category refinements */
export const isPoly = (l: Part): l is AnyPolyLayer => 'poly' in l && l.poly === true;

/**
 * A layer between example shapes: `ShapedLayer<[28, 28, 1], [10], P>` is
 * `Layer<Shaped<[28, 28, 1]>, 10, P>` (a rank-1 shape `[n]` is the plain width `n`). It is the very
 * same type, written with its shapes: `sequential` and `compose` type a net with shaped ends
 * through it, so its hover shows the shapes as tuples.
 *
 * @since 0.2.0
 * @category model
 */
export type ShapedLayer<I extends readonly number[], O extends readonly number[], P> = Layer<WidthOfShape<I>, WidthOfShape<O>, P>;
