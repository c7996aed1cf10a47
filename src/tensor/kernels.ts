/**
 * The hot loops: the only code in foldnet that writes into arrays.
 *
 * Every function here writes into an `out` array that the caller freshly allocated (or owns
 * privately); none of them allocates. Matrices are row-major. Everything above this module is
 * pure and builds its results by allocating an output and calling one of these.
 *
 * Shapes used by backprop through a dense layer with `W: [in, out]`:
 * - forward   `Y  = act(X · W + b)` → {@link matmulBiasAct} (or {@link matmul} + {@link addRowVector})
 * - input     `dX = dY · Wᵀ`       → {@link matmulTransB}
 * - weights   `dW = Xᵀ · dY`       → {@link matmulTransA}
 *
 * @module
 */

/**
 * The general strided GEMM every matrix product in foldnet goes through (the scalar path):
 *
 *   C[i, j] = act(init[i, j] + Σ_p A[i, p] · B[p, j]),  i < m, j < n, p = 0 … k−1 ascending,
 *
 * with `A[i, p] = a[aOff + i·sai + p·sap]`, `B[p, j] = b[bOff + p·sbp + j·sbj]`,
 * `C[i, j] = c[cOff + i·ldc + j]`; `init` is 0 (`mode` 0), the current C (`mode` 1, accumulate)
 * or `bias[biasOff + j]` (`mode` 2); `act` 0 is the identity and 1 is ReLU (`x > 0 ? x : 0`).
 * Strides make transposes free: `Aᵀ` is `A` with `sai` and `sap` swapped.
 *
 * Register-blocked: 4×4 tiles of C held in 16 locals (each A and B value loaded once per tile
 * and step p, instead of once per multiply-add as in the i-k-j loop), with 4×1, 1×4 and 1×1
 * edge tiles. The summation order (p ascending from `init`) is the naive loop's, so results are
 * bitwise those of the textbook triple loop. `a`, `b`, `c` may be the same array (an arena).
 */
export function gemm(
  a: Float64Array, aOff: number, sai: number, sap: number,
  b: Float64Array, bOff: number, sbp: number, sbj: number,
  c: Float64Array, cOff: number, ldc: number,
  m: number, k: number, n: number,
  mode = 0, bias: Float64Array | null = null, biasOff = 0, act = 0,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * sai;
    const a1 = a0 + sai;
    const a2 = a1 + sai;
    const a3 = a2 + sai;
    const c0 = cOff + i * ldc;
    const c1 = c0 + ldc;
    const c2 = c1 + ldc;
    const c3 = c2 + ldc;
    for (let j = 0; j < n4; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      if (mode === 1) {
        s00 = c[c0 + j]!; s01 = c[c0 + j + 1]!; s02 = c[c0 + j + 2]!; s03 = c[c0 + j + 3]!;
        s10 = c[c1 + j]!; s11 = c[c1 + j + 1]!; s12 = c[c1 + j + 2]!; s13 = c[c1 + j + 3]!;
        s20 = c[c2 + j]!; s21 = c[c2 + j + 1]!; s22 = c[c2 + j + 2]!; s23 = c[c2 + j + 3]!;
        s30 = c[c3 + j]!; s31 = c[c3 + j + 1]!; s32 = c[c3 + j + 2]!; s33 = c[c3 + j + 3]!;
      } else if (mode === 2) {
        const q0 = bias![biasOff + j]!, q1 = bias![biasOff + j + 1]!, q2 = bias![biasOff + j + 2]!, q3 = bias![biasOff + j + 3]!;
        s00 = q0; s01 = q1; s02 = q2; s03 = q3; s10 = q0; s11 = q1; s12 = q2; s13 = q3;
        s20 = q0; s21 = q1; s22 = q2; s23 = q3; s30 = q0; s31 = q1; s32 = q2; s33 = q3;
      }
      let pb = bOff + j * sbj;
      for (let p = 0; p < k; p++) {
        const b0 = b[pb]!, b1 = b[pb + sbj]!, b2 = b[pb + 2 * sbj]!, b3 = b[pb + 3 * sbj]!;
        const ps = p * sap;
        const x0 = a[a0 + ps]!, x1 = a[a1 + ps]!, x2 = a[a2 + ps]!, x3 = a[a3 + ps]!;
        s00 += x0 * b0; s01 += x0 * b1; s02 += x0 * b2; s03 += x0 * b3;
        s10 += x1 * b0; s11 += x1 * b1; s12 += x1 * b2; s13 += x1 * b3;
        s20 += x2 * b0; s21 += x2 * b1; s22 += x2 * b2; s23 += x2 * b3;
        s30 += x3 * b0; s31 += x3 * b1; s32 += x3 * b2; s33 += x3 * b3;
        pb += sbp;
      }
      if (act === 1) {
        c[c0 + j] = s00 > 0 ? s00 : 0; c[c0 + j + 1] = s01 > 0 ? s01 : 0; c[c0 + j + 2] = s02 > 0 ? s02 : 0; c[c0 + j + 3] = s03 > 0 ? s03 : 0;
        c[c1 + j] = s10 > 0 ? s10 : 0; c[c1 + j + 1] = s11 > 0 ? s11 : 0; c[c1 + j + 2] = s12 > 0 ? s12 : 0; c[c1 + j + 3] = s13 > 0 ? s13 : 0;
        c[c2 + j] = s20 > 0 ? s20 : 0; c[c2 + j + 1] = s21 > 0 ? s21 : 0; c[c2 + j + 2] = s22 > 0 ? s22 : 0; c[c2 + j + 3] = s23 > 0 ? s23 : 0;
        c[c3 + j] = s30 > 0 ? s30 : 0; c[c3 + j + 1] = s31 > 0 ? s31 : 0; c[c3 + j + 2] = s32 > 0 ? s32 : 0; c[c3 + j + 3] = s33 > 0 ? s33 : 0;
      } else {
        c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c0 + j + 2] = s02; c[c0 + j + 3] = s03;
        c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12; c[c1 + j + 3] = s13;
        c[c2 + j] = s20; c[c2 + j + 1] = s21; c[c2 + j + 2] = s22; c[c2 + j + 3] = s23;
        c[c3 + j] = s30; c[c3 + j + 1] = s31; c[c3 + j + 2] = s32; c[c3 + j + 3] = s33;
      }
    }
    for (let j = n4; j < n; j++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (mode === 1) {
        s0 = c[c0 + j]!; s1 = c[c1 + j]!; s2 = c[c2 + j]!; s3 = c[c3 + j]!;
      } else if (mode === 2) {
        s0 = s1 = s2 = s3 = bias![biasOff + j]!;
      }
      let pb = bOff + j * sbj;
      for (let p = 0; p < k; p++) {
        const bv = b[pb]!;
        const ps = p * sap;
        s0 += a[a0 + ps]! * bv; s1 += a[a1 + ps]! * bv; s2 += a[a2 + ps]! * bv; s3 += a[a3 + ps]! * bv;
        pb += sbp;
      }
      if (act === 1) {
        s0 = s0 > 0 ? s0 : 0; s1 = s1 > 0 ? s1 : 0; s2 = s2 > 0 ? s2 : 0; s3 = s3 > 0 ? s3 : 0;
      }
      c[c0 + j] = s0; c[c1 + j] = s1; c[c2 + j] = s2; c[c3 + j] = s3;
    }
  }
  for (let i = m4; i < m; i++) {
    const a0 = aOff + i * sai;
    const c0 = cOff + i * ldc;
    for (let j = 0; j < n4; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (mode === 1) {
        s0 = c[c0 + j]!; s1 = c[c0 + j + 1]!; s2 = c[c0 + j + 2]!; s3 = c[c0 + j + 3]!;
      } else if (mode === 2) {
        s0 = bias![biasOff + j]!; s1 = bias![biasOff + j + 1]!; s2 = bias![biasOff + j + 2]!; s3 = bias![biasOff + j + 3]!;
      }
      let pb = bOff + j * sbj;
      for (let p = 0; p < k; p++) {
        const x = a[a0 + p * sap]!;
        s0 += x * b[pb]!; s1 += x * b[pb + sbj]!; s2 += x * b[pb + 2 * sbj]!; s3 += x * b[pb + 3 * sbj]!;
        pb += sbp;
      }
      if (act === 1) {
        s0 = s0 > 0 ? s0 : 0; s1 = s1 > 0 ? s1 : 0; s2 = s2 > 0 ? s2 : 0; s3 = s3 > 0 ? s3 : 0;
      }
      c[c0 + j] = s0; c[c0 + j + 1] = s1; c[c0 + j + 2] = s2; c[c0 + j + 3] = s3;
    }
    for (let j = n4; j < n; j++) {
      let s = mode === 1 ? c[c0 + j]! : mode === 2 ? bias![biasOff + j]! : 0;
      let pb = bOff + j * sbj;
      for (let p = 0; p < k; p++) {
        s += a[a0 + p * sap]! * b[pb]!;
        pb += sbp;
      }
      c[c0 + j] = act === 1 ? (s > 0 ? s : 0) : s;
    }
  }
}

