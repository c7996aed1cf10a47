/**
 * Recurrent layers as scans of their cells: `rnn` (Elman, tanh), `lstm` and `gru`, on sequences
 * `[T, F]` (steps × features, one sequence per row).
 *
 * @module
 */
import * as Ops from '../tensor/ops.js';
import { affine } from '../tensor/affine.js';
import * as K from '../tensor/kernels.js';
import { unsafeMat, unsafeVec, type Mat, type Vec } from '../tensor/mat.js';
import { split, type Key } from '../random.js';
import type { Layer } from './layer.js';
import { defineLayer, type LayerDefinition } from './define.js';
import { sequential } from './compose.js';
import { dense, type DenseParams, type Initializer } from './dense.js';
import { tanh } from './activation.js';
import { initName, initWeights } from './init.js';
import { dyn, type Dim } from '../shape/dim.js';
import { checkShape, type Shaped, type ShapeCheck } from '../shape/shaped.js';
import { scan, type ScanOutput, type ScanParams } from './scan.js';
import { withForm, type Recurrence } from './form.js';

/**
 * Options of {@link rnn}, {@link lstm} and {@link gru}: `returnSequences` (default `false`)
 * outputs `h_t` at every step (`[T, H]`) instead of `h_T` (`H`); `learnInitialState` (default
 * `false`) trains the initial state instead of starting at 0; `init` draws the weights
 * (default `'glorot'`).
 *
 * @since 0.2.0
 * @category model
 * @inline
 */
export interface RecurrentOptions<Seq extends boolean, L extends boolean> {
  readonly returnSequences?: Seq;
  readonly learnInitialState?: L;
  readonly init?: Initializer;
}

type AnyMat = Mat<number, number>;

/**
 * A gated cell's parts on plain matrices: `step(p, z)` computes the gates and the output `out`
 * once; the pullback and the push-forward read them (so forward, VJP and JVP share one pass).
 */
interface CellDefinition<P, S extends { readonly out: AnyMat }> {
  readonly kind: string;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly config: Readonly<Record<string, number | string>>;
  readonly init: (k: Key) => P;
  readonly step: (p: P, z: AnyMat) => S;
  readonly pullback: (p: P, s: S, d: AnyMat) => readonly [P, AnyMat];
  readonly pushforward: (p: P, s: S, dp: P, dz: AnyMat) => AnyMat;
}

// The batch size passes through every op unchanged; Ops' results are typed by their arguments' R
// only where they carry it, so the cell is built on Mat<number, number> and typed once here.
const cellLayer = <P, S extends { readonly out: AnyMat }>(d: CellDefinition<P, S>): Layer<number, number, P> =>
  defineLayer({
    kind: d.kind,
    inputDim: d.inputDim,
    outputDim: d.outputDim,
    config: d.config,
    init: d.init,
    forward: (p: P, z: AnyMat) => d.step(p, z).out,
    vjp: (p: P, z: AnyMat) => {
      const s = d.step(p, z);
      return [s.out, (dy: AnyMat) => d.pullback(p, s, dy)] as const;
    },
    jvp: (p: P, z: AnyMat, dp: P, dz: AnyMat) => {
      const s = d.step(p, z);
      return [s.out, d.pushforward(p, s, dp, dz)] as const;
    },
  } as unknown as LayerDefinition<number, number, P>);

const dSigmoid = (s: number): number => s * (1 - s);
const dTanh = (t: number): number => 1 - t * t;
const mul = (a: AnyMat, b: AnyMat): AnyMat => Ops.zipWith(a, b, (u, v) => u * v);
const cols = (m: AnyMat, block: number, width: number): AnyMat => Ops.sliceCols(m, block * width, width);

/**
 * The LSTM cell's parameters: `w: (F + H) × 4H` acting on `[x_t, h_{t−1}]` and `b: 4H`, the four
 * column blocks being the input, forget, cell and output gates, in that order (PyTorch's order;
 * PyTorch's `weight_ih`/`weight_hh` are `w`'s blocks transposed, its two biases summed in `b`).
 *
 * @since 0.2.0
 * @category model
 */
export interface LstmParams<F extends number, H extends number> {
  readonly w: Mat<number, number>;
  readonly b: Vec<number>;
}

/**
 * The LSTM cell on `[x_t, h_{t−1}, c_{t−1}]` (width `F + 2H`) giving `[h_t, c_t]` (width `2H`), with
 * the four gates from one GEMM per step:
 *
 *   [a_i, a_f, a_g, a_o] = [x_t, h_{t−1}]·W + b,  i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o),
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t).
 *
 * The forget gate's bias starts at 1 (Jozefowicz et al. 2015, as Keras does), the others at 0.
 *
 * @since 0.2.0
 * @category constructors
 */
