/**
 * `fit`'s data boundary: everything it is given (the data sets, the row orders, a state to resume
 * from) is checked once per run, before training, and a problem is a `Left` naming the set, the
 * row and the column, instead of a silent zero, a NaN loss or a crash deep in an epoch.
 *
 * The checks are pure functions of their arguments; `fitEpochsEither` (and so `fitEpochs`, `fitEither`
 * and `fit`) calls them before it builds its plan (data, parameters, resume) and right after (the
 * row orders, which need the training row count the plan settles).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Layer } from '../layer/layer.js';
import { key } from '../random.js';
import { isTensor } from '../tensor/mat.js';
import type { Dataset, FitError, FitOptions } from './types.js';

/**
 * A {@link FitError} about one entry of `fit`'s inputs: which input (`option`: `'data'`,
 * `'validation'`, `'order'`, `'params'`, `'resume'`), where in it (`place`, e.g. `"data.x row 3,
 * column 2"`; rows and columns 1-based) and what was expected and found.
 *
 * @since 0.2.0
 * @category model
 */
export interface FitInputError extends FitError {
  readonly place: string;
  readonly expected: string;
  readonly got: string;
}

const inputError = (option: string, place: string, expected: string, got: string): E.Either<FitInputError, never> =>
  E.left({ _tag: 'FitError', option, place, expected, got, message: `fit: ${place}: expected ${expected}, got ${got}` });

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

const show = (u: unknown): string =>
  typeof u === 'number' ? String(u) : u === undefined ? 'nothing' : u === null ? 'null' : Array.isArray(u) ? `a list of ${u.length}` : typeof u === 'object' ? 'an object' : `${typeof u} ${JSON.stringify(u)}`;

/** A matrix as `fit` reads it: integer dims, and a `Float64Array` of exactly rows·cols entries, all finite. */
const checkMatrix = (option: string, name: string, m: unknown): E.Either<FitInputError, true> => {
  if (!isRecord(m)) return inputError(option, name, 'a matrix (rows, cols, data)', show(m));
  const { rows, cols, data } = m;
  if (!(Number.isInteger(rows) && Number.isInteger(cols) && (rows as number) >= 0 && (cols as number) >= 1)) {
    return inputError(option, name, 'integer rows ≥ 0 and cols ≥ 1', `rows ${show(rows)}, cols ${show(cols)}`);
  }
  const r = rows as number;
  const c = cols as number;
  if (!(data instanceof Float64Array)) return inputError(option, `${name}.data`, 'a Float64Array', show(data));
  if (data.length !== r * c) return inputError(option, `${name}.data`, `rows·cols = ${r}·${c} = ${r * c} entries`, `${data.length}`);
  let bad = -1;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      if (bad < 0) bad = i;
      count++;
    }
  }
  if (bad < 0) return E.right(true);
  const more = count > 1 ? ` (${count - 1} more non-finite entr${count === 2 ? 'y' : 'ies'} in ${name})` : '';
  return inputError(option, `${name} row ${Math.floor(bad / c) + 1}, column ${(bad % c) + 1}`, 'a finite number', `${data[bad]}${more}`);
};

/** A data set's matrices: shapes that agree, finite entries (a Left names the first bad one). */
export const checkDataset = (option: 'data' | 'validation', d: unknown): E.Either<FitInputError, true> => {
  if (!isRecord(d)) return inputError(option, option, 'a data set { x, y }', show(d));
  return E.chain(() => checkMatrix(option, `${option}.y`, d['y']))(checkMatrix(option, `${option}.x`, d['x']));
};

const dims = (u: unknown): string => (isTensor(u) ? ('rows' in u ? `a ${u.rows}×${u.cols} matrix` : `a vector of ${u.size}`) : show(u));

/**
 * The first place where `value` is not shaped like `like` (same records and keys, same list
 * lengths, tensors of the same dims holding `Float64Array`s of the right length, numbers where
 * numbers are), or `undefined` when it is.
 */
