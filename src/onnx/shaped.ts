/**
 * The ONNX mappings of the shaped layers: convolution and pooling (`Conv`, `MaxPool`,
 * `AveragePool`, `ReduceMean`) and the recurrent layers (`RNN`, `LSTM`, `GRU`).
 *
 * foldnet's rows are channels-last examples flattened (`[H, W, C]` row-major); ONNX's convolution
 * and pooling operators want `[N, C, H, W]`, and its recurrent operators `[T, N, F]`. So each
 * layer reshapes its rows to the example shape, transposes to ONNX's layout, applies the operator
 * and transposes and reshapes back to rows: a layer's nodes start and end on foldnet's rows, and
 * any chain of layers stays a chain. In float64, which ONNX Runtime's `Conv`, `AveragePool`, `RNN`,
 * `LSTM` and `GRU` kernels lack, convolution and average pooling gather their windows and the
 * recurrent layers are written out step by step (src/onnx/unrolled.ts).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Recurrence, Window } from '../layer/form.js';
import { unsafeMat, unsafeVec } from '../tensor/mat.js';
import { describe } from '../errors.js';
import {
  attributeOf, describeNode, intAttribute, intsAttribute, intTable, isOp, mismatch, tensorValues,
  type ChainReader, type GraphBuilder, type Mismatch,
} from './graph.js';
import { constantAt, firstNonFinite, isMat, isVec, noParams, take, type FormOf, type Mapping } from './read.js';
import type { NodeRecord } from './wire.js';
import { emitUnrolled, readUnrolled, type CellTensors } from './unrolled.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const product = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const same = (a: readonly number[] | undefined, b: readonly number[]): boolean => a !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
const list = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

/** `Reshape` of the current rows to `dims` then `Transpose` by `perm`: foldnet's rows into ONNX's layout. */
const reshapeThenTranspose = (x: string, dims: readonly number[], perm: readonly number[], prefix: string, g: GraphBuilder): string =>
  g.node(`${prefix}/in`, 'Transpose', [g.node(`${prefix}/in`, 'Reshape', [x, g.ints(prefix, 'inShape', dims)])], [intsAttribute('perm', perm)]);

/** `Transpose` by `perm` then `Reshape` to rows of `width`: ONNX's layout back into foldnet's rows. */
const transposeThenReshape = (y: string, perm: readonly number[], width: number, prefix: string, g: GraphBuilder): string =>
  g.node(`${prefix}/out`, 'Reshape', [g.node(`${prefix}/out`, 'Transpose', [y], [intsAttribute('perm', perm)]), g.ints(prefix, 'outShape', [-1, width])]);

/** Reads a `Reshape` of the current value to the constant shape `dims`. */
const readReshape = (r: ChainReader, dims: readonly number[], expected: string): E.Either<Mismatch, void> =>
  E.chain((n: NodeRecord) => {
    const got = intTable(n.input[1] === undefined ? undefined : r.constant(n.input[1]), [dims.length]);
    return same(got, dims) ? E.right<Mismatch, void>(undefined) : mismatch<void>(`${expected}: Reshape to ${list(dims)}`, `${describeNode(n)} to ${got === undefined ? 'a shape that is not a constant int64 list' : list(got)}`);
  })(take(r, 'Reshape', expected));

/** Reads a `Transpose` of the current value by `perm`. */
const readTranspose = (r: ChainReader, perm: readonly number[], expected: string): E.Either<Mismatch, void> =>
  E.chain((n: NodeRecord) => {
    const got = attributeOf(n, 'perm')?.ints;
    return same(got, perm) ? E.right<Mismatch, void>(undefined) : mismatch<void>(`${expected}: Transpose by ${list(perm)}`, `${describeNode(n)} by ${got === undefined ? 'the reversal' : list(got)}`);
  })(take(r, 'Transpose', expected));

/** Reads `Reshape` then `Transpose` (the inverse of {@link reshapeThenTranspose} is read by {@link readOut}). */
const readIn = (r: ChainReader, dims: readonly number[], perm: readonly number[], expected: string): E.Either<Mismatch, void> =>
  E.chain(() => readTranspose(r, perm, expected))(readReshape(r, dims, expected));

const readOut = (r: ChainReader, perm: readonly number[], width: number, expected: string): E.Either<Mismatch, void> =>
  E.chain(() => readReshape(r, [-1, width], expected))(readTranspose(r, perm, expected));

/** An integer-list attribute of `n`, `fallback` when absent. */
const intsOf = (n: NodeRecord, name: string, fallback: readonly number[]): readonly number[] => attributeOf(n, name)?.ints ?? fallback;

/** Where a node's attributes differ from what the layer needs: `name = got` for the first, or undefined. */
const attributeDiff = (n: NodeRecord, want: Readonly<Record<string, readonly number[]>>, defaults: Readonly<Record<string, readonly number[]>>): string | undefined => {
  const bad = Object.keys(want).find((k) => !same(intsOf(n, k, defaults[k]!), want[k]!));
  return bad === undefined ? undefined : `${describeNode(n)} with ${bad} = ${list(intsOf(n, bad, defaults[bad]!))}`;
};

// ————— convolution and pooling —————

/** The layout changes around a window operator with `r` spatial axes: NHWC → NCHW and back. */
const toChannelsFirst = (r: number): number[] => [0, r + 1, ...range(1, r + 1)];
const toChannelsLast = (r: number): number[] => [0, ...range(2, r + 2), 1];

