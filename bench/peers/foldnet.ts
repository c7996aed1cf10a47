/**
 * foldnet: the model is an ordinary immutable `sequential(dense, relu, …)` value; training runs
 * through `fit` as users call it (which compiles the run into its arena program), with the
 * program alone (`compileProgram(...).epoch`) as an extra line; evaluation and inference through
 * the public `forward`.
 *
 * Loss convention: the workloads' MSE (bench/README.md) is mean over batch *and outputs*, without ½; foldnet's `mse`
 * is (1/B)Σ½‖ŷ−y‖², whose gradient is (O/2)× smaller. With learning rate lr·2/O (0.02 for one
 * output, 0.01 for two) the SGD steps are bit-for-bit the same (×2 is exact in floating point);
 * reported losses are converted back to the workloads' convention.
 */
import { dense, denseParams } from '../../src/layer/dense.js';
import { relu } from '../../src/layer/activation.js';
import { sequential } from '../../src/layer/compose.js';
import type { AnyLayer } from '../../src/layer/layer.js';
import { mse } from '../../src/loss/mse.js';
import { softmaxCrossEntropy } from '../../src/loss/softmax-cross-entropy.js';
import { takeRows, unsafeMat, unsafeVec } from '../../src/tensor/mat.js';
import { compileProgram } from '../../src/train/engine.js';
import { fit } from '../../src/train/fit.js';
import { fitStream } from '../../src/train/fit-stream.js';
import { objective } from '../../src/train/objective.js';
import * as Params from '../../src/params.js';
import type { StepState } from '../../src/train/step.js';
import { adam, adamw, sgd } from '../../src/optim/recipes.js';
import { dropout } from '../../src/layer/dropout.js';
import { defineLayer } from '../../src/layer/define.js';
import { huberWith } from '../../src/loss/huber.js';
import * as Ops from '../../src/tensor/ops.js';
import { zeros, type Mat } from '../../src/tensor/mat.js';
import type { GradientTransformation } from '../../src/optim/transform.js';
import { key } from '../../src/random.js';
import { clock, type ShapedRun, type ShapedSpec, type Trained, type TrainRun, type TrainSpec } from './common.js';
import { lstm } from '../../src/layer/recurrent.js';
import { conv2d } from '../../src/layer/conv.js';
import { maxPool } from '../../src/layer/pool.js';
import { flatten } from '../../src/layer/flatten.js';
import { fitParallelEpochs } from '../../src/node/fit-parallel.js';
import { readFileSync } from 'node:fs';

export const netFor = (sizes: readonly number[]): AnyLayer => {
  const key = sizes.join('-');
  if (key === '32-64-64-1') return sequential(dense(32, 64), relu, dense(64, 64), relu, dense(64, 1));
  if (key === '32-128-128-4') return sequential(dense(32, 128), relu, dense(128, 128), relu, dense(128, 4));
  if (key === '4-8-6-4-2') return sequential(dense(4, 8), relu, dense(8, 6), relu, dense(6, 4), relu, dense(4, 2));
  throw new Error(`no net for ${key}`);
};

/** The parameter tuple [θ_dense1, {}, θ_dense2, {}, …] from kernels and biases. */
export const paramsFrom = (sizes: readonly number[], w: readonly ArrayLike<number>[], b?: readonly ArrayLike<number>[]): readonly unknown[] => {
  const out: unknown[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const I = sizes[l]!, O = sizes[l + 1]!;
    out.push(denseParams(unsafeMat(I, O, Float64Array.from(w[l]!)), unsafeVec(O, b === undefined ? new Float64Array(O) : Float64Array.from(b[l]!))));
    if (l + 2 < sizes.length) out.push(Object.freeze({}));
  }
  return Object.freeze(out);
};

export const trainedOf = (sizes: readonly number[], p: readonly unknown[]): Trained => {
  const w: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const d = p[2 * l] as { w: { data: Float64Array }; b: { data: Float64Array } };
    w.push(d.w.data);
    b.push(d.b.data);
  }
  return { w, b };
};

