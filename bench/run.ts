/**
 * `npm run bench [-- --quick] [-- --json [file]] [-- --memory] [-- --only W3,W1-B1] [-- --no-tfjs]`
 *
 * Runs the workloads described in bench/README.md (W1-B64, W1-B256, W1-B1, W2, W3, W4, W5, and W6 to W9 below) for foldnet
 * (`fit` as users call it, and its compiled program alone as the 'engine' column), a
 * hand-written typed-array loop and TensorFlow.js (cpu backend; wasm backend with SIMD, one
 * thread) in one process, on the same data (generated in-process by bench/data.ts, byte-identical
 * to the generator the oracle losses were measured on), and prints
 * one table with rates, ratios and final losses next to the oracle losses, plus fit's per-epoch
 * overhead. Everything runs single-threaded.
 *
 * W6 (regularized training through fit): W1's data and net with dropout(0.1) after each hidden
 * ReLU, AdamW (1e-3, weight decay 1e-4), Huber loss (δ = 1), batch 64, validationSplit 0.1, early
 * stopping with patience 5, 10 epochs; tfjs-layers' model.fit with dropout, Adam + an L2 kernel
 * regularizer and Huber loss. W7 (a custom layer): W1-B64 with one user defineLayer in the middle
 * of the net, fit's program against the all-generic path. W8 (an LSTM) and W9 (a CNN) through
 * fit against tfjs-layers' model.fit with the same nets, on seeded synthetic sequences and images.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeWorkloadData, N, EPOCHS } from './data.js';
import { clock, metrics, rowsSeen, updatesOf, type TrainRun, type TrainSpec, type Trained } from './peers/common.js';
import { handTrain, handForward } from './peers/hand.js';
import { foldnetCustom, foldnetEngine, foldnetObjective, foldnetParallel, foldnetStream, foldnetRegularized, foldnetShaped, foldnetTrain, foldnetWallEpoch, netFor, paramsFrom } from './peers/foldnet.js';
import type { ShapedRun, ShapedSpec } from './peers/common.js';
import { ensureArena, simdAvailable } from '../src/tensor/wasm/arena.js';
import { compileProgram } from '../src/train/engine.js';
import { predict } from '../src/train/predict.js';
import { mse } from '../src/loss/mse.js';
import { sgd as sgdRecipe } from '../src/optim/recipes.js';
import type { GradientTransformation } from '../src/optim/transform.js';
import { key } from '../src/random.js';
import { unsafeMat } from '../src/tensor/mat.js';

const argv = process.argv.slice(2);
const flag = (f: string): boolean => argv.includes(f);
const valueOf = (f: string): string | undefined => {
  const i = argv.indexOf(f);
  return i >= 0 && i + 1 < argv.length && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined;
};
const quick = flag('--quick');
const noTf = flag('--no-tfjs');
const only = valueOf('--only')?.split(',');
const passes = Number(valueOf('--passes') ?? (quick ? 1 : 3));
const want = (id: string): boolean => only === undefined || only.includes(id);

const machine = (): string => {
  let model = cpus()[0]?.model ?? 'unknown cpu';
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    /* not Linux */
  }
  return `${model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}-${process.arch}, load ${
    (globalThis as { process: { platform: string } }).process.platform === 'linux' ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?'
  }`;
};

const uptime = (): string => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---------------------------------------------------------------- data and workloads
const d = makeWorkloadData();
const X = Float64Array.from(d.X);
const yReg = Float64Array.from(d.yReg);
const oneHot = new Float64Array(N * 4);
d.yCls.forEach((c, i) => (oneHot[i * 4 + c] = 1));
const perms = Array.from({ length: EPOCHS }, (_, e) => d.perm.subarray(e * N, (e + 1) * N));
const epochs = quick ? 1 : EPOCHS;

// W1-B1: the first 2000 rows of permutation 0, in that order, 3 passes
const n1 = 2000;
const x1 = new Float64Array(n1 * 32);
const y1 = new Float64Array(n1);
for (let r = 0; r < n1; r++) {
  const i = perms[0]![r]!;
  x1.set(X.subarray(i * 32, i * 32 + 32), r * 32);
  y1[r] = yReg[i]!;
}
const ident = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