/** The attributes of a window operator over `w`. */
const windowAttributes = (w: Window): Readonly<Record<string, readonly number[]>> => ({ kernel_shape: w.kernel, strides: w.strides, pads: w.pads });
const windowDefaults = (w: Window): Readonly<Record<string, readonly number[]>> => ({
  kernel_shape: [], strides: w.kernel.map(() => 1), pads: [...w.kernel, ...w.kernel].map(() => 0), dilations: w.kernel.map(() => 1),
});

const describeWindow = (op: string, w: Window, channelsOut: number): string =>
  `Reshape to [-1, ${[...w.spatial, w.channels].join(', ')}], Transpose to channels first, ${op} with kernel_shape = ${list(w.kernel)}, strides = ${list(w.strides)}, pads = ${list(w.pads)}, Transpose to channels last, Reshape to [-1, ${product(w.output) * channelsOut}]`;

/** Emits a window operator `op` (with `inputs` after x and `attributes`) between the layout changes. */
const emitWindow = (w: Window, channelsOut: number, op: string, constants: readonly string[], x: string, prefix: string, g: GraphBuilder): string => {
  const r = w.spatial.length;
  const xc = reshapeThenTranspose(x, [-1, ...w.spatial, w.channels], toChannelsFirst(r), prefix, g);
  const y = g.node(prefix, op, [xc, ...constants], Object.entries(windowAttributes(w)).map(([k, v]) => intsAttribute(k, v)));
  return transposeThenReshape(y, toChannelsLast(r), product(w.output) * channelsOut, prefix, g);
};

/** Reads a window operator `op` between the layout changes; `body` reads its constants. */
const readWindow = <A>(w: Window, channelsOut: number, op: string, r: ChainReader, body: (n: NodeRecord) => E.Either<Mismatch, A>): E.Either<Mismatch, A> => {
  const rank = w.spatial.length;
  const expected = describeWindow(op, w, channelsOut);
  return pipe(
    readIn(r, [-1, ...w.spatial, w.channels], toChannelsFirst(rank), expected),
    E.chain(() => take(r, op, expected)),
    E.chain((n) => {
      const diff = attributeDiff(n, { ...windowAttributes(w), dilations: w.kernel.map(() => 1) }, windowDefaults(w));
      const group = attributeOf(n, 'group')?.i ?? 1;
      if (diff !== undefined) return mismatch<A>(expected, diff);
      if (group !== 1) return mismatch<A>(expected, `${describeNode(n)} with group = ${group}`);
      return body(n);
    }),
    E.chainFirst(() => readOut(r, toChannelsLast(rank), product(w.output) * channelsOut, expected)),
  );
};

/**
 * foldnet's kernel `w` (row `(p·kw + q)·C + c`, column `f`) as ONNX's `W[f][c][p][q]`, and back:
 * ONNX index `((f·C + c)·kh + p)·kw + q` for foldnet index `((p·kw + q)·C + c)·F + f`.
 */
const kernelIndex = (w: Window, filters: number) => {
  const [kh, kw] = w.kernel.length === 2 ? [w.kernel[0]!, w.kernel[1]!] : [1, w.kernel[0]!];
  const C = w.channels;
  return (k: number): number => {
    const q = k % kw;
    const p = Math.floor(k / kw) % kh;
    const c = Math.floor(k / (kw * kh)) % C;
    const f = Math.floor(k / (kw * kh * C));
    return ((p * kw + q) * C + c) * filters + f;
  };
};

/**
 * Every window of every example, gathered: `[N, positions, …dims]` from foldnet's rows, by
 * foldnet's own im2col table (`Gather` on axis 1; over padding, a zero column appended by `Pad`).
 * This is how a float64 model convolves and averages, since ONNX Runtime's CPU kernels for `Conv`
 * and `AveragePool` are float only: the same products and sums as foldnet, in `MatMul` and `ReduceMean`.
 */
const emitPatches = (w: Window, dims: readonly number[], x: string, prefix: string, g: GraphBuilder): string => {
  const size = product(w.spatial) * w.channels;
  const table = w.patches();
  const padded = table.some((v) => v < 0);
  const source = padded ? g.node(`${prefix}/border`, 'Pad', [x, g.ints(prefix, 'border', [0, 0, 0, 1])]) : x;
  const index = g.ints(prefix, 'windows', table.map((v) => (v < 0 ? size : v)), [product(w.output), ...dims]);
  return g.node(`${prefix}/windows`, 'Gather', [source, index], [intAttribute('axis', 1)]);
};

const describePatches = (w: Window, dims: readonly number[]): string =>
  `${w.pads.some((p) => p > 0) ? 'Pad by one zero column then ' : ''}Gather on axis 1 of the ${product(w.output)}×${dims.join('×')} window indices`;

