/**
 * Constructors for layer values, used by every built-in layer and open to users who write their
 * own: give `forward`, `vjp` and `jvp`; the rest (`zerosLike`, `spec`, freezing) is filled in.
 * Check a custom layer's derivatives with `gradCheck`.
 *
 * @module
 */
import * as Params from '../params.js';
import type { Key } from '../random.js';
import type { Mat } from '../tensor/mat.js';
import type { Context, Layer, LayerSpec, PolyLayer, Vjp } from './layer.js';
import { checkDim } from '../shape/dim.js';
import { inheritForm } from './form.js';
import { withLowering, type LayerLowering } from '../lowering.js';

/**
 * The parts a user supplies to define a fixed-width layer.
 *
 * @since 0.1.0
 * @category model
 */
export interface LayerDefinition<I extends number, O extends number, P> {
  readonly kind: string;
  readonly inputDim: I;
  readonly outputDim: O;
  readonly init: (key: Key) => P;
  readonly forward: <B extends number>(p: P, x: Mat<B, I>, ctx?: Context) => Mat<B, O>;
  readonly vjp: <B extends number>(p: P, x: Mat<B, I>, ctx?: Context) => Vjp<B, I, O, P>;
  readonly jvp: <B extends number>(p: P, x: Mat<B, I>, dp: P, dx: Mat<B, I>, ctx?: Context) => readonly [Mat<B, O>, Mat<B, O>];
  readonly config?: LayerSpec['config'];
  readonly children?: LayerSpec['children'];
  /**
   * Optional: what is wrong with a parameter record passed to `forward`/`vjp`/`jvp` (e.g. another
   * layer's, or `{}` from untyped code), or `undefined` when it fits. Checked on every call before
   * the input, so a mix-up is named as such rather than as a width error further in.
   */
  readonly checkParams?: (p: unknown) => string | undefined;
  /** The shapes behind `inputDim`/`outputDim` for shaped layers (their products must match). */
  readonly inputShape?: readonly number[];
  readonly outputShape?: readonly number[];
  /**
   * Optional: the layer's kernel stages for fit's in-place interpreter (see src/lowering.ts),
   * which must compute exactly `forward`/`vjp`: the extension point for a layer of your own.
   * Without it the layer runs as an opaque stage through its own `forward`/`vjp` (correct, at
   * the speed of those functions). Built-in layers need none: their stages come from their
   * inference form.
   */
  readonly lower?: LayerLowering;
}

/** Short text for a value in a parameter error. @internal */
export const showValue = (u: unknown): string =>
  u === undefined ? 'nothing' : u === null ? 'null' : Array.isArray(u) ? `a list of ${u.length}` : typeof u === 'object' ? 'an object' : `${typeof u} ${String(u)}`;

const checkParams = (d: { readonly kind: string; readonly checkParams?: (p: unknown) => string | undefined }, where: string, p: unknown): void => {
  const problem = d.checkParams?.(p);
  if (problem !== undefined) throw new TypeError(`${d.kind} ${where}: ${problem} (parameters of another model?)`);
};

const checkInput = (kind: string, expected: number, x: Mat<number, number>): void => {
  if (typeof x !== 'object' || x === null || !(x.data instanceof Float64Array)) throw new TypeError(`${kind}: expected an input matrix, got ${showValue(x)}`);
  if (x.cols !== expected) throw new RangeError(`${kind}: expected input with ${expected} columns, got ${x.rows}×${x.cols}`);
};

/**
 * Makes a frozen `Layer<I, O, P>` from its parts. Inputs of the wrong width (possible only from
 * untyped code) are rejected with a clear error instead of producing garbage.
 *
 * @example
 * const double = defineLayer<3, 3, NoParams>({
 *   kind: 'double', inputDim: 3, outputDim: 3, init: () => ({}),
 *   forward: (_p, x) => ops.scale(x, 2),
 *   vjp: (_p, x) => [ops.scale(x, 2), (dy) => [{}, ops.scale(dy, 2)]],
 *   jvp: (_p, x, _dp, dx) => [ops.scale(x, 2), ops.scale(dx, 2)],
 * })
 * @since 0.1.0
 * @category constructors
 */