/** out[m×n] = A[m×k] · B[k×n] (+ out when `accumulate`). */
export function matmul(
  a: Float64Array, b: Float64Array, out: Float64Array,
  m: number, k: number, n: number, accumulate = false,
): void {
  gemm(a, 0, k, 1, b, 0, n, 1, out, 0, n, m, k, n, accumulate ? 1 : 0);
}

/** out[m×n] = A[m×k] · B[n×k]ᵀ (+ out when `accumulate`). */
export function matmulTransB(
  a: Float64Array, b: Float64Array, out: Float64Array,
  m: number, k: number, n: number, accumulate = false,
): void {
  gemm(a, 0, k, 1, b, 0, 1, k, out, 0, n, m, k, n, accumulate ? 1 : 0);
}

/** out[m×n] = A[k×m]ᵀ · B[k×n] (+ out when `accumulate`). */
export function matmulTransA(
  a: Float64Array, b: Float64Array, out: Float64Array,
  k: number, m: number, n: number, accumulate = false,
): void {
  gemm(a, 0, 1, m, b, 0, n, 1, out, 0, n, m, k, n, accumulate ? 1 : 0);
}

/** out[m×n] = act(A[m×k] · B[k×n] + 1·biasᵀ): a dense layer's forward pass in one sweep. */
export function matmulBiasAct(
  a: Float64Array, b: Float64Array, bias: Float64Array, out: Float64Array,
  m: number, k: number, n: number, act = 0,
): void {
  gemm(a, 0, k, 1, b, 0, n, 1, out, 0, n, m, k, n, 2, bias, 0, act);
}

/** out[r, j] = a[r, j] + v[j] for every row r of a rows×cols matrix (one pass: no copy of a first). */
export function addRowVectorTo(a: Float64Array, v: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! + v[j]!;
  }
}

/** out[r, j] = a[r, j] · v[j] for every row r of a rows×cols matrix (columns scaled by v). */
export function mulRowVectorTo(a: Float64Array, v: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j] = a[o + j]! * v[j]!;
  }
}

/** out[r, j] += v[j] for every row r of a rows×cols matrix. */
export function addRowVector(out: Float64Array, v: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j]! += v[j]!;
  }
}

/**
 * out[j] = Σ_r a[r, j] (column sums of a rows×cols matrix, r ascending from 0), + out when
 * `accumulate`; the matrix starts at `aOff` in a and the sums at `outOff` in out.
 */
export function sumRows(a: Float64Array, out: Float64Array, rows: number, cols: number, accumulate = false, aOff = 0, outOff = 0): void {
  if (!accumulate) out.fill(0, outOff, outOff + cols);
  for (let r = 0; r < rows; r++) {
    const o = aOff + r * cols;
    for (let j = 0; j < cols; j++) out[outOff + j]! += a[o + j]!;
  }
}

