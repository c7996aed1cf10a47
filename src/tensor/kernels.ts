/**
 * The hot loops: the only code in foldnet that writes into arrays.
 *
 * Every function here writes into an `out` array that the caller freshly allocated (or owns
 * privately); none of them allocates. Matrices are row-major. Everything above this module is
 * pure and builds its results by allocating an output and calling one of these.
 *
 * Shapes used by backprop through a dense layer with `W: [in, out]`:
 * - forward   `Y  = X · W (+ b)`   → {@link matmul} (+ {@link addRowVector})
 * - input     `dX = dY · Wᵀ`       → {@link matmulTransB}
 * - weights   `dW = Xᵀ · dY`       → {@link matmulTransA}
 *
 * @module
 */

/** out[m×n] = A[m×k] · B[k×n] (+ out when `accumulate`). */
export function matmul(
  a: Float64Array, b: Float64Array, out: Float64Array,
  m: number, k: number, n: number, accumulate = false,
): void {
  if (!accumulate) out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const ro = i * n;
    const ra = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ra + p]!;
      if (av === 0) continue;
      const rb = p * n;
      for (let j = 0; j < n; j++) out[ro + j]! += av * b[rb + j]!;
    }
  }
}

/** out[m×n] = A[m×k] · B[n×k]ᵀ (+ out when `accumulate`). */
export function matmulTransB(
  a: Float64Array, b: Float64Array, out: Float64Array,
  m: number, k: number, n: number, accumulate = false,
): void {
  for (let i = 0; i < m; i++) {
    const ra = i * k;
    for (let j = 0; j < n; j++) {
      const rb = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ra + p]! * b[rb + p]!;
      out[i * n + j] = accumulate ? out[i * n + j]! + s : s;
    }
  }
}

/** out[m×n] = A[k×m]ᵀ · B[k×n] (+ out when `accumulate`). */
export function matmulTransA(
  a: Float64Array, b: Float64Array, out: Float64Array,
  k: number, m: number, n: number, accumulate = false,
): void {
  if (!accumulate) out.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const ra = p * m;
    const rb = p * n;
    for (let i = 0; i < m; i++) {
      const av = a[ra + i]!;
      if (av === 0) continue;
      const ro = i * n;
      for (let j = 0; j < n; j++) out[ro + j]! += av * b[rb + j]!;
    }
  }
}

/** out[r, j] += v[j] for every row r of a rows×cols matrix. */
export function addRowVector(out: Float64Array, v: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[o + j]! += v[j]!;
  }
}

/** out[j] = Σ_r a[r, j] (column sums of a rows×cols matrix), + out when `accumulate`. */
export function sumRows(a: Float64Array, out: Float64Array, rows: number, cols: number, accumulate = false): void {
  if (!accumulate) out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j]! += a[o + j]!;
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

/** out[i] = α·x[i] + y[i]. */
export function axpy(alpha: number, x: Float64Array, y: Float64Array, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = alpha * x[i]! + y[i]!;
}

/** Σ a[i]·b[i]. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** out[j, i] = a[i, j] for a rows×cols matrix. */
export function transpose(a: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
}

/**
 * Row-wise softmax of a rows×cols matrix into out, stabilised by subtracting each row's max:
 * softmax(z)_j = exp(z_j − max z) / Σ_k exp(z_k − max z).
 */
export function softmaxRows(a: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let mx = -Infinity;
    for (let j = 0; j < cols; j++) mx = Math.max(mx, a[o + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(a[o + j]! - mx);
      out[o + j] = e;
      s += e;
    }
    for (let j = 0; j < cols; j++) out[o + j]! /= s;
  }
}

/**
 * Softmax's Jacobian-vector product per row, which is also its vector-Jacobian product since
 * the Jacobian diag(s) − s sᵀ is symmetric: out_j = s_j (v_j − Σ_k s_k v_k).
 */
export function softmaxRowsJvp(s: Float64Array, v: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let d = 0;
    for (let j = 0; j < cols; j++) d += s[o + j]! * v[o + j]!;
    for (let j = 0; j < cols; j++) out[o + j] = s[o + j]! * (v[o + j]! - d);
  }
}