interface Workload {
  readonly spec: TrainSpec;
  readonly oracle?: { loss: number; acc?: number };
}
const sgd = (lr: number) => ({ kind: 'sgd', lr }) as const;
const workloads: Workload[] = [
  { spec: { id: 'W1-B64', sizes: d.layers.w1, inits: d.inits.w1, x: X, y: yReg, rows: N, orders: perms.slice(0, epochs), batch: 64, loss: 'mse', opt: sgd(0.01), unit: 'rows/s' }, oracle: { loss: 0.16133 } },
  { spec: { id: 'W1-B256', sizes: d.layers.w1, inits: d.inits.w1, x: X, y: yReg, rows: N, orders: perms.slice(0, epochs), batch: 256, loss: 'mse', opt: sgd(0.01), unit: 'rows/s' }, oracle: { loss: 0.214196 } },
  { spec: { id: 'W1-B1', sizes: d.layers.w1, inits: d.inits.w1, x: x1, y: y1, rows: n1, orders: Array.from({ length: quick ? 1 : 3 }, () => ident(n1)), batch: 1, loss: 'mse', opt: sgd(0.01), unit: 'steps/s' }, oracle: { loss: 0.2022 } },
  {
    spec: { id: 'W2', sizes: d.layers.w2, inits: d.inits.w2, x: X, y: oneHot, rows: N, orders: perms.slice(0, epochs), batch: 128, loss: 'ce', opt: { kind: 'adam', lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8 }, unit: 'rows/s' },
    oracle: { loss: 0.2582, acc: 0.8995 },
  },
  {
    spec: { id: 'W3', sizes: d.layers.w3, inits: d.inits.w3, x: Float64Array.from(d.tinyX), y: Float64Array.from(d.tinyY), rows: 1000, orders: Array.from({ length: quick ? 1 : 4 }, () => ident(1000)), batch: 1, loss: 'mse', opt: sgd(0.01), unit: 'steps/s' },
    oracle: { loss: 0.0324195 },
  },
];

// 'foldnet' is `fit(...)` as users call it; 'engine' is its compiled program alone (an extra line)
type Peer = 'foldnet' | 'engine' | 'hand' | 'tfjs-cpu' | 'tfjs-wasm';
const peers: Peer[] = noTf ? ['foldnet', 'engine', 'hand'] : ['foldnet', 'engine', 'hand', 'tfjs-cpu', 'tfjs-wasm'];

interface Row {
  id: string;
  unit: string;
  rate: Partial<Record<Peer, number>>;
  loss: Partial<Record<Peer, number>>;
  acc: Partial<Record<Peer, number>>;
  oracle?: { loss: number; acc?: number };
}
const rows: Row[] = [];
const notes: string[] = [];
let w2trained: Trained | undefined;
let w5fwd: number | undefined;

const tf = noTf ? undefined : await import('./peers/tfjs.js');

const trainWith = async (peer: Peer, s: TrainSpec): Promise<TrainRun> => {
  if (peer === 'foldnet') return foldnetTrain(s);
  if (peer === 'engine') return foldnetEngine(s);
  if (peer === 'hand') return handTrain(s);
  const desc = await tf!.useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
  if (!notes.some((n) => n.startsWith(peer))) notes.push(`${peer}: ${desc}`);
  return tf!.tfTrain(s);
};

const warmSpec = (s: TrainSpec, full: boolean): TrainSpec => ({ ...s, orders: [full ? s.orders[0]! : s.orders[0]!.subarray(0, Math.min(s.orders[0]!.length, s.batch * 20))] });

const log = (m: string): void => void process.stderr.write(m + '\n');

const runTraining = async (): Promise<void> => {
  for (const w of workloads) {
    const s = w.spec;
    if (!want(s.id)) continue;
    const row: Row = { id: s.id, unit: s.unit, rate: {}, loss: {}, acc: {}, ...(quick || w.oracle === undefined ? {} : { oracle: w.oracle }) };
    const work = s.unit === 'rows/s' ? rowsSeen(s) : updatesOf(s);
    // Warm-up: the JS peers run one epoch, then whole workloads until ~1 s of clock or 5 runs
    // (V8 needs several calls before a big training loop settles in optimised code), all of them
    // before any is timed (fit and the engine share their code: neither gets the other's warm-up);
    // tfjs 20 batches, just before its timed run.
    for (const peer of peers.filter((p) => !p.startsWith('tfjs'))) {
      let spent = 0;
      for (let k = 0; k < 5 && spent < 1; k++) {
        const r = await trainWith(peer, k === 0 ? warmSpec(s, true) : s);
        spent += r.seconds;
        await r.trained();
      }
    }
    for (const peer of peers) {
      const tfPeer = peer.startsWith('tfjs');
      if (tfPeer) await trainWith(peer, warmSpec(s, false)).then((r) => r.trained());
      const np = tfPeer ? 1 : passes;
      const times: number[] = [];
      let last: TrainRun | undefined;
      for (let p = 0; p < np; p++) {
        let r = await trainWith(peer, s);
        // Short workloads (W3 takes ~10 ms) are repeated within the pass until ≥ 0.25 s of
        // clock, and the pass reports the mean per run, so one scheduler hiccup cannot decide it.
        if (!tfPeer && r.seconds < 0.25) {
          const reps = Math.ceil(0.25 / Math.max(r.seconds, 1e-4));
          let total = 0;
          for (let k = 0; k < reps; k++) {
            await r.trained();
            r = await trainWith(peer, s);
            total += r.seconds;
          }
          times.push(total / reps);
        } else {
          times.push(r.seconds);
        }
        if (p < np - 1) await r.trained();
        last = r;
      }
      // W1-B1's final MSE is over all 20000 rows, as its oracle's
      const ev: TrainSpec = s.id === 'W1-B1' ? { ...s, x: X, y: yReg, rows: N } : s;
      const yhat = await last!.predict(ev.x, ev.rows);
      const m = metrics(ev, yhat);
      const tr = await last!.trained();
      if (peer === 'foldnet' && s.id === 'W2') w2trained = tr;
      row.rate[peer] = work / median(times);
      row.loss[peer] = m.loss;
      if (m.acc !== undefined) row.acc[peer] = m.acc;
      log(`${s.id} ${peer}: ${(work / median(times)).toFixed(0)} ${s.unit} (${times.map((t) => t.toFixed(3)).join(', ')} s), loss ${m.loss.toPrecision(6)}${m.acc !== undefined ? `, acc ${m.acc.toFixed(4)}` : ''}`);
    }
    rows.push(row);
  }
};

