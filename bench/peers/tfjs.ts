/**
 * TensorFlow.js peers: `@tensorflow/tfjs` on its `cpu` backend and `@tensorflow/tfjs-backend-wasm`
 * (SIMD, one thread; the .wasm files are loaded from node_modules via setWasmPaths). The training
 * loop is the hand-written one the tfjs docs suggest: variables, `optimizer.minimize`, `tf.gather`
 * for the batch, float32 as tfjs computes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { clock, type ShapedRun, type ShapedSpec, type Trained, type TrainRun, type TrainSpec } from './common.js';

type TF = typeof import('@tensorflow/tfjs');

let tfPromise: Promise<TF> | null = null;
let wasmReady = false;

export const loadTf = async (): Promise<TF> => {
  if (tfPromise === null) {
    tfPromise = (async () => {
      const tf = await import('@tensorflow/tfjs');
      return tf;
    })();
  }
  return tfPromise;
};

/** Switches tfjs to `backend` ('cpu' or 'wasm'); returns a description (e.g. SIMD on). */
export const useBackend = async (backend: 'cpu' | 'wasm'): Promise<string> => {
  const tf = await loadTf();
  if (backend === 'wasm' && !wasmReady) {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const req = createRequire(import.meta.url);
    const dist = dirname(req.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': join(dist, 'tfjs-backend-wasm.wasm'),
      'tfjs-backend-wasm-simd.wasm': join(dist, 'tfjs-backend-wasm-simd.wasm'),
      'tfjs-backend-wasm-threaded-simd.wasm': join(dist, 'tfjs-backend-wasm-threaded-simd.wasm'),
    });
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmReady = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
  if (backend === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const mt = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${mt ? 'on' : 'off'})`;
  }
  return tf.getBackend();
};

export const tfTrain = async (s: TrainSpec): Promise<TrainRun> => {
  const tf = await loadTf();
  const L = s.sizes.length - 1;
  const out = s.sizes[L]!;
  const ws = s.inits.map((k, l) => tf.variable(tf.tensor2d(k, [s.sizes[l]!, s.sizes[l + 1]!])));
  const bs = s.sizes.slice(1).map((o) => tf.variable(tf.zeros([o])));
  const X = tf.tensor2d(Float32Array.from(s.x), [s.rows, s.sizes[0]!]);
  const Y = tf.tensor2d(Float32Array.from(s.y), [s.rows, out]);
  const predict = (x: import('@tensorflow/tfjs').Tensor2D): import('@tensorflow/tfjs').Tensor2D => {
    let h = x;
    for (let l = 0; l < L; l++) {
      const z = tf.add(tf.matMul(h, ws[l]!), bs[l]!) as import('@tensorflow/tfjs').Tensor2D;
      h = l + 1 < L ? tf.relu(z) : z;
    }
    return h;
  };
  const opt = s.opt.kind === 'sgd' ? tf.train.sgd(s.opt.lr) : tf.train.adam(s.opt.lr, s.opt.b1, s.opt.b2, s.opt.eps);
  const lossFn = (yb: import('@tensorflow/tfjs').Tensor2D, yh: import('@tensorflow/tfjs').Tensor2D): import('@tensorflow/tfjs').Scalar =>
    s.loss === 'mse' ? (tf.losses.meanSquaredError(yb, yh) as import('@tensorflow/tfjs').Scalar) : (tf.losses.softmaxCrossEntropy(yb, yh) as import('@tensorflow/tfjs').Scalar);
  const t0 = clock();
  for (const order of s.orders) {
    for (let start = 0; start < order.length; start += s.batch) {
      tf.tidy(() => {
        const idx = tf.tensor1d(order.subarray(start, Math.min(order.length, start + s.batch)), 'int32');
        const xb = tf.gather(X, idx);
        const yb = tf.gather(Y, idx);
        opt.minimize(() => lossFn(yb, predict(xb)));
      });
    }
  }
  // make sure all queued work finished before stopping the clock
  await ws[0]!.data();
  const seconds = clock() - t0;
  const trained = async (): Promise<Trained> => ({
    w: await Promise.all(ws.map(async (v) => Float64Array.from(await v.data()))),
    b: await Promise.all(bs.map(async (v) => Float64Array.from(await v.data()))),
  });
  return {
    seconds,
    predict: async (xs, rows) => {
      const xt = tf.tensor2d(Float32Array.from(xs), [rows, s.sizes[0]!]);
      const yt = predict(xt);
      const d = (await yt.data()) as Float32Array;
      xt.dispose();
      yt.dispose();
      return d;
    },
    trained: async () => {
      const t = await trained();
      X.dispose();
      Y.dispose();
      ws.forEach((v) => v.dispose());
      bs.forEach((v) => v.dispose());
      opt.dispose();
      return t;
    },
  };
};

/** GFLOP/s of C = A·B (f32, n×n) on the current backend, median of `reps` timed calls. */
export const tfGemm = async (n: number, reps: number): Promise<number> => {
  const tf = await loadTf();
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  for (let i = 0; i < 3; i++) tf.tidy(() => tf.matMul(a as import('@tensorflow/tfjs').Tensor2D, b as import('@tensorflow/tfjs').Tensor2D).dataSync());
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = clock();
    tf.tidy(() => tf.matMul(a as import('@tensorflow/tfjs').Tensor2D, b as import('@tensorflow/tfjs').Tensor2D).dataSync());
    times.push((clock() - t0) * 1000);
  }
  a.dispose();
  b.dispose();
  times.sort((p, q) => p - q);
  return (2 * n ** 3) / (times[Math.floor(times.length / 2)]! / 1000) / 1e9;
};

/** Inference rows/s of a trained model over `x` in batches of `batch` (f32). */
export const tfInfer = async (sizes: readonly number[], t: Trained, x: Float64Array, rows: number, batch: number): Promise<{ seconds: number; out: Float32Array }> => {
  const tf = await loadTf();
  const L = sizes.length - 1;
  const ws = t.w.map((w, l) => tf.tensor2d(Float32Array.from(w), [sizes[l]!, sizes[l + 1]!]));
  const bs = t.b.map((b) => tf.tensor1d(Float32Array.from(b)));
  const X = tf.tensor2d(Float32Array.from(x), [rows, sizes[0]!]);
  const out = new Float32Array(rows * sizes[L]!);
  const run = (): void => {
    for (let start = 0; start < rows; start += batch) {
      const d = tf.tidy(() => {
        let h = tf.slice(X, [start, 0], [Math.min(batch, rows - start), sizes[0]!]) as import('@tensorflow/tfjs').Tensor2D;
        for (let l = 0; l < L; l++) {
          const z = tf.add(tf.matMul(h, ws[l]!), bs[l]!) as import('@tensorflow/tfjs').Tensor2D;
          h = l + 1 < L ? tf.relu(z) : z;
        }
        return h.dataSync() as Float32Array;
      });
      out.set(d, start * sizes[L]!);
    }
  };
  run(); // warm-up
  const t0 = clock();
  run();
  const seconds = clock() - t0;
  X.dispose();
  ws.forEach((w) => w.dispose());
  bs.forEach((b) => b.dispose());
  return { seconds, out };
};

/**
 * W6 for tfjs-layers, the closest it has to foldnet's run: `tf.sequential` with dense ReLU layers
 * and `dropout(0.1)` after each hidden one, an L2 kernel regularizer (λ = 1e-4; tfjs has no AdamW),
 * Adam 1e-3, Huber loss (δ = 1), `model.fit` with batch 64, `validationSplit: 0.1` and early
 * stopping (patience 5) for `epochs` epochs. Returns the seconds and the epochs run.
 */
export const tfFitRegularized = async (s: TrainSpec, epochs: number): Promise<{ seconds: number; epochs: number }> => {
  const tf = await loadTf();
  const reg = () => tf.regularizers.l2({ l2: 1e-4 });
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [32], units: 64, activation: 'relu', kernelRegularizer: reg() }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelRegularizer: reg() }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 1, kernelRegularizer: reg() }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: (yt: import('@tensorflow/tfjs').Tensor, yp: import('@tensorflow/tfjs').Tensor) => tf.losses.huberLoss(yt, yp, undefined, 1) });
  const X = tf.tensor2d(Float32Array.from(s.x), [s.rows, 32]);
  const Y = tf.tensor2d(Float32Array.from(s.y), [s.rows, 1]);
  const t0 = clock();
  const h = await model.fit(X, Y, { batchSize: 64, epochs, validationSplit: 0.1, shuffle: true, verbose: 0, callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 5 })] });
  const seconds = clock() - t0;
  X.dispose();
  Y.dispose();
  model.dispose();
  return { seconds, epochs: h.epoch.length };
};

/**
 * W8/W9 for tfjs-layers with the same nets: `tf.layers.lstm` (32 units, last state) → dense 1 with
 * MSE (W8), or conv2d 3×3 ×16 (ReLU) → maxPooling2d 2 → conv2d 3×3 ×32 (ReLU) → maxPooling2d 2 →
 * flatten → dense 10 with softmax cross-entropy on the logits (W9); Adam, `model.fit` with the
 * spec's batch size and epochs (shuffled). Returns the seconds and the last epoch's loss.
 */
export const tfFitShaped = async (s: ShapedSpec): Promise<ShapedRun> => {
  const tf = await loadTf();
  const model = tf.sequential();
  if (s.id === 'W8') {
    model.add(tf.layers.lstm({ inputShape: [s.shape[0]!, s.shape[1]!], units: 32 }));
    model.add(tf.layers.dense({ units: 1 }));
  } else {
    model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 10 }));
  }
  model.compile({
    optimizer: tf.train.adam(s.lr),
    loss: s.id === 'W8' ? 'meanSquaredError' : (yt: import('@tensorflow/tfjs').Tensor, yp: import('@tensorflow/tfjs').Tensor) => tf.losses.softmaxCrossEntropy(yt, yp),
  });
  const X = tf.tensor(Float32Array.from(s.x), [s.rows, ...s.shape]);
  const Y = tf.tensor2d(Float32Array.from(s.y), [s.rows, s.out]);
  const t0 = clock();
  const h = await model.fit(X, Y, { batchSize: s.batch, epochs: s.epochs, shuffle: true, verbose: 0 });
  const seconds = clock() - t0;
  X.dispose();
  Y.dispose();
  model.dispose();
  const losses = h.history['loss'] as number[];
  return { seconds, loss: losses[losses.length - 1]! };
};
