/**
 * Generates the WebAssembly text (WAT) of foldnet's SIMD GEMM kernels. The text is assembled by
 * `wabt` (a dev dependency) by `npm run build:wasm` (`bench/build-wasm.ts`), which writes `gemm-bytes.ts`; a test
 * rebuilds it and compares the bytes, so the shipped binary always matches this source.
 *
 * Kernel (all addresses in bytes into the one imported memory, f64 row-major data):
 *
 *   gemm(a, saRow, saCol, b, ldb, c, ldc, bias, m, k, n, mode, act)
 *   C[i, j] = act(init[i, j] + Σ_p A[i, p] · B[p, j])   for i < m, j < n, p ascending
 *
 * where `A[i, p]` is at `a + i·saRow + p·saCol` (so Aᵀ is just other strides), `B[p, j]` at
 * `b + p·ldb + 8j`, `C[i, j]` at `c + i·ldc + 8j`; `init` is 0 (mode 0), C itself (mode 1,
 * accumulate) or `bias[j]` at `bias + 8j` (mode 2); `act` 0 is the identity and 1 is ReLU
 * (`x > 0 ? x : 0`, NaN ↦ 0, as foldnet's `relu`). Register tiles: 4 rows × 4 columns (8 f64x2
 * accumulators), with 4×2, 4×1, 1×4, 1×2 and 1×1 edge tiles. `gemm_f32` is the same kernel on
 * f32 data (4-byte elements, 4×8 tiles of f32x4), measured as an opt-in alternative.
 *
 * `relu_back`, `dropout` and `transpose(src, dst, rows, cols)` complete the module (see `gemmWat`;
 * `arena.ts` calls all but `transpose`).
 *
 * @module
 */

/** Element type of a kernel: f64 (2 lanes per v128, the default path) or f32 (4 lanes, opt-in). */
interface DType {
  readonly esz: 8 | 4;
  readonly lanes: 2 | 4;
  readonly vec: 'f64x2' | 'f32x4';
  readonly sc: 'f64' | 'f32';
  readonly splat: 'v128.load64_splat' | 'v128.load32_splat';
  readonly shift: 3 | 2;
}
const F64: DType = { esz: 8, lanes: 2, vec: 'f64x2', sc: 'f64', splat: 'v128.load64_splat', shift: 3 };
const F32: DType = { esz: 4, lanes: 4, vec: 'f32x4', sc: 'f32', splat: 'v128.load32_splat', shift: 2 };

const ind = (s: string, n: number): string =>
  s
    .split('\n')
    .map((l) => (l.length > 0 ? ' '.repeat(n) + l : l))
    .join('\n');

