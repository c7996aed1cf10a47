/**
 * The file encoding of value trees (parameters and optimizer state), and its decoder checked
 * against a tree of the expected shape.
 *
 * Encoding: a matrix is `{ "rows": R, "cols": C, "data": [R·C numbers, row-major] }`, a vector
 * `{ "size": N, "data": [N numbers] }`, a number a JSON number (`-0` kept), arrays are JSON arrays,
 * records JSON objects, and strings/booleans/null themselves. The decoder is guided by the
 * expected tree, so nothing needs a type tag and the file cannot choose what gets allocated.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { isTensor, unsafeMat, unsafeVec, type Tensor } from '../tensor/mat.js';
import { describeJson, persistenceError, persistenceErrorList, type PersistenceErrors } from './errors.js';
import { numberToJson } from './json.js';

/**
 * A value tree the encoder accepts: tensors, finite numbers, strings, booleans, null, and arrays
 * and records of these (optimizer states and parameter records are such trees).
 *
 * @since 0.1.0
 * @category model
 */
export type ValueTree = Tensor | number | string | boolean | null | ReadonlyArray<ValueTree> | { readonly [k: string]: ValueTree };

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const join = (path: string, k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);

/** Names a path for messages; the default shows it as is. @since 0.1.0 @category model */
export type PathNamer = (path: string) => string;

/**
 * Encodes a tree as JSON text. `Left` lists every non-finite number (NaN, ±Infinity) and every
 * value that is not part of a `ValueTree` (functions, undefined, typed arrays other than a
 * tensor's data): a file that cannot be loaded back is refused at save time.
 *
 * @since 0.1.0
 * @category encoders
 */
export const encodeTree = (tree: unknown, name: PathNamer = (p) => p): E.Either<PersistenceErrors, string> => {
  const errors = persistenceErrorList();
  const nums = (data: ArrayLike<number>, path: string): string => {
    const out: string[] = new Array<string>(data.length);
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (!Number.isFinite(x)) errors.add(persistenceError(`${name(path)}[${i}]`, 'a finite number to save', String(x)));
      out[i] = numberToJson(x);
    }
    return `[${out.join(',')}]`;
  };
  const go = (t: unknown, path: string, seen: ReadonlySet<unknown>): string => {
    if (isTensor(t)) {
      return 'rows' in t ? `{"rows":${t.rows},"cols":${t.cols},"data":${nums(t.data, path)}}` : `{"size":${t.size},"data":${nums(t.data, path)}}`;
    }
    if (typeof t === 'number') {
      if (!Number.isFinite(t)) errors.add(persistenceError(name(path), 'a finite number to save', String(t)));
      return numberToJson(t);
    }
    if (typeof t === 'string' || typeof t === 'boolean' || t === null) return JSON.stringify(t);
    if (typeof t === 'object' && seen.has(t)) {
      errors.add(persistenceError(name(path), 'a tree', 'a cycle'));
      return 'null';
    }
    const inner = new Set(seen).add(t);
    if (Array.isArray(t)) return `[${t.map((c, i) => go(c, join(path, i), inner)).join(',')}]`;
    if (isRecord(t) && (Object.getPrototypeOf(t) === Object.prototype || Object.getPrototypeOf(t) === null)) {
      return `{${Object.keys(t).map((k) => `${JSON.stringify(k)}:${go(t[k], join(path, k), inner)}`).join(',')}}`;
    }
    errors.add(persistenceError(name(path), 'a tensor, number, string, boolean, null, array or record', describeJson(t)));
    return 'null';
  };
  const text = go(tree, '', new Set());
  return errors.size() > 0 ? E.left(errors.list()) : E.right(text);
};

/** The number of numeric entries in a tree (to bound a file's size before parsing it). @internal */
export const countNumbers = (tree: unknown): number => {
  if (isTensor(tree)) return tree.data.length;
  if (typeof tree === 'number') return 1;
  if (Array.isArray(tree)) return tree.reduce((s: number, c) => s + countNumbers(c), 0);
  if (isRecord(tree)) return Object.keys(tree).reduce((s, k) => s + countNumbers(tree[k]), 0);
  return 0;
};