const shapeMismatch = (like: unknown, value: unknown, path: string): { readonly place: string; readonly expected: string; readonly got: string } | undefined => {
  if (isTensor(like)) {
    const same = isTensor(value) && ('rows' in like ? 'rows' in value && value.rows === like.rows && value.cols === like.cols : !('rows' in value) && value.size === like.size);
    return same && value.data instanceof Float64Array && value.data.length === like.data.length ? undefined : { place: path, expected: dims(like), got: dims(value) };
  }
  if (typeof like === 'number') return typeof value === 'number' ? undefined : { place: path, expected: 'a number', got: show(value) };
  if (Array.isArray(like)) {
    if (!Array.isArray(value) || value.length !== like.length) return { place: path, expected: `a list of ${like.length}`, got: show(value) };
    for (let i = 0; i < like.length; i++) {
      const m = shapeMismatch(like[i], value[i], `${path}[${i}]`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (isRecord(like)) {
    if (!isRecord(value)) return { place: path, expected: `a record with ${Object.keys(like).join(', ') || 'no fields'}`, got: show(value) };
    const keys = Object.keys(like);
    const extra = Object.keys(value).find((k) => !Object.prototype.hasOwnProperty.call(like, k));
    if (extra !== undefined) return { place: `${path}.${extra}`, expected: 'no such field', got: 'an unexpected field' };
    for (const k of keys) {
      const m = shapeMismatch(like[k], value[k], `${path}.${k}`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  return typeof like === typeof value ? undefined : { place: path, expected: `a ${typeof like}`, got: show(value) };
};

/** Every number in a tree (tensor entries and plain numbers) is finite; the first that is not, by place. */
const firstNonFinite = (tree: unknown, path: string): { readonly place: string; readonly value: number } | undefined => {
  if (isTensor(tree)) {
    const i = tree.data.findIndex((v) => !Number.isFinite(v));
    return i < 0 ? undefined : { place: `${path}[${i}]`, value: tree.data[i]! };
  }
  if (typeof tree === 'number') return Number.isFinite(tree) ? undefined : { place: path, value: tree };
  if (Array.isArray(tree)) {
    for (let i = 0; i < tree.length; i++) {
      const m = firstNonFinite(tree[i], `${path}[${i}]`);
      if (m !== undefined) return m;
    }
  } else if (isRecord(tree)) {
    for (const k of Object.keys(tree)) {
      const m = firstNonFinite(tree[k], `${path}.${k}`);
      if (m !== undefined) return m;
    }
  }
  return undefined;
};

/** Parameters (or an optimizer state) shaped like `like`, with every number finite. */
const checkTree = (option: string, name: string, like: unknown, value: unknown): E.Either<FitInputError, true> => {
  const m = shapeMismatch(like, value, name);
  if (m !== undefined) return inputError(option, m.place, m.expected, m.got);
  const bad = firstNonFinite(value, name);
  return bad === undefined ? E.right(true) : inputError(option, bad.place, 'a finite number', String(bad.value));
};

/**
 * Checks `fit`'s data and starting point once per run: `data` and `validation` are matrices whose
 * `data` holds exactly rows·cols finite entries (a Left names the set, row and column of the first
 * NaN/±Infinity and counts the others); the initial parameters, or `resume.params`, are shaped like
 * the model's and finite; `resume.epoch` is an integer in `0..epochs` and `resume.step` an integer
 * ≥ 0; `resume.optState` is shaped like `optimizer.init(resume.params)` and finite.
 *
 * @example
 * checkFitInputs(net, p0, { x, y }, opts) // E.left({ message: 'fit: data.x row 3, column 2: expected a finite number, got NaN', … })
 * @since 0.2.0
 * @category training
 */
export const checkFitInputs = <I extends number, O extends number, N extends number, P, S>(
  model: Layer<I, O, P>,
  params: P,
  data: Dataset<I, O>,
  options: FitOptions<I, O, N, P, S>,
): E.Either<FitInputError, true> => {
  const sets = E.chain(() => (options.validation === undefined ? E.right(true as const) : checkDataset('validation', options.validation)))(checkDataset('data', data));
  if (E.isLeft(sets)) return sets;
  const like = model.init(key(0));
  const resume: unknown = options.resume;
  if (resume === undefined) return checkTree('params', 'params', like, params);
  if (!isRecord(resume)) return inputError('resume', 'resume', 'a training state that fitEpochs yielded', show(resume));
  const { epoch, step } = resume;
  if (!(Number.isInteger(epoch) && (epoch as number) >= 0 && (epoch as number) <= options.epochs)) {
    return inputError('resume', 'resume.epoch', `an integer in 0..${options.epochs} (epochs)`, show(epoch));
  }
  if (!(Number.isInteger(step) && (step as number) >= 0)) return inputError('resume', 'resume.step', 'an integer ≥ 0', show(step));
  const p = checkTree('resume', 'resume.params', like, resume['params']);
  if (E.isLeft(p)) return p;
  return checkTree('resume', 'resume.optState', options.optimizer.init(resume['params'] as P), resume['optState']);
};

/**
 * Checks `options.order` for every epoch still to run (`from + 1..epochs`) against the training
 * row count `n`: each call must return `n` integers that are a permutation of `0..n−1`. A Left
 * names the epoch and the first bad position (out of range, not an integer, NaN, repeated), or
 * what the function threw. Called once per run, before training; `order` must be deterministic
 * (it is called again when its epoch runs).
 *
 * @since 0.2.0
 * @category training
 */
export const checkOrder = (order: ((epoch: number, rows: number) => ArrayLike<number>) | undefined, from: number, epochs: number, n: number): E.Either<FitInputError, true> => {
  if (order === undefined) return E.right(true);
  if (typeof order !== 'function') return inputError('order', 'order', 'a function (epoch, rows) => row indices', show(order));
  const seen = new Uint8Array(n);
  for (let e = from + 1; e <= epochs; e++) {
    const place = `order(${e}, ${n})`;
    let idx: ArrayLike<number>;
    try {
      idx = order(e, n);
    } catch (err) {
      return inputError('order', place, 'a permutation of the training rows', `an exception (${String(err)})`);
    }
    if (idx === null || typeof idx !== 'object' || typeof idx.length !== 'number') return inputError('order', place, `a list of ${n} row indices`, show(idx));
    if (idx.length !== n) return inputError('order', place, `${n} row indices (a permutation of 0..${n - 1})`, `${idx.length} indices`);
    seen.fill(0);
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      if (!(typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < n)) return inputError('order', `${place}[${k}]`, `a row index in 0..${n - 1}`, show(i));
      if (seen[i] === 1) return inputError('order', `${place}[${k}]`, 'each row once (a permutation)', `row ${i} again`);
      seen[i] = 1;
    }
  }
  return E.right(true);
};
