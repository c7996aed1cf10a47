/**
 * Composition: `sequential(f1, …, fn)` applies f1 first; `compose(fn, …, f1)` is the same
 * function written as in mathematics, `fn ∘ … ∘ f1`. The compiler checks every neighbour's dims.
 *
 * @module
 */
import { foldIn } from '../random.js';
import type { Mat } from '../tensor/mat.js';
import { isPoly, type AnyLayer, type AnyPolyLayer, type Context, type Layer, type LayerSpec, type ParamsOf, type Part, type PolyLayer, type ShapedLayer } from './layer.js';
import { defineLayer, definePolyLayer, showValue, type LayerDefinition, type PolyLayerDefinition } from './define.js';
import type { DimsMatch, ShapeError } from '../shape/dim.js';
import { formatShape, type DescribeDim, type Shaped, type ShapeOf, type ShapesMatch } from '../shape/shaped.js';
import { withForm } from './form.js';

type Len<T extends readonly unknown[]> = T['length'] & number;

/**
 * The tail of a mismatch message: `dim 6, but layer #1 outputs 8` for widths,
 * `shape [26, 26, 8], but layer #2 outputs [13, 13, 8]` when shapes are involved.
 */
type Mismatch<In, Out, Before extends string> = `${DescribeDim<In>}, but ${Before} outputs ${DescribeDim<Out> extends `${string} ${infer D}` ? D : never}`;

/**
 * Walks the tuple left to right with an accumulator (tail-recursive, so ~1000 layers check).
 * `Cur` is the width flowing out of the last fixed-width layer (at 1-based position `CurPos`),
 * or `never` before the first one. At the first bad neighbour the argument's type becomes a
 * `ShapeError` naming both positions and dims; later arguments are left as they are.
 */
