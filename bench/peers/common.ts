/** Shared types and metrics of the benchmark peers. */

/** A training workload, described the same way for every peer. */
export interface TrainSpec {
  readonly id: string;
  readonly sizes: readonly number[]; // layer widths; ReLU between, linear output
  readonly inits: readonly Float32Array[]; // Glorot kernels [in, out]; biases start at 0
  readonly x: Float64Array; // rows×sizes[0] (values exactly representable in f32)
  readonly y: Float64Array; // rows×out (one-hot rows for 'ce')
  readonly rows: number;
  readonly orders: readonly Int32Array[]; // one row order per epoch
  readonly batch: number;
  readonly loss: 'mse' | 'ce'; // 'mse' = mean over batch and outputs, no ½ (bench/README.md)
  readonly opt: { readonly kind: 'sgd'; readonly lr: number } | { readonly kind: 'adam'; readonly lr: number; readonly b1: number; readonly b2: number; readonly eps: number };
  readonly unit: 'rows/s' | 'steps/s';
}

/** Trained weights as plain arrays, [in, out] kernels and biases, per layer. */
export interface Trained {
  readonly w: readonly Float64Array[];
  readonly b: readonly Float64Array[];
}

/** What a peer returns for one training run. */
export interface TrainRun {
  readonly seconds: number;
  readonly predict: (x: Float64Array, rows: number) => Float64Array | Float32Array | Promise<Float64Array | Float32Array>;
  readonly trained: () => Trained | Promise<Trained>;
}

export const updatesOf = (s: TrainSpec): number => s.orders.reduce((t, o) => t + Math.ceil(o.length / s.batch), 0);
export const rowsSeen = (s: TrainSpec): number => s.orders.reduce((t, o) => t + o.length, 0);

/** The workloads' final metrics (bench/README.md): MSE (mean over rows and outputs) or softmax CE + accuracy. */
export const metrics = (s: TrainSpec, yhat: ArrayLike<number>): { loss: number; acc?: number } => {
  const out = s.sizes[s.sizes.length - 1]!;
  const n = s.rows;
  if (s.loss === 'mse') {
    let t = 0;
    for (let i = 0; i < n * out; i++) t += (yhat[i]! - s.y[i]!) ** 2;
    return { loss: t / (n * out) };
  }
  let ce = 0;
  let hit = 0;
  for (let r = 0; r < n; r++) {
    let m = -Infinity;
    let arg = 0;
    for (let j = 0; j < out; j++) if (yhat[r * out + j]! > m) { m = yhat[r * out + j]!; arg = j; }
    let se = 0;
    for (let j = 0; j < out; j++) se += Math.exp(yhat[r * out + j]! - m);
    const lse = m + Math.log(se);
    for (let j = 0; j < out; j++) if (s.y[r * out + j] === 1) { ce += lse - yhat[r * out + j]!; if (j === arg) hit++; }
  }
  return { loss: ce / n, acc: hit / n };
};

let useWall = process.argv.includes('--wall');
/** Uses wall-clock time instead of process CPU time. */
export const setWallClock = (wall: boolean): void => {
  useWall = wall;
};
/**
 * The bench's clock in seconds: process CPU time (user + system) by default, so that other
 * processes on a shared machine do not count against a peer; `--wall` for wall-clock time.
 */
export const clock = (): number => {
  if (useWall) return performance.now() / 1000;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * A shaped workload (W8, W9): `rows` examples of `shape` (one per row, channels last), targets
 * `rows × out` (one-hot rows for 'ce'), batch size, Adam's learning rate, epochs.
 */
export interface ShapedSpec {
  readonly id: 'W8' | 'W9';
  readonly shape: readonly number[];
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly out: number;
  readonly batch: number;
  readonly lr: number;
  readonly epochs: number;
}

/** What a peer returns for one shaped run: seconds and the final training loss (its own convention). */
export interface ShapedRun {
  readonly seconds: number;
  readonly loss: number;
}