/** Reads what {@link emitPatches} wrote: the optional `Pad`, and the `Gather` of foldnet's table. */
const readPatches = (w: Window, dims: readonly number[], r: ChainReader, expected: string): E.Either<Mismatch, void> => {
  const size = product(w.spatial) * w.channels;
  const table = w.patches();
  const padded = table.some((v) => v < 0);
  return pipe(
    padded
      ? E.chain((n: NodeRecord) => (same(intTable(n.input[1] === undefined ? undefined : r.constant(n.input[1]), [4]), [0, 0, 0, 1]) && (n.input[2] ?? '') === '' && attributeOf(n, 'mode') === undefined
        ? E.right<Mismatch, void>(undefined)
        : mismatch<void>(expected, `${describeNode(n)} by other than one zero column`)))(take(r, 'Pad', expected))
      : E.right<Mismatch, void>(undefined),
    E.chain(() => take(r, 'Gather', expected)),
    E.chain((n) => {
      const got = intTable(n.input[1] === undefined ? undefined : r.constant(n.input[1]), [product(w.output), ...dims]);
      const want = table.map((v) => (v < 0 ? size : v));
      return (attributeOf(n, 'axis')?.i ?? 0) === 1 && got !== undefined && want.every((v, i) => v === got[i])
        ? E.right<Mismatch, void>(undefined)
        : mismatch<void>(expected, `${describeNode(n)} of other windows`);
    }),
  );
};

/** A constant read after a `take` of `op`: its input 1, of shape `dims`. */
const operand = (r: ChainReader, op: string, dims: readonly number[], what: string, expected: string): E.Either<Mismatch, Float64Array> =>
  E.chain((n: NodeRecord) => constantAt(r, n.input[1], dims, what, n))(take(r, op, expected));

const convDouble = (f: FormOf<'conv'>): string =>
  `${describePatches(f.window, [product(f.window.kernel) * f.window.channels])}, MatMul by the ${product(f.window.kernel) * f.window.channels}×${f.filters} kernel, Add the bias, Reshape to [-1, ${product(f.window.output) * f.filters}]`;

const conv: Mapping<FormOf<'conv'>> = {
  operators: (f) => `${describeWindow('Conv', f.window, f.filters)} (float64: ${convDouble(f)})`,
  emit: (f, p, x, prefix, g) => {
    const { window: w, filters: F } = f;
    const rows = product(w.kernel) * w.channels;
    const q = p as { w?: unknown; b?: unknown } | null;
    if (typeof q !== 'object' || q === null || !isMat(q.w, rows, F) || !isVec(q.b, F)) return mismatch(`parameters { w: ${rows}×${F}, b: ${F} }`, describe(p));
    const bad = firstNonFinite(q.w.data) >= 0 || firstNonFinite(q.b.data) >= 0;
    if (bad) return mismatch('finite parameters', 'a non-finite weight or bias');
    const wd = q.w.data;
    const bias = q.b.data;
    if (g.dtype === 'float64') {
      const windows = emitPatches(w, [rows], x, prefix, g);
      const y = g.node(prefix, 'Add', [g.node(prefix, 'MatMul', [windows, g.constant(prefix, 'w', [rows, F], wd)]), g.constant(prefix, 'b', [F], bias)]);
      return E.right(g.node(`${prefix}/out`, 'Reshape', [y, g.ints(prefix, 'outShape', [-1, product(w.output) * F])]));
    }
    const index = kernelIndex(w, F);
    const W = g.constant(prefix, 'w', [F, w.channels, ...w.kernel], Float64Array.from({ length: rows * F }, (_, k) => wd[index(k)]!));
    return E.right(emitWindow(w, F, 'Conv', [W, g.constant(prefix, 'b', [F], bias)], x, prefix, g));
  },
  read: (f, r) => {
    const { window: w, filters: F } = f;
    const rows = product(w.kernel) * w.channels;
    if (!startsWithReshape(r)) {
      const expected = convDouble(f);
      return pipe(
        readPatches(w, [rows], r, expected),
        E.chain(() => operand(r, 'MatMul', [rows, F], `the kernel of a ${F}-filter convolution`, expected)),
        E.chain((wd) => E.map((b: Float64Array) => Object.freeze({ w: unsafeMat(rows, F, wd), b: unsafeVec(F, b) }))(operand(r, 'Add', [F], `the bias of a ${F}-filter convolution`, expected))),
        E.chainFirst(() => readReshape(r, [-1, product(w.output) * F], expected)),
      );
    }
    return readWindow(w, F, 'Conv', r, (n) =>
      pipe(
        constantAt(r, n.input[1], [F, w.channels, ...w.kernel], `the kernel of a ${F}-filter convolution`, n),
        E.chain((W) =>
          E.map((b: Float64Array) => {
            const index = kernelIndex(w, F);
            const out = new Float64Array(rows * F);
            W.forEach((v, k) => void (out[index(k)] = v));
            return Object.freeze({ w: unsafeMat(rows, F, out), b: unsafeVec(F, b) });
          })(n.input[2] === undefined || n.input[2] === '' ? E.right(new Float64Array(F)) : constantAt(r, n.input[2], [F], `the bias of a ${F}-filter convolution`, n)),
        ),
      ),
    );
  },
};

/** True when the next node is a `Reshape` (a layer in ONNX's own operators, not its float64 lowering). */
const startsWithReshape = (r: ChainReader): boolean => E.exists((n: NodeRecord) => isOp(n, 'Reshape'))(r.peek());

const maxPool: Mapping<FormOf<'maxPool'>> = {
  operators: (f) => describeWindow('MaxPool', f.window, f.window.channels),
  emit: (f, _p, x, prefix, g) => E.right(emitWindow(f.window, f.window.channels, 'MaxPool', [], x, prefix, g)),
  read: (f, r) => readWindow(f.window, f.window.channels, 'MaxPool', r, () => E.right(noParams)),
};

