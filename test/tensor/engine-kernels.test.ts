import { describe, expect, it } from 'vitest';
import * as K from '../../src/tensor/kernels.js';
import { addMaskedDecayOnArena, adamUpdateOnArena, ensureArena } from '../../src/tensor/wasm/arena.js';
import { identity, leakyRelu, relu, sigmoid, softplus, tanh } from '../../src/layer/activation.js';
import { unsafeMat } from '../../src/tensor/mat.js';
import { bernoulliDraws, foldIn, key, normal, streamWords, uniformDraws } from '../../src/random.js';

const n = 37;
const z = normal(key(3), n, 3);
const dy = normal(key(4), n, 1);
const acts = [
  ['identity', 0, 0, identity],
  ['relu', 1, 0, relu],
  ['tanh', 2, 0, tanh],
  ['sigmoid', 3, 0, sigmoid],
  ['leakyRelu', 4, 0.2, leakyRelu(0.2)],
  ['softplus', 5, 0, softplus],
] as const;

describe('the engine kernels give the layers’ numbers bit for bit', () => {
  it.each(acts)('activationForward and activationBackward equal %s’s forward and VJP', (_name, code, alpha, layer) => {
    const x = unsafeMat(1, n, z);
    // at an offset inside a larger buffer, as in the arena
    const f = new Float64Array(3 * n + 10);
    f.set(z, 2);
    K.activationForward(code, alpha, f, 2, f, 2 + n, n);
    expect(f.subarray(2 + n, 2 + 2 * n)).toEqual(layer.forward({}, x).data);
    f.set(dy, 2 + 2 * n);
    K.activationBackward(code, alpha, f, 2 + 2 * n, f, 2, f, 2 + n, f, 2 + 2 * n, n);
    const [, back] = layer.vjp({}, x);
    expect(f.subarray(2 + 2 * n, 2 + 3 * n)).toEqual(back(unsafeMat(1, n, dy))[1].data);
  });

  it('activationForward rounds into a Float32Array', () => {
    const out = new Float32Array(n);
    K.activationForward(2, 0, z, 0, out, 0, n);
    expect(out).toEqual(Float32Array.from(z, Math.tanh));
  });

  it('gatherRows copies the indexed rows and stops at the first out-of-range index', () => {
    const src = Float64Array.from({ length: 12 }, (_, i) => i); // 4×3
    const out = new Float64Array(2 + 9);
    expect(K.gatherRows(src, 3, 4, [9, 3, 0, 2], 1, 3, out, 2)).toBe(3);
    expect(Array.from(out.subarray(2))).toEqual([9, 10, 11, 0, 1, 2, 6, 7, 8]);
    expect(K.gatherRows(src, 3, 4, [1, 4, 0], 0, 3, out, 0)).toBe(1);
    expect(K.gatherRows(src, 3, 4, [1, Number.NaN], 0, 2, out, 0)).toBe(1);
  });

  it('sumRows and transpose at offsets match their whole-array forms', () => {
    const a = normal(key(5), 5 * 7, 1);
    const f = new Float64Array(3 + a.length + 7 + a.length);
    f.set(a, 3);
    const sums = new Float64Array(7);
    K.sumRows(a, sums, 5, 7);
    K.sumRows(f, f, 5, 7, false, 3, 3 + a.length);
    expect(f.subarray(3 + a.length, 3 + a.length + 7)).toEqual(sums);
    const t = new Float64Array(a.length);
    K.transpose(a, t, 5, 7);
    K.transpose(f, f, 5, 7, 3, 3 + a.length + 7);
    expect(f.subarray(3 + a.length + 7)).toEqual(t);
  });

  it('allFinite is false exactly when an entry is NaN or ±∞', () => {
    expect(K.allFinite(Float64Array.of(1, -2, 1e308, -1e308, 0))).toBe(true);
    expect(K.allFinite(new Float64Array(0))).toBe(true);
    for (const bad of [Number.NaN, Infinity, -Infinity]) expect(K.allFinite(Float64Array.of(1, bad, 3))).toBe(false);
    expect(K.allFinite(Float64Array.of(Infinity, -Infinity))).toBe(false);
  });
});

