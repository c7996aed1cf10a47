/**
 * Parameter trees: records and tuples whose leaves are tensors (`Mat`/`Vec`). Optimizers, weight
 * decay, gradient checks and save/load are written once against these functions, so they work
 * for any architecture's parameter record.
 *
 * Leaf order (used by {@link flatten}, {@link leaves} and parameter Jacobians) is depth-first:
 * tuple elements by index, record fields in their insertion order (for `dense`: `w`, then `b`).
 *
 * @module
 */
import * as K from './tensor/kernels.js';
import { isTensor, unsafeMat, unsafeVec, type Tensor } from './tensor/mat.js';

/**
 * Any parameter tree: a tensor, a tuple/array of trees, or a record of trees. Layers without
 * parameters use the empty record `{}`.
 *
 * @since 0.1.0
 * @category model
 */
export type ParamTree = Tensor | readonly ParamTree[] | { readonly [k: string]: ParamTree };

const withData = (t: Tensor, data: Float64Array): Tensor =>
  'rows' in t ? unsafeMat(t.rows, t.cols, data) : unsafeVec(t.size, data);

const fail = (path: string, what: string): never => {
  throw new TypeError(`parameter tree at ${path === '' ? 'the root' : `"${path}"`}: ${what}`);
};

const join = (path: string, k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);

/**
 * Rebuilds `trees[0]`'s structure with each leaf replaced by `f(leaves…)`, walking all trees in
 * lock-step. Throws on a structural mismatch (a programming error inside foldnet).
 */
const rebuild = (trees: readonly unknown[], f: (leaves: Tensor[], path: string) => Float64Array, path: string): unknown => {
  const t0 = trees[0];
  if (isTensor(t0)) {
    const ls = trees.map((t) => (isTensor(t) && t.data.length === t0.data.length ? t : fail(path, 'leaves differ in shape')));
    return withData(t0, f(ls, path));
  }
  if (Array.isArray(t0)) {
    return Object.freeze(t0.map((_, i) => rebuild(trees.map((t) => (t as readonly unknown[])[i]), f, join(path, i))));
  }
  if (typeof t0 === 'object' && t0 !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(t0)) out[k] = rebuild(trees.map((t) => (t as Record<string, unknown>)[k]), f, join(path, k));
    return Object.freeze(out);
  }
  return fail(path, `not a tensor, tuple or record: ${String(t0)}`);
};

/**
 * Visits every leaf with its path (`"0.w"`, `"2.b"`) in the documented depth-first order.
 *
 * @since 0.1.0
 * @category destructors
 */
export const leaves = <P>(p: P): { readonly path: string; readonly tensor: Tensor }[] => {
  const out: { path: string; tensor: Tensor }[] = [];
  const go = (t: unknown, path: string): void => {
    if (isTensor(t)) out.push({ path, tensor: t });
    else if (Array.isArray(t)) t.forEach((c, i) => go(c, join(path, i)));
    else if (typeof t === 'object' && t !== null) for (const k of Object.keys(t)) go((t as Record<string, unknown>)[k], join(path, k));
    else fail(path, `not a tensor, tuple or record: ${String(t)}`);
  };
  go(p, '');
  return out;
};

/**
 * `f` applied to every entry: `map(p, f)_i = f(p_i)`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const map = <P>(p: P, f: (x: number) => number): P =>
  rebuild([p], ([a]) => {
    const out = new Float64Array(a!.data.length);
    K.map(a!.data, out, f);
    return out;
  }, '') as P;

/**
 * `f` applied entry-wise to two trees of the same structure.
 *
 * @since 0.1.0
 * @category combinators
 */
export const zipWith = <P>(a: P, b: P, f: (x: number, y: number) => number): P =>
  rebuild([a, b], ([x, y]) => {
    const out = new Float64Array(x!.data.length);
    K.zipWith(x!.data, y!.data, out, f);
    return out;
  }, '') as P;

/**
 * `f` applied entry-wise to three trees of the same structure.
 *
 * @since 0.1.0
 * @category combinators
 */
export const zipWith3 = <P>(a: P, b: P, c: P, f: (x: number, y: number, z: number) => number): P =>
  rebuild([a, b, c], ([x, y, z]) => {
    const out = new Float64Array(x!.data.length);
    K.zipWith3(x!.data, y!.data, z!.data, out, f);
    return out;
  }, '') as P;

