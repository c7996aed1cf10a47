/**
 * `scan`: a recurrent layer as a fold of a cell over time. Backpropagation through time is the
 * reverse fold of the per-step pullbacks; the forward-mode derivative is the forward fold of the
 * per-step push-forwards.
 *
 * @module
 */
import * as Params from '../params.js';
import * as Ops from '../tensor/ops.js';
import { foldIn } from '../random.js';
import { unsafeMat, unsafeVec, zeros, type Mat, type Vec } from '../tensor/mat.js';
import type { Context, Layer } from './layer.js';
import { defineLayer } from './define.js';
import type { Add } from '../shape/decimal.js';
import type { Dim, IsLoose, ShapeError } from '../shape/dim.js';
import { checkDim } from '../shape/dim.js';
import { shapeFields, type Shaped } from '../shape/shaped.js';

/**
 * Options of {@link scan}: the sequence has `steps` steps of `features` values; the cell's state
 * has width `state`, of which the first `output` entries (default: all) are the layer's output
 * at each step. `returnSequences` (default `false`) returns every step's output (`[T, H]`)
 * instead of the last one (`H`). `learnInitialState` (default `false`) trains the initial
 * state `s₀` as a parameter; otherwise `s₀ = 0`.
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export interface ScanOptions<T extends number, F extends number, S extends number, H extends number, Seq extends boolean, L extends boolean> {
  readonly steps: T;
  readonly features: F;
  readonly state: S;
  readonly output?: H;
  readonly returnSequences?: Seq;
  readonly learnInitialState?: L;
}

/**
 * A scanned layer's parameters: the cell's, plus the initial state when it is learned.
 *
 * @since 0.2.0
 * @category model
 */
export type ScanParams<P, S extends number, L extends boolean> = [L] extends [true]
  ? { readonly cell: P; readonly initialState: Vec<S> }
  : { readonly cell: P };

/**
 * What a scan outputs: every step (`Shaped<[T, H]>`) or the last step (`H`).
 *
 * @since 0.2.0
 * @category type helpers
 */
export type ScanOutput<T extends number, H extends number, Seq extends boolean> = [Seq] extends [true] ? Shaped<[T, H]> : H;

/** `unknown` when the cell's input width is `features + state`, else a `ShapeError` naming the three. */
type CellFits<CI, F extends number, S extends number> = IsLoose<CI> extends true
  ? unknown
  : Add<F, S> extends infer W
    ? IsLoose<W> extends true ? unknown : [W] extends [CI] ? unknown : ShapeError<`scan: the cell takes ${CI & number} inputs, but [x_t, s_{t-1}] has ${F} + ${S} = ${W & number}`>
    : never;

type AnyMat = Mat<number, number>;
type Pullback = (dy: AnyMat) => readonly [unknown, AnyMat];

const stepCtx = (ctx: Context | undefined, t: number): Context | undefined =>
  ctx?.key === undefined ? ctx : { ...ctx, key: foldIn(ctx.key, t) };

/**
 * `scan(cell, options)`: the recurrent layer that folds `cell` over the steps of a sequence.
 * The cell is any layer from `[x_t, s_{t−1}]` (width `F + S`) to `s_t` (width `S`); the layer maps
 * `Mat<B, Shaped<[T, F]>>` to the first `H` entries of every `s_t` (`Shaped<[T, H]>`, with
 * `returnSequences`) or of `s_T` (width `H`):
 *
 *   s_t = cell(θ, [x_t, s_{t−1}]),  t = 1 … T.
 *
 * Reverse mode (backpropagation through time) runs the forward fold once, keeps each step's
 * pullback and folds them back: `[∂L/∂θ_t, (∂L/∂x_t, u_{t−1})] = pullback_t(u_t + ∂L/∂y_t)`,
 * `∂L/∂θ = Σ_t ∂L/∂θ_t`. Forward mode folds the pairs `(s_t, ṡ_t)` forward with the cell's `jvp`.
 * Each step gets its own PRNG key (`foldIn(key, t)`), so a stochastic cell draws fresh noise.
 *
 * @example
 * // an Elman RNN with 8 hidden units over 24 steps of 4 features, written as a scan
 * const elman = scan(sequential(dense(12, 8), tanh), { steps: 24, features: 4, state: 8 })
 * // Layer<Shaped<[24, 4]>, 8, { readonly cell: readonly [DenseParams<12, 8>, NoParams] }>
 * @since 0.2.0
 * @category combinators
 */