/** out[i] = f(a[i]). */
export function map(a: Float64Array, out: Float64Array, f: (x: number) => number): void {
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
}

/** out[i] = f(a[i], b[i]). */
export function zipWith(a: Float64Array, b: Float64Array, out: Float64Array, f: (x: number, y: number) => number): void {
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, b[i]!);
}

/** out[i] = f(a[i], b[i], c[i]). */
export function zipWith3(
  a: Float64Array, b: Float64Array, c: Float64Array, out: Float64Array,
  f: (x: number, y: number, z: number) => number,
): void {
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, b[i]!, c[i]!);
}

/**
 * out[i] = α·x[i] + y[i] (out may be x or y). Returns ‖x‖² + Σ (out[i] − out[i]) (in four
 * interleaved partial sums, so the check adds no dependency chain to the pass): finite exactly when
 * every output is and ‖x‖² does not overflow — a divergence check for an optimizer step at no
 * extra pass (its value can differ from a sequential ‖x‖² in the last bits).
 */
export function axpy(alpha: number, x: Float64Array, y: Float64Array, out: Float64Array): number {
  const n = x.length;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const x0 = x[i]!, x1 = x[i + 1]!, x2 = x[i + 2]!, x3 = x[i + 3]!;
    const o0 = alpha * x0 + y[i]!, o1 = alpha * x1 + y[i + 1]!, o2 = alpha * x2 + y[i + 2]!, o3 = alpha * x3 + y[i + 3]!;
    out[i] = o0; out[i + 1] = o1; out[i + 2] = o2; out[i + 3] = o3;
    s0 += x0 * x0 + (o0 - o0); s1 += x1 * x1 + (o1 - o1); s2 += x2 * x2 + (o2 - o2); s3 += x3 * x3 + (o3 - o3);
  }
  for (; i < n; i++) {
    const xi = x[i]!;
    const o = alpha * xi + y[i]!;
    out[i] = o;
    s0 += xi * xi + (o - o);
  }
  return s0 + s1 + (s2 + s3);
}

/** Σ a[i]·b[i]. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** out[j, i] = a[i, j] for a rows×cols matrix (starting at `aOff` in a and `outOff` in out). */
export function transpose(a: Float64Array, out: Float64Array, rows: number, cols: number, aOff = 0, outOff = 0): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[outOff + j * rows + i] = a[aOff + i * cols + j]!;
}

/**
 * Row-wise softmax of a rows×cols matrix into out, stabilised by subtracting each row's max:
 * softmax(z)_j = exp(z_j − max z) / Σ_k exp(z_k − max z).
 */
export function softmaxRows(a: Float64Array, out: Float64Array, rows: number, cols: number, aOff = 0, outOff = 0): void {
  for (let r = 0; r < rows; r++) {
    const o = aOff + r * cols;
    const q = outOff + r * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) mx = Math.max(mx, a[o + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(a[o + j]! - mx);
      out[q + j] = e;
      s += e;
    }
    for (let j = 0; j < cols; j++) out[q + j]! /= s;
  }
}

/**
 * Softmax's Jacobian-vector product per row, which is also its vector-Jacobian product since
 * the Jacobian diag(s) − s sᵀ is symmetric: out_j = s_j (v_j − Σ_k s_k v_k).
 */
export function softmaxRowsJvp(
  s: Float64Array, v: Float64Array, out: Float64Array, rows: number, cols: number, sOff = 0, vOff = 0, outOff = 0,
): void {
  for (let r = 0; r < rows; r++) {
    const o = sOff + r * cols;
    const p = vOff + r * cols;
    const q = outOff + r * cols;
    let d = 0;
    for (let j = 0; j < cols; j++) d += s[o + j]! * v[p + j]!;
    for (let j = 0; j < cols; j++) out[q + j] = s[o + j]! * (v[p + j]! - d);
  }
}

// ---------------------------------------------------------------------------------------------
// Losses and finite differences (used by src/loss and src/diff).
//
// Each loss kernel returns the loss summed over all entries (the caller divides by the batch
// size) and, when `grad` is not null, writes `s · ∂(sum)/∂ŷ` into it (`s` = 1/B for a batch mean).
// ---------------------------------------------------------------------------------------------

/** Σ ½(ŷ − y)²; grad = s·(ŷ − y). */
export function squaredErrorLoss(yhat: Float64Array, y: Float64Array, grad: Float64Array | null, s: number): number {
  let total = 0;
  for (let i = 0; i < yhat.length; i++) {
    const d = yhat[i]! - y[i]!;
    total += d * d;
    if (grad !== null) grad[i] = s * d;
  }
  return 0.5 * total;
}

/** Σ |ŷ − y|; grad = s·sign(ŷ − y) (0 where ŷ = y). */
export function absoluteErrorLoss(yhat: Float64Array, y: Float64Array, grad: Float64Array | null, s: number): number {
  let total = 0;
  for (let i = 0; i < yhat.length; i++) {
    const d = yhat[i]! - y[i]!;
    total += Math.abs(d);
    if (grad !== null) grad[i] = d > 0 ? s : d < 0 ? -s : 0;
  }
  return total;
}

/** Σ huber_δ(ŷ − y) with huber_δ(r) = ½r² for |r| ≤ δ, else δ(|r| − ½δ); grad = s·clamp(r, −δ, δ). */
export function huberLoss(yhat: Float64Array, y: Float64Array, delta: number, grad: Float64Array | null, s: number): number {
  let total = 0;
  for (let i = 0; i < yhat.length; i++) {
    const r = yhat[i]! - y[i]!;
    const a = Math.abs(r);
    total += a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
    if (grad !== null) grad[i] = s * (r > delta ? delta : r < -delta ? -delta : r);
  }
  return total;
}