// ---------------------------------------------------------------- fit's epoch overhead
// fit's per-epoch bookkeeping (history, early-stopping record, copying the parameters in and out
// of the arena) is what `fit` costs beyond its compiled program: (t_fit − t_engine) / epochs, and
// as a share of the engine's epoch. The two are timed alternately (7 pairs, medians), so neither
// gets a warmer JIT or a cleaner heap than the other.
const overheadNotes = (): void => {
  for (const w of workloads) {
    const s = w.spec;
    if (!want(s.id) || (s.id !== 'W1-B64' && s.id !== 'W3' && s.id !== 'W1-B1')) continue;
    const tf: number[] = [];
    const te: number[] = [];
    for (let k = 0; k < 7; k++) {
      tf.push(foldnetTrain(s).seconds);
      te.push(foldnetEngine(s).seconds);
    }
    const tFit = median(tf);
    const tEng = median(te);
    const epochs = s.orders.length;
    notes.push(`${s.id}: fit's epoch overhead ${(((tFit - tEng) / epochs) * 1e3).toFixed(2)} ms per epoch = ${(((tFit - tEng) / tEng) * 100).toFixed(1)}% of the engine's epoch (${((tEng / epochs) * 1e3).toFixed(2)} ms; fit and engine timed alternately, medians of 7)`);
  }
};

// ---------------------------------------------------------------- extra lines: fitStream, the full-batch objective
// W1-B64 through fitStream, its batches already in memory, timed alternately with fit (so the ratio
// is the stream path's own cost, with no parser); and the full-batch objective of conjugate
// gradient and L-BFGS over W1's 20,000 rows, compiled against the layers' own vjp.
const extraNotes = async (): Promise<void> => {
  if (!want('W1-B64') || quick) return;
  const s = workloads[0]!.spec;
  await foldnetStream(s);
  const ts: number[] = [];
  const tf: number[] = [];
  let same = true;
  for (let k = 0; k < passes; k++) {
    const r = await foldnetStream(s);
    same &&= r.sameAsFit;
    ts.push(r.seconds);
    tf.push(foldnetTrain(s).seconds);
  }
  const stream = rowsSeen(s) / median(ts);
  const fitRate = rowsSeen(s) / median(tf);
  notes.push(`W1-B64 (extra line) through fitStream on in-memory batches: ${fmt(stream, 'rows/s')} rows/s = ${ratio(stream, fitRate)} fit's ${fmt(fitRate, 'rows/s')} (timed alternately); parameters ${same ? 'equal' : 'DIFFER from'} fit's bit for bit`);
  const compiled = foldnetObjective(s, false, 10);
  const generic = foldnetObjective(s, true, 3);
  notes.push(`W1 (extra line) full-batch objective of conjugateGradient/lbfgs over ${s.rows} rows: ${(compiled * 1e3).toFixed(1)} ms per evaluation compiled, ${(generic * 1e3).toFixed(1)} ms through the layers' own vjp (${ratio(generic, compiled)} faster)`);
};