/** The windows of one channel each: `[positions, kernel size, C]`. */
const perChannel = (w: Window): readonly number[] => [product(w.kernel), w.channels];

/**
 * With padding ('same'), each window's mean over its `k` entries (the padding's zeros included) is
 * rescaled by `k / n`, `n` the entries inside the input, one factor per output position (the
 * layer's mean over the inside entries); `undefined` without padding.
 */
const insideScale = (w: Window): Float64Array | undefined => {
  if (!w.pads.some((p) => p > 0)) return undefined;
  const table = w.patches();
  const k = product(w.kernel);
  return Float64Array.from({ length: product(w.output) }, (_, o) => {
    let n = 0;
    for (let e = 0; e < k; e++) if (table[(o * k + e) * w.channels]! >= 0) n++;
    return k / n;
  });
};

const avgPoolDouble = (f: FormOf<'avgPool'>): string =>
  `${describePatches(f.window, perChannel(f.window))}, ReduceMean over axis 2, ${insideScale(f.window) === undefined ? '' : 'Mul by k / (entries inside) per position, '}Reshape to [-1, ${product(f.window.output) * f.window.channels}]`;

const avgPool: Mapping<FormOf<'avgPool'>> = {
  operators: (f) => `${describeWindow('AveragePool', f.window, f.window.channels)} (float64: ${avgPoolDouble(f)})`,
  emit: (f, _p, x, prefix, g) => {
    const w = f.window;
    if (g.dtype === 'float32') return E.right(emitWindow(w, w.channels, 'AveragePool', [], x, prefix, g));
    const mean = g.node(prefix, 'ReduceMean', [emitPatches(w, perChannel(w), x, prefix, g)], [intsAttribute('axes', [2]), intAttribute('keepdims', 0)]);
    const scale = insideScale(w);
    const y = scale === undefined ? mean : g.node(prefix, 'Mul', [mean, g.constant(prefix, 'inside', [scale.length, 1], scale)]);
    return E.right(g.node(`${prefix}/out`, 'Reshape', [y, g.ints(prefix, 'outShape', [-1, product(w.output) * w.channels])]));
  },
  read: (f, r) => {
    const w = f.window;
    if (startsWithReshape(r)) return readWindow(w, w.channels, 'AveragePool', r, () => E.right(noParams));
    const expected = avgPoolDouble(f);
    const scale = insideScale(w);
    return pipe(
      readPatches(w, perChannel(w), r, expected),
      E.chain(() => readMean(r, 2, expected)),
      E.chain(() =>
        scale === undefined
          ? E.right<Mismatch, void>(undefined)
          : E.chain((got: Float64Array) => (got.every((v, i) => v === scale[i]) ? E.right<Mismatch, void>(undefined) : mismatch<void>(expected, 'a Mul by other factors')))(
              operand(r, 'Mul', [scale.length, 1], 'the inside-entries factors of a padded average pooling', expected),
            )),
      E.chain(() => readReshape(r, [-1, product(w.output) * w.channels], expected)),
      E.map(() => noParams),
    );
  },
};

/** Reads `ReduceMean` over the one axis `axis`, without keeping it. */
const readMean = (r: ChainReader, axis: number, expected: string): E.Either<Mismatch, void> =>
  E.chain((n: NodeRecord) => {
    const axes = attributeOf(n, 'axes')?.ints;
    const keep = attributeOf(n, 'keepdims')?.i ?? 1;
    return same(axes, [axis]) && keep === 0 ? E.right<Mismatch, void>(undefined) : mismatch<void>(expected, `${describeNode(n)} with axes = ${axes === undefined ? 'all' : list(axes)}, keepdims = ${keep}`);
  })(take(r, 'ReduceMean', expected));

const globalAvgPool: Mapping<FormOf<'globalAvgPool'>> = {
  operators: (f) => `Reshape to [-1, ${f.positions}, ${f.channels}] then ReduceMean over axis 1`,
  emit: (f, _p, x, prefix, g) =>
    E.right(g.node(prefix, 'ReduceMean', [g.node(prefix, 'Reshape', [x, g.ints(prefix, 'shape', [-1, f.positions, f.channels])])], [intsAttribute('axes', [1]), intAttribute('keepdims', 0)])),
  read: (f, r) => {
    const expected = globalAvgPool.operators(f);
    return pipe(
      readReshape(r, [-1, f.positions, f.channels], expected),
      E.chain(() => readMean(r, 1, expected)),
      E.map(() => noParams),
    );
  },
};

// ————— recurrent layers —————

/**
 * A recurrent cell as ONNX lays it out: `gates` blocks of H columns, `order[k]` being the foldnet
 * block that is ONNX's block k (LSTM: ONNX i, o, f, c from foldnet i, f, g, o; GRU: ONNX z, r, h
 * from foldnet r, z, n), and how the foldnet parameters split into ONNX's W, R, Wb and Rb.
 */
interface Cell {
  readonly op: 'RNN' | 'LSTM' | 'GRU';
  readonly order: readonly number[];
  readonly attributes: readonly { readonly name: string; readonly value: number }[];
  /** The state's width in units of H (LSTM: h and c). */
  readonly states: number;
  /** foldnet's parameters as `{ x: F × G·H, h: H × G·H, bx, bh: G·H }` (foldnet block order), or why not. */
  readonly split: (p: unknown, s: Recurrence) => E.Either<Mismatch, Blocks>;
  /** The cell's parameters from those blocks. */
  readonly join: (s: Recurrence, x: Float64Array, h: Float64Array, bx: Float64Array, bh: Float64Array) => unknown;
  /** The blocks as the tensors of foldnet's own layout (the float64 form's constants), and back. */
  readonly tensors: (s: Recurrence, b: Blocks) => CellTensors;
  readonly fromTensors: (s: Recurrence, t: Readonly<Record<string, Float64Array>>) => unknown;
}