/** The run's optimizer and loss as foldnet values (see the module doc for the lr conversion). */
const setup = (s: TrainSpec) => {
  const out = s.sizes[s.sizes.length - 1]!;
  const optimizer: GradientTransformation<unknown> = (
    s.opt.kind === 'sgd' ? sgd(s.loss === 'mse' ? (s.opt.lr * 2) / out : s.opt.lr) : adam(s.opt.lr, { b1: s.opt.b1, b2: s.opt.b2, eps: s.opt.eps })
  ) as GradientTransformation<unknown>;
  const loss = s.loss === 'mse' ? mse : softmaxCrossEntropy;
  const x = unsafeMat(s.rows, s.sizes[0]!, s.x);
  const y = unsafeMat(s.rows, out, s.y);
  return { net: netFor(s.sizes), p0: paramsFrom(s.sizes, s.inits), optimizer, loss, x, y };
};

const runOf = (s: TrainSpec, net: AnyLayer, params: readonly unknown[], seconds: number): TrainRun => ({
  seconds,
  predict: (xs, rows) => net.forward(params, unsafeMat(rows, s.sizes[0]!, xs)).data,
  trained: () => trainedOf(s.sizes, params),
});

/** foldnet as users call it: `fit(...)` with the workload's row orders, per-epoch records included. */
export const foldnetTrain = (s: TrainSpec): TrainRun => {
  const { net, p0, optimizer, loss, x, y } = setup(s);
  const t0 = clock();
  const r = fit(net, p0, { x, y }, { loss, optimizer, epochs: s.orders.length, batchSize: s.batch, key: key(0), order: (e) => s.orders[e - 1]! });
  const seconds = clock() - t0;
  return runOf(s, net, r.params as readonly unknown[], seconds);
};

/** The engine alone: the compiled program's epochs, without fit's bookkeeping (an extra line). */
export const foldnetEngine = (s: TrainSpec): TrainRun => {
  const { net, p0, optimizer, loss, x, y } = setup(s);
  const t0 = clock();
  const program = compileProgram(net, p0, loss, optimizer, undefined, key(0), s.batch)!;
  let state: StepState<readonly unknown[], unknown> = { params: p0, optState: optimizer.init(p0), step: 0 };
  for (const order of s.orders) state = program.epoch(state, order, { x, y }).state;
  const seconds = clock() - t0;
  return runOf(s, net, state.params, seconds);
};

/**
 * `fitStream` on the workload's batches already in memory (epoch e's batches are its row order cut
 * into batches, made before the clock starts): what the stream path costs beyond `fit`, without a
 * parser. Returns the seconds and whether its parameters equal `fit`'s bit for bit (they must: the
 * same batches in the same order).
 */
export const foldnetStream = async (s: TrainSpec): Promise<{ seconds: number; sameAsFit: boolean }> => {
  const { net, p0, optimizer, loss, x, y } = setup(s);
  const byEpoch = s.orders.map((order) =>
    Array.from({ length: Math.ceil(order.length / s.batch) }, (_, b) => {
      const rows = order.subarray(b * s.batch, (b + 1) * s.batch);
      return { x: takeRows(x, rows), y: takeRows(y, rows) };
    }),
  );
  const t0 = clock();
  const r = await fitStream(net, p0, (e) => byEpoch[e - 1]!, { loss, optimizer, epochs: s.orders.length, key: key(0) });
  const seconds = clock() - t0;
  const ref = fit(net, p0, { x, y }, { loss, optimizer, epochs: s.orders.length, batchSize: s.batch, key: key(0), order: (e) => s.orders[e - 1]! });
  const a = Params.flatten(r.params);
  const b = Params.flatten(ref.params);
  return { seconds, sameAsFit: a.every((v, i) => Object.is(v, b[i])) };
};