// ---------------------------------------------------------------- W6: regularized training through fit
// W6 = W1's data and net with dropout(0.1) after each hidden ReLU, adamw(1e-3, weightDecay 1e-4),
// huberWith(1), batch 64, validationSplit 0.1, early stopping (patience 5), 10 epochs; tfjs-layers'
// model.fit with dropout, Adam + an L2 kernel regularizer (λ = 1e-4) and Huber loss, on both
// backends. Rate = training rows × epochs run / seconds. Also reported: W6 over W1-B64's fit rate.
const runRegularized = async (): Promise<void> => {
  if (!want('W6')) return;
  const s = workloads[0]!.spec;
  const ep = quick ? 1 : 10;
  const row: Row = { id: 'W6', unit: 'rows/s', rate: {}, loss: {}, acc: {} };
  foldnetRegularized(s, 1);
  foldnetTrain(s);
  // W6 and W1-B64's plain SGD fit timed alternately, so that the ratio between them sees the same
  // process state (heap, JIT, caches after the peers that ran before) and the same load
  const ts: { seconds: number; epochs: number; trainRows: number; valLoss: number }[] = [];
  const plain: number[] = [];
  for (let p = 0; p < passes; p++) {
    ts.push(foldnetRegularized(s, ep));
    plain.push(rowsSeen(s) / foldnetTrain(s).seconds);
  }
  const f = ts.sort((a, b) => a.seconds - b.seconds)[Math.floor(ts.length / 2)]!;
  row.rate.foldnet = (f.trainRows * f.epochs) / f.seconds;
  row.loss.foldnet = f.valLoss;
  const w1 = plain.sort((a, b) => a - b)[Math.floor(plain.length / 2)]!;
  if (tf !== undefined) {
    for (const peer of ['tfjs-cpu', 'tfjs-wasm'] as const) {
      await tf.useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
      await tf.tfFitRegularized(s, 1);
      const r = await tf.tfFitRegularized(s, ep);
      row.rate[peer] = (f.trainRows * r.epochs) / r.seconds;
    }
  }
  notes.push(`W6: ${f.epochs} epochs run; last validation Huber loss ${f.valLoss.toPrecision(5)}; W6 through fit = ${ratio(row.rate.foldnet, w1)} W1-B64's plain SGD fit (same widths; ${fmt(w1, 'rows/s')} rows/s, timed alternately with W6)`);
  log(`W6: ${Object.entries(row.rate).map(([k, v]) => `${k} ${v!.toFixed(0)}`).join(', ')} rows/s`);
  rows.push(row);
};

// ---------------------------------------------------------------- W7: a custom layer
// W7 = W1-B64 with one user `defineLayer` (a per-column scale and shift written with the public
// ops) between the first ReLU and the second dense layer: fit's program (the custom layer runs as
// an opaque stage) against the all-generic path on the same net (fit folding makeStep). An extra
// line times the same layer written with a callback per element (`ops.zipWith`), both ways.
const runCustom = (): void => {
  if (!want('W7')) return;
  const s = workloads[0]!.spec;
  const row: Row = { id: 'W7', unit: 'rows/s', rate: {}, loss: {}, acc: {} };
  const time = (generic: boolean, callbacks: boolean): number => {
    for (let k = 0; k < 2; k++) foldnetCustom(s, generic, callbacks); // warm-up: two whole runs
    const ts = Array.from({ length: passes }, () => foldnetCustom(s, generic, callbacks).seconds).sort((a, b) => a - b);
    return rowsSeen(s) / ts[Math.floor(ts.length / 2)]!;
  };
  row.rate.foldnet = time(false, false);
  const generic = time(true, false);
  notes.push(`W7: fit with one custom defineLayer in W1's net ${fmt(row.rate.foldnet, 'rows/s')} rows/s; the same net on the all-generic path ${fmt(generic, 'rows/s')} rows/s: ${ratio(row.rate.foldnet, generic)}`);
  log(`W7: program ${row.rate.foldnet.toFixed(0)}, generic ${generic.toFixed(0)} rows/s`);
  const withCallbacks = time(false, true);
  const genericCallbacks = time(true, true);
  notes.push(`W7 (extra line), the custom layer written with a callback per element (ops.zipWith): fit ${fmt(withCallbacks, 'rows/s')} rows/s, all-generic ${fmt(genericCallbacks, 'rows/s')} rows/s: ${ratio(withCallbacks, genericCallbacks)}`);
  log(`W7 callbacks: program ${withCallbacks.toFixed(0)}, generic ${genericCallbacks.toFixed(0)} rows/s`);
  rows.push(row);
};