/**
 * Softmax cross-entropy of logits z against targets t, row by row, via log-sum-exp:
 * Σ_rows Σ_j t_j (lse(z) − z_j), lse(z) = m + log Σ_k e^{z_k − m}, m = max z (finite for any
 * finite logits). grad_j = s·(softmax(z)_j · Σ_k t_k − t_j).
 */
export function softmaxCrossEntropyLoss(
  z: Float64Array, t: Float64Array, grad: Float64Array | null, rows: number, cols: number, s: number,
): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, z[o + j]!);
    let sumExp = 0;
    for (let j = 0; j < cols; j++) sumExp += Math.exp(z[o + j]! - m);
    const logSum = Math.log(sumExp);
    let tSum = 0;
    for (let j = 0; j < cols; j++) {
      const tj = t[o + j]!;
      tSum += tj;
      // t_j·(lse − z_j) with lse − z_j = (m − z_j) + log Σ, both terms ≥ 0: no cancellation.
      if (tj !== 0) total += tj * (m - z[o + j]! + logSum);
    }
    if (grad !== null) {
      for (let j = 0; j < cols; j++) grad[o + j] = s * ((Math.exp(z[o + j]! - m) / sumExp) * tSum - t[o + j]!);
    }
  }
  return total;
}

/**
 * Sigmoid (binary) cross-entropy of logits z against targets t ∈ [0, 1], entry by entry:
 * Σ max(z, 0) − z·t + log(1 + e^{−|z|}) (= −t log σ(z) − (1 − t) log(1 − σ(z)), without overflow);
 * grad = s·(σ(z) − t).
 */
export function sigmoidCrossEntropyLoss(z: Float64Array, t: Float64Array, grad: Float64Array | null, s: number): number {
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    const ti = t[i]!;
    const e = Math.exp(-Math.abs(zi));
    total += Math.max(zi, 0) - zi * ti + Math.log1p(e);
    if (grad !== null) grad[i] = s * ((zi >= 0 ? 1 / (1 + e) : e / (1 + e)) - ti);
  }
  return total;
}

/**
 * Cross-entropy of probabilities p against targets t, entry by entry: Σ −t log max(p, ε);
 * grad = −s·t/p where p > ε, else 0 (the clamp is flat there).
 */
export function probabilityCrossEntropyLoss(
  p: Float64Array, t: Float64Array, eps: number, grad: Float64Array | null, s: number,
): number {
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const ti = t[i]!;
    const clamped = pi > eps ? pi : eps;
    if (ti !== 0) total -= ti * Math.log(clamped);
    if (grad !== null) grad[i] = pi > eps && ti !== 0 ? (-s * ti) / pi : 0;
  }
  return total;
}

/** out = a with out[index] = a[index] + delta (a perturbed copy, for finite differences). */
export function perturbEntry(a: Float64Array, out: Float64Array, index: number, delta: number): void {
  out.set(a);
  out[index] = a[index]! + delta;
}

// ---------------------------------------------------------------------------------------------
// Optimizer updates (used by src/optim/primitives.ts): one pass per leaf instead of one
// closure call per entry and per equation.
// ---------------------------------------------------------------------------------------------

/**
 * Adam in one pass: mOut = b1·m + (1−b1)·g; vOut = b2·v + (1−b2)·g²;
 * uOut = (mOut / c1) / (√(vOut / c2) + eps), with c1 = 1 − b1ᵗ, c2 = 1 − b2ᵗ. Returns ‖g‖²
 * (i ascending), for a divergence check at no extra pass. Outputs may alias their own inputs.
 */
export function adamUpdate(
  g: Float64Array, m: Float64Array, v: Float64Array, mOut: Float64Array, vOut: Float64Array, uOut: Float64Array,
  b1: number, b2: number, c1: number, c2: number, eps: number,
): number {
  let gg = 0;
  for (let i = 0; i < g.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    uOut[i] = mi / c1 / (Math.sqrt(vi / c2) + eps);
    gg += gi * gi;
  }
  return gg;
}

/** out = α·a (the learning-rate step), without a per-entry closure call. */
export function scaleInto(a: Float64Array, alpha: number, out: Float64Array): void {
  for (let i = 0; i < a.length; i++) out[i] = alpha * a[i]!;
}

// ---------------------------------------------------------------------------------------------
// Layer stages (used by src/layer for the generic path and src/train/engine.ts for the arena).
// Arrays are addressed by offsets, so the interpreter can run them on the arena.
// ---------------------------------------------------------------------------------------------

/**
 * The element-wise activations, by code: 0 identity, 1 ReLU, 2 tanh, 3 sigmoid, 4 leaky ReLU
 * (slope α below 0), 5 softplus. The built-in activation layers (src/layer/activation.ts) are
 * these kernels, on both execution paths.
 */
export const ACTIVATION_CODES = { identity: 0, relu: 1, tanh: 2, sigmoid: 3, leakyRelu: 4, softplus: 5 } as const;

/**
 * Copies rows `index[indexOff + r]`, r < rows, of `src` (a srcRows×cols matrix) into `out` at
 * `outOff + r·cols` (a batch gathered by a row order); with `standardizeBy`, each row is
 * standardized on the way by {@link standardizeRows}. Returns the number of rows copied: less
 * than `rows` when an index is outside 0 … srcRows−1 (it stops at the first such position).
 */
export function gatherRows(
  src: Float64Array, cols: number, srcRows: number, index: ArrayLike<number>, indexOff: number, rows: number,
  out: Float64Array, outOff: number, standardizeBy?: { readonly mean: Float64Array; readonly std: Float64Array },
): number {
  for (let r = 0; r < rows; r++) {
    const i = index[indexOff + r]!;
    if (!(i >= 0 && i < srcRows)) return r;
    const o = outOff + r * cols;
    const s = i * cols;
    if (standardizeBy === undefined) for (let j = 0; j < cols; j++) out[o + j] = src[s + j]!;
    else standardizeRows(src, s, 1, cols, standardizeBy.mean, standardizeBy.std, out, o);
  }
  return rows;
}