/** One register tile of `mr` rows × `nc` columns at row `$i`, column `$j`. */
const tile = (t: DType, mr: 4 | 1, nc: number): string => {
  const rows = Array.from({ length: mr }, (_, r) => r);
  const vecs = nc === 1 ? [] : Array.from({ length: nc / t.lanes }, (_, v) => v);
  const scalar = nc === 1;
  const acc = (r: number, v: number): string => (scalar ? `$s${r}` : `$v${r}_${v}`);
  const lanes = scalar ? [0] : vecs;
  const out: string[] = [];
  // pointers
  out.push(`(local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $saRow))))`);
  for (const r of rows.slice(1)) out.push(`(local.set $pa${r} (i32.add (local.get $pa${r - 1}) (local.get $saRow)))`);
  out.push(`(local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const ${t.shift}))))`);
  out.push(`(local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc))) (i32.shl (local.get $j) (i32.const ${t.shift}))))`);
  // init
  const zero = scalar ? `(${t.sc}.const 0)` : '(v128.const i64x2 0 0)';
  const loadOp = scalar ? `${t.sc}.load` : 'v128.load';
  const w = scalar ? t.esz : 16;
  const initFrom = (base: (r: number) => string): string =>
    rows.flatMap((r) => lanes.map((v) => `(local.set ${acc(r, v)} (${loadOp} offset=${v * w} ${base(r)}))`)).join('\n');
  out.push(`(if (i32.eq (local.get $mode) (i32.const 1))
  (then
${ind(initFrom((r) => (r === 0 ? '(local.get $pc)' : `(i32.add (local.get $pc) (i32.mul (i32.const ${r}) (local.get $ldc)))`)), 4)})
  (else
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then
${ind(initFrom(() => `(i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const ${t.shift})))`), 8)})
      (else
${ind(rows.flatMap((r) => lanes.map((v) => `(local.set ${acc(r, v)} ${zero})`)).join('\n'), 8)}))))`);
  // k loop
  const body: string[] = [];
  if (scalar) {
    body.push(`(local.set $sb (${t.sc}.load (local.get $pb)))`);
    for (const r of rows) body.push(`(local.set $s${r} (${t.sc}.add (local.get $s${r}) (${t.sc}.mul (${t.sc}.load (local.get $pa${r})) (local.get $sb))))`);
  } else {
    for (const v of vecs) body.push(`(local.set $b${v} (v128.load offset=${v * 16} (local.get $pb)))`);
    for (const r of rows) {
      body.push(`(local.set $av (${t.splat} (local.get $pa${r})))`);
      for (const v of vecs) body.push(`(local.set ${acc(r, v)} (${t.vec}.add (local.get ${acc(r, v)}) (${t.vec}.mul (local.get $av) (local.get $b${v}))))`);
    }
  }
  for (const r of rows) body.push(`(local.set $pa${r} (i32.add (local.get $pa${r}) (local.get $saCol)))`);
  body.push(`(local.set $pb (i32.add (local.get $pb) (local.get $ldb)))`);
  body.push(`(local.set $p (i32.add (local.get $p) (i32.const 1)))`);
  out.push(`(local.set $p (i32.const 0))
(if (i32.gt_s (local.get $k) (i32.const 0))
  (then
    (loop $kl
${ind(body.join('\n'), 6)}
      (br_if $kl (i32.lt_s (local.get $p) (local.get $k))))))`);
  // activation + store
  const relu = (x: string): string =>
    scalar
      ? `(select ${x} (${t.sc}.const 0) (${t.sc}.gt ${x} (${t.sc}.const 0)))`
      : `(${t.vec}.pmax (v128.const i64x2 0 0) ${x})`;
  const stores = (act: boolean): string =>
    rows
      .flatMap((r) =>
        lanes.map((v) => {
          const addr = r === 0 ? '(local.get $pc)' : `(i32.add (local.get $pc) (i32.mul (i32.const ${r}) (local.get $ldc)))`;
          const val = act ? relu(`(local.get ${acc(r, v)})`) : `(local.get ${acc(r, v)})`;
          return `(${scalar ? `${t.sc}.store` : 'v128.store'} offset=${v * w} ${addr} ${val})`;
        }),
      )
      .join('\n');
  out.push(`(if (i32.eq (local.get $act) (i32.const 1))
  (then
${ind(stores(true), 4)})
  (else
${ind(stores(false), 4)}))`);
  return out.join('\n');
};

/** The column sweep for one block of `mr` rows: full-width tiles, then the narrower edges. */
const rowBlock = (t: DType, mr: 4 | 1): string => {
  const wide = 2 * t.lanes;
  const narrow = t.lanes;
  return `(local.set $j (i32.const 0))
(block $jd${mr}
  (loop $jl${mr}
    (br_if $jd${mr} (i32.gt_s (i32.add (local.get $j) (i32.const ${wide})) (local.get $n)))
${ind(tile(t, mr, wide), 4)}
    (local.set $j (i32.add (local.get $j) (i32.const ${wide})))
    (br $jl${mr})))
(if (i32.le_s (i32.add (local.get $j) (i32.const ${narrow})) (local.get $n))
  (then
${ind(tile(t, mr, narrow), 4)}
    (local.set $j (i32.add (local.get $j) (i32.const ${narrow})))))
(block $ed${mr}
  (loop $el${mr}
    (br_if $ed${mr} (i32.ge_s (local.get $j) (local.get $n)))
${ind(tile(t, mr, 1), 4)}
    (local.set $j (i32.add (local.get $j) (i32.const 1)))
    (br $el${mr})))`;
};