// ---------------------------------------------------------------- W4: GEMM
const naiveGemm = (a: Float64Array, b: Float64Array, c: Float64Array, n: number): void => {
  c.fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const av = a[i * n + k]!;
    for (let j = 0; j < n; j++) c[i * n + j]! += av * b[k * n + j]!;
  }
};
const f32gflops: Record<string, number> = {};
const runGemm = async (): Promise<void> => {
  for (const n of quick ? [64, 256] : [64, 256, 1024]) {
    const id = `W4 n=${n}`;
    if (!want('W4') && !want(id)) continue;
    const row: Row = { id, unit: 'GFLOP/s', rate: {}, loss: {}, acc: {} };
    const reps = n >= 1024 ? 3 : n >= 256 ? 15 : 200;
    const flops = 2 * n ** 3;
    // foldnet: the arena GEMM (f64, SIMD when available), operands resident in the arena
    const ar = ensureArena(3 * n * n + 16);
    const f = ar.f64;
    for (let i = 0; i < 2 * n * n; i++) f[i] = Math.sin(i);
    const A = 0, B = n * n, C = 2 * n * n;
    for (let i = 0; i < 10; i++) ar.gemm(A, n, 1, B, n, C, n, 0, n, n, n, 0, 0);
    const tf64: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = (clock() * 1000);
      ar.gemm(A, n, 1, B, n, C, n, 0, n, n, n, 0, 0);
      tf64.push((clock() * 1000) - t0);
    }
    row.rate.foldnet = flops / (median(tf64) / 1000) / 1e9;
    // hand-written: naive i-k-j, Float64Array
    const a = new Float64Array(n * n).map((_, i) => Math.sin(i));
    const b = new Float64Array(n * n).map((_, i) => Math.cos(i));
    const c = new Float64Array(n * n);
    naiveGemm(a, b, c, Math.min(n, 64));
    const th: number[] = [];
    for (let i = 0; i < Math.max(1, Math.floor(reps / 3)); i++) {
      const t0 = (clock() * 1000);
      naiveGemm(a, b, c, n);
      th.push((clock() * 1000) - t0);
    }
    row.rate.hand = flops / (median(th) / 1000) / 1e9;
    if (tf !== undefined) {
      for (const peer of ['tfjs-cpu', 'tfjs-wasm'] as const) {
        await tf.useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
        row.rate[peer] = await tf.tfGemm(n, peer === 'tfjs-cpu' && n >= 1024 ? 1 : Math.max(1, Math.floor(reps / 3)));
      }
    }
    // the opt-in f32 SIMD kernel, same shape (measured to decide f64 vs f32; see RESULTS.md)
    if (ar.gemmF32 !== null) {
      const g32 = ar.gemmF32;
      const f32 = ar.f32;
      for (let i = 0; i < 2 * n * n; i++) f32[i] = Math.sin(i);
      const A2 = 0, B2 = n * n, C2 = 2 * n * n;
      for (let i = 0; i < 10; i++) g32(A2, n, 1, B2, n, C2, n, 0, n, n, n, 0, 0);
      const t32: number[] = [];
      for (let i = 0; i < reps; i++) {
        const t0 = (clock() * 1000);
        g32(A2, n, 1, B2, n, C2, n, 0, n, n, n, 0, 0);
        t32.push((clock() * 1000) - t0);
      }
      f32gflops[id] = flops / (median(t32) / 1000) / 1e9;
    }
    log(`${id}: ${Object.entries(row.rate).map(([k, v]) => `${k} ${v!.toFixed(2)}`).join(', ')} GFLOP/s`);
    rows.push(row);
  }
};

// ---------------------------------------------------------------- W5: inference
const runInference = async (): Promise<void> => {
  if (!want('W5')) return;
  const sizes = d.layers.w2;
  const t = w2trained ?? { w: d.inits.w2.map((k) => Float64Array.from(k)), b: sizes.slice(1).map((o) => new Float64Array(o)) };
  const row: Row = { id: 'W5', unit: 'rows/s', rate: {}, loss: {}, acc: {} };
  const batch = 1024;
  const net = netFor(sizes);
  const params = paramsFrom(sizes, t.w, t.b);
  const foldnetRun = (): void => {
    for (let st = 0; st < N; st += batch) {
      const r = Math.min(batch, N - st);
      net.forward(params, unsafeMat(r, 32, X.subarray(st * 32, (st + r) * 32)));
    }
  };
  const handRun = (): void => {
    for (let st = 0; st < N; st += batch) {
      const r = Math.min(batch, N - st);
      handForward(sizes, t.w, t.b, X.subarray(st * 32, (st + r) * 32), r);
    }
  };
  const xAll = unsafeMat(N, 32, X);
  // predict as users call it: the lowered forward on the arena (bitwise net.forward)
  const predict64 = (): void => void predict(net, params as never, xAll);
  const timeIt = (fn: () => void): number => {
    fn();
    const ts: number[] = [];
    for (let p = 0; p < Math.max(3, passes); p++) {
      const t0 = clock() * 1000;
      fn();
      ts.push(clock() * 1000 - t0);
    }
    return N / (median(ts) / 1000);
  };
  row.rate.foldnet = timeIt(predict64);
  row.rate.hand = timeIt(handRun);
  const fwd = timeIt(foldnetRun);
  w5fwd = fwd;
  if (tf !== undefined) {
    for (const peer of ['tfjs-cpu', 'tfjs-wasm'] as const) {
      await tf.useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
      const r = await tf.tfInfer(sizes, t, X, N, batch);
      row.rate[peer] = N / r.seconds;
    }
  }
  notes.push(
    `W5: foldnet = predict(net, params, x) (the lowered forward on the arena: f64, weights copied in once, bias+ReLU fused, 256-row chunks); the generic immutable net.forward per batch: ${fmt(w5fwd, 'rows/s')} rows/s`,
  );
  log(`W5: ${Object.entries(row.rate).map(([k, v]) => `${k} ${v!.toFixed(0)}`).join(', ')} rows/s`);
  rows.push(row);
};