/**
 * The full-batch objective of `conjugateGradient` and `lbfgs` over all the workload's rows:
 * seconds per evaluation of `[C(θ), ∇C(θ)]`, compiled (the built-in loss) or through the layers'
 * own `vjp` (`generic`: a copy of the loss, which carries no kernel).
 */
export const foldnetObjective = (s: TrainSpec, generic: boolean, evaluations: number): number => {
  const { net, p0, loss, x, y } = setup(s);
  const f = objective(net, (generic ? { ...loss } : loss) as typeof loss, { x, y });
  f(p0); // compiles (the program needs the parameters' layout) and warms up
  const t0 = clock();
  for (let k = 0; k < evaluations; k++) f(p0);
  return (clock() - t0) / evaluations;
};

// ---------------------------------------------------------------- W6 and W7

/**
 * W6, the lecture's regularization through `fit`: W1's data and net with `dropout(0.1)` after each
 * hidden ReLU, AdamW (ρ = 1e-3, decoupled weight decay λ = 1e-4), Huber loss (δ = 1), batch 64,
 * 10% of the rows held out for validation, early stopping with patience 5, 10 epochs. Returns the
 * seconds, the epochs run and the last validation loss.
 */
export const foldnetRegularized = (s: TrainSpec, epochs: number): { seconds: number; epochs: number; trainRows: number; valLoss: number } => {
  const net = sequential(dense(32, 64), relu, dropout(0.1), dense(64, 64), relu, dropout(0.1), dense(64, 1));
  const p0 = [...paramsFrom(s.sizes, s.inits)] as unknown[];
  // the dropout layers sit after the ReLUs: θ = [d0, {}, {}, d1, {}, {}, d2]
  const params = Object.freeze([p0[0], {}, {}, p0[2], {}, {}, p0[4]]);
  const x = unsafeMat(s.rows, 32, s.x);
  const y = unsafeMat(s.rows, 1, s.y);
  const t0 = clock();
  const r = fit(net, params as never, { x, y }, {
    loss: huberWith(1), optimizer: adamw(1e-3, { weightDecay: 1e-4 }), epochs, batchSize: 64, key: key(0),
    validationSplit: 0.1, earlyStopping: { patience: 5 },
  });
  const seconds = clock() - t0;
  return { seconds, epochs: r.state.epoch, trainRows: s.rows - Math.round(0.1 * s.rows), valLoss: r.history.valLoss[r.history.valLoss.length - 1]! };
};

type ScaleShiftParams<N extends number> = { readonly s: Mat<1, N>; readonly t: Mat<1, N> };
const scaleShiftInit = <N extends number>(width: N) => (): ScaleShiftParams<N> =>
  Object.freeze({ s: unsafeMat(1, width, new Float64Array(width).fill(1)), t: unsafeMat(1, width, new Float64Array(width)) });
const noJvp = (): never => {
  throw new Error('scaleShift: jvp is not used here');
};

/**
 * A layer the library does not know, written by a user with `defineLayer` from the public ops:
 * a per-column scale and shift `y = x ⊙ s + t` (its parameters `{ s, t }`, 1 × width each), with
 * `∂s = 1ᵀ(dy ⊙ x)`, `∂t = 1ᵀdy`, `dx = dy ⊙ s`: each step a named op (`mulRowVector`, `mul`, …).
 */
export const scaleShift = <N extends number>(width: N) =>
  defineLayer<N, N, ScaleShiftParams<N>>({
    kind: 'scaleShift',
    inputDim: width,
    outputDim: width,
    init: scaleShiftInit(width),
    forward: (p, xx) => Ops.addRowVector(Ops.mulRowVector(xx, unsafeVec(width, p.s.data)), unsafeVec(width, p.t.data)),
    vjp: (p, xx) => {
      const s = unsafeVec(width, p.s.data);
      return [
        Ops.addRowVector(Ops.mulRowVector(xx, s), unsafeVec(width, p.t.data)),
        (dy) => [
          Object.freeze({ s: unsafeMat(1, width, Ops.sumRows(Ops.mul(dy, xx)).data), t: unsafeMat(1, width, Ops.sumRows(dy).data) }),
          Ops.mulRowVector(dy, s),
        ],
      ];
    },
    jvp: noJvp,
  });