export const lstmCell = <F extends number, H extends number>(features: F, hidden: H, init: Initializer = 'glorot'): Layer<number, number, LstmParams<F, H>> => {
  const n = features + hidden;
  // the element-wise part is the kernels' (the interpreter's recurrent stage runs the same ones)
  const gates = (p: LstmParams<F, H>, z: AnyMat) => {
    const xh = Ops.sliceCols(z, 0, n);
    const a = affine(xh, p.w, p.b); // fresh: its pre-activations become the gates in place
    const out = new Float64Array(z.rows * 2 * hidden);
    const tc = new Float64Array(z.rows * hidden);
    K.lstmCellForward(a.data, 0, z.data, n, z.cols, out, 0, hidden, 2 * hidden, tc, 0, z.rows, hidden);
    return {
      xh, z, gates: a, i: cols(a, 0, hidden), f: cols(a, 1, hidden), g: cols(a, 2, hidden), o: cols(a, 3, hidden),
      c: Ops.sliceCols(z, n, hidden), tc: unsafeMat(z.rows, hidden, tc), out: unsafeMat(z.rows, 2 * hidden, out),
    };
  };
  return cellLayer({
    kind: 'lstmCell',
    inputDim: n + hidden,
    outputDim: 2 * hidden,
    config: { features, hidden, init: initName(init) },
    init: (k) => {
      const [kw] = split(k);
      const b = new Float64Array(4 * hidden);
      b.fill(1, hidden, 2 * hidden);
      return Object.freeze({ w: unsafeMat(n, 4 * hidden, initWeights(kw, n * 4 * hidden, n, 4 * hidden, init)), b: unsafeVec(4 * hidden, b) });
    },
    step: gates,
    pullback: (p, s, d) => {
      const da = new Float64Array(d.rows * 4 * hidden);
      const dcPrev = new Float64Array(d.rows * hidden);
      K.lstmCellBackward(d.data, 0, hidden, 2 * hidden, s.gates.data, 0, s.z.data, n, s.z.cols, s.tc.data, 0, da, 0, dcPrev, 0, hidden, d.rows, hidden);
      const daM = unsafeMat(d.rows, 4 * hidden, da);
      const dxh = Ops.matmulTransB(daM, p.w);
      return [Object.freeze({ w: Ops.matmulTransA(s.xh, daM), b: Ops.sumRows(daM) }), Ops.concatCols([dxh, unsafeMat(d.rows, hidden, dcPrev)])];
    },
    pushforward: (p, s, dp, dz) => {
      const da = Ops.add(affine(Ops.sliceCols(dz, 0, n), p.w, dp.b), Ops.matmul(s.xh, dp.w));
      const di = Ops.zipWith(cols(da, 0, hidden), s.i, (u, i) => u * dSigmoid(i));
      const df = Ops.zipWith(cols(da, 1, hidden), s.f, (u, f) => u * dSigmoid(f));
      const dg = Ops.zipWith(cols(da, 2, hidden), s.g, (u, g) => u * dTanh(g));
      const dOut = Ops.zipWith(cols(da, 3, hidden), s.o, (u, o) => u * dSigmoid(o));
      const dcPrev = Ops.sliceCols(dz, n, hidden);
      const dc = Ops.add(Ops.add(mul(df, s.c), mul(s.f, dcPrev)), Ops.add(mul(di, s.g), mul(s.i, dg)));
      const dh = Ops.add(mul(dOut, s.tc), Ops.zipWith3(s.o, s.tc, dc, (o, t, u) => o * dTanh(t) * u));
      return Ops.concatCols([dh, dc]);
    },
  });
};

/**
 * The GRU cell's parameters, as PyTorch (and Keras with `reset_after`) lay them out:
 * `wx: F × 3H`, `wh: H × 3H`, `bx`, `bh: 3H`, the column blocks being the reset, update and
 * candidate gates (PyTorch's r, z, n order, its `weight_ih`/`weight_hh` transposed).
 *
 * @since 0.2.0
 * @category model
 */
export interface GruParams<F extends number, H extends number> {
  readonly wx: Mat<F, number>;
  readonly wh: Mat<H, number>;
  readonly bx: Vec<number>;
  readonly bh: Vec<number>;
}

/**
 * The GRU cell on `[x_t, h_{t−1}]` (width `F + H`) giving `h_t`:
 *
 *   gx = x_t·Wx + bx,  gh = h_{t−1}·Wh + bh  (blocks r, z, n),
 *   r = σ(gx_r + gh_r),  z = σ(gx_z + gh_z),  n = tanh(gx_n + r ⊙ gh_n),
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 *
 * The reset gate multiplies the hidden part of the candidate after its product (PyTorch's and
 * cuDNN's form), so the input and hidden parts are two products per step rather than one.
 *
 * @since 0.2.0
 * @category constructors
 */
