/**
 * The hand-written typed-array loop: what a careful user writes without a library —
 * preallocated Float64Arrays, i-k-j loops, ReLU MLP, SGD or Adam, in place.
 */
import { clock, type Trained, type TrainRun, type TrainSpec } from './common.js';

export const handForward = (sizes: readonly number[], w: readonly Float64Array[], b: readonly Float64Array[], x: Float64Array, rows: number): Float64Array => {
  let h = x;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const I = sizes[l]!, O = sizes[l + 1]!;
    const out = new Float64Array(rows * O);
    const W = w[l]!, bb = b[l]!;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < O; j++) out[r * O + j] = bb[j]!;
      for (let k = 0; k < I; k++) {
        const xv = h[r * I + k]!;
        for (let j = 0; j < O; j++) out[r * O + j]! += xv * W[k * O + j]!;
      }
      if (l + 2 < sizes.length) for (let j = 0; j < O; j++) if (out[r * O + j]! < 0) out[r * O + j] = 0;
    }
    h = out;
  }
  return h;
};

export const handTrain = (s: TrainSpec): TrainRun => {
  const sizes = s.sizes;
  const L = sizes.length - 1;
  const B = s.batch;
  const w = s.inits.map((k) => Float64Array.from(k));
  const b = sizes.slice(1).map((o) => new Float64Array(o));
  const gw = w.map((a) => new Float64Array(a.length));
  const gb = b.map((a) => new Float64Array(a.length));
  const mw = w.map((a) => new Float64Array(a.length)), vw = w.map((a) => new Float64Array(a.length));
  const mb = b.map((a) => new Float64Array(a.length)), vb = b.map((a) => new Float64Array(a.length));
  const hs = sizes.map((n) => new Float64Array(B * n)); // hs[0] = batch input, hs[l+1] = layer l output
  const ds = sizes.map((n) => new Float64Array(B * n));
  const out = sizes[L]!;
  const yb = new Float64Array(B * out);
  let t = 0;
  const t0 = clock();
  for (const order of s.orders) {
    for (let start = 0; start < order.length; start += B) {
      const rows = Math.min(B, order.length - start);
      const x0 = hs[0]!;
      const I0 = sizes[0]!;
      for (let r = 0; r < rows; r++) {
        const i = order[start + r]!;
        for (let k = 0; k < I0; k++) x0[r * I0 + k] = s.x[i * I0 + k]!;
        for (let j = 0; j < out; j++) yb[r * out + j] = s.y[i * out + j]!;
      }
      for (let l = 0; l < L; l++) {
        const I = sizes[l]!, O = sizes[l + 1]!;
        const hin = hs[l]!, ho = hs[l + 1]!, W = w[l]!, bb = b[l]!;
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < O; j++) ho[r * O + j] = bb[j]!;
          for (let k = 0; k < I; k++) {
            const xv = hin[r * I + k]!;
            for (let j = 0; j < O; j++) ho[r * O + j]! += xv * W[k * O + j]!;
          }
          if (l + 1 < L) for (let j = 0; j < O; j++) if (ho[r * O + j]! < 0) ho[r * O + j] = 0;
        }
      }
      const yh = hs[L]!, dl = ds[L]!;
      if (s.loss === 'mse') {
        const c = 2 / (rows * out);
        for (let i = 0; i < rows * out; i++) dl[i] = c * (yh[i]! - yb[i]!);
      } else {
        for (let r = 0; r < rows; r++) {
          let m = -Infinity;
          for (let j = 0; j < out; j++) m = Math.max(m, yh[r * out + j]!);
          let se = 0;
          for (let j = 0; j < out; j++) se += Math.exp(yh[r * out + j]! - m);
          for (let j = 0; j < out; j++) dl[r * out + j] = (Math.exp(yh[r * out + j]! - m) / se - yb[r * out + j]!) / rows;
        }
      }
      for (let l = L - 1; l >= 0; l--) {
        const I = sizes[l]!, O = sizes[l + 1]!;
        const d = ds[l + 1]!, hin = hs[l]!, W = w[l]!, G = gw[l]!, g = gb[l]!;
        if (l + 1 < L) { const ho = hs[l + 1]!; for (let i = 0; i < rows * O; i++) if (ho[i]! <= 0) d[i] = 0; }
        G.fill(0);
        g.fill(0);
        for (let r = 0; r < rows; r++) {
          for (let k = 0; k < I; k++) {
            const xv = hin[r * I + k]!;
            for (let j = 0; j < O; j++) G[k * O + j]! += xv * d[r * O + j]!;
          }
          for (let j = 0; j < O; j++) g[j]! += d[r * O + j]!;
        }
        if (l > 0) {
          const dp = ds[l]!;
          for (let r = 0; r < rows; r++) for (let k = 0; k < I; k++) {
            let acc = 0;
            for (let j = 0; j < O; j++) acc += d[r * O + j]! * W[k * O + j]!;
            dp[r * I + k] = acc;
          }
        }
      }
      t++;
      const o = s.opt;
      if (o.kind === 'sgd') {
        for (let l = 0; l < L; l++) {
          const W = w[l]!, G = gw[l]!, bb = b[l]!, g = gb[l]!;
          for (let i = 0; i < W.length; i++) W[i]! -= o.lr * G[i]!;
          for (let i = 0; i < bb.length; i++) bb[i]! -= o.lr * g[i]!;
        }
      } else {
        const c1 = 1 - o.b1 ** t, c2 = 1 - o.b2 ** t;
        const upd = (p: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array): void => {
          for (let i = 0; i < p.length; i++) {
            m[i] = o.b1 * m[i]! + (1 - o.b1) * g[i]!;
            v[i] = o.b2 * v[i]! + (1 - o.b2) * g[i]! * g[i]!;
            p[i]! -= (o.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + o.eps);
          }
        };
        for (let l = 0; l < L; l++) { upd(w[l]!, gw[l]!, mw[l]!, vw[l]!); upd(b[l]!, gb[l]!, mb[l]!, vb[l]!); }
      }
    }
  }
  const seconds = clock() - t0;
  const trained: Trained = { w, b };
  return { seconds, predict: (x, rows) => handForward(sizes, w, b, x, rows), trained: () => trained };
};