describe('the arena GEMM packs B blocks of large products without changing a bit', () => {
  it.each([
    ['A, bias + ReLU', false, 2, 1],
    ['Aᵀ (strided), accumulate', true, 1, 0],
  ] as const)('70×600·300 (blocked and packed) equals the scalar kernel exactly: %s', (_name, transA, mode, act) => {
    const m = 70, k = 600, n = 300;
    const a = normal(key(11), m * k, 1);
    const b = normal(key(12), k * n, 1);
    const bias = normal(key(13), n, 1);
    const c0 = normal(key(14), m * n, 1);
    const [sai, sap] = transA ? [1, m] : [k, 1];
    const ar = ensureArena(m * k + k * n + n + m * n + 8);
    const f = ar.f64;
    const B0 = m * k, b0 = B0 + k * n, C0 = b0 + n;
    f.set(a, 0);
    f.set(b, B0);
    f.set(bias, b0);
    f.set(c0, C0);
    ar.gemm(0, sai, sap, B0, n, C0, n, b0, m, k, n, mode, act);
    const ref = c0.slice();
    K.gemm(a, 0, sai, sap, b, 0, n, 1, ref, 0, n, m, k, n, mode, bias, 0, act);
    const differing = (x: Float64Array, y: Float64Array): number => x.reduce((cnt, v, i) => cnt + (Object.is(v, y[i]) ? 0 : 1), 0);
    expect(differing(f.slice(C0, C0 + m * n), ref)).toBe(0);
    expect(differing(f.slice(B0, B0 + k * n), b)).toBe(0); // B itself is untouched
  });
});

describe('the arena dropout kernel draws the generic mask bit for bit', () => {
  it('keeps exactly the entries bernoulliDraws keeps, with the same scales and products', () => {
    const ar = ensureArena(4096);
    const f = ar.f64;
    if (ar.dropout === null) {
      expect(ar.simd).toBe(false); // only a scalar arena has no SIMD dropout
      return;
    }
    const n = 1023; // not a multiple of 4: the kernel does 1020 entries and says so
    const x = normal(key(3), n);
    x[5] = Infinity; // x·0 is NaN in both kernels
    for (const [seed, keep] of [[0, 0.9], [7, 0.5], [123456789, 0.1], [42, 1], [9, 0], [11, 0.75]] as const) {
      const k = foldIn(key(seed), 17);
      f.set(x, 0);
      const done = ar.dropout(0, 1024, 2048, n, ...streamWords(k), keep, 1 / keep);
      expect(done).toBe(1020);
      const scale = new Float64Array(n);
      const out = new Float64Array(n);
      K.dropoutForward(bernoulliDraws(k, keep), keep, x, 0, scale, 0, out, 0, n);
      expect(Array.from(f.subarray(1024, 1024 + done))).toEqual(Array.from(scale.subarray(0, done)));
      expect(Array.from(f.subarray(2048, 2048 + done))).toEqual(Array.from(out.subarray(0, done)));
      // and the mask is not trivial for 0 < keep < 1
      if (keep > 0 && keep < 1) expect(new Set(scale).size).toBe(2);
    }
  });

  it('decides a tie in the high 27 bits by the low 26, as bernoulliDraws does', () => {
    // keep = draw i exactly (not kept: draw < keep is false) or the next double above it (kept):
    // then floor(keep·2²⁷) equals entry i's high bits, and the kernel must hash the low bits too
    const ar = ensureArena(4096);
    if (ar.dropout === null) return;
    const f = ar.f64;
    const n = 64;
    const x = normal(key(4), n);
    const k = foldIn(key(5), 3);
    const draws = uniformDraws(k);
    const next = (v: number): number => v + 2 ** (Math.floor(Math.log2(v)) - 52);
    for (const i of [0, 5, 38]) {
      for (const keep of [draws(i), next(draws(i)), NaN, -0.5, 1.5]) {
        f.set(x, 0);
        const done = ar.dropout(0, 1024, 2048, n, ...streamWords(k), keep, 1 / keep);
        const scale = new Float64Array(n);
        const out = new Float64Array(n);
        K.dropoutForward(bernoulliDraws(k, keep), keep, x, 0, scale, 0, out, 0, n);
        expect(Array.from(f.subarray(1024, 1024 + done))).toEqual(Array.from(scale.subarray(0, done)));
        expect(Array.from(f.subarray(2048, 2048 + done))).toEqual(Array.from(out.subarray(0, done)));
        if (keep === draws(i)) expect(scale[i]).toBe(0);
        if (keep === next(draws(i))) expect(scale[i]).toBe(1 / keep);
      }
    }
  });
});