/** The whole GEMM function for one element type. */
const gemmFunc = (t: DType, name: string): string => `  (func (export "${name}")
    (param $a i32) (param $saRow i32) (param $saCol i32) (param $b i32) (param $ldb i32)
    (param $c i32) (param $ldc i32) (param $bias i32) (param $m i32) (param $k i32) (param $n i32)
    (param $mode i32) (param $act i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
    (local $av v128) (local $b0 v128) (local $b1 v128)
    (local $v0_0 v128) (local $v0_1 v128) (local $v1_0 v128) (local $v1_1 v128)
    (local $v2_0 v128) (local $v2_1 v128) (local $v3_0 v128) (local $v3_1 v128)
    (local $sb ${t.sc}) (local $s0 ${t.sc}) (local $s1 ${t.sc}) (local $s2 ${t.sc}) (local $s3 ${t.sc})
    (local.set $i (i32.const 0))
    (block $id4
      (loop $il4
        (br_if $id4 (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
${ind(rowBlock(t, 4), 8)}
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il4)))
    (block $id1
      (loop $il1
        (br_if $id1 (i32.ge_s (local.get $i) (local.get $m)))
${ind(rowBlock(t, 1), 8)}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $il1))))`;

/** murmur3's 32-bit finalizer (random.ts's `fmix`) on the four i32 lanes of local `v`. */
const fmix4 = (v: string): string => `        (local.set ${v} (v128.xor (local.get ${v}) (i32x4.shr_u (local.get ${v}) (i32.const 16))))
        (local.set ${v} (i32x4.mul (local.get ${v}) (v128.const i32x4 0x85ebca6b 0x85ebca6b 0x85ebca6b 0x85ebca6b)))
        (local.set ${v} (v128.xor (local.get ${v}) (i32x4.shr_u (local.get ${v}) (i32.const 13))))
        (local.set ${v} (i32x4.mul (local.get ${v}) (v128.const i32x4 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35)))
        (local.set ${v} (v128.xor (local.get ${v}) (i32x4.shr_u (local.get ${v}) (i32.const 16))))
`;

/** Local `v`'s i32 lanes 2, 3 moved to lanes 0, 1. */
const upperPair = (v: string): string => `i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get ${v}) (local.get ${v})`;

/**
 * Two dropout entries from the hashes h, l in i32 lanes 0, 1 (expressions): kept when
 * (h·2²⁶ + l)/2⁵³ < p, s = kept ? inv : 0 and o = x·s stored `off` bytes past the pointers.
 */
const dropoutPair = (h: string, l: string, off: number): string => `        (local.set $s (v128.and (local.get $vinv) (f64x2.lt
          (f64x2.div (f64x2.add (f64x2.mul (f64x2.convert_low_i32x4_u (${h})) (v128.const f64x2 67108864 67108864))
            (f64x2.convert_low_i32x4_u (${l}))) (v128.const f64x2 9007199254740992 9007199254740992))
          (local.get $vp))))
        (v128.store offset=${off} (local.get $ps) (local.get $s))
        (v128.store offset=${off} (local.get $po) (f64x2.mul (v128.load offset=${off} (local.get $px)) (local.get $s)))
`;

/** Two dropout entries from a kept mask in i64 lanes (an expression): s = kept ? inv : 0, o = x·s. */
const keptPair = (mask: string, off: number): string => `            (local.set $s (v128.and (local.get $vinv) (${mask})))
            (v128.store offset=${off} (local.get $ps) (local.get $s))
            (v128.store offset=${off} (local.get $po) (f64x2.mul (v128.load offset=${off} (local.get $px)) (local.get $s)))
`;

/**
 * A loop over entries i < n of flat f64 vectors, two per f64x2 and the odd last one in scalar
 * code: `vec` and `one` are the bodies (on the byte offset `$o` of entry i), `acc` names a v128
 * local whose lanes and the f64 local `$t` the bodies may sum into (returned as lane 0 + lane 1 + t).
 */
const flatLoop = (vec: string, one: string, acc: boolean): string => `    (local.set $o (i32.const 0))
    (local.set $e (i32.shl (local.get $n) (i32.const 3)))
    (block $vd
      (loop $vl
        (br_if $vd (i32.gt_u (i32.add (local.get $o) (i32.const 16)) (local.get $e)))
${vec}
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vl)))
    (if (i32.lt_u (local.get $o) (local.get $e))
      (then
${one}))${acc ? `
    (f64.add (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))) (local.get $t))` : ''}`;