/**
 * out[outOff + i] = φ(src[srcOff + i]), i < n, for the activation `code`
 * ({@link ACTIVATION_CODES}; `alpha` is leaky ReLU's slope). `out` may be a Float32Array (the
 * value is computed in f64 and rounded on store).
 */
export function activationForward(
  code: number, alpha: number, src: Float64Array | Float32Array, srcOff: number, out: Float64Array | Float32Array, outOff: number, n: number,
): void {
  switch (code) {
    case 1:
      for (let i = 0; i < n; i++) {
        const x = src[srcOff + i]!;
        out[outOff + i] = x > 0 ? x : 0;
      }
      return;
    case 2:
      for (let i = 0; i < n; i++) out[outOff + i] = Math.tanh(src[srcOff + i]!);
      return;
    case 3:
      for (let i = 0; i < n; i++) {
        const x = src[srcOff + i]!;
        out[outOff + i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
      }
      return;
    case 4:
      for (let i = 0; i < n; i++) {
        const x = src[srcOff + i]!;
        out[outOff + i] = x > 0 ? x : alpha * x;
      }
      return;
    case 5:
      for (let i = 0; i < n; i++) {
        const x = src[srcOff + i]!;
        out[outOff + i] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
      }
      return;
    default:
      for (let i = 0; i < n; i++) out[outOff + i] = src[srcOff + i]!;
  }
}

/**
 * The activation's VJP (and JVP): out[i] = dy[i] · φ'(z[i], y[i]), i < n, with z the
 * pre-activation and y = φ(z) (each array with its offset; `out` may be `dy`). φ' is 1 − y²
 * (tanh), y(1 − y) (sigmoid), 1 or α by the sign of z (leaky ReLU), σ(z) (softplus), and for
 * ReLU 1 where y > 0, else 0 (z is not read). The identity copies dy.
 */
export function activationBackward(
  code: number, alpha: number, dy: Float64Array, dyOff: number, z: Float64Array, zOff: number,
  y: Float64Array, yOff: number, out: Float64Array, outOff: number, n: number,
): void {
  switch (code) {
    case 1:
      for (let i = 0; i < n; i++) out[outOff + i] = dy[dyOff + i]! * (y[yOff + i]! > 0 ? 1 : 0);
      return;
    case 2:
      for (let i = 0; i < n; i++) {
        const v = y[yOff + i]!;
        out[outOff + i] = dy[dyOff + i]! * (1 - v * v);
      }
      return;
    case 3:
      for (let i = 0; i < n; i++) {
        const v = y[yOff + i]!;
        out[outOff + i] = dy[dyOff + i]! * (v * (1 - v));
      }
      return;
    case 4:
      for (let i = 0; i < n; i++) out[outOff + i] = dy[dyOff + i]! * (z[zOff + i]! > 0 ? 1 : alpha);
      return;
    case 5:
      for (let i = 0; i < n; i++) {
        const x = z[zOff + i]!;
        out[outOff + i] = dy[dyOff + i]! * (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
      }
      return;
    default:
      if (out !== dy || outOff !== dyOff) for (let i = 0; i < n; i++) out[outOff + i] = dy[dyOff + i]!;
  }
}

/**
 * True when every entry of `a` is finite (no NaN, no ±∞): Σ (aᵢ − aᵢ) is 0 exactly then and NaN
 * otherwise, so the pass has no branch per entry.
 */
export function allFinite(a: Float64Array): boolean {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! - a[i]!;
  return s === 0;
}

// ---- standardized rows (the `standardize` layer, on both execution paths)

/**
 * out[outOff + r·cols + j] = (src[srcOff + r·cols + j] − mean[j]) / std[j], r < rows (contiguous
 * rows; subtract, then divide, as `standardize`). `out` may be a Float32Array (the value is
 * computed in f64 and rounded on store).
 */
export function standardizeRows(
  src: Float64Array, srcOff: number, rows: number, cols: number,
  mean: Float64Array, std: Float64Array, out: Float64Array | Float32Array, outOff: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = outOff + r * cols;
    const s = srcOff + r * cols;
    for (let j = 0; j < cols; j++) out[o + j] = (src[s + j]! - mean[j]!) / std[j]!;
  }
}

/**
 * Inverted dropout's forward: the entry is kept when `kept(i)` (the key's Bernoulli draw with
 * probability `keep`, as `bernoulli` draws it), scale[i] = m / keep with m = 1 if kept, else 0
 * (1/keep is computed once: the same quotient) and out[i] = x[i] · scale[i], i < n.
 */
export function dropoutForward(
  kept: (i: number) => boolean, keep: number, x: Float64Array, xOff: number, scale: Float64Array, scaleOff: number, out: Float64Array, outOff: number, n: number,
): void {
  const inv = 1 / keep;
  for (let i = 0; i < n; i++) {
    const s = kept(i) ? inv : 0;
    scale[scaleOff + i] = s;
    out[outOff + i] = x[xOff + i]! * s;
  }
}

/** out[i] = a[i] · b[i], i < n (each array with its offset). */
export function multiplyInto(a: Float64Array, aOff: number, b: Float64Array, bOff: number, out: Float64Array, outOff: number, n: number): void {
  for (let i = 0; i < n; i++) out[outOff + i] = a[aOff + i]! * b[bOff + i]!;
}

/** out[r, j] = a[r, j] / d[j] for a rows×cols matrix (standardize's VJP with d = σ). */
export function divideColumns(a: Float64Array, aOff: number, rows: number, cols: number, d: Float64Array, out: Float64Array, outOff: number): void {
  for (let r = 0; r < rows; r++) {
    const o = aOff + r * cols;
    const q = outOff + r * cols;
    for (let j = 0; j < cols; j++) out[q + j] = a[o + j]! / d[j]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Update kernels of the gradient transformations (src/optim), on flat vectors: the immutable
// `update` runs them on fresh arrays, the interpreter on the arena. `u` is updated in place.
// ---------------------------------------------------------------------------------------------

/** u[i] = α · u[i]. */
export function scaleInPlace(u: Float64Array, alpha: number): void {
  for (let i = 0; i < u.length; i++) u[i] = alpha * u[i]!;
}

/** Momentum: vNext = β·v + u; u ← nesterov ? β·vNext + u : vNext. */
export function traceUpdate(u: Float64Array, v: Float64Array, vNext: Float64Array, beta: number, nesterov: boolean): void {
  for (let i = 0; i < u.length; i++) {
    const g = u[i]!;
    const vi = beta * v[i]! + g;
    vNext[i] = vi;
    u[i] = nesterov ? beta * vi + g : vi;
  }
}

/** RMSProp: sNext = γ·s + (1−γ)·u²; u ← u / (√sNext + ε). */
export function rmsUpdate(u: Float64Array, s: Float64Array, sNext: Float64Array, decay: number, eps: number): void {
  for (let i = 0; i < u.length; i++) {
    const g = u[i]!;
    const a = decay * s[i]! + (1 - decay) * g * g;
    sNext[i] = a;
    u[i] = g / (Math.sqrt(a) + eps);
  }
}

/** Adagrad: sNext = s + u²; u ← u / (√sNext + ε). */
export function adagradUpdate(u: Float64Array, s: Float64Array, sNext: Float64Array, eps: number): void {
  for (let i = 0; i < u.length; i++) {
    const g = u[i]!;
    const a = s[i]! + g * g;
    sNext[i] = a;
    u[i] = g / (Math.sqrt(a) + eps);
  }
}

/** u[i] ← u[i] + c·θ[i]·m[i] (a decay term on the masked entries; m is 0 or 1). */
export function addMaskedDecay(u: Float64Array, theta: Float64Array, m: Float64Array, c: number): void {
  for (let i = 0; i < u.length; i++) u[i] = u[i]! + c * theta[i]! * m[i]!;
}

/** Proximal L1: where m[i] ≠ 0, u[i] ← S_τ(θ[i] + u[i]) − θ[i], S_τ(x) = sign(x)·max(|x| − τ, 0). */
export function proximalL1Update(u: Float64Array, theta: Float64Array, m: Float64Array, tau: number): void {
  for (let i = 0; i < u.length; i++) {
    if (m[i] === 0) continue;
    const t = theta[i]!;
    const x = t + u[i]!;
    u[i] = (x > tau ? x - tau : x < -tau ? x + tau : 0) - t;
  }
}

/**
 * The L1 penalty λΣ|θ·m|: with `out` null, returns Σ |θ[i]·m[i]| (i ascending); else writes its
 * subgradient out[i] = λ·sign(θ[i])·m[i], plus g[i] when `g` is given, and returns 0.
 */
export function l1PenaltyKernel(theta: Float64Array, m: Float64Array, lambda: number, g: Float64Array | null, out: Float64Array | null): number {
  let s = 0;
  for (let i = 0; i < theta.length; i++) {
    const t = theta[i]!;
    if (out === null) s = s + Math.abs(t * m[i]!);
    else out[i] = g === null ? lambda * Math.sign(t) * m[i]! : g[i]! + lambda * Math.sign(t) * m[i]!;
  }
  return s;
}

/** L2 penalty's gradient: out[i] = (g[i] +) 2λ·θ[i]·m[i]. */
export function l2PenaltyGrad(theta: Float64Array, m: Float64Array, lambda: number, g: Float64Array | null, out: Float64Array): void {
  for (let i = 0; i < theta.length; i++) {
    const d = 2 * lambda * theta[i]! * m[i]!;
    out[i] = g === null ? d : g[i]! + d;
  }
}

// ---- convolution and pooling over channels-last images (conv1d/pool1d are the H = 1 case)

/**
 * The geometry of a sliding window over a batch of `B` images `H × W × C` (channels last, one
 * image per row): window `kh × kw`, strides `sh`, `sw`, padding `pt` rows above and `pl` columns
 * left, giving an `oh × ow` output grid.
 */
export interface WindowGeometry {
  readonly batch: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly pt: number;
  readonly pl: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * im2col: row `(b·oh + i)·ow + j` of `cols` (width `kh·kw·c`) holds the window under output
 * position (i, j) of image b, entry `(p·kw + q)·c + ch` = x[b, i·sh − pt + p, j·sw − pl + q, ch]
 * (0 outside the image). A convolution is then one GEMM with the `kh·kw·c × filters` kernel.
 * With `adjoint` set it runs col2im, the transpose: each entry of `cols` is added back onto its
 * pixel of `x` (which then is the output and starts at 0); entries over the padding are dropped.
 */
export function im2col(x: Float64Array, cols: Float64Array, g: WindowGeometry, adjoint: boolean): void {
  const { batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  const k = kh * kw * c;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const r = ((b * oh + i) * ow + j) * k;
        for (let p = 0; p < kh; p++) {
          const y = i * sh - pt + p;
          for (let q = 0; q < kw; q++) {
            const xx = j * sw - pl + q;
            const o = r + (p * kw + q) * c;
            const s = ((b * h + y) * w + xx) * c;
            const inside = y >= 0 && y < h && xx >= 0 && xx < w;
            if (adjoint) {
              if (inside) for (let ch = 0; ch < c; ch++) x[s + ch] += cols[o + ch]!;
            } else if (inside) {
              for (let ch = 0; ch < c; ch++) cols[o + ch] = x[s + ch]!;
            } else {
              for (let ch = 0; ch < c; ch++) cols[o + ch] = 0;
            }
          }
        }
      }
    }
  }
}

/**
 * Max pooling: y[b, i, j, ch] = max over the window at (i·sh − pt, j·sw − pl), first maximum
 * winning; window entries outside the image are skipped (padding with −∞). `arg` receives the flat
 * index into `x` of each maximum (for the VJP and JVP).
 */
export function maxPoolForward(x: Float64Array, y: Float64Array, arg: Int32Array, g: WindowGeometry): void {
  const { batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const o = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let at = -1;
          for (let p = 0; p < kh; p++) {
            const yy = i * sh - pt + p;
            if (yy < 0 || yy >= h) continue;
            for (let q = 0; q < kw; q++) {
              const xx = j * sw - pl + q;
              if (xx < 0 || xx >= w) continue;
              const s = ((b * h + yy) * w + xx) * c + ch;
              const v = x[s]!;
              if (v > best || at < 0) {
                best = v;
                at = s;
              }
            }
          }
          y[o + ch] = best;
          arg[o + ch] = at;
        }
      }
    }
  }
}