type Blocks = { readonly x: Float64Array; readonly h: Float64Array; readonly bx: Float64Array; readonly bh: Float64Array };

/** `a + b` entry by entry, keeping `a`'s entries (their bits, −0 too) where `b` is 0. */
const plus = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => (b[i] === 0 ? v : v + b[i]!));

/** Rows `from…from+n−1` of a row-major matrix with `cols` columns. */
const rowsOf = (m: Float64Array, from: number, n: number, cols: number): Float64Array => m.slice(from * cols, (from + n) * cols);

const cellOf = (p: unknown): unknown => (typeof p === 'object' && p !== null ? (p as { cell?: unknown }).cell : undefined);
const joinRows = (x: Float64Array, h: Float64Array): Float64Array => {
  const out = new Float64Array(x.length + h.length);
  out.set(x);
  out.set(h, x.length);
  return out;
};

/**
 * The rnn and lstm cells: one stacked weight `w: (F + H) × G·H` on `[x_t, h_{t−1}]` and one bias
 * `b: G·H` (ONNX's Rb is 0, and an imported Rb is added to Wb). `pick` finds `{ w, b }` in the
 * cell's parameters, `wrap` puts it back where the cell keeps it.
 */
const stackedCell = (
  op: 'RNN' | 'LSTM', order: readonly number[], states: number, what: string,
  pick: (cell: unknown) => { w?: unknown; b?: unknown } | undefined, wrap: (wb: unknown) => unknown,
): Cell => {
  const G = order.length;
  const blocks = (s: Recurrence, w: Float64Array, b: Float64Array): Blocks =>
    ({ x: rowsOf(w, 0, s.features, G * s.hidden), h: rowsOf(w, s.features, s.hidden, G * s.hidden), bx: b, bh: new Float64Array(G * s.hidden) });
  const join = (s: Recurrence, x: Float64Array, h: Float64Array, bx: Float64Array, bh: Float64Array): unknown =>
    wrap(Object.freeze({ w: unsafeMat(s.features + s.hidden, G * s.hidden, joinRows(x, h)), b: unsafeVec(G * s.hidden, plus(bx, bh)) }));
  return {
    op,
    order,
    attributes: [],
    states,
    split: (p, s) => {
      const { features: F, hidden: H } = s;
      const q = pick(cellOf(p));
      if (q === undefined || !isMat(q.w, F + H, G * H) || !isVec(q.b, G * H)) return mismatch(`parameters ${what} with w: ${F + H}×${G * H}, b: ${G * H}`, describe(p));
      return E.right(blocks(s, q.w.data, q.b.data));
    },
    join,
    tensors: (s, b) => ({
      w: { dims: [s.features + s.hidden, G * s.hidden], values: joinRows(b.x, b.h) },
      b: { dims: [G * s.hidden], values: plus(b.bx, b.bh) },
    }),
    fromTensors: (s, t) => {
      const b = blocks(s, t['w']!, t['b']!);
      return join(s, b.x, b.h, b.bx, b.bh);
    },
  };
};

const asObject = (u: unknown): { w?: unknown; b?: unknown } | undefined => (typeof u === 'object' && u !== null ? (u as { w?: unknown; b?: unknown }) : undefined);

const CELLS: { readonly [K in 'rnn' | 'lstm' | 'gru']: Cell } = {
  // the Elman cell is sequential(dense, tanh): its parameters [{ w, b }, {}]
  rnn: stackedCell('RNN', [0], 1, '{ cell: [{ w, b }, {}] }', (c) => (Array.isArray(c) ? asObject(c[0]) : undefined), (wb) => [wb, noParams]),
  lstm: stackedCell('LSTM', [0, 3, 1, 2], 2, '{ cell: { w, b } }', asObject, (wb) => wb),
  gru: {
    op: 'GRU',
    tensors: (s, b) => ({
      wx: { dims: [s.features, 3 * s.hidden], values: b.x },
      wh: { dims: [s.hidden, 3 * s.hidden], values: b.h },
      bx: { dims: [3 * s.hidden], values: b.bx },
      bh: { dims: [3 * s.hidden], values: b.bh },
    }),
    fromTensors: (s, t) => CELLS.gru.join(s, t['wx']!, t['wh']!, t['bx']!, t['bh']!),
    order: [1, 0, 2],
    // foldnet's candidate applies the reset gate after the hidden product: ONNX's linear_before_reset
    attributes: [{ name: 'linear_before_reset', value: 1 }],
    states: 1,
    split: (p, s) => {
      const { features: F, hidden: H } = s;
      const q = cellOf(p) as { wx?: unknown; wh?: unknown; bx?: unknown; bh?: unknown } | undefined;
      if (typeof q !== 'object' || q === null || !isMat(q.wx, F, 3 * H) || !isMat(q.wh, H, 3 * H) || !isVec(q.bx, 3 * H) || !isVec(q.bh, 3 * H)) {
        return mismatch(`parameters { cell: { wx: ${F}×${3 * H}, wh: ${H}×${3 * H}, bx: ${3 * H}, bh: ${3 * H} } }`, describe(p));
      }
      return E.right({ x: q.wx.data, h: q.wh.data, bx: q.bx.data, bh: q.bh.data });
    },
    join: (s, x, h, bx, bh) =>
      Object.freeze({ wx: unsafeMat(s.features, 3 * s.hidden, x), wh: unsafeMat(s.hidden, 3 * s.hidden, h), bx: unsafeVec(3 * s.hidden, bx), bh: unsafeVec(3 * s.hidden, bh) }),
  },
};