/**
 * The optimizer passes on the arena (offsets in bytes, n entries), each lane computing what the
 * scalar kernel of `kernels.ts` computes for its entry, with the same operations in the same
 * order (IEEE f64 lanes round as scalar f64 does; no fused multiply-add), so results are bitwise
 * the scalar kernels'. Sums they return (‖g‖² for a finiteness check) are over two lanes, so they
 * may differ from a sequential sum in the last bits.
 * - `adam`: kernels.adamUpdate (returns ‖g‖²; `u` may be `g`).
 * - `axpy`: kernels.axpy, out = α·x + y (returns ‖x‖² + Σ (out − out)).
 * - `decay`: kernels.addMaskedDecay with every mask entry 1, u ← u + c·θ.
 * - `mul`: kernels.multiplyInto, out = a ⊙ b (dropout's backward: the cotangent times the scales).
 */
const updateFuncs = (): string => `  (func (export "adam") (param $g i32) (param $m i32) (param $v i32) (param $mo i32) (param $vo i32) (param $u i32) (param $n i32)
    (param $b1 f64) (param $a1 f64) (param $b2 f64) (param $a2 f64) (param $c1 f64) (param $c2 f64) (param $eps f64) (result f64)
    ;; m' = b1·m + a1·g; v' = b2·v + (a2·g)·g; u = (m'/c1)/(√(v'/c2) + eps), a1 = 1 − b1, a2 = 1 − b2
    (local $o i32) (local $e i32) (local $acc v128) (local $t f64) (local $x v128) (local $mv v128) (local $vv v128)
    (local $xs f64) (local $ms f64) (local $vs f64)
${flatLoop(`        (local.set $x (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $mv (f64x2.add (f64x2.mul (f64x2.splat (local.get $b1)) (v128.load (i32.add (local.get $m) (local.get $o))))
          (f64x2.mul (f64x2.splat (local.get $a1)) (local.get $x))))
        (local.set $vv (f64x2.add (f64x2.mul (f64x2.splat (local.get $b2)) (v128.load (i32.add (local.get $v) (local.get $o))))
          (f64x2.mul (f64x2.mul (f64x2.splat (local.get $a2)) (local.get $x)) (local.get $x))))
        (v128.store (i32.add (local.get $mo) (local.get $o)) (local.get $mv))
        (v128.store (i32.add (local.get $vo) (local.get $o)) (local.get $vv))
        (v128.store (i32.add (local.get $u) (local.get $o))
          (f64x2.div (f64x2.div (local.get $mv) (f64x2.splat (local.get $c1)))
            (f64x2.add (f64x2.sqrt (f64x2.div (local.get $vv) (f64x2.splat (local.get $c2)))) (f64x2.splat (local.get $eps)))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $x) (local.get $x))))`,
`        (local.set $xs (f64.load (i32.add (local.get $g) (local.get $o))))
        (local.set $ms (f64.add (f64.mul (local.get $b1) (f64.load (i32.add (local.get $m) (local.get $o)))) (f64.mul (local.get $a1) (local.get $xs))))
        (local.set $vs (f64.add (f64.mul (local.get $b2) (f64.load (i32.add (local.get $v) (local.get $o))))
          (f64.mul (f64.mul (local.get $a2) (local.get $xs)) (local.get $xs))))
        (f64.store (i32.add (local.get $mo) (local.get $o)) (local.get $ms))
        (f64.store (i32.add (local.get $vo) (local.get $o)) (local.get $vs))
        (f64.store (i32.add (local.get $u) (local.get $o))
          (f64.div (f64.div (local.get $ms) (local.get $c1)) (f64.add (f64.sqrt (f64.div (local.get $vs) (local.get $c2))) (local.get $eps))))
        (local.set $t (f64.mul (local.get $xs) (local.get $xs)))`, true)})
  (func (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $out i32) (param $n i32) (result f64)
    ;; out = α·x + y; returns Σ (x·x + (out − out))
    (local $o i32) (local $e i32) (local $acc v128) (local $t f64) (local $xv v128) (local $ov v128) (local $xs f64) (local $os f64)
${flatLoop(`        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $o))))
        (local.set $ov (f64x2.add (f64x2.mul (f64x2.splat (local.get $alpha)) (local.get $xv)) (v128.load (i32.add (local.get $y) (local.get $o)))))
        (v128.store (i32.add (local.get $out) (local.get $o)) (local.get $ov))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.add (f64x2.mul (local.get $xv) (local.get $xv)) (f64x2.sub (local.get $ov) (local.get $ov)))))`,
`        (local.set $xs (f64.load (i32.add (local.get $x) (local.get $o))))
        (local.set $os (f64.add (f64.mul (local.get $alpha) (local.get $xs)) (f64.load (i32.add (local.get $y) (local.get $o)))))
        (f64.store (i32.add (local.get $out) (local.get $o)) (local.get $os))
        (local.set $t (f64.add (f64.mul (local.get $xs) (local.get $xs)) (f64.sub (local.get $os) (local.get $os))))`, true)})
  (func (export "decay") (param $u i32) (param $th i32) (param $n i32) (param $c f64)
    ;; u ← u + c·θ (kernels.addMaskedDecay where every mask entry is 1: (c·θ)·1 = c·θ exactly)
    (local $o i32) (local $e i32)
${flatLoop(`        (v128.store (i32.add (local.get $u) (local.get $o)) (f64x2.add (v128.load (i32.add (local.get $u) (local.get $o)))
          (f64x2.mul (f64x2.splat (local.get $c)) (v128.load (i32.add (local.get $th) (local.get $o))))))`,
`        (f64.store (i32.add (local.get $u) (local.get $o)) (f64.add (f64.load (i32.add (local.get $u) (local.get $o)))
          (f64.mul (local.get $c) (f64.load (i32.add (local.get $th) (local.get $o))))))`, false)})
  (func (export "mul") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
    ;; out = a·b entry-wise (out may be a or b)
    (local $o i32) (local $e i32)
${flatLoop(`        (v128.store (i32.add (local.get $out) (local.get $o))
          (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $o))) (v128.load (i32.add (local.get $b) (local.get $o)))))`,
`        (f64.store (i32.add (local.get $out) (local.get $o))
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $o))) (f64.load (i32.add (local.get $b) (local.get $o)))))`, false)})`;