/** out[i] = src[index[i]] (the JVP of max pooling) when `add` is false; out[index[i]] += src[i] (its VJP) when true. */
export function gatherScatter(src: Float64Array, index: Int32Array, out: Float64Array, add: boolean): void {
  if (add) for (let i = 0; i < index.length; i++) out[index[i]!] += src[i]!;
  else for (let i = 0; i < index.length; i++) out[i] = src[index[i]!]!;
}

/**
 * Average pooling: y[b, i, j, ch] = (1 / n) Σ x over the window at (i·sh − pt, j·sw − pl), n the
 * number of its entries inside the image (kh·kw without padding; padding is not counted, as in
 * TensorFlow's 'SAME' average). With `adjoint` set it runs the transpose instead: each dy entry,
 * divided by its n, is added onto its window in `x` (then `x` is the output, starting at 0, and
 * `y` the input).
 */
export function avgPool(x: Float64Array, y: Float64Array, g: WindowGeometry, adjoint: boolean): void {
  const { batch, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < oh; i++) {
      const y0 = Math.max(i * sh - pt, 0);
      const y1 = Math.min(i * sh - pt + kh, h);
      for (let j = 0; j < ow; j++) {
        const x0 = Math.max(j * sw - pl, 0);
        const x1 = Math.min(j * sw - pl + kw, w);
        const inv = 1 / ((y1 - y0) * (x1 - x0));
        const o = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          if (adjoint) {
            const d = y[o + ch]! * inv;
            for (let p = y0; p < y1; p++) for (let q = x0; q < x1; q++) x[((b * h + p) * w + q) * c + ch] += d;
          } else {
            let s = 0;
            for (let p = y0; p < y1; p++) for (let q = x0; q < x1; q++) s += x[((b * h + p) * w + q) * c + ch]!;
            y[o + ch] = s * inv;
          }
        }
      }
    }
  }
}