// ---------------------------------------------------------------- W8 and W9: sequences and images
// W8 = LSTM (32 units, last state) over [24, 4] → dense 1, MSE; W9 = conv 3×3 ×16 → ReLU →
// maxPool 2 → conv 3×3 ×32 → ReLU → maxPool 2 → flatten → dense 10 over 28×28×1, softmax CE;
// both Adam 1e-3, batch 32, through foldnet's `fit` and tfjs-layers' `model.fit` (each library's
// own initialization and shuffling). The data is synthetic and seeded, made here: W8 sums of two
// sinusoids per feature with random phases, the target the next value of feature 0 plus the mean
// of feature 1 over the window; W9 one of 10 random stroke templates per class, shifted by up to
// 2 pixels, plus noise. Rate = rows × epochs / seconds; loss = the last epoch's training loss
// (W8: mean over rows of the squared error, W9: mean cross-entropy).
const seeded = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const f32 = (v: number): number => Math.fround(v);
const w8Spec = (): ShapedSpec => {
  const rnd = seeded(8);
  const rows = 512;
  const T = 24;
  const x = new Float64Array(rows * T * 4);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const ph = Array.from({ length: 8 }, () => rnd() * 2 * Math.PI);
    const at = (t: number, f: number): number => f32(0.6 * Math.sin(0.3 * (f + 1) * t + ph[f]!) + 0.3 * Math.sin(0.11 * t + ph[f + 4]!));
    let m = 0;
    for (let t = 0; t < T; t++) for (let f = 0; f < 4; f++) x[(r * T + t) * 4 + f] = at(t, f);
    for (let t = 0; t < T; t++) m += x[(r * T + t) * 4 + 1]!;
    y[r] = f32(at(T, 0) + m / T);
  }
  return { id: 'W8', shape: [T, 4], x, y, rows, out: 1, batch: 32, lr: 1e-3, epochs: 1 };
};
const w9Spec = (): ShapedSpec => {
  const rnd = seeded(9);
  const rows = 512;
  const templates = Array.from({ length: 10 }, () => {
    const img = new Float64Array(28 * 28);
    for (let s = 0; s < 4; s++) {
      let i = 6 + Math.floor(rnd() * 16), j = 6 + Math.floor(rnd() * 16);
      const di = Math.floor(rnd() * 3) - 1, dj = Math.floor(rnd() * 3) - 1 || 1;
      for (let k = 0; k < 8; k++, i += di, j += dj) if (i >= 0 && i < 28 && j >= 0 && j < 28) img[i * 28 + j] = 1;
    }
    return img;
  });
  const x = new Float64Array(rows * 784);
  const y = new Float64Array(rows * 10);
  for (let r = 0; r < rows; r++) {
    const c = Math.floor(rnd() * 10);
    const si = Math.floor(rnd() * 5) - 2, sj = Math.floor(rnd() * 5) - 2;
    for (let i = 0; i < 28; i++) {
      for (let j = 0; j < 28; j++) {
        const ti = i - si, tj = j - sj;
        const v = ti >= 0 && ti < 28 && tj >= 0 && tj < 28 ? templates[c]![ti * 28 + tj]! : 0;
        x[r * 784 + i * 28 + j] = f32(Math.min(1, v + 0.2 * rnd()));
      }
    }
    y[r * 10 + c] = 1;
  }
  return { id: 'W9', shape: [28, 28, 1], x, y, rows, out: 10, batch: 32, lr: 1e-3, epochs: 1 };
};

