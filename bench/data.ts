/**
 * The benchmark workloads' data (bench/README.md), generated in-process: a TypeScript port of the
 * JavaScript generator the oracle losses were measured on, byte for byte (bench/workload-data.sha256):
 * mulberry32(20240601) uniforms, Box–Muller normals (both outputs used), values computed in f64 and
 * rounded to f32, teachers, Glorot-uniform initial kernels ([in, out], zero biases) and 5 per-epoch
 * Fisher–Yates permutations — drawn from one stream in the same order as the original generator.
 *
 * @module
 */

export const SEED = 20240601;
export const N = 20000;
export const D = 32;
export const H = 16;
export const NT = 1000;
export const DT = 4;
export const EPOCHS = 5;

/** mulberry32: a 32-bit state PRNG giving uniforms in [0, 1). */
const mulberry32 = (seed: number): (() => number) => {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** The workloads' arrays, as the original generator stores them (f32 values, i32 labels). */
export interface WorkloadData {
  readonly X: Float32Array; // N×D
  readonly yReg: Float32Array; // N×1
  readonly yCls: Int32Array; // N
  readonly tinyX: Float32Array; // NT×DT
  readonly tinyY: Float32Array; // NT×2
  readonly perm: Int32Array; // EPOCHS×N
  /** Initial kernels [in, out] per tag: `inits.w1[l]` is layer l's kernel. */
  readonly inits: { readonly w1: readonly Float32Array[]; readonly w2: readonly Float32Array[]; readonly w3: readonly Float32Array[] };
  readonly layers: { readonly w1: readonly number[]; readonly w2: readonly number[]; readonly w3: readonly number[] };
  readonly classCounts: readonly number[];
}

const matmul = (x: Float64Array, rows: number, inn: number, w: Float64Array, out: number): Float64Array => {
  const y = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inn; k++) {
      const xv = x[r * inn + k]!;
      if (xv === 0) continue;
      for (let j = 0; j < out; j++) y[r * out + j]! += xv * w[k * out + j]!;
    }
  }
  return y;
};

/** Generates all workload data (≈ 0.2 s). Deterministic: the same bytes on every run. */
export const makeWorkloadData = (): WorkloadData => {
  const rand = mulberry32(SEED);
  let spare: number | null = null;
  const randn = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const normals = (n: number, scale = 1): Float64Array => {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = randn() * scale;
    return a;
  };
  const roundF32 = (a: Float64Array): Float64Array => Float64Array.from(Float32Array.from(a));
  const glorot = (inn: number, out: number): Float64Array => {
    const lim = Math.sqrt(6 / (inn + out));
    const w = new Float64Array(inn * out);
    for (let i = 0; i < w.length; i++) w[i] = (2 * rand() - 1) * lim;
    return w;
  };

  const X = roundF32(normals(N * D));
  const A = normals(D * H, 1 / Math.sqrt(D));
  const b = normals(H);
  const t = matmul(matmul(X, N, D, A, H).map(Math.tanh), N, H, b, 1);
  let mean = 0;
  for (const v of t) mean += v;
  mean /= N;
  let vr = 0;
  for (const v of t) vr += (v - mean) ** 2;
  const sd = Math.sqrt(vr / N);
  const yreg = new Float64Array(N);
  for (let i = 0; i < N; i++) yreg[i] = (t[i]! - mean) / sd + 0.1 * randn();

  const A2 = normals(D * H, 1 / Math.sqrt(D));
  const B2 = normals(H * 4);
  const L = matmul(matmul(X, N, D, A2, H).map(Math.tanh), N, H, B2, 4);
  const ycls = new Int32Array(N);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < N; i++) {
    let best = 0;
    for (let c = 1; c < 4; c++) if (L[i * 4 + c]! > L[i * 4 + best]!) best = c;
    ycls[i] = best;
    counts[best]!++;
  }

  const XT = roundF32(normals(NT * DT));
  const A3 = normals(DT * 4, 0.5);
  const B3 = normals(4 * 2, 0.5);
  const YT = matmul(matmul(XT, NT, DT, A3, 4).map(Math.tanh), NT, 4, B3, 2);

  const layers = { w1: [32, 64, 64, 1], w2: [32, 128, 128, 4], w3: [4, 8, 6, 4, 2] };
  const initsFor = (sizes: readonly number[]): Float32Array[] =>
    sizes.slice(0, -1).map((s, l) => Float32Array.from(glorot(s, sizes[l + 1]!)));
  const w1 = initsFor(layers.w1);
  const w2 = initsFor(layers.w2);
  const w3 = initsFor(layers.w3);

  const perm = new Int32Array(EPOCHS * N);
  for (let e = 0; e < EPOCHS; e++) {
    const p = perm.subarray(e * N, (e + 1) * N);
    for (let i = 0; i < N; i++) p[i] = i;
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const tmp = p[i]!;
      p[i] = p[j]!;
      p[j] = tmp;
    }
  }
  return {
    X: Float32Array.from(X),
    yReg: Float32Array.from(yreg),
    yCls: ycls,
    tinyX: Float32Array.from(XT),
    tinyY: Float32Array.from(YT),
    perm,
    inits: { w1, w2, w3 },
    layers,
    classCounts: counts,
  };
};

/** The files the original generator writes, name → bytes, for a byte-for-byte comparison (bench/workload-data.sha256). */
export const workloadFiles = (d: WorkloadData): ReadonlyMap<string, Uint8Array> => {
  const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const m = new Map<string, Uint8Array>();
  for (const tag of ['w1', 'w2', 'w3'] as const) d.inits[tag].forEach((w, l) => m.set(`${tag}_k${l}.f32`, bytes(w)));
  m.set('X.f32', bytes(d.X));
  m.set('y_reg.f32', bytes(d.yReg));
  m.set('y_cls.i32', bytes(d.yCls));
  m.set('tiny_X.f32', bytes(d.tinyX));
  m.set('tiny_Y.f32', bytes(d.tinyY));
  m.set('perm.i32', bytes(d.perm));
  return m;
};