/**
 * Copies a `rows × width` block: out[outOff + r·outStride + j] = src[srcOff + r·srcStride + j].
 * Column slices and concatenations (a recurrent step's `[x_t, h_{t−1}]`) are this copy.
 */
export function copyBlock(
  src: Float64Array, srcOff: number, srcStride: number, out: Float64Array, outOff: number, outStride: number, rows: number, width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const s = srcOff + r * srcStride;
    const o = outOff + r * outStride;
    for (let j = 0; j < width; j++) out[o + j] = src[s + j]!;
  }
}

/**
 * Solves `A·X = B` for a symmetric positive definite `A: n × n` and `B: n × m` by Cholesky
 * (`A = L·Lᵀ`, then forward and back substitution), in place: `a` becomes `L` (lower triangle),
 * `b` becomes `X`. Returns false, leaving the arrays partly overwritten, when a pivot is not
 * positive (A is not positive definite to working precision).
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number, m: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! * a[j * n + k]!;
    if (!(d > 0)) return false;
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / l;
    }
  }
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = b[i * m + c]!;
      for (let k = 0; k < i; k++) s -= a[i * n + k]! * b[k * m + c]!;
      b[i * m + c] = s / a[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = b[i * m + c]!;
      for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * b[k * m + c]!;
      b[i * m + c] = s / a[i * n + i]!;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Recurrent cells' element-wise parts (src/layer/recurrent.ts), shared by the cells' own
// functions and the interpreter's recurrent stage (src/train/recurrence.ts). Blocks of width H
// sit side by side in each row; `ld…` is a row length where a matrix is a column slice.

/**
 * u += [dy, 0] row by row, as a scan adds an output's cotangent to the carried one: the first `H`
 * of each row's `S` entries of `u` (row length `S`) gain `dy` (row length `ldy`), the rest gain 0.
 */
export function addPaddedRows(u: Float64Array, uOff: number, S: number, dy: Float64Array, dyOff: number, ldy: number, rows: number, H: number): void {
  for (let r = 0; r < rows; r++) {
    const o = uOff + r * S;
    const d = dyOff + r * ldy;
    for (let j = 0; j < H; j++) u[o + j]! += dy[d + j]!;
    for (let j = H; j < S; j++) u[o + j]! += 0;
  }
}

/** σ(x) = 1 / (1 + e^{−x}): the recurrent cells' gate function. */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The LSTM cell's element-wise forward, rows × H: the pre-activations `a` (rows × 4H, blocks
 * i, f, g, o) are replaced in place by the gates i = σ(a_i), f = σ(a_f), g = tanh(a_g),
 * o = σ(a_o); then c = f⊙c₋ + i⊙g goes to `out` at `cOff`, tanh(c) to `tc` (rows × H) and
 * h = o⊙tanh(c) to `out` at `hOff` (c₋ from `cp`, row length `ldcp`; h and c row length `ldo`).
 */
export function lstmCellForward(
  a: Float64Array, aOff: number, cp: Float64Array, cpOff: number, ldcp: number,
  out: Float64Array, hOff: number, cOff: number, ldo: number, tc: Float64Array, tcOff: number, rows: number, H: number,
): void {
  for (let r = 0; r < rows; r++) {
    const ar = aOff + r * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = logistic(a[ar + j]!);
      const f = logistic(a[ar + H + j]!);
      const g = Math.tanh(a[ar + 2 * H + j]!);
      const o = logistic(a[ar + 3 * H + j]!);
      a[ar + j] = i;
      a[ar + H + j] = f;
      a[ar + 2 * H + j] = g;
      a[ar + 3 * H + j] = o;
      const c = f * cp[cpOff + r * ldcp + j]! + i * g;
      const t = Math.tanh(c);
      out[cOff + r * ldo + j] = c;
      tc[tcOff + r * H + j] = t;
      out[hOff + r * ldo + j] = o * t;
    }
  }
}