const runShaped = async (): Promise<void> => {
  for (const make of [w8Spec, w9Spec]) {
    const s = make();
    if (!want(s.id)) continue;
    const row: Row = { id: s.id, unit: 'rows/s', rate: {}, loss: {}, acc: {} };
    const w = s.x.length / s.rows;
    const warm: ShapedSpec = { ...s, rows: 128, x: s.x.subarray(0, 128 * w), y: s.y.subarray(0, 128 * s.out), epochs: 1 };
    const record = (peer: Peer, ts: ShapedRun[]): void => {
      const r = ts.sort((a, b) => a.seconds - b.seconds)[Math.floor(ts.length / 2)]!;
      row.rate[peer] = (s.rows * s.epochs) / r.seconds;
      row.loss[peer] = r.loss;
      log(`${s.id} ${peer}: ${row.rate[peer]!.toFixed(0)} rows/s (${ts.map((t) => t.seconds.toFixed(3)).join(', ')} s), loss ${r.loss.toPrecision(5)}`);
    };
    foldnetShaped(warm);
    record('foldnet', Array.from({ length: passes }, () => foldnetShaped(s)));
    if (tf !== undefined) {
      for (const peer of ['tfjs-cpu', 'tfjs-wasm'] as const) {
        await tf.useBackend(peer === 'tfjs-cpu' ? 'cpu' : 'wasm');
        try {
          await tf.tfFitShaped(warm);
          record(peer, [await tf.tfFitShaped(s)]);
        } catch (e) {
          // tfjs's wasm backend registers no Conv2DBackpropFilter kernel: it cannot train W9
          notes.push(`${s.id} ${peer}: model.fit failed: ${(e as Error).message}`);
          log(`${s.id} ${peer}: ${(e as Error).message}`);
        }
      }
    }
    rows.push(row);
  }
};

// ---------------------------------------------------------------- memory
const runMemory = (): void => {
  const s = workloads[0]!.spec;
  const net = netFor(s.sizes);
  const x = unsafeMat(N, 32, X);
  const y = unsafeMat(N, 1, yReg);
  const p0: readonly unknown[] = paramsFrom(s.sizes, s.inits);
  const opt = sgdRecipe(0.02) as GradientTransformation<unknown>;
  const program = compileProgram(net, p0, mse, opt, undefined, key(0), 64)!;
  let st = { params: p0, optState: opt.init(p0), step: 0 };
  const gc = (globalThis as { gc?: () => void }).gc;
  const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
  const samples: string[] = [];
  const start = process.memoryUsage();
  samples.push(`start: rss ${mb(start.rss)} MiB, heap ${mb(start.heapUsed)} MiB`);
  for (let e = 1; e <= 100; e++) {
    st = program.epoch(st, perms[(e - 1) % EPOCHS]!, { x, y }).state;
    if (e === 1 || e % 25 === 0) {
      gc?.();
      const m = process.memoryUsage();
      samples.push(`epoch ${e}: rss ${mb(m.rss)} MiB, heap ${mb(m.heapUsed)} MiB`);
    }
  }
  console.log(`memory: 100 epochs of W1-B64 (each a program epoch returning fresh params)${gc ? ' (gc forced before each sample)' : ''}\n  ${samples.join('\n  ')}`);
};


// ---------------------------------------------------------------- data-parallel workers
// fitParallel with workers: 1 and 2 against plain fit, on wall-clock time (threads run at once),
// on W1-B256 and on W2 at batch 512 (W2-B512: W2's net, data and Adam with batches of 512), then
// W2's net over batch sizes to find where a second thread stops paying. Runs alternate (fit, 1, 2)
// so load drifts hit all three alike; medians of `passes`. Start-up is reported apart: it is paid
// once per call, and from the TypeScript sources it includes compiling them in each thread.
const workerRows: string[] = [];
const runWorkers = async (): Promise<void> => {
  const sweep = flag('--workers-sweep');
  if (!want('workers') && !sweep) return;
  const w1 = workloads[1]!.spec;
  const w2 = workloads[3]!.spec;
  const ep = quick ? 3 : 5;
  const specs: TrainSpec[] = sweep
    ? [64, 128, 256, 512, 1024].map((b) => ({ ...w2, id: `W2-B${b}`, batch: b, orders: w2.orders.slice(0, ep) }))
    : [{ ...w1, orders: w1.orders.slice(0, ep) }, { ...w2, id: 'W2-B512', batch: 512, orders: w2.orders.slice(0, ep) }];
  workerRows.push(
    '| workload | fit rows/s | workers: 1 rows/s | workers: 2 rows/s | speed-up 2 vs 1 | efficiency (2 threads) | workers: 2 vs fit | CPU s/epoch 1 → 2 (all threads) | caller’s CPU s/epoch with 2 | start-up 1 / 2 (s) |',
  );
  workerRows.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const s of specs) {
    foldnetWallEpoch(s);
    await foldnetParallel(s, 1);
    const tf: number[] = [];
    const runs: Awaited<ReturnType<typeof foldnetParallel>>[][] = [[], []];
    for (let p = 0; p < Math.max(passes, 3); p++) {
      tf.push(foldnetWallEpoch(s));
      runs[0]!.push(await foldnetParallel(s, 1));
      runs[1]!.push(await foldnetParallel(s, 2));
    }
    const med = (k: 0 | 1, f: (r: Awaited<ReturnType<typeof foldnetParallel>>) => number): number => median(runs[k]!.map(f));
    const rf = N / median(tf);
    const r1 = N / med(0, (r) => r.epoch);
    const r2 = N / med(1, (r) => r.epoch);
    const line = `| ${s.id} | ${fmt(rf, 'rows/s')} | ${fmt(r1, 'rows/s')} | ${fmt(r2, 'rows/s')} | ${ratio(r2, r1)} | ${((r2 / r1 / 2) * 100).toFixed(0)}% | ${ratio(r2, rf)} | ${med(0, (r) => r.cpu).toFixed(3)} → ${med(1, (r) => r.cpu).toFixed(3)} | ${med(1, (r) => r.mainCpu).toFixed(3)} | ${med(0, (r) => r.startup).toFixed(2)} / ${med(1, (r) => r.startup).toFixed(2)} |`;
    log(line);
    workerRows.push(line);
  }
};