/**
 * A foldnet block matrix `rows × G·H` (foldnet gate order) as ONNX's `[G·H, rows]` (ONNX gate
 * order), and back: ONNX entry `(k·H + j, i)` is foldnet entry `(i, order[k]·H + j)`.
 */
const gateIndex = (order: readonly number[], H: number, rows: number) => (k: number): number => {
  const i = k % rows;
  const unit = Math.floor(k / rows);
  return i * order.length * H + order[Math.floor(unit / H)]! * H + (unit % H);
};
const toOnnxGates = (m: Float64Array, order: readonly number[], H: number, rows: number): Float64Array => {
  const index = gateIndex(order, H, rows);
  return Float64Array.from({ length: m.length }, (_, k) => m[index(k)]!);
};
const fromOnnxGates = (m: Float64Array, order: readonly number[], H: number, rows: number): Float64Array => {
  const index = gateIndex(order, H, rows);
  const out = new Float64Array(m.length);
  m.forEach((v, k) => void (out[index(k)] = v));
  return out;
};

/** The learned initial state (width `states·H`), checked, or undefined when the layer starts at 0. */
const initialState = (p: unknown, s: Recurrence, states: number): E.Either<Mismatch, Float64Array | undefined> => {
  if (!s.learnInitialState) return E.right(undefined);
  const v = typeof p === 'object' && p !== null ? (p as { initialState?: unknown }).initialState : undefined;
  return isVec(v, states * s.hidden) ? E.right(v.data) : mismatch(`an initial state of ${states * s.hidden} values`, describe(v));
};

const describeRecurrent = (c: Cell, s: Recurrence): string =>
  `Reshape to [-1, ${s.steps}, ${s.features}], Transpose to [steps, batch, features], ${c.op} with hidden_size = ${s.hidden}` +
  `${c.attributes.map((a) => `, ${a.name} = ${a.value}`).join('')}${s.learnInitialState ? ', an initial state expanded to the batch' : ''}, then ` +
  (s.returnSequences ? `its Y transposed to [batch, steps, 1, hidden] and reshaped to [-1, ${s.steps * s.hidden}]` : `its Y_h reshaped to [-1, ${s.hidden}]`);

/**
 * The initial state of each of the cell's `states` (h, and c for the LSTM) as `[1, batch, H]`: a
 * constant `[1, 1, H]` expanded to the batch size read from `seq` (`Shape`, `Gather` index 1,
 * `Concat` with 1 and H).
 */
const emitInitialStates = (init: Float64Array, s: Recurrence, states: number, seq: string, prefix: string, g: GraphBuilder): readonly string[] => {
  const batch = g.node(`${prefix}/batch`, 'Gather', [g.node(`${prefix}/batch`, 'Shape', [seq]), g.ints(prefix, 'batchAxis', [1])], [intAttribute('axis', 0)]);
  const shape = g.node(`${prefix}/stateShape`, 'Concat', [g.ints(prefix, 'one', [1]), batch, g.ints(prefix, 'hidden', [s.hidden])], [intAttribute('axis', 0)]);
  return range(0, states).map((k) => {
    const name = ['h0', 'c0'][k]!;
    return g.node(`${prefix}/${name}`, 'Expand', [g.constant(prefix, name, [1, 1, s.hidden], init.subarray(k * s.hidden, (k + 1) * s.hidden)), shape]);
  });
};

const describeUnrolled = (c: Cell, s: Recurrence): string =>
  `(float64) the ${c.op} recurrence written out over ${s.steps} steps with ${s.hidden} units, as foldnet writes it`;

