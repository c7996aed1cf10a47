/**
 * The interpreter's recurrent stage: `rnn`, `lstm` and `gru` (their inference forms, see
 * src/layer/form.ts) run on the arena instead of through their generic `vjp`, with the same
 * numbers bit for bit.
 *
 * The batch is first copied time-major (`X_t` of every step one below the other, `T·rows × F`),
 * so the input's part of every step's gates is **one GEMM for all T steps** with the bias as its
 * initial value, `A = X·W_x + b`; each step then adds its hidden part with **one GEMM for all
 * gates**, `A_t += h_{t−1}·W_h` (accumulate mode). The GEMM sums each entry from its initial value
 * in ascending order, so the two products together are bitwise the cell's `[x_t, h_{t−1}]·W + b`.
 * The gates' element-wise math is the cells' own kernels (`lstmCellForward`, `gruCellForward`,
 * tanh's `activationForward`), and every step's gates, states and tanh(c) stay in the arena for
 * the backward pass. The GRU keeps its two products (`x_t·W_x + b_x`, `h_{t−1}·W_h + b_h`), since
 * its reset gate multiplies the hidden part after the product.
 *
 * Backpropagation through time runs the steps in reverse: the output's cotangent of step t is
 * added to the carried `u`, the cell's backward kernel gives the gates' cotangents `da_t`, each
 * step's weight gradient `[x_t, h_{t−1}]ᵀ·da_t` and bias gradient `1ᵀ·da_t` are formed and added
 * to the running sums in the order the generic scan adds them (t = T−1 … 0, from zero), and
 * `u_{t−1} = da_t·W_hᵀ` (plus the cell's direct part). The input gradient is one GEMM over all
 * steps at the end, `dX = dA·W_xᵀ`, copied back batch-major.
 *
 * @module
 */
import * as K from '../tensor/kernels.js';
import type { Arena } from '../tensor/wasm/arena.js';
import type { Recurrence } from '../layer/form.js';

/** The engine's GEMM: `C = act(init + A·B)` on the arena (see `gemmAuto` in engine.ts). */
export type ArenaGemm = (
  ar: Arena, f: Float64Array, a: number, sai: number, sap: number, b: number, ldb: number, c: number, ldc: number,
  bias: number, m: number, k: number, n: number, mode: number, act: number,
) => void;

/**
 * A compiled recurrent stage: `forward` reads `rows` sequences at `src` (rows × T·F) and writes
 * the layer's output at `dst`; `backward` (after a training forward of the same rows) writes the
 * parameter gradient at `G` (plus the parameters' offsets) and, when `dIn ≥ 0`, the input gradient.
 *
 * @since 0.2.0
 * @category internals
 */
export interface RecurrentKernels {
  readonly forward: (ar: Arena, f: Float64Array, p: number, src: number, dst: number, rows: number) => void;
  readonly backward: (ar: Arena, f: Float64Array, p: number, G: number, dOut: number, dIn: number, rows: number) => void;
}

type Leaf = { readonly offset: number; readonly length: number } | undefined;

/** The most f64 entries a recurrent stage's buffers may take in the arena (512 MiB). */
const MAX_ENTRIES = 2 ** 26;

/**
 * Compiles a recurrent stage of kind `cell` with shape `rec` for up to `R` rows: its buffers taken
 * with `take`, its parameters found by leaf path (relative to the layer) with `leaf`; `undefined`
 * when the parameters do not have the layer's layout, or when its buffers would pass 512 MiB.
 *
 * @since 0.2.0
 * @category internals
 */