// ---------------------------------------------------------------- table
const fmt = (v: number | undefined, unit: string): string =>
  v === undefined ? '—' : unit === 'GFLOP/s' ? v.toFixed(2) : v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(1)}k` : v.toFixed(0);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`);
const lossCell = (r: Row, p: Peer): string => {
  const l = r.loss[p];
  if (l === undefined) return '—';
  const a = r.acc[p];
  return a === undefined ? l.toPrecision(6) : `${a.toFixed(4)} / ${l.toPrecision(4)}`;
};

const table = (): string => {
  const head = ['workload', 'unit', ...peers, 'foldnet / best tfjs', 'fit / engine', 'foldnet / hand', ...peers.map((p) => `loss ${p}`), 'oracle'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const bestTf = Math.max(r.rate['tfjs-cpu'] ?? 0, r.rate['tfjs-wasm'] ?? 0) || undefined;
    const oracle = r.oracle === undefined ? '—' : r.oracle.acc === undefined ? String(r.oracle.loss) : `${r.oracle.acc} / ${r.oracle.loss}`;
    lines.push(`| ${[r.id, r.unit, ...peers.map((p) => fmt(r.rate[p], r.unit)), ratio(r.rate.foldnet, bestTf), ratio(r.rate.foldnet, r.rate.engine), ratio(r.rate.foldnet, r.rate.hand), ...peers.map((p) => (r.unit === 'GFLOP/s' || r.id === 'W5' ? '—' : lossCell(r, p))), oracle].join(' | ')} |`);
  }
  return lines.join('\n');
};

// ---------------------------------------------------------------- main
const mline = machine();
console.log(`foldnet bench${quick ? ' (--quick: 1 epoch/pass, no oracle check)' : ''} — ${mline}`);
console.log(`foldnet GEMM path: ${simdAvailable() ? 'WebAssembly SIMD f64x2' : 'scalar JS (SIMD unavailable)'}; passes: foldnet/hand median of ${passes}, tfjs 1 (after a warm-up run)`);
if (flag('--memory')) {
  runMemory();
} else {
  await runTraining();
  overheadNotes();
  await extraNotes();
  await runRegularized();
  runCustom();
  await runShaped();
  await runGemm();
  await runInference();
  await runWorkers();
  console.log(table());
  if (workerRows.length > 0) console.log(`\nfitParallel (wall clock, ${uptime()}):\n${workerRows.join('\n')}`);
  for (const n of notes) console.log(`- ${n}`);
  for (const [id, g] of Object.entries(f32gflops)) console.log(`- ${id}: foldnet's opt-in f32x4 kernel ${g.toFixed(2)} GFLOP/s (vs f64x2 ${rows.find((r) => r.id === id)?.rate.foldnet?.toFixed(2)})`);
  const bad = rows.filter((r) => r.oracle !== undefined && Math.abs(r.loss.foldnet! - r.oracle.loss) > 2e-3 * Math.max(1, r.oracle.loss) * 10);
  if (bad.length > 0) console.log(`WARNING: foldnet's final loss differs from the oracle on ${bad.map((r) => r.id).join(', ')}`);
  const jsonPath = flag('--json') ? (valueOf('--json') ?? 'bench/results.json') : undefined;
  if (jsonPath !== undefined) {
    writeFileSync(jsonPath, JSON.stringify({ machine: mline, quick, passes, clock: flag('--wall') ? 'wall' : 'process CPU time', date: new Date().toISOString(), rows, f32gflops, notes }, null, 1));
    console.log(`results written to ${jsonPath}`);
  }
}