export const defineLayer = <I extends number, O extends number, P>(d: LayerDefinition<I, O, P>): Layer<I, O, P> => {
  checkDim(d.inputDim, `${d.kind}: input dim`);
  checkDim(d.outputDim, `${d.kind}: output dim`);
  const spec: LayerSpec = Object.freeze({
    kind: d.kind,
    inputDim: d.inputDim,
    outputDim: d.outputDim,
    ...(d.inputShape === undefined ? {} : { inputShape: Object.freeze([...d.inputShape]) }),
    ...(d.outputShape === undefined ? {} : { outputShape: Object.freeze([...d.outputShape]) }),
    ...(d.config === undefined ? {} : { config: Object.freeze({ ...d.config }) }),
    ...(d.children === undefined ? {} : { children: Object.freeze([...d.children]) }),
  });
  const where = `${d.inputDim}→${d.outputDim}`;
  const layer: Layer<I, O, P> = {
    kind: d.kind,
    inputDim: d.inputDim,
    outputDim: d.outputDim,
    spec,
    init: d.init,
    forward: (p, x, ctx) => {
      checkParams(d, where, p);
      checkInput(d.kind, d.inputDim, x);
      return d.forward(p, x, ctx);
    },
    vjp: (p, x, ctx) => {
      checkParams(d, where, p);
      checkInput(d.kind, d.inputDim, x);
      return d.vjp(p, x, ctx);
    },
    jvp: (p, x, dp, dx, ctx) => {
      checkParams(d, where, p);
      checkInput(d.kind, d.inputDim, x);
      return d.jvp(p, x, dp, dx, ctx);
    },
    zerosLike: Params.zerosLike,
  };
  const frozen = Object.freeze(layer);
  return d.lower === undefined ? frozen : withLowering(frozen, d.lower);
};

/**
 * The parts a user supplies to define a shape-polymorphic (width-preserving) layer.
 *
 * @since 0.1.0
 * @category model
 */
export interface PolyLayerDefinition<P> {
  readonly kind: string;
  readonly init: (key: Key) => P;
  readonly forward: <B extends number, N extends number>(p: P, x: Mat<B, N>, ctx?: Context) => Mat<B, N>;
  readonly vjp: <B extends number, N extends number>(p: P, x: Mat<B, N>, ctx?: Context) => Vjp<B, N, N, P>;
  readonly jvp: <B extends number, N extends number>(p: P, x: Mat<B, N>, dp: P, dx: Mat<B, N>, ctx?: Context) => readonly [Mat<B, N>, Mat<B, N>];
  readonly config?: LayerSpec['config'];
  readonly children?: LayerSpec['children'];
  /** Optional kernel stages for fit's interpreter, as {@link LayerDefinition.lower}. */
  readonly lower?: LayerLowering;
}

/**
 * Makes a frozen shape-polymorphic layer from its parts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const definePolyLayer = <P>(d: PolyLayerDefinition<P>): PolyLayer<P> => {
  const spec: LayerSpec = Object.freeze({
    kind: d.kind,
    inputDim: null,
    outputDim: null,
    ...(d.config === undefined ? {} : { config: Object.freeze({ ...d.config }) }),
    ...(d.children === undefined ? {} : { children: Object.freeze([...d.children]) }),
  });
  const poly: PolyLayer<P> = {
    kind: d.kind,
    poly: true,
    spec,
    init: d.init,
    forward: d.forward,
    vjp: d.vjp,
    jvp: d.jvp,
    zerosLike: Params.zerosLike,
    // the fixed-width layer computes what the polymorphic one does, so it has the same form (and
    // the same explicit lowering, if one was given)
    at: <N extends number>(width: N): Layer<N, N, P> =>
      inheritForm(poly, defineLayer<N, N, P>({
        kind: d.kind,
        inputDim: width,
        outputDim: width,
        init: d.init,
        forward: d.forward,
        vjp: d.vjp,
        jvp: d.jvp,
        ...(d.config === undefined ? {} : { config: d.config }),
        ...(d.children === undefined ? {} : { children: d.children }),
        ...(d.lower === undefined ? {} : { lower: d.lower }),
      })),
  };
  const frozen = Object.freeze(poly);
  return d.lower === undefined ? frozen : withLowering(frozen, d.lower);
};