type CheckSequential<Ls extends readonly unknown[], Cur, CurPos extends number, Seen extends readonly unknown[], Acc extends readonly unknown[]> =
  Ls extends readonly [infer H, ...infer T]
    ? H extends AnyPolyLayer
      ? CheckSequential<T, Cur, CurPos, [...Seen, H], [...Acc, H]>
      : H extends AnyLayer
        ? [Cur] extends [never]
          ? CheckSequential<T, H['outputDim'], Len<[...Seen, H]>, [...Seen, H], [...Acc, H]>
          : DimsMatch<Cur, H['inputDim']> extends true
            ? CheckSequential<T, H['outputDim'], Len<[...Seen, H]>, [...Seen, H], [...Acc, H]>
            : ShapesMatch<Cur, H['inputDim']> extends true
              ? CheckSequential<T, H['outputDim'], Len<[...Seen, H]>, [...Seen, H], [...Acc, H]>
              : [...Acc, ShapeError<`sequential: layer #${Len<[...Seen, H]>} expects input ${Mismatch<H['inputDim'], Cur, `layer #${CurPos}`>}`>, ...T]
        : [...Acc, ShapeError<`sequential: argument #${Len<[...Seen, H]>} is not a layer`>, ...T]
    : Acc;

/** The same walk right to left for `compose`, whose last argument is applied first. */
type CheckCompose<Ls extends readonly unknown[], Cur, CurPos extends number, Acc extends readonly unknown[]> =
  Ls extends readonly [...infer Init, infer H]
    ? H extends AnyPolyLayer
      ? CheckCompose<Init, Cur, CurPos, [H, ...Acc]>
      : H extends AnyLayer
        ? [Cur] extends [never]
          ? CheckCompose<Init, H['outputDim'], Len<[...Init, H]>, [H, ...Acc]>
          : DimsMatch<Cur, H['inputDim']> extends true
            ? CheckCompose<Init, H['outputDim'], Len<[...Init, H]>, [H, ...Acc]>
            : ShapesMatch<Cur, H['inputDim']> extends true
              ? CheckCompose<Init, H['outputDim'], Len<[...Init, H]>, [H, ...Acc]>
              : [...Init, ShapeError<`compose: layer #${Len<[...Init, H]>} expects input ${Mismatch<H['inputDim'], Cur, `layer #${CurPos} (applied before it)`>}`>, ...Acc]
        : [...Init, ShapeError<`compose: argument #${Len<[...Init, H]>} is not a layer`>, ...Acc]
    : Acc;

type Unbounded<Name extends string> = [ShapeError<`${Name}: cannot check an array of unknown length; pass the layers one by one`>];
type Empty<Name extends string> = [ShapeError<`${Name}: needs at least one layer`>];

/**
 * The argument list `sequential` accepts for layers `Ls`: `Ls` itself when every neighbour fits,
 * otherwise `Ls` with the first offending argument replaced by a `ShapeError`.
 *
 * @since 0.1.0
 * @category type helpers
 */
export type SequentialArgs<Ls extends readonly Part[]> = number extends Ls['length']
  ? Unbounded<'sequential'>
  : Ls extends readonly []
    ? Empty<'sequential'>
    : CheckSequential<Ls, never, 0, [], []>;

/** The argument list `compose` accepts (see `SequentialArgs`). @since 0.1.0 @category type helpers */
export type ComposeArgs<Ls extends readonly Part[]> = number extends Ls['length']
  ? Unbounded<'compose'>
  : Ls extends readonly []
    ? Empty<'compose'>
    : CheckCompose<Ls, never, 0, []>;

type FirstFixed<Ls extends readonly unknown[]> = Ls extends readonly [infer H, ...infer T] ? (H extends AnyLayer ? H : FirstFixed<T>) : never;
type LastFixed<Ls extends readonly unknown[]> = Ls extends readonly [...infer Init, infer H] ? (H extends AnyLayer ? H : LastFixed<Init>) : never;

/**
 * The parameter tuple of a composite: element `k` is the parameters of argument `k`, in the
 * order the layers were passed (for `compose(f4, f3, f2, f1)`: `[θ4, θ3, θ2, θ1]`).
 *
 * @since 0.1.0
 * @category type helpers
 */
export type ParamsTuple<Ls extends readonly unknown[]> = { readonly [K in keyof Ls]: ParamsOf<Ls[K]> };

/**
 * The rest-parameter type of `sequential`/`compose`: a mapped type over `Ls` (so the compiler can
 * still infer `Ls` from the arguments and blames exactly the offending one), each element being
 * the checked argument type; an empty list gets a one-element `ShapeError` list instead.
 */
type CheckedArgs<Ls extends readonly Part[], Checked extends readonly unknown[]> = Ls extends readonly []
  ? Checked
  : { readonly [K in keyof Ls]: K extends keyof Checked ? Checked[K] : Ls[K] };

/** The layer `sequential(...Ls)` builds. @since 0.1.0 @category type helpers */
export type Sequential<Ls extends readonly Part[]> = [FirstFixed<Ls>] extends [never]
  ? PolyLayer<ParamsTuple<Ls>>
  : LayerShown<FirstFixed<Ls>['inputDim'], LastFixed<Ls>['outputDim'], ParamsTuple<Ls>>;

/** The layer `compose(...Ls)` builds. @since 0.1.0 @category type helpers */
export type Composed<Ls extends readonly Part[]> = [FirstFixed<Ls>] extends [never]
  ? PolyLayer<ParamsTuple<Ls>>
  : LayerShown<LastFixed<Ls>['inputDim'], FirstFixed<Ls>['outputDim'], ParamsTuple<Ls>>;

/**
 * `Layer<I, O, P>`, written through {@link ShapedLayer} when an end is a shaped width of rank 2 or
 * more, so a net's hover reads `ShapedLayer<[28, 28, 1], [10], …>` (the same type as
 * `Layer<Shaped<[28, 28, 1]>, 10, …>`); width-only nets read `Layer<4, 3, …>` as before.
 */
type LayerShown<I extends number, O extends number, P> = I extends Shaped<infer SI>
  ? SI extends readonly [number, number, ...number[]] ? ShapedLayer<SI, ShapeOf<O>, P> : Layer<I, O, P>
  : O extends Shaped<infer SO>
    ? SO extends readonly [number, number, ...number[]] ? ShapedLayer<[I], SO, P> : Layer<I, O, P>
    : Layer<I, O, P>;

const childCtx = (ctx: Context | undefined, i: number): Context | undefined =>
  ctx?.key === undefined ? ctx : { ...ctx, key: foldIn(ctx.key, i) };

type AnyMat = Mat<number, number>;
type Pullback = (dy: AnyMat) => readonly [unknown, AnyMat];
type Runner = {
  forward: (p: readonly unknown[], x: AnyMat, ctx?: Context) => AnyMat;
  vjp: (p: readonly unknown[], x: AnyMat, ctx?: Context) => readonly [AnyMat, (dy: AnyMat) => readonly [readonly unknown[], AnyMat]];
  jvp: (p: readonly unknown[], x: AnyMat, dp: readonly unknown[], dx: AnyMat, ctx?: Context) => readonly [AnyMat, AnyMat];
};

/**
 * The chain rule, once for every composite. `applied` lists the layers in the order they run;
 * `slot[k]` is where the k-th applied layer's parameters sit in the composite's tuple.
 * `vjp` runs the forward pass once, keeps each layer's pullback, and folds them back (cost
 * linear in depth): u_kᵀ = u_{k+1}ᵀ ∂f_k/∂x_k, ∂L/∂θ_k = u_{k+1}ᵀ ∂f_k/∂θ_k.
 */
const chainRule = (applied: readonly Part[], slot: readonly number[]): Runner => {
  const parts = applied as readonly AnyLayer[];
  return {
    forward: (p, x, ctx) => parts.reduce((h, l, k) => l.forward(p[slot[k]!], h, childCtx(ctx, slot[k]!)), x),
    vjp: (p, x, ctx) => {
      const pullbacks: Pullback[] = [];
      const y = parts.reduce((h, l, k) => {
        const [out, pb] = l.vjp(p[slot[k]!], h, childCtx(ctx, slot[k]!));
        pullbacks.push(pb as Pullback);
        return out;
      }, x);
      return [
        y,
        (dy) => {
          const dps: unknown[] = new Array(parts.length);
          const dx = pullbacks.reduceRight((u, pb, k) => {
            const [dp, du] = pb(u);
            dps[slot[k]!] = dp;
            return du;
          }, dy);
          return [Object.freeze(dps), dx];
        },
      ];
    },
    jvp: (p, x, dp, dx, ctx) =>
      parts.reduce<readonly [AnyMat, AnyMat]>((acc, l, k) => l.jvp(p[slot[k]!], acc[0], dp[slot[k]!], acc[1], childCtx(ctx, slot[k]!)), [x, dx]),
  };
};

/** Shapes agree, or one side records none (then the widths, already compared, are all there is). */
const sameShape = (a: readonly number[] | undefined, b: readonly number[] | undefined): boolean =>
  a === undefined || b === undefined || (a.length === b.length && a.every((n, i) => n === b[i]));

/** Checks neighbours' dims at run time (reachable only through `dyn` dims or untyped code). */
interface Ends {
  readonly inputDim: number | null;
  readonly outputDim: number | null;
  readonly inputShape?: readonly number[];
  readonly outputShape?: readonly number[];
}
const checkChain = (name: string, applied: readonly Part[], position: (k: number) => number): Ends => {
  let inputDim: number | null = null;
  let inputShape: readonly number[] | undefined;
  let cur: { dim: number; pos: number; shape: readonly number[] | undefined } | null = null;
  applied.forEach((l, k) => {
    if (typeof l !== 'object' || l === null || typeof (l as { forward?: unknown }).forward !== 'function') {
      throw new TypeError(`${name}: argument #${position(k)} is not a layer`);
    }
    if (isPoly(l)) return;
    if (cur === null) {
      inputDim = l.inputDim;
      inputShape = l.spec.inputShape;
    }
    else if (cur.dim !== l.inputDim || !sameShape(cur.shape, l.spec.inputShape)) {
      // Same wording as the compile-time ShapeError, so a dyn mismatch reads like a literal one.
      const before = name === 'compose' ? ' (applied before it)' : '';
      const wanted = l.spec.inputShape === undefined ? `dim ${l.inputDim}` : `shape ${formatShape(l.spec.inputShape)}`;
      const given = cur.shape === undefined ? `${cur.dim}` : formatShape(cur.shape);
      throw new RangeError(`${name}: layer #${position(k)} expects input ${wanted}, but layer #${cur.pos}${before} outputs ${given}`);
    }
    cur = { dim: l.outputDim, pos: position(k), shape: l.spec.outputShape };
  });
  const last = cur as { dim: number; shape: readonly number[] | undefined } | null;
  return {
    inputDim,
    outputDim: last?.dim ?? null,
    ...(inputShape === undefined ? {} : { inputShape }),
    ...(last?.shape === undefined ? {} : { outputShape: last.shape }),
  };
};

const build = (kind: string, args: readonly Part[], applied: readonly Part[], slot: readonly number[], position: (k: number) => number): Part => {
  if (args.length === 0) throw new RangeError(`${kind}: needs at least one layer`);
  const { inputDim, outputDim, ...shapes } = checkChain(kind, applied, position);
  const run = chainRule(applied, slot);
  const children: readonly LayerSpec[] = args.map((l) => l.spec);
  const init = (k: Parameters<Part['init']>[0]) => Object.freeze(args.map((l, i) => l.init(foldIn(k, i))));
  // The runner is shape-agnostic (Mat<number, number>); the composite's precise type is given by
  // the public signatures of sequential/compose, which the checks above make true.
  const fns = run as unknown as Pick<LayerDefinition<number, number, readonly unknown[]>, 'forward' | 'vjp' | 'jvp'>;
  // the composite's form keeps the part values themselves, so each is looked up by identity
  const form = { op: 'chain', parts: Object.freeze([...args]), applied: Object.freeze([...slot]) } as const;
  if (inputDim === null || outputDim === null) {
    const polyFns = run as unknown as Pick<PolyLayerDefinition<readonly unknown[]>, 'forward' | 'vjp' | 'jvp'>;
    return withForm(definePolyLayer<readonly unknown[]>({ kind, init, children, ...polyFns }), form);
  }
  const checkParams = (p: unknown): string | undefined =>
    Array.isArray(p) && p.length === args.length ? undefined : `expected parameters a list of ${args.length} (one per layer), got ${showValue(p)}`;
  return withForm(defineLayer<number, number, readonly unknown[]>({ kind, inputDim, outputDim, ...shapes, init, children, checkParams, ...fns }), form);
};

/**
 * The positions of a composite's `spec.children` in the order they run: as listed for
 * `sequential`, last to first for `compose` (whose children are its arguments, `fn ∘ … ∘ f1`).
 * A spec without children gives `[]`. Readers of a spec (summary, graph pictures) use this
 * instead of knowing which composite reverses.
 *
 * @since 0.2.0
 * @category destructors
 */
export const appliedOrder = (spec: LayerSpec): readonly number[] => {
  const order = (spec.children ?? []).map((_, i) => i);
  return spec.kind === 'compose' ? order.reverse() : order;
};

/**
 * `sequential(f1, f2, …, fn)`: the network x ↦ fn(…f2(f1(x))). Accepts any number of layers and
 * fails to compile when a layer's input dim differs from the output dim before it, naming both
 * positions and dims. The result is itself a `Layer` (nets nest); its parameters are the tuple
 * `[θ1, …, θn]` (activations contribute `{}`).
 *
 * @example
 * const net = sequential(dense(4, 8), relu, dense(8, 2)) // Layer<4, 2, [...]>
 * // sequential(dense(4, 8), relu, dense(6, 2))
 * //   ~~> ShapeError<"sequential: layer #3 expects input dim 6, but layer #1 outputs 8">
 * @since 0.1.0
 * @category combinators
 */
export const sequential = <const Ls extends readonly Part[]>(...layers: CheckedArgs<Ls, SequentialArgs<Ls>>): Sequential<Ls> => {
  const ls = layers as readonly Part[];
  return build('sequential', ls, ls, ls.map((_, i) => i), (k) => k + 1) as Sequential<Ls>;
};

/**
 * `compose(fn, …, f2, f1)` = fn ∘ … ∘ f2 ∘ f1, right to left as in mathematics: f1 is applied
 * first. Same checks as {@link sequential}; positions in errors are argument positions. The
 * parameters are the tuple in argument order, `[θn, …, θ1]`.
 *
 * @example
 * const net = compose(dense(4, 2), relu, dense(8, 4), relu, dense(4, 8)) // Layer<4, 2, [...]>
 * @since 0.1.0
 * @category combinators
 */
export const compose = <const Ls extends readonly Part[]>(...layers: CheckedArgs<Ls, ComposeArgs<Ls>>): Composed<Ls> => {
  const ls = layers as readonly Part[];
  const n = ls.length;
  const applied = [...ls].reverse();
  return build('compose', ls, applied, applied.map((_, k) => n - 1 - k), (k) => n - k) as Composed<Ls>;
};