export const compileRecurrence = (
  cell: 'rnn' | 'lstm' | 'gru', rec: Recurrence, leaf: (path: string) => Leaf, R: number, take: (n: number) => number, gemm: ArenaGemm,
): RecurrentKernels | undefined => {
  const { steps: T, features: F, hidden: H, returnSequences: seq, learnInitialState: learned } = rec;
  const gru = cell === 'gru';
  const lstm = cell === 'lstm';
  const Gw = lstm ? 4 * H : gru ? 3 * H : H; // gate width
  const S = lstm ? 2 * H : H; // state width ([h, c] for the LSTM)
  const O = seq ? T * H : H;
  const fits = (l: Leaf, n: number): l is NonNullable<Leaf> => l !== undefined && l.length === n;
  const init = leaf('initialState');
  if (learned !== fits(init, S)) return undefined;
  // parameters: W_x, W_h (row blocks of one W for rnn/lstm), b_x, b_h (none for rnn/lstm)
  let wx: number, wh: number, bx: number, bh = -1;
  if (gru) {
    const [lwx, lwh, lbx, lbh] = [leaf('cell.wx'), leaf('cell.wh'), leaf('cell.bx'), leaf('cell.bh')];
    if (!fits(lwx, F * Gw) || !fits(lwh, H * Gw) || !fits(lbx, Gw) || !fits(lbh, Gw)) return undefined;
    [wx, wh, bx, bh] = [lwx.offset, lwh.offset, lbx.offset, lbh.offset];
  } else {
    const base = lstm ? 'cell' : 'cell.0';
    const [lw, lb] = [leaf(`${base}.w`), leaf(`${base}.b`)];
    if (!fits(lw, (F + H) * Gw) || !fits(lb, Gw)) return undefined;
    [wx, wh, bx] = [lw.offset, lw.offset + F * Gw, lb.offset];
  }
  const initOff = init?.offset ?? -1;
  // every step's gates, states and cotangents for R rows: past MAX_ENTRIES (512 MiB) the program
  // is not compiled and fit folds the generic step (a long sequence of wide layers)
  const size = T * R * (F + (gru ? 3 : 2) * Gw + (lstm ? 3 : 1) * H) + R * (2 * S + Gw + H) + 2 * (F + H) * Gw;
  if (size > MAX_ENTRIES) return undefined;
  // buffers: step t of a T-step buffer of width w sits at base + t·rows·w (rows of this batch)
  const XT = take(T * R * F); // the batch time-major; reused for the input gradient
  const A = take(T * R * Gw); // gates (pre-activations, then activations) of every step
  const GH = gru ? take(T * R * Gw) : -1; // h_{t−1}·W_h + b_h of every step (the GRU's gh)
  const HS = take((T + 1) * R * H); // h_0 … h_T
  const CS = lstm ? take((T + 1) * R * H) : -1; // c_0 … c_T
  const TC = lstm ? take(T * R * H) : -1; // tanh(c_1) … tanh(c_T)
  const DA = take(T * R * Gw); // the gates' cotangents of every step (the GRU's d gx)
  const U = take(R * S); // the carried cotangent of the state
  const DGH = gru ? take(R * Gw) : -1;
  const DU = gru ? take(R * H) : -1;
  const PW = take((F + H) * Gw); // one step's weight gradient
  const PB = take(Gw); // one step's bias gradient
  const WT = take((F + H) * Gw); // Wᵀ (4H × (F + H)); the GRU: W_xᵀ (3H × F) then W_hᵀ (3H × H)
  const whT = gru ? WT + Gw * F : WT + F; // W_hᵀ's first entry; its row length is ldT
  const ldT = gru ? H : F + H;
  const ldxT = gru ? F : F + H;

  const forward = (ar: Arena, f: Float64Array, p: number, src: number, dst: number, rows: number): void => {
    const step = (base: number, w: number, t: number): number => base + t * rows * w;
    for (let t = 0; t < T; t++) K.copyBlock(f, src + t * F, T * F, f, step(XT, F, t), F, rows, F);
    // s_0 = 0, or 0 + the learned initial state (the scan adds it to zeros)
    f.fill(0, HS, HS + rows * H);
    if (lstm) f.fill(0, CS, CS + rows * H);
    if (learned) {
      K.addRowVector(f.subarray(HS, HS + rows * H), f.subarray(p + initOff, p + initOff + H), rows, H);
      if (lstm) K.addRowVector(f.subarray(CS, CS + rows * H), f.subarray(p + initOff + H, p + initOff + 2 * H), rows, H);
    }
    // every step's input part with its bias, in one product
    gemm(ar, f, XT, F, 1, p + wx, Gw, A, Gw, p + bx, T * rows, F, Gw, 2, 0);
    for (let t = 0; t < T; t++) {
      const a = step(A, Gw, t);
      const h0 = step(HS, H, t);
      const h1 = step(HS, H, t + 1);
      if (gru) {
        const gh = step(GH, Gw, t);
        gemm(ar, f, h0, H, 1, p + wh, Gw, gh, Gw, p + bh, rows, H, Gw, 2, 0);
        K.gruCellForward(f, a, f, gh, f, h0, H, f, h1, rows, H);
      } else {
        gemm(ar, f, h0, H, 1, p + wh, Gw, a, Gw, 0, rows, H, Gw, 1, 0);
        if (lstm) K.lstmCellForward(f, a, f, step(CS, H, t), H, f, h1, step(CS, H, t + 1), H, f, step(TC, H, t), rows, H);
        else K.activationForward(K.ACTIVATION_CODES.tanh, 0, f, a, f, h1, rows * H);
      }
      if (seq) K.copyBlock(f, h1, H, f, dst + t * H, O, rows, H);
    }
    if (!seq) f.copyWithin(dst, HS + T * rows * H, HS + (T + 1) * rows * H);
  };

  const backward = (ar: Arena, f: Float64Array, p: number, G: number, dOut: number, dIn: number, rows: number): void => {
    const step = (base: number, w: number, t: number): number => base + t * rows * w;
    const view = (o: number, n: number): Float64Array => f.subarray(o, o + n);
    /** g += the step's part, as the scan adds the steps' gradients (`Params.add`, from zero). */
    const addInto = (g: number, part: number, n: number): void => void K.axpy(1, view(part, n), view(g, n), view(g, n));
    if (gru) {
      K.transpose(f, f, F, Gw, p + wx, WT);
      K.transpose(f, f, H, Gw, p + wh, whT);
      f.fill(0, G + wx, G + wx + F * Gw);
      f.fill(0, G + wh, G + wh + H * Gw);
      f.fill(0, G + bh, G + bh + Gw);
    } else {
      K.transpose(f, f, F + H, Gw, p + wx, WT);
      f.fill(0, G + wx, G + wx + (F + H) * Gw);
    }
    f.fill(0, G + bx, G + bx + Gw);
    f.fill(0, U, U + rows * S);
    for (let t = T - 1; t >= 0; t--) {
      // u += the output's cotangent of step t ([dy_t, 0] over the state's width)
      if (seq || t === T - 1) K.addPaddedRows(f, U, S, f, dOut + (seq ? t * H : 0), O, rows, H);
      const a = step(A, Gw, t);
      const da = step(DA, Gw, t);
      const h0 = step(HS, H, t);
      const xt = step(XT, F, t);
      if (gru) {
        K.gruCellBackward(f, U, f, a, f, step(GH, Gw, t), f, h0, H, f, da, f, DGH, f, DU, rows, H);
        gemm(ar, f, xt, 1, F, da, Gw, PW, Gw, 0, F, rows, Gw, 0, 0);
        addInto(G + wx, PW, F * Gw);
        gemm(ar, f, h0, 1, H, DGH, Gw, PW, Gw, 0, H, rows, Gw, 0, 0);
        addInto(G + wh, PW, H * Gw);
        K.sumRows(f, f, rows, Gw, false, da, PB);
        addInto(G + bx, PB, Gw);
        K.sumRows(f, f, rows, Gw, false, DGH, PB);
        addInto(G + bh, PB, Gw);
        gemm(ar, f, DGH, Gw, 1, whT, ldT, U, H, 0, rows, Gw, H, 0, 0);
        K.axpy(1, view(DU, rows * H), view(U, rows * H), view(U, rows * H));
      } else {
        if (lstm) K.lstmCellBackward(f, U, U + H, S, f, a, f, step(CS, H, t), H, f, step(TC, H, t), f, da, f, U + H, S, rows, H);
        else K.activationBackward(K.ACTIVATION_CODES.tanh, 0, f, U, f, a, f, step(HS, H, t + 1), f, da, rows * H);
        // the step's W gradient [x_t, h_{t−1}]ᵀ·da_t: the x rows, then the h rows
        gemm(ar, f, xt, 1, F, da, Gw, PW, Gw, 0, F, rows, Gw, 0, 0);
        gemm(ar, f, h0, 1, H, da, Gw, PW + F * Gw, Gw, 0, H, rows, Gw, 0, 0);
        addInto(G + wx, PW, (F + H) * Gw);
        K.sumRows(f, f, rows, Gw, false, da, PB);
        addInto(G + bx, PB, Gw);
        gemm(ar, f, da, Gw, 1, whT, ldT, U, S, 0, rows, Gw, H, 0, 0);
      }
    }
    if (learned) K.sumRows(f, f, rows, S, false, U, G + initOff);
    if (dIn >= 0) {
      // dX for all steps in one product (time-major), then back to one sequence per row
      gemm(ar, f, DA, Gw, 1, WT, ldxT, XT, F, 0, T * rows, Gw, F, 0, 0);
      for (let t = 0; t < T; t++) K.copyBlock(f, step(XT, F, t), F, f, dIn + t * F, T * F, rows, F);
    }
  };
  return { forward, backward };
};