/**
 * The LSTM cell's element-wise backward, rows × H, from ∂L/∂h at `dhOff` and ∂L/∂c at `dcOff` of
 * `d` (row length `ldd`), the gates `a` and tanh(c) `tc` of {@link lstmCellForward} and c₋:
 *
 *   dc = ∂L/∂c + ∂L/∂h⊙o⊙(1 − tanh²c),
 *   da_i = dc⊙g⊙i(1 − i),  da_f = dc⊙c₋⊙f(1 − f),  da_g = dc⊙i⊙(1 − g²),  da_o = ∂L/∂h⊙tanh c⊙o(1 − o),
 *
 * into `da` (rows × 4H), and ∂L/∂c₋ = dc⊙f into `dcp` (row length `lddcp`).
 */
export function lstmCellBackward(
  d: Float64Array, dhOff: number, dcOff: number, ldd: number, a: Float64Array, aOff: number, cp: Float64Array, cpOff: number, ldcp: number,
  tc: Float64Array, tcOff: number, da: Float64Array, daOff: number, dcp: Float64Array, dcpOff: number, lddcp: number, rows: number, H: number,
): void {
  for (let r = 0; r < rows; r++) {
    const ar = aOff + r * 4 * H;
    const dr = daOff + r * 4 * H;
    for (let j = 0; j < H; j++) {
      const i = a[ar + j]!;
      const f = a[ar + H + j]!;
      const g = a[ar + 2 * H + j]!;
      const o = a[ar + 3 * H + j]!;
      const t = tc[tcOff + r * H + j]!;
      const dh = d[dhOff + r * ldd + j]!;
      const dc = d[dcOff + r * ldd + j]! + dh * o * (1 - t * t);
      da[dr + j] = dc * g * (i * (1 - i));
      da[dr + H + j] = dc * cp[cpOff + r * ldcp + j]! * (f * (1 - f));
      da[dr + 2 * H + j] = dc * i * (1 - g * g);
      da[dr + 3 * H + j] = dh * t * (o * (1 - o));
      dcp[dcpOff + r * lddcp + j] = dc * f;
    }
  }
}

/**
 * The GRU cell's element-wise forward, rows × H, from gx = x·Wx + bx and gh = h₋·Wh + bh
 * (rows × 3H each, blocks r, z, n): r = σ(gx_r + gh_r), z = σ(gx_z + gh_z),
 * n = tanh(gx_n + r⊙gh_n) replace gx's blocks in place, and h = (1 − z)⊙n + z⊙h₋ goes to `h`
 * (rows × H; h₋ from `hp`, row length `ldhp`).
 */
export function gruCellForward(
  gx: Float64Array, gxOff: number, gh: Float64Array, ghOff: number, hp: Float64Array, hpOff: number, ldhp: number,
  h: Float64Array, hOff: number, rows: number, H: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = gxOff + r * 3 * H;
    const hr = ghOff + r * 3 * H;
    for (let j = 0; j < H; j++) {
      const rr = logistic(gx[xr + j]! + gh[hr + j]!);
      const z = logistic(gx[xr + H + j]! + gh[hr + H + j]!);
      const n = Math.tanh(gx[xr + 2 * H + j]! + rr * gh[hr + 2 * H + j]!);
      gx[xr + j] = rr;
      gx[xr + H + j] = z;
      gx[xr + 2 * H + j] = n;
      h[hOff + r * H + j] = (1 - z) * n + z * hp[hpOff + r * ldhp + j]!;
    }
  }
}

/**
 * The GRU cell's element-wise backward, rows × H, from ∂L/∂h `d` (rows × H), the gates of
 * {@link gruCellForward}, gh (for gh_n) and h₋:
 *
 *   da_n = d⊙(1 − z)⊙(1 − n²),  da_r = da_n⊙gh_n⊙r(1 − r),  da_z = d⊙(h₋ − n)⊙z(1 − z),
 *
 * into `dgx` = [da_r, da_z, da_n] and `dgh` = [da_r, da_z, da_n⊙r] (rows × 3H), and the direct
 * part of ∂L/∂h₋, d⊙z, into `du` (rows × H).
 */
export function gruCellBackward(
  d: Float64Array, dOff: number, gx: Float64Array, gxOff: number, gh: Float64Array, ghOff: number, hp: Float64Array, hpOff: number, ldhp: number,
  dgx: Float64Array, dgxOff: number, dgh: Float64Array, dghOff: number, du: Float64Array, duOff: number, rows: number, H: number,
): void {
  for (let r = 0; r < rows; r++) {
    const xr = gxOff + r * 3 * H;
    const dx = dgxOff + r * 3 * H;
    const dh = dghOff + r * 3 * H;
    for (let j = 0; j < H; j++) {
      const rr = gx[xr + j]!;
      const z = gx[xr + H + j]!;
      const n = gx[xr + 2 * H + j]!;
      const g = d[dOff + r * H + j]!;
      const an = g * (1 - z) * (1 - n * n);
      const ar = an * gh[ghOff + r * 3 * H + 2 * H + j]! * (rr * (1 - rr));
      const az = g * (hp[hpOff + r * ldhp + j]! - n) * (z * (1 - z));
      dgx[dx + j] = ar;
      dgx[dx + H + j] = az;
      dgx[dx + 2 * H + j] = an;
      dgh[dh + j] = ar;
      dgh[dh + H + j] = az;
      dgh[dh + 2 * H + j] = an * rr;
      du[duOff + r * H + j] = g * z;
    }
  }
}