/**
 * The same layer written with a callback per element (`zipWith((a, b) => a * b)` over a matrix of
 * the scale repeated on every row): the same numbers, at the cost of one JavaScript call per entry.
 */
export const scaleShiftCallbacks = <N extends number>(width: N) =>
  defineLayer<N, N, ScaleShiftParams<N>>({
    kind: 'scaleShift',
    inputDim: width,
    outputDim: width,
    init: scaleShiftInit(width),
    forward: (p, xx) => Ops.addRowVector(Ops.zipWith(xx, Ops.addRowVector(zeros(xx.rows, width), unsafeVec(width, p.s.data)), (a, b) => a * b), unsafeVec(width, p.t.data)),
    vjp: (p, xx) => {
      const sRows = Ops.addRowVector(zeros(xx.rows, width), unsafeVec(width, p.s.data));
      const yy = Ops.addRowVector(Ops.zipWith(xx, sRows, (a, b) => a * b), unsafeVec(width, p.t.data));
      return [
        yy,
        (dy) => [
          Object.freeze({ s: unsafeMat(1, width, Ops.sumRows(Ops.zipWith(dy, xx, (g, a) => g * a)).data), t: unsafeMat(1, width, Ops.sumRows(dy).data) }),
          Ops.zipWith(dy, sRows, (g, b) => g * b),
        ],
      ];
    },
    jvp: noJvp,
  });

/**
 * W7: W1-B64 with one custom `defineLayer` ({@link scaleShift}, or {@link scaleShiftCallbacks}
 * when `callbacks`) in the middle of the net, through `fit` (the compiled program runs it as an
 * opaque stage) or through the all-generic path (the same optimizer copied with `{ ...opt }`,
 * which carries no lowered form: fit folds makeStep).
 */
export const foldnetCustom = (s: TrainSpec, generic: boolean, callbacks = false): TrainRun => {
  const custom = callbacks ? scaleShiftCallbacks(64) : scaleShift(64);
  const net = sequential(dense(32, 64), relu, custom, dense(64, 64), relu, dense(64, 1));
  const p0 = paramsFrom(s.sizes, s.inits);
  const params = Object.freeze([p0[0], {}, custom.init(key(0)), p0[2], {}, p0[4]]);
  const x = unsafeMat(s.rows, 32, s.x);
  const y = unsafeMat(s.rows, 1, s.y);
  const opt = sgd(0.02) as GradientTransformation<unknown>;
  const t0 = clock();
  const r = fit(net, params as never, { x, y }, { loss: mse, optimizer: generic ? { ...opt } : opt, epochs: s.orders.length, batchSize: s.batch, key: key(0), order: (e) => s.orders[e - 1]! });
  const seconds = clock() - t0;
  const out = r.params as readonly unknown[];
  return {
    seconds,
    predict: (xs, rows) => net.forward(out as never, unsafeMat(rows, 32, xs)).data,
    trained: () => trainedOf(s.sizes, [out[0], {}, out[3], {}, out[5]]),
  };
};

// ---------------------------------------------------------------- W8 and W9

/** W8's net: an LSTM with 32 units over `[24, 4]`, its last state into dense(32, 1). */
export const w8Net = () => sequential(lstm([24, 4], 32), dense(32, 1));

/**
 * W9's net: conv 3×3 ×16 → ReLU → maxPool 2 → conv 3×3 ×32 → ReLU → maxPool 2 → flatten →
 * dense 10 over 28×28×1 images.
 */