export const gruCell = <F extends number, H extends number>(features: F, hidden: H, init: Initializer = 'glorot'): Layer<number, number, GruParams<F, H>> => {
  const gates = (p: GruParams<F, H>, z: AnyMat) => {
    const x = Ops.sliceCols(z, 0, features);
    const h = Ops.sliceCols(z, features, hidden);
    const gx = affine(x, p.wx, p.bx); // fresh: its pre-activations become the gates in place
    const gh = affine(h, p.wh, p.bh);
    const out = new Float64Array(z.rows * hidden);
    K.gruCellForward(gx.data, 0, gh.data, 0, h.data, 0, hidden, out, 0, z.rows, hidden);
    return { x, h, gx, gh, r: cols(gx, 0, hidden), u: cols(gx, 1, hidden), n: cols(gx, 2, hidden), ghn: cols(gh, 2, hidden), out: unsafeMat(z.rows, hidden, out) };
  };
  return cellLayer({
    kind: 'gruCell',
    inputDim: features + hidden,
    outputDim: hidden,
    config: { features, hidden, init: initName(init) },
    init: (k) => {
      const [kx, kh] = split(k);
      return Object.freeze({
        wx: unsafeMat(features, 3 * hidden, initWeights(kx!, features * 3 * hidden, features, 3 * hidden, init)),
        wh: unsafeMat(hidden, 3 * hidden, initWeights(kh!, hidden * 3 * hidden, hidden, 3 * hidden, init)),
        bx: unsafeVec(3 * hidden, new Float64Array(3 * hidden)),
        bh: unsafeVec(3 * hidden, new Float64Array(3 * hidden)),
      });
    },
    step: gates,
    pullback: (p, s, d) => {
      const rows = d.rows;
      const dgxA = new Float64Array(rows * 3 * hidden);
      const dghA = new Float64Array(rows * 3 * hidden);
      const du = new Float64Array(rows * hidden);
      K.gruCellBackward(d.data, 0, s.gx.data, 0, s.gh.data, 0, s.h.data, 0, hidden, dgxA, 0, dghA, 0, du, 0, rows, hidden);
      const dgx = unsafeMat(rows, 3 * hidden, dgxA);
      const dgh = unsafeMat(rows, 3 * hidden, dghA);
      const dx = Ops.matmulTransB(dgx, p.wx);
      const dh = Ops.add(Ops.matmulTransB(dgh, p.wh), unsafeMat(rows, hidden, du));
      const dp = { wx: Ops.matmulTransA(s.x, dgx), wh: Ops.matmulTransA(s.h, dgh), bx: Ops.sumRows(dgx), bh: Ops.sumRows(dgh) };
      return [Object.freeze(dp) as GruParams<F, H>, Ops.concatCols([dx, dh])];
    },
    pushforward: (p, s, dp, dz) => {
      const dx = Ops.sliceCols(dz, 0, features);
      const dh = Ops.sliceCols(dz, features, hidden);
      const dgx = Ops.add(affine(dx, p.wx, dp.bx), Ops.matmul(s.x, dp.wx));
      const dgh = Ops.add(affine(dh, p.wh, dp.bh), Ops.matmul(s.h, dp.wh));
      const dr = Ops.zipWith3(cols(dgx, 0, hidden), cols(dgh, 0, hidden), s.r, (a, b, rr) => (a + b) * dSigmoid(rr));
      const du = Ops.zipWith3(cols(dgx, 1, hidden), cols(dgh, 1, hidden), s.u, (a, b, zz) => (a + b) * dSigmoid(zz));
      const inner = Ops.add(Ops.add(cols(dgx, 2, hidden), mul(dr, s.ghn)), mul(s.r, cols(dgh, 2, hidden)));
      const dn = Ops.zipWith(inner, s.n, (a, nn) => a * dTanh(nn));
      return Ops.add(Ops.add(mul(du, Ops.sub(s.h, s.n)), Ops.zipWith(s.u, dn, (zz, a) => (1 - zz) * a)), mul(s.u, dh));
    },
  });
};