/**
 * Like {@link map} but `f` sees each whole leaf and its path, and returns the new leaf's data
 * (of the same length). Used for per-leaf rules such as masks.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapLeaves = <P>(p: P, f: (leaf: Tensor, path: string) => Float64Array): P =>
  rebuild([p], ([a], path) => {
    const out = f(a!, path);
    if (out.length !== a!.data.length) fail(path, `mapLeaves returned ${out.length} values for a leaf of ${a!.data.length}`);
    return out;
  }, '') as P;

/** The tree of the same shape filled with zeros. @since 0.1.0 @category constructors */
export const zerosLike = <P>(p: P): P => rebuild([p], ([a]) => new Float64Array(a!.data.length), '') as P;

/** The tree of the same shape filled with `v`. @since 0.1.0 @category constructors */
export const fullLike = <P>(p: P, v: number): P => rebuild([p], ([a]) => new Float64Array(a!.data.length).fill(v), '') as P;

/** `α·x + y`, leaf by leaf. @since 0.1.0 @category combinators */
export const axpy = <P>(alpha: number, x: P, y: P): P =>
  rebuild([x, y], ([a, b]) => {
    const out = new Float64Array(a!.data.length);
    K.axpy(alpha, a!.data, b!.data, out);
    return out;
  }, '') as P;

/** `a + b`. @since 0.1.0 @category combinators */
export const add = <P>(a: P, b: P): P => axpy(1, a, b);

/** `a − b`. @since 0.1.0 @category combinators */
export const sub = <P>(a: P, b: P): P => axpy(-1, b, a);

/** `α·p`. @since 0.1.0 @category combinators */
export const scale = <P>(p: P, alpha: number): P => map(p, (x) => alpha * x);

/** `⟨a, b⟩ = Σ_i a_i b_i` over all leaves. @since 0.1.0 @category destructors */
export const dot = <P>(a: P, b: P): number => {
  const la = leaves(a);
  const lb = leaves(b);
  if (la.length !== lb.length) fail('', `trees have ${la.length} and ${lb.length} leaves`);
  return la.reduce((s, l, i) => {
    const other = lb[i]!.tensor.data;
    if (other.length !== l.tensor.data.length) fail(l.path, 'leaves differ in shape');
    return s + K.dot(l.tensor.data, other);
  }, 0);
};

/** Σ_i p_i² over all leaves. @since 0.1.0 @category destructors */
export const sumOfSquares = <P>(p: P): number => dot(p, p);

/** The global L2 norm ‖p‖₂ = √(Σ_i p_i²). @since 0.1.0 @category destructors */
export const norm = <P>(p: P): number => Math.sqrt(sumOfSquares(p));

/** Σ_i |p_i| over all leaves. @since 0.1.0 @category destructors */
export const sumAbs = <P>(p: P): number =>
  leaves(p).reduce((s, l) => l.tensor.data.reduce((t, x) => t + Math.abs(x), s), 0);

/** `f` folded over every entry of every leaf, in leaf order. @since 0.1.0 @category destructors */
export const reduce = <P, A>(p: P, init: A, f: (acc: A, x: number) => A): A =>
  leaves(p).reduce((acc, l) => l.tensor.data.reduce((a, x) => f(a, x), acc), init);

/** The number of scalar parameters. @since 0.1.0 @category destructors */
export const size = <P>(p: P): number => leaves(p).reduce((s, l) => s + l.tensor.data.length, 0);

/** True when every entry is finite (no NaN or ±Infinity). @since 0.1.0 @category refinements */
export const isFinite = <P>(p: P): boolean => leaves(p).every((l) => l.tensor.data.every(Number.isFinite));

/**
 * All entries concatenated in leaf order (a fresh array).
 *
 * @since 0.1.0
 * @category destructors
 */
export const flatten = <P>(p: P): Float64Array => {
  const ls = leaves(p);
  const out = new Float64Array(ls.reduce((s, l) => s + l.tensor.data.length, 0));
  ls.reduce((off, l) => {
    out.set(l.tensor.data, off);
    return off + l.tensor.data.length;
  }, 0);
  return out;
};

/**
 * The inverse of {@link flatten}: a tree shaped like `like` holding `flat`'s values (copied).
 *
 * @since 0.1.0
 * @category constructors
 */
export const unflatten = <P>(like: P, flat: ArrayLike<number>): P => {
  const n = size(like);
  if (flat.length !== n) fail('', `unflatten needs ${n} values, got ${flat.length}`);
  let off = 0;
  return rebuild([like], ([a]) => {
    const len = a!.data.length;
    const out = flat instanceof Float64Array ? flat.slice(off, off + len) : Float64Array.from({ length: len }, (_, i) => flat[off + i]!);
    off += len;
    return out;
  }, '') as P;
};