export const scan = <CI extends number, S extends number, P, T extends number, F extends number, H extends number = S, Seq extends boolean = false, L extends boolean = false>(
  cell: Layer<CI, S, P>,
  options: ScanOptions<Dim<T, 'scan: steps'>, Dim<F, 'scan: features'>, S, H, Seq, L> & CellFits<CI, F, S>,
): Layer<Shaped<[T, F]>, ScanOutput<T, H, Seq>, ScanParams<P, S, L>> => {
  const T = options.steps as number;
  const F = options.features as number;
  const S = options.state as number;
  const H = (options.output ?? options.state) as number;
  const seq = options.returnSequences === true;
  const learned = options.learnInitialState === true;
  checkDim(T, 'scan: steps');
  checkDim(F, 'scan: features');
  if (cell.outputDim !== S) throw new RangeError(`scan: the cell outputs ${cell.outputDim} values, but the state has ${S}`);
  if (cell.inputDim !== F + S) throw new RangeError(`scan: the cell takes ${cell.inputDim} inputs, but [x_t, s_{t-1}] has ${F} + ${S} = ${F + S}`);
  if (!(Number.isInteger(H) && H >= 1 && H <= S)) throw new RangeError(`scan: output must be an integer in 1…${S} (the state's width), got ${H}`);
  type O = ScanOutput<T, H, Seq>;
  type SP = ScanParams<P, S, L>;
  type Any = { readonly cell: unknown; readonly initialState?: Vec<number> };
  const outputDim = (seq ? T * H : H) as O;

  const initial = (p: Any, rows: number): AnyMat => (p.initialState === undefined ? zeros(rows, S) : Ops.addRowVector(zeros(rows, S), p.initialState));
  const step = (x: AnyMat, t: number, s: AnyMat): AnyMat => Ops.concatCols([Ops.sliceCols(x, t * F, F), s]);
  const emit = <B extends number>(rows: B, states: readonly AnyMat[]): Mat<B, O> => {
    const outs = seq ? states : states.slice(-1);
    const y = Ops.concatCols(outs.map((s) => (H === S ? s : Ops.sliceCols(s, 0, H))));
    return unsafeMat(rows, outputDim, y.data);
  };
  /** The cotangent reaching s_t from the output: the dy columns of step t, padded to the state's width. */
  const outputCotangent = (dy: AnyMat, t: number): AnyMat | undefined => {
    if (!seq && t !== T - 1) return undefined;
    const d = Ops.sliceCols(dy, seq ? t * H : 0, H);
    return H === S ? d : Ops.concatCols([d, zeros(dy.rows, S - H)]);
  };
  const c = cell as unknown as Layer<number, number, unknown>;

  return defineLayer<Shaped<[T, F]>, O, SP>({
    kind: 'scan',
    inputDim: (T * F) as Shaped<[T, F]>,
    outputDim,
    ...shapeFields([T, F], seq ? [T, H] : [H]),
    config: { steps: T, features: F, state: S, output: H, returnSequences: seq, learnInitialState: learned },
    children: [cell.spec],
    init: (k) => {
      const cp = cell.init(foldIn(k, 0));
      return Object.freeze(learned ? { cell: cp, initialState: unsafeVec(S, new Float64Array(S)) } : { cell: cp }) as unknown as SP;
    },
    forward: (p, x, ctx) => {
      const q = p as unknown as Any;
      const states: AnyMat[] = [];
      for (let t = 0, s = initial(q, x.rows); t < T; t++) {
        s = c.forward(q.cell, step(x, t, s), stepCtx(ctx, t));
        states.push(s);
      }
      return emit(x.rows, states);
    },
    vjp: (p, x, ctx) => {
      const q = p as unknown as Any;
      const states: AnyMat[] = [];
      const pullbacks: Pullback[] = [];
      for (let t = 0, s = initial(q, x.rows); t < T; t++) {
        const [next, pb] = c.vjp(q.cell, step(x, t, s), stepCtx(ctx, t));
        states.push(next);
        pullbacks.push(pb as Pullback);
        s = next;
      }
      return [
        emit(x.rows, states),
        (dy) => {
          const dxs: AnyMat[] = new Array(T);
          let dcell: unknown = Params.zerosLike(q.cell);
          let u: AnyMat = zeros(x.rows, S);
          for (let t = T - 1; t >= 0; t--) {
            const o = outputCotangent(dy, t);
            const [dp, dz] = pullbacks[t]!(o === undefined ? u : Ops.add(u, o));
            dcell = Params.add(dcell, dp);
            dxs[t] = Ops.sliceCols(dz, 0, F);
            u = Ops.sliceCols(dz, F, S);
          }
          const dp = learned ? { cell: dcell, initialState: Ops.sumRows(u) } : { cell: dcell };
          return [Object.freeze(dp) as unknown as SP, unsafeMat(x.rows, x.cols, Ops.concatCols(dxs).data)];
        },
      ];
    },
    jvp: (p, x, dp, dx, ctx) => {
      const q = p as unknown as Any;
      const dq = dp as unknown as Any;
      const states: AnyMat[] = [];
      const tangents: AnyMat[] = [];
      let s = initial(q, x.rows);
      let ds = initial(dq, x.rows);
      for (let t = 0; t < T; t++) {
        [s, ds] = c.jvp(q.cell, step(x, t, s), dq.cell, step(dx, t, ds), stepCtx(ctx, t));
        states.push(s);
        tangents.push(ds);
      }
      return [emit(x.rows, states), emit(x.rows, tangents)];
    },
  });
};