/**
 * The whole module's WAT text: `gemm` (f64), `gemm_f32` (the opt-in f32 kernel), `relu_back`
 * (a dense+ReLU layer's backward element-wise part: mask the cotangent, sum it into the bias
 * gradient, in the generic kernels' order), `dropout` (inverted dropout's forward with its mask
 * hashed four entries at a time), the optimizer passes `adam`, `axpy` and `decay` and the product `mul` (two entries per
 * f64x2, each lane the scalar kernel's operations in its order) and `transpose`.
 */
export const gemmWat = (): string => `;; Generated by src/tensor/wasm/gemm-wat.ts — do not edit by hand.
(module
  (import "env" "memory" (memory 1))
${gemmFunc(F64, 'gemm')}
${gemmFunc(F32, 'gemm_f32')}
  (func (export "relu_back") (param $dh i32) (param $h i32) (param $gb i32) (param $rows i32) (param $cols i32) (param $mask i32)
    ;; dh[r, j] *= (h[r, j] > 0 ? 1 : 0) when mask = 1; then gb[j] = Σ_r dh[r, j] (r ascending from 0)
    (local $r i32) (local $j i32) (local $pd i32) (local $ph i32) (local $pg i32) (local $d v128) (local $sd f64)
    (local.set $j (i32.const 0))
    (block $zd
      (loop $zl
        (br_if $zd (i32.ge_s (local.get $j) (local.get $cols)))
        (f64.store (i32.add (local.get $gb) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $zl)))
    (local.set $r (i32.const 0))
    (block $rd
      (loop $rl
        (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $pd (i32.add (local.get $dh) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 3))))
        (local.set $ph (i32.add (local.get $h) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 3))))
        (local.set $pg (local.get $gb))
        (local.set $j (i32.const 0))
        (block $vd
          (loop $vl
            (br_if $vd (i32.gt_s (i32.add (local.get $j) (i32.const 2)) (local.get $cols)))
            (local.set $d (v128.load (local.get $pd)))
            (if (local.get $mask)
              (then
                (local.set $d (f64x2.mul (local.get $d)
                  (v128.and (v128.const f64x2 1 1) (f64x2.gt (v128.load (local.get $ph)) (v128.const i64x2 0 0)))))
                (v128.store (local.get $pd) (local.get $d))))
            (v128.store (local.get $pg) (f64x2.add (v128.load (local.get $pg)) (local.get $d)))
            (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
            (local.set $ph (i32.add (local.get $ph) (i32.const 16)))
            (local.set $pg (i32.add (local.get $pg) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $vl)))
        (if (i32.lt_s (local.get $j) (local.get $cols))
          (then
            (local.set $sd (f64.load (local.get $pd)))
            (if (local.get $mask)
              (then
                (local.set $sd (f64.mul (local.get $sd)
                  (select (f64.const 1) (f64.const 0) (f64.gt (f64.load (local.get $ph)) (f64.const 0)))))
                (f64.store (local.get $pd) (local.get $sd))))
            (f64.store (local.get $pg) (f64.add (f64.load (local.get $pg)) (local.get $sd)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))
  (func (export "dropout") (param $px i32) (param $ps i32) (param $po i32) (param $n i32)
    (param $k0 i32) (param $l1 i32) (param $l2 i32) (param $p f64) (param $inv f64)
    ;; inverted dropout on 4 entries at a time, i < n rounded down to a multiple of 4: the key's
    ;; draw (h·2²⁶ + l)/2⁵³ (random.ts's uniformDraws, its hashes in i32x4) < p keeps the entry;
    ;; s[i] = kept ? inv : 0, o[i] = x[i]·s[i] (the scalar kernel's products)
    (local $i i32) (local $iv v128) (local $a v128) (local $c v128) (local $h v128) (local $l v128)
    (local $s v128) (local $vp v128) (local $vinv v128) (local $hip v128) (local $m v128)
    (local.set $vp (f64x2.splat (local.get $p)))
    ;; hip = floor(p * 2^27): 0 for NaN or p <= 0, >= 2^27 for p >= 1 (no lane ties then; the masks agree with draw < p)
    (local.set $hip (i32x4.splat (i32.trunc_sat_f64_u (f64.mul (local.get $p) (f64.const 134217728)))))
    (local.set $vinv (f64x2.splat (local.get $inv)))
    (local.set $iv (v128.const i32x4 0 1 2 3))
    (local.set $i (i32.const 0))
    (block $d
      (loop $l0
        (br_if $d (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
        (local.set $a (v128.xor (i32x4.splat (local.get $k0))
          (i32x4.mul (i32x4.add (local.get $iv) (v128.const i32x4 1 1 1 1)) (v128.const i32x4 0x9e3779b9 0x9e3779b9 0x9e3779b9 0x9e3779b9))))
${fmix4('$a')}        (local.set $c (i32x4.add (local.get $a) (i32x4.shr_u (local.get $iv) (i32.const 16))))
        (local.set $h (i32x4.add (local.get $c) (i32x4.splat (local.get $l1))))
${fmix4('$h')}        (local.set $h (i32x4.shr_u (local.get $h) (i32.const 5)))
        (if (v128.any_true (i32x4.eq (local.get $h) (local.get $hip)))
          (then
            ;; a lane's high 27 bits equal hip: its low 26 bits decide, as in bernoulliDraws
            (local.set $l (i32x4.add (local.get $c) (i32x4.splat (local.get $l2))))
${fmix4('$l')}            (local.set $l (i32x4.shr_u (local.get $l) (i32.const 6)))
${dropoutPair('local.get $h', 'local.get $l', 0)}${dropoutPair(upperPair('$h'), upperPair('$l'), 16)})
          (else
            ;; when h differs from hip, h < hip exactly when draw < p; the lane masks widened to the f64 pairs
            (local.set $m (i32x4.lt_u (local.get $h) (local.get $hip)))
${keptPair('i64x2.extend_low_i32x4_s (local.get $m)', 0)}${keptPair('i64x2.extend_high_i32x4_s (local.get $m)', 16)}))
        (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
        (local.set $po (i32.add (local.get $po) (i32.const 32)))
        (local.set $px (i32.add (local.get $px) (i32.const 32)))
        (local.set $iv (i32x4.add (local.get $iv) (v128.const i32x4 4 4 4 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $l0))))
${updateFuncs()}
  (func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $q i32) (local $ps i32)
    (local.set $r (i32.const 0))
    (block $rd
      (loop $rl
        (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $q (i32.const 0))
        (local.set $ps (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 3))))
        (block $qd
          (loop $ql
            (br_if $qd (i32.ge_s (local.get $q) (local.get $cols)))
            (f64.store
              (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $q) (local.get $rows)) (local.get $r)) (i32.const 3)))
              (f64.load (local.get $ps)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 8)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $ql)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))))
`;