const recurrent = (cellName: 'rnn' | 'lstm' | 'gru'): Mapping<FormOf<'rnn' | 'lstm' | 'gru'>> => {
  const c = CELLS[cellName];
  const G = c.order.length;
  return {
    operators: (s) => `${describeRecurrent(c, s)}; ${describeUnrolled(c, s)}`,
    emit: (s, p, x, prefix, g) => {
      const { steps: T, features: F, hidden: H } = s;
      return pipe(
        c.split(p, s),
        E.chain((b) => E.map((init: Float64Array | undefined) => ({ ...b, init }))(initialState(p, s, c.states))),
        E.chain((b) => {
          const bad = [b.x, b.h, b.bx, b.bh, b.init ?? new Float64Array(0)].some((a) => firstNonFinite(a) >= 0);
          return bad ? mismatch<typeof b>('finite parameters', 'a non-finite weight, bias or initial state') : E.right(b);
        }),
        E.map((b) => {
          if (g.dtype === 'float64') return emitUnrolled(cellName, s, c.tensors(s, b), b.init ?? new Float64Array(c.states * H), x, prefix, g);
          const seq = reshapeThenTranspose(x, [-1, T, F], [1, 0, 2], prefix, g);
          const W = g.constant(prefix, 'W', [1, G * H, F], toOnnxGates(b.x, c.order, H, F));
          const R = g.constant(prefix, 'R', [1, G * H, H], toOnnxGates(b.h, c.order, H, H));
          const B = g.constant(prefix, 'B', [1, 2 * G * H], [...toOnnxGates(b.bx, c.order, H, 1), ...toOnnxGates(b.bh, c.order, H, 1)]);
          const initial = b.init === undefined ? [] : ['', ...emitInitialStates(b.init, s, c.states, seq, prefix, g)];
          const attributes = [intAttribute('hidden_size', H), ...c.attributes.map((a) => intAttribute(a.name, a.value))];
          // outputs Y [T, 1, N, H] (slot 0) and Y_h [1, N, H] (slot 1)
          if (s.returnSequences) return transposeThenReshape(g.node(prefix, c.op, [seq, W, R, B, ...initial], attributes, 0), [2, 0, 1, 3], T * H, prefix, g);
          return g.node(`${prefix}/out`, 'Reshape', [g.node(prefix, c.op, [seq, W, R, B, ...initial], attributes, 1), g.ints(prefix, 'outShape', [-1, H])]);
        }),
      );
    },
    read: (s, r) => {
      const { steps: T, features: F, hidden: H } = s;
      const expected = describeRecurrent(c, s);
      const next = r.peek();
      if (E.isRight(next) && isOp(next.right, 'Reshape') && !r.consumers(next.right.output[0] ?? '').some((m) => isOp(m, 'Transpose'))) {
        const zero = c.tensors(s, { x: new Float64Array(F * G * H), h: new Float64Array(H * G * H), bx: new Float64Array(G * H), bh: new Float64Array(G * H) });
        return E.map(({ params, initial }: { params: Readonly<Record<string, Float64Array>>; initial: Float64Array }) => {
          const cell = c.fromTensors(s, params);
          return Object.freeze(s.learnInitialState ? { cell, initialState: unsafeVec(c.states * H, initial) } : { cell });
        })(readUnrolled(cellName, s, zero, s.learnInitialState, r, describeUnrolled(c, s)));
      }
      return pipe(
        readReshape(r, [-1, T, F], expected),
        E.chain(() => besideShapes(r, 'Transpose', expected)),
        E.chain((n) => (same(attributeOf(n, 'perm')?.ints, [1, 0, 2]) ? E.right(undefined) : mismatch<void>(`${expected}: Transpose by [1, 0, 2]`, describeNode(n)))),
        E.chain(() => besideShapes(r, c.op, expected)),
        E.chain((n) => {
          const attrs = new Map(n.attribute.map((a) => [a.name, a.i]));
          const want = new Map([['hidden_size', H], ...c.attributes.map((a) => [a.name, a.value] as const)]);
          const odd = [...attrs.keys()].find((k) => (want.has(k) ? attrs.get(k) !== want.get(k) : !(k === 'layout' && attrs.get(k) === 0)));
          if (odd !== undefined) return mismatch<NodeRecord>(expected, `${describeNode(n)} with ${odd} = ${attrs.get(odd) ?? 'a non-integer'}`);
          const missing = [...want.keys()].find((k) => !attrs.has(k) && !(k === 'linear_before_reset' && want.get(k) === 0));
          if (missing !== undefined) return mismatch<NodeRecord>(expected, `${describeNode(n)} without ${missing}`);
          if ((n.input[4] ?? '') !== '') return mismatch<NodeRecord>(expected, `${describeNode(n)} with sequence lengths`);
          const slot = s.returnSequences ? 0 : 1;
          const out = n.output[slot];
          if (out === undefined || out === '' || n.output.some((o, i) => i !== slot && o !== '' && r.consumers(o).length > 0)) {
            return mismatch<NodeRecord>(expected, `${describeNode(n)} whose ${s.returnSequences ? 'Y' : 'Y_h'} is not the one output used`);
          }
          r.moveTo(out);
          return E.right(n);
        }),
        E.chain((n) =>
          pipe(
            E.Do,
            E.apS('x', constantAt(r, n.input[1], [1, G * H, F], `the input weights W of ${c.op}`, n)),
            E.apS('h', constantAt(r, n.input[2], [1, G * H, H], `the recurrent weights R of ${c.op}`, n)),
            E.apS('b', (n.input[3] ?? '') === '' ? E.right(new Float64Array(2 * G * H)) : constantAt(r, n.input[3], [1, 2 * G * H], `the biases B of ${c.op}`, n)),
            E.apS('init', readInitialStates(r, n, s, c.states, expected)),
          ),
        ),
        E.chainFirst(() => (s.returnSequences ? readOut(r, [2, 0, 1, 3], T * H, expected) : readLastState(r, H, expected))),
        E.map(({ x, h, b, init }) => {
          const cell = c.join(s, fromOnnxGates(x, c.order, H, F), fromOnnxGates(h, c.order, H, H), fromOnnxGates(b.subarray(0, G * H), c.order, H, 1), fromOnnxGates(b.subarray(G * H), c.order, H, 1));
          return Object.freeze(init === undefined ? { cell } : { cell, initialState: unsafeVec(c.states * H, init) });
        }),
      );
    },
  };
};