describe('the arena optimizer passes give the scalar kernels\u2019 numbers bit for bit', () => {
  // awkward entries on purpose: signed zeros, a huge value (its square overflows), ±∞ and NaN
  const data = (seed: number, n: number): Float64Array => {
    const a = normal(key(seed), n, 1e-3);
    const odd = [0, -0, 1e200, -Infinity, NaN, 5e-324];
    for (let i = 0; i < odd.length && 3 * i + 1 < n; i++) a[3 * i + 1] = odd[i]!;
    return a;
  };
  const sizes = [1, 2, 7, 8, 9, 64, 1023];

  it.each(sizes)('adam (n = %i): moments and update equal kernels.adamUpdate', (n) => {
    const ar = ensureArena(8 * 1024);
    const f = ar.f64;
    const g = data(1, n), m = data(2, n), v = data(3, n).map(Math.abs);
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const [c1, c2] = [1 - b1 ** 3, 1 - b2 ** 3];
    // on the arena, u written over g as the program does
    const [G, M, V, MO, VO] = [0, 1024, 2048, 3072, 4096];
    f.set(g, G); f.set(m, M); f.set(v, V);
    const view = (o: number): Float64Array => ar.f64.subarray(o, o + n);
    const gg = adamUpdateOnArena(view(G), view(M), view(V), view(MO), view(VO), view(G), b1, b2, c1, c2, eps);
    const want = { m: new Float64Array(n), v: new Float64Array(n), u: new Float64Array(n) };
    const ggWant = K.adamUpdate(g, m, v, want.m, want.v, want.u, b1, b2, c1, c2, eps);
    expect(Array.from(view(MO))).toEqual(Array.from(want.m));
    expect(Array.from(view(VO))).toEqual(Array.from(want.v));
    expect(Array.from(view(G))).toEqual(Array.from(want.u));
    // ‖g‖², summed in another order on the SIMD path: finite exactly when the scalar sum is
    expect(Number.isFinite(gg)).toBe(Number.isFinite(ggWant));
  });

  it.each(sizes)('axpy and decay (n = %i) equal kernels.axpy and kernels.addMaskedDecay', (n) => {
    const ar = ensureArena(8 * 1024);
    const x = data(4, n), y = data(5, n);
    const ones = new Float64Array(n).fill(1);
    const f = ar.f64;
    f.set(x, 0); f.set(y, 1024);
    const want = new Float64Array(n);
    const rWant = K.axpy(-0.01, x, y, want);
    if (ar.axpy !== null) {
      const r = ar.axpy(-0.01, 0, 1024, 2048, n);
      expect(Array.from(f.subarray(2048, 2048 + n))).toEqual(Array.from(want));
      expect(Number.isFinite(r)).toBe(Number.isFinite(rWant));
    } else expect(ar.simd).toBe(false);
    const u = ar.f64.subarray(0, n);
    const theta = ar.f64.subarray(1024, 1024 + n);
    const decayed = Float64Array.from(x);
    K.addMaskedDecay(decayed, y, ones, 1e-4);
    addMaskedDecayOnArena(u, theta, ones, true, 1e-4);
    expect(Array.from(u)).toEqual(Array.from(decayed));
  });

  it.each(sizes)('multiply (n = %i) equals kernels.multiplyInto, also written over an input', (n) => {
    const ar = ensureArena(8 * 1024);
    if (ar.multiply === null) return expect(ar.simd).toBe(false);
    const a = data(6, n), b = data(7, n).map((v, i) => (i % 5 === 0 ? -v * 1e200 : v));
    const f = ar.f64;
    const want = new Float64Array(n);
    K.multiplyInto(a, 0, b, 0, want, 0, n);
    f.set(a, 0); f.set(b, 1024);
    ar.multiply(0, 1024, 2048, n);
    expect(Array.from(f.subarray(2048, 2048 + n))).toEqual(Array.from(want));
    ar.multiply(0, 1024, 0, n); // out = a
    expect(Array.from(f.subarray(0, n))).toEqual(Array.from(want));
  });
});