export const w9Net = () =>
  sequential(
    conv2d([28, 28, 1], { filters: 16, kernel: 3 }), relu, maxPool([26, 26, 16], 2),
    conv2d([13, 13, 16], { filters: 32, kernel: 3 }), relu, maxPool([11, 11, 32], 2),
    flatten([5, 5, 32]), dense(800, 10),
  );

/**
 * W8/W9 through `fit` as users call it: Adam, shuffled batches from `key(0)`, the net's own
 * initialization from `key(1)`. The loss is MSE (W8; foldnet's ½ convention, reported ×2 as the
 * mean over rows and outputs) or softmax cross-entropy (W9), the last epoch's training loss.
 */
export const foldnetShaped = (s: ShapedSpec): ShapedRun => {
  const net: AnyLayer = s.id === 'W8' ? w8Net() : w9Net();
  const p0 = net.init(key(1));
  const x = unsafeMat(s.rows, net.inputDim, s.x);
  const y = unsafeMat(s.rows, s.out, s.y);
  const t0 = clock();
  const r = fit(net, p0 as never, { x, y }, { loss: s.id === 'W8' ? mse : softmaxCrossEntropy, optimizer: adam(s.lr), epochs: s.epochs, batchSize: s.batch, key: key(0) });
  const seconds = clock() - t0;
  const l = r.history.trainLoss[r.history.trainLoss.length - 1]!;
  return { seconds, loss: s.id === 'W8' ? 2 * l : l };
};

// ---------------------------------------------------------------- data-parallel workers

/** CPU seconds of the calling thread (Linux: /proc/thread-self/stat, in clock ticks of 1/100 s), else NaN. */
const threadCpu = (): number => {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
};

/**
 * `fitParallel` as users call it, on wall-clock time (its threads run at once): the seconds per
 * epoch once running (epochs 3…E, between the second and the last state the lazy form yields: a
 * new thread's code, WebAssembly included, is still being optimised during its first epochs), the
 * start-up (threads started and compiled, before the first epoch's work), and per epoch the CPU
 * seconds of the whole process (every thread's work) and of the calling thread alone.
 */
export const foldnetParallel = async (
  s: TrainSpec, workers: number,
): Promise<{ readonly epoch: number; readonly startup: number; readonly cpu: number; readonly mainCpu: number; readonly run: TrainRun }> => {
  const { net, p0, optimizer, loss, x, y } = setup(s);
  const t0 = performance.now();
  const stamps: number[] = [];
  let cpu0 = process.cpuUsage();
  let main0 = 0;
  let last: readonly unknown[] = p0;
  const opts = { loss, optimizer, epochs: s.orders.length, batchSize: s.batch, key: key(0), order: (e: number) => s.orders[e - 1]!, workers };
  for await (const st of fitParallelEpochs(net, p0, { x, y }, opts)) {
    stamps.push(performance.now());
    if (stamps.length === 2) {
      cpu0 = process.cpuUsage();
      main0 = threadCpu();
    }
    last = st.params as readonly unknown[];
  }
  const E = stamps.length;
  const cpu = process.cpuUsage(cpu0);
  const mainCpu = threadCpu() - main0;
  const epoch = (stamps[E - 1]! - stamps[1]!) / 1e3 / (E - 2);
  return {
    epoch,
    startup: (stamps[0]! - t0) / 1e3 - epoch,
    cpu: (cpu.user + cpu.system) / 1e6 / (E - 2),
    mainCpu: mainCpu / (E - 2),
    run: runOf(s, net, last, (stamps[E - 1]! - t0) / 1e3),
  };
};

/** `fit` on wall-clock time, per epoch (the reference of the workers' rows). */
export const foldnetWallEpoch = (s: TrainSpec): number => {
  const { net, p0, optimizer, loss, x, y } = setup(s);
  const t0 = performance.now();
  fit(net, p0, { x, y }, { loss, optimizer, epochs: s.orders.length, batchSize: s.batch, key: key(0), order: (e) => s.orders[e - 1]! });
  return (performance.now() - t0) / 1e3 / s.orders.length;
};