/**
 * The Elman cell `h_t = tanh([x_t, h_{t−1}]·W + b)`: `sequential(dense(F + H, H), tanh)`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const rnnCell = <F extends number, H extends number>(features: F, hidden: H, init: Initializer = 'glorot'): Layer<number, number, readonly [DenseParams<number, H>, unknown]> =>
  sequential(dense(dyn(features + hidden), dyn(hidden), { init }), tanh) as unknown as Layer<number, number, readonly [DenseParams<number, H>, unknown]>;

type SeqShape = readonly [number, number];

const shapeOf = (input: SeqShape, kind: string): readonly [number, number] => {
  const s = checkShape(input, `${kind}: input shape`);
  if (s.length !== 2) throw new RangeError(`${kind}: input shape must be [steps, features], got ${JSON.stringify(input)}`);
  return [s[0]!, s[1]!];
};

/**
 * A simple (Elman) recurrent layer with `H` hidden units over sequences `[T, F]`:
 * `h_t = tanh(x_t·W_x + h_{t−1}·W_h + b)`, `h_0 = 0` (or learned), as `scan(rnnCell(F, H))`.
 * Output: `h_T` (width `H`), or every `h_t` (`Shaped<[T, H]>`) with `returnSequences`.
 * Parameters `{ cell: [{ w: (F + H) × H, b: H }, {}] }` (rows `0…F−1` of `w` are `W_x`).
 *
 * @example
 * const r = rnn([24, 4], 32)  // Layer<Shaped<[24, 4]>, 32, …>
 * @since 0.2.0
 * @category constructors
 */
export const rnn = <const In extends SeqShape, H extends number, Seq extends boolean = false, L extends boolean = false>(
  input: ShapeCheck<In, 'rnn: input shape'>, hidden: Dim<H, 'rnn: hidden units'>, options: RecurrentOptions<Seq, L> = {},
): Layer<Shaped<[In[0], In[1]]>, ScanOutput<In[0], H, Seq>, ScanParams<readonly [DenseParams<number, H>, unknown], H, L>> => {
  const [T, F] = shapeOf(input, 'rnn');
  return withForm(scanOf(rnnCell(F, hidden as H, options.init), T, F, hidden as H, hidden as H, options), { op: 'rnn', ...recurrence(T, F, hidden, options) }) as never;
};

/**
 * A long short-term memory layer (Hochreiter & Schmidhuber 1997, with a forget gate) with `H`
 * units over sequences `[T, F]`: the scan of {@link lstmCell} over the state `[h_t, c_t]`,
 * `h_0 = c_0 = 0` (or learned), outputting `h_T` (width `H`) or every `h_t` (`[T, H]`).
 *
 * @example
 * const l = lstm([24, 4], 32)  // Layer<Shaped<[24, 4]>, 32, …>
 * @since 0.2.0
 * @category constructors
 */
export const lstm = <const In extends SeqShape, H extends number, Seq extends boolean = false, L extends boolean = false>(
  input: ShapeCheck<In, 'lstm: input shape'>, hidden: Dim<H, 'lstm: hidden units'>, options: RecurrentOptions<Seq, L> = {},
): Layer<Shaped<[In[0], In[1]]>, ScanOutput<In[0], H, Seq>, ScanParams<LstmParams<In[1], H>, number, L>> => {
  const [T, F] = shapeOf(input, 'lstm');
  return withForm(scanOf(lstmCell(F, hidden as H, options.init), T, F, 2 * (hidden as number), hidden as H, options), { op: 'lstm', ...recurrence(T, F, hidden, options) }) as never;
};

/**
 * A gated recurrent unit layer (Cho et al. 2014) with `H` units over sequences `[T, F]`: the scan
 * of {@link gruCell}, `h_0 = 0` (or learned), outputting `h_T` (width `H`) or every `h_t` (`[T, H]`).
 *
 * @example
 * const g = gru([24, 4], 32, { returnSequences: true })  // Layer<Shaped<[24, 4]>, Shaped<[24, 32]>, …>
 * @since 0.2.0
 * @category constructors
 */
export const gru = <const In extends SeqShape, H extends number, Seq extends boolean = false, L extends boolean = false>(
  input: ShapeCheck<In, 'gru: input shape'>, hidden: Dim<H, 'gru: hidden units'>, options: RecurrentOptions<Seq, L> = {},
): Layer<Shaped<[In[0], In[1]]>, ScanOutput<In[0], H, Seq>, ScanParams<GruParams<In[1], H>, H, L>> => {
  const [T, F] = shapeOf(input, 'gru');
  return withForm(scanOf(gruCell(F, hidden as H, options.init), T, F, hidden as H, hidden as H, options), { op: 'gru', ...recurrence(T, F, hidden, options) }) as never;
};

const recurrence = (steps: number, features: number, hidden: number, options: RecurrentOptions<boolean, boolean>): Recurrence => ({
  steps, features, hidden, returnSequences: options.returnSequences ?? false, learnInitialState: options.learnInitialState ?? false,
});

const scanOf = <P>(cell: Layer<number, number, P>, steps: number, features: number, state: number, output: number, options: RecurrentOptions<boolean, boolean>) =>
  scan(cell, {
    steps,
    features,
    state,
    output,
    returnSequences: options.returnSequences ?? false,
    learnInitialState: options.learnInitialState ?? false,
  } as never);