const isDim = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 0;

/**
 * Decodes parsed JSON `u` into a tree shaped like `like`: same structure, same record keys, same
 * tensor dims (compared with the declared `rows`/`cols`/`size` before the data list is read, so
 * a file cannot make us allocate more than the model needs). Lists every mismatch; the result is
 * frozen and shares nothing with `u` or `like`.
 *
 * @since 0.1.0
 * @category decoders
 */
export const decodeTree = <T>(like: T, u: unknown, name: PathNamer = (p) => p): E.Either<PersistenceErrors, T> => {
  const errors = persistenceErrorList();
  const fail = (path: string, expected: string, got: string): null => {
    errors.add(persistenceError(name(path), expected, got));
    return null;
  };
  const numbers = (data: unknown, n: number, path: string): Float64Array | null => {
    if (!Array.isArray(data)) return fail(`${path}`, `a data list of ${n} numbers`, describeJson(data));
    if (data.length !== n) return fail(path, `${n} numbers in data`, `${data.length}`);
    const bad = (data as unknown[]).findIndex((x) => !(typeof x === 'number' && Number.isFinite(x)));
    if (bad >= 0) return fail(`${path}[${bad}]`, 'a finite number', describeJson((data as unknown[])[bad]));
    return Float64Array.from(data as number[]);
  };
  const go = (l: unknown, v: unknown, path: string): unknown => {
    if (isTensor(l)) {
      if (!isRecord(v)) return fail(path, `a tensor ${'rows' in l ? `${l.rows}×${l.cols}` : l.size}`, describeJson(v));
      if ('rows' in l) {
        if (!isDim(v['rows']) || !isDim(v['cols'])) return fail(path, `a ${l.rows}×${l.cols} matrix`, `rows ${describeJson(v['rows'])}, cols ${describeJson(v['cols'])}`);
        if (v['rows'] !== l.rows || v['cols'] !== l.cols) return fail(path, `${l.rows}×${l.cols}`, `${v['rows']}×${v['cols']}`);
        const d = numbers(v['data'], l.rows * l.cols, path);
        return d === null ? null : unsafeMat(l.rows, l.cols, d);
      }
      if (!isDim(v['size'])) return fail(path, `a vector of size ${l.size}`, `size ${describeJson(v['size'])}`);
      if (v['size'] !== l.size) return fail(path, `size ${l.size}`, `size ${v['size']}`);
      const d = numbers(v['data'], l.size, path);
      return d === null ? null : unsafeVec(l.size, d);
    }
    if (typeof l === 'number') return typeof v === 'number' && Number.isFinite(v) ? v : fail(path, 'a finite number', describeJson(v));
    if (typeof l === 'string' || typeof l === 'boolean' || l === null) {
      return typeof v === typeof l && (l !== null || v === null) ? v : fail(path, l === null ? 'null' : `a ${typeof l}`, describeJson(v));
    }
    if (Array.isArray(l)) {
      if (!Array.isArray(v)) return fail(path, `a list of ${l.length}`, describeJson(v));
      if (v.length !== l.length) return fail(path, `a list of ${l.length}`, `a list of ${v.length}`);
      return Object.freeze(l.map((c, i) => go(c, v[i], join(path, i))));
    }
    if (isRecord(l)) {
      if (!isRecord(v)) return fail(path, `an object with fields ${Object.keys(l).join(', ') || '(none)'}`, describeJson(v));
      const extra = Object.keys(v).filter((k) => !Object.prototype.hasOwnProperty.call(l, k));
      extra.forEach((k) => fail(join(path, k), 'no such field', 'an unexpected field'));
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(l)) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) fail(join(path, k), 'a field', 'nothing (missing)');
        else out[k] = go(l[k], v[k], join(path, k));
      }
      return Object.freeze(out);
    }
    return fail(path, 'a value of a tree', describeJson(l));
  };
  const result = go(like, u, '');
  return errors.size() > 0 ? E.left(errors.list()) : E.right(result as T);
};