/**
 * The one consumer of the current value that is the operator `op`, others being only `Shape`
 * nodes (the batch size read for the initial states: foldnet's after the `Transpose`, PyTorch's
 * before it). Moves past it, to its first output.
 */
const besideShapes = (r: ChainReader, op: string, expected: string): E.Either<Mismatch, NodeRecord> => {
  const cs = r.consumers(r.current());
  const n = cs.find((k) => isOp(k, op) && k.input[0] === r.current());
  if (n === undefined || !cs.every((k) => k === n || isOp(k, 'Shape'))) return mismatch(expected, cs.length === 0 ? 'the end of the graph' : cs.slice(0, 3).map(describeNode).join(' and '));
  r.advance(n);
  return E.right(n);
};

/** True when `name` is an initial state of 0 as PyTorch writes it: `ConstantOfShape` of 0. */
const isZeros = (r: ChainReader, name: string): boolean => {
  const n = r.producer(name);
  const t = n === undefined || !isOp(n, 'ConstantOfShape') ? undefined : attributeOf(n, 'value')?.t;
  return n !== undefined && isOp(n, 'ConstantOfShape') && (t === undefined || E.exists((v: Float64Array) => v[0] === 0)(tensorValues(t, [1])));
};

/** Y_h `[1, batch, H]` as rows: foldnet's `Reshape` to `[-1, H]`, or PyTorch's `Gather` of direction 0 (`h[-1]`) or `Squeeze`. */
const readLastState = (r: ChainReader, H: number, expected: string): E.Either<Mismatch, void> => {
  const next = r.peek();
  if (E.isRight(next) && isOp(next.right, 'Gather')) {
    return E.chain((n: NodeRecord) => {
      const index = intTable(n.input[1] === undefined ? undefined : r.constant(n.input[1]), []);
      return (attributeOf(n, 'axis')?.i ?? 0) === 0 && index !== undefined && (index[0] === 0 || index[0] === -1)
        ? E.right<Mismatch, void>(undefined)
        : mismatch<void>(`${expected}: Gather of direction 0`, describeNode(n));
    })(take(r, 'Gather', expected));
  }
  if (E.isRight(next) && isOp(next.right, 'Squeeze')) {
    return E.chain((n: NodeRecord) => {
      const axes = intTable(n.input[1] === undefined ? undefined : r.constant(n.input[1]), [1]) ?? attributeOf(n, 'axes')?.ints;
      return same(axes, [0]) ? E.right<Mismatch, void>(undefined) : mismatch<void>(`${expected}: Squeeze of axis 0`, describeNode(n));
    })(take(r, 'Squeeze', expected));
  }
  return readReshape(r, [-1, H], expected);
};

/** Reads the initial states (inputs 5 and 6: `Expand` of a constant `[1, 1, H]`), or none. */
const readInitialStates = (r: ChainReader, n: NodeRecord, s: Recurrence, states: number, expected: string): E.Either<Mismatch, Float64Array | undefined> => {
  const names = n.input.slice(5, 5 + states);
  if (!s.learnInitialState) return names.every((v) => v === '' || isZeros(r, v)) ? E.right(undefined) : mismatch(`${expected} (an initial state of 0)`, `${describeNode(n)} with an initial state`);
  const parts = names.map((name, k) => {
    const expand = r.producer(name);
    if (expand === undefined || !isOp(expand, 'Expand')) return mismatch<Float64Array>(expected, `initial state ${k + 1} of ${describeNode(n)} not an Expand of a constant`);
    return constantAt(r, expand.input[0], [1, 1, s.hidden], `initial state ${k + 1}`, expand);
  });
  if (parts.length !== states) return mismatch(expected, `${describeNode(n)} with ${parts.length} initial states`);
  return E.map((vs: readonly Float64Array[]) => {
    const out = new Float64Array(states * s.hidden);
    vs.forEach((v, k) => out.set(v, k * s.hidden));
    return out;
  })(E.sequenceArray(parts));
};

// ————— one layer at every step —————

/**
 * `timeDistributed(f, T)`: its rows `[N, T·I]` reshaped to `[N·T, I]` (`entry`), `f`'s nodes, and
 * the result reshaped to `[N, T·O]` (`exit`), as the layer itself does with its data.
 *
 * @internal
 */
export const steps = {
  entry: (x: string, inputDim: number, prefix: string, g: GraphBuilder): string => g.node(`${prefix}/steps`, 'Reshape', [x, g.ints(prefix, 'stepShape', [-1, inputDim])]),
  exit: (y: string, width: number, prefix: string, g: GraphBuilder): string => g.node(`${prefix}/sequences`, 'Reshape', [y, g.ints(prefix, 'sequenceShape', [-1, width])]),
  readEntry: (r: ChainReader, inputDim: number): E.Either<Mismatch, void> => readReshape(r, [-1, inputDim], 'the steps as rows'),
  readExit: (r: ChainReader, width: number): E.Either<Mismatch, void> => readReshape(r, [-1, width], 'the rows as sequences'),
};

/** The mappings of the shaped layers' forms. @internal */
export const SHAPED: { readonly [K in 'conv' | 'maxPool' | 'avgPool' | 'globalAvgPool' | 'rnn' | 'lstm' | 'gru']: Mapping<FormOf<K>> } = {
  conv,
  maxPool,
  avgPool,
  globalAvgPool,
  rnn: recurrent('rnn'),
  lstm: recurrent('lstm'),
  gru: recurrent('gru'),
};
