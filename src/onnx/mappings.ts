/**
 * What each built-in layer becomes in ONNX, and how it is read back: one entry per inference
 * form (src/layer/form.ts), both directions side by side. The table is keyed by every form's
 * `op`, so a new layer form does not compile until it has its mapping here.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { unsafeMat, unsafeVec } from '../tensor/mat.js';
import {
  attributeOf, describeNode, floatAttribute, intAttribute, isOp, mismatch, tensorValues,
  type ChainReader, type Mismatch,
} from './graph.js';
import { constantAt, firstNonFinite, isMat, isVec, noParams, take, type FormOf, type LeafForm, type Mapping } from './read.js';
import { SHAPED } from './shaped.js';
import type { NodeRecord } from './wire.js';
import { describe } from '../errors.js';

const pointwise = (op: string): Mapping<FormOf<'pointwise'>> => ({
  operators: () => op,
  emit: (_f, _p, x, prefix, g) => E.right(g.node(prefix, op, [x])),
  read: (_f, r) => E.map(() => noParams)(take(r, op, op)),
});

/** The dense layer's weights and bias, checked (shapes, finiteness) for untyped callers. */
const affineParams = (f: FormOf<'affine'>, p: unknown): E.Either<Mismatch, { w: Float64Array; b: Float64Array }> => {
  const q = p as { w?: unknown; b?: unknown } | null;
  if (typeof q !== 'object' || q === null || !isMat(q.w, f.inputDim, f.outputDim) || !isVec(q.b, f.outputDim)) {
    return mismatch(`parameters { w: ${f.inputDim}×${f.outputDim}, b: ${f.outputDim} }`, describe(p));
  }
  const bw = firstNonFinite(q.w.data);
  if (bw >= 0) return mismatch('finite weights', `w[${Math.floor(bw / f.outputDim)}][${bw % f.outputDim}] = ${q.w.data[bw]}`);
  const bb = firstNonFinite(q.b.data);
  if (bb >= 0) return mismatch('finite biases', `b[${bb}] = ${q.b.data[bb]}`);
  return E.right({ w: q.w.data, b: q.b.data });
};

const transposed = (a: Float64Array, rows: number, cols: number): Float64Array =>
  Float64Array.from({ length: rows * cols }, (_, k) => a[(k % rows) * cols + Math.floor(k / rows)]!);

/** `{ w, b }` as foldnet stores them, from ONNX's weight (I×O, or O×I when transposed). */
const denseFrom = (f: FormOf<'affine'>, w: Float64Array, wIsOxI: boolean, b: Float64Array) =>
  Object.freeze({
    w: unsafeMat(f.inputDim, f.outputDim, wIsOxI ? transposed(w, f.outputDim, f.inputDim) : w),
    b: unsafeVec(f.outputDim, b),
  });

const readGemm = (f: FormOf<'affine'>, r: ChainReader, n: NodeRecord): E.Either<Mismatch, unknown> => {
  const { inputDim: I, outputDim: O } = f;
  const attr = (name: string, dflt: number): number => {
    const a = attributeOf(n, name);
    return a === undefined ? dflt : (a.i ?? a.f ?? dflt);
  };
  if (attr('transA', 0) !== 0 || attr('alpha', 1) !== 1 || attr('beta', 1) !== 1) {
    return mismatch(`Gemm with transA = 0, alpha = 1, beta = 1`, `${describeNode(n)} with transA = ${attr('transA', 0)}, alpha = ${attr('alpha', 1)}, beta = ${attr('beta', 1)}`);
  }
  const transB = attr('transB', 0) !== 0;
  return pipe(
    constantAt(r, n.input[1], transB ? [O, I] : [I, O], `the weight of a dense ${I}→${O} layer`, n),
    E.chain((w) =>
      pipe(
        n.input[2] === undefined || n.input[2] === '' ? E.right(new Float64Array(O)) : constantAt(r, n.input[2], [O], `the bias of a dense ${I}→${O} layer`, n),
        E.map((b) => denseFrom(f, w, transB, b)),
      ),
    ),
  );
};

/** `MatMul(x, W)` with W a constant I×O, or `Transpose` of a constant O×I (PyTorch's `x @ W.T`). */
const readMatMul = (f: FormOf<'affine'>, r: ChainReader, n: NodeRecord): E.Either<Mismatch, unknown> => {
  const { inputDim: I, outputDim: O } = f;
  const wName = n.input[1] ?? '';
  const tr = r.constant(wName) === undefined ? r.producer(wName) : undefined;
  const perm = tr === undefined ? undefined : attributeOf(tr, 'perm')?.ints;
  const viaTranspose = tr !== undefined && isOp(tr, 'Transpose') && (perm === undefined || (perm.length === 2 && perm[0] === 1 && perm[1] === 0));
  const weight = viaTranspose
    ? constantAt(r, tr.input[0], [O, I], `the weight of a dense ${I}→${O} layer`, n)
    : constantAt(r, wName, [I, O], `the weight of a dense ${I}→${O} layer`, n);
  return pipe(
    weight,
    E.chain((w) => {
      // the bias: an Add of a constant right after, if there is one (none: a layer without bias)
      const next = r.peek();
      const add = E.isRight(next) && isOp(next.right, 'Add') ? next.right : undefined;
      const other = add?.input.find((i) => i !== r.current());
      if (add === undefined || other === undefined || r.constant(other) === undefined) return E.right(denseFrom(f, w, viaTranspose, new Float64Array(O)));
      r.advance(add);
      return E.map((b: Float64Array) => denseFrom(f, w, viaTranspose, b))(constantAt(r, other, [O], `the bias of a dense ${I}→${O} layer`, add));
    }),
  );
};

/** True when a file's value `got` is what foldnet's `want` became in float32 or float64. */
const sameNumber = (want: number, got: number): boolean => got === want || got === Math.fround(want);

const checkStats = (what: string, want: Float64Array, got: Float64Array, node: NodeRecord): E.Either<Mismatch, void> => {
  const j = want.findIndex((v, i) => !sameNumber(v, got[i]!));
  return j < 0 ? E.right(undefined) : mismatch(`the standardize layer's ${what} ${want[j]} in column ${j + 1}`, `${got[j]} in ${describeNode(node)}`);
};

/** The mapping of every leaf form, keyed by `op` (a new form must add its entry). */
export const MAPPINGS: { readonly [K in LeafForm['op']]: Mapping<FormOf<K>> } = {
  ...SHAPED,
  affine: {
    operators: (f) => `Gemm (or MatMul + Add) with a ${f.inputDim}×${f.outputDim} weight`,
    emit: (f, p, x, prefix, g) =>
      E.map(({ w, b }: { w: Float64Array; b: Float64Array }) =>
        g.node(prefix, 'Gemm', [x, g.constant(prefix, 'w', [f.inputDim, f.outputDim], w), g.constant(prefix, 'b', [f.outputDim], b)]),
      )(affineParams(f, p)),
    read: (f, r) =>
      pipe(
        r.peek(),
        E.mapLeft((why) => ({ expected: MAPPINGS.affine.operators(f), got: why })),
        E.chain((n) => {
          if (n.input[0] !== r.current() || !(isOp(n, 'Gemm') || isOp(n, 'MatMul'))) return mismatch(MAPPINGS.affine.operators(f), describeNode(n));
          r.advance(n);
          return isOp(n, 'Gemm') ? readGemm(f, r, n) : readMatMul(f, r, n);
        }),
      ),
  },
  pointwise: {
    operators: (f) => POINTWISE[f.fn].operators(f),
    emit: (f, p, x, prefix, g) => POINTWISE[f.fn].emit(f, p, x, prefix, g),
    read: (f, r) => POINTWISE[f.fn].read(f, r),
  },
  leakyRelu: {
    operators: (f) => `LeakyRelu with alpha = ${f.alpha}, or PRelu with slope ${f.alpha}`,
    // LeakyRelu's alpha is a 32-bit float attribute: a float64 model carries α in a double PRelu
    // slope, which ONNX Runtime runs from opset 16 on
    emit: (f, _p, x, prefix, g) => {
      if (g.dtype === 'float32') return E.right(g.node(prefix, 'LeakyRelu', [x], [floatAttribute('alpha', f.alpha)]));
      if (g.opset < 16) return mismatch('opset 16 or later for leakyRelu in float64 (PRelu with a double slope)', `opset ${g.opset}`);
      return E.right(g.node(prefix, 'PRelu', [x, g.constant(prefix, 'slope', [1], [f.alpha])]));
    },
    read: (f, r) => {
      const expected = MAPPINGS.leakyRelu.operators(f);
      const next = r.peek();
      const prelu = E.isRight(next) && isOp(next.right, 'PRelu');
      return E.chain((n: NodeRecord): E.Either<Mismatch, unknown> => {
        if (!prelu) {
          const alpha = attributeOf(n, 'alpha')?.f ?? 0.01;
          return sameNumber(f.alpha, alpha) ? E.right(noParams) : mismatch(expected, `${describeNode(n)} with alpha = ${alpha}`);
        }
        return E.chain((slope: Float64Array) => (sameNumber(f.alpha, slope[0]!) ? E.right(noParams) : mismatch(expected, `${describeNode(n)} with slope ${slope[0]}`)))(
          constantAt(r, n.input[1], [1], 'the slope of a leakyRelu layer', n),
        );
      })(take(r, prelu ? 'PRelu' : 'LeakyRelu', expected));
    },
  },
  softmax: {
    operators: () => 'Softmax over the last axis',
    emit: (_f, _p, x, prefix, g) => E.right(g.node(prefix, 'Softmax', [x], [intAttribute('axis', -1)])),
    read: (_f, r) =>
      E.chain((n: NodeRecord) => {
        // a batch is 2-D, so axis 1 is the last axis too (and opset < 13's default)
        const axis = attributeOf(n, 'axis')?.i ?? -1;
        return axis === -1 || axis === 1 ? E.right(noParams) : mismatch('Softmax over the last axis', `${describeNode(n)} with axis = ${axis}`);
      })(take(r, 'Softmax', 'Softmax over the last axis')),
  },
  // y = x: no node (an exported net of nothing but these gets one Identity node for its output)
  identity: { operators: () => 'nothing', emit: (_f, _p, x) => E.right(x), read: () => E.right(noParams) },
  // the identity at inference, which is all ONNX serves
  dropout: { operators: () => 'nothing (dropout is the identity at inference)', emit: (_f, _p, x) => E.right(x), read: () => E.right(noParams) },
  standardize: {
    operators: (f) => `Sub then Div by ${f.mean.length} constants`,
    emit: (f, _p, x, prefix, g) => {
      const centred = g.node(`${prefix}/centre`, 'Sub', [x, g.constant(prefix, 'mean', [f.mean.length], f.mean)]);
      return E.right(g.node(`${prefix}/scale`, 'Div', [centred, g.constant(prefix, 'std', [f.std.length], f.std)]));
    },
    read: (f, r) => {
      const d = f.mean.length;
      return pipe(
        take(r, 'Sub', MAPPINGS.standardize.operators(f)),
        E.chain((sub) => E.chain((m: Float64Array) => checkStats('mean', f.mean, m, sub))(constantAt(r, sub.input[1], [d], 'the standardize layer\'s means', sub))),
        E.chain(() => take(r, 'Div', MAPPINGS.standardize.operators(f))),
        E.chain((div) => E.chain((s: Float64Array) => checkStats('standard deviation', f.std, s, div))(constantAt(r, div.input[1], [d], 'the standardize layer\'s standard deviations', div))),
        E.map(() => noParams),
      );
    },
  },
};

const SOFTPLUS_DOUBLE = 'Relu(x) + Log(1 + Exp(−|x|))';

/** The unique consumer of `value` if it is the operator `op`. */
const only = (r: ChainReader, value: string | undefined, op: string): NodeRecord | undefined => {
  const cs = value === undefined ? [] : r.consumers(value);
  return cs.length === 1 && isOp(cs[0]!, op) ? cs[0] : undefined;
};

/** Reads softplus in its float64 form: x feeds Relu and Abs → Neg → Exp → Add 1 → Log, joined by Add. */
const readSoftplusDouble = (r: ChainReader): E.Either<Mismatch, unknown> => {
  const expected = `Softplus, or ${SOFTPLUS_DOUBLE}`;
  const cs = r.consumers(r.current());
  const relu = cs.find((c) => isOp(c, 'Relu'));
  const abs = cs.find((c) => isOp(c, 'Abs'));
  if (cs.length !== 2 || relu === undefined || abs === undefined) return mismatch(expected, cs.length === 0 ? 'the end of the graph' : cs.slice(0, 3).map(describeNode).join(' and '));
  const neg = only(r, abs.output[0], 'Neg');
  const exp = only(r, neg?.output[0], 'Exp');
  const plus = only(r, exp?.output[0], 'Add');
  const log = only(r, plus?.output[0], 'Log');
  const sum = only(r, log?.output[0], 'Add');
  const one = plus?.input.find((i) => i !== exp?.output[0]);
  const isOne = one !== undefined && E.exists((v: Float64Array) => v[0] === 1)(tensorValues(r.constant(one), []));
  if (sum === undefined || !isOne || only(r, relu.output[0], 'Add') !== sum || sum.output[0] === undefined) return mismatch(expected, `${describeNode(abs)} not followed by Neg, Exp, Add 1, Log, Add`);
  r.moveTo(sum.output[0]);
  return E.right(noParams);
};

/** The element-wise activations, each one ONNX operator of the same meaning. */
const POINTWISE: { readonly [K in FormOf<'pointwise'>['fn']]: Mapping<FormOf<'pointwise'>> } = {
  relu: pointwise('Relu'),
  tanh: pointwise('Tanh'),
  sigmoid: pointwise('Sigmoid'),
  softplus: {
    operators: () => `Softplus (float64: ${SOFTPLUS_DOUBLE})`,
    // ONNX Runtime has no double Softplus kernel, so a float64 model spells out foldnet's own
    // formula max(x, 0) + log1p(e^{−|x|}), with log1p(t) as log(1 + t) (ONNX has no log1p):
    // each entry is within about 2⁻⁵² of foldnet's, absolutely
    emit: (_f, _p, x, prefix, g) => {
      if (g.dtype === 'float32') return E.right(g.node(prefix, 'Softplus', [x]));
      const positive = g.node(prefix, 'Relu', [x]);
      const decay = g.node(prefix, 'Exp', [g.node(prefix, 'Neg', [g.node(prefix, 'Abs', [x])])]);
      const log = g.node(prefix, 'Log', [g.node(`${prefix}/onePlus`, 'Add', [decay, g.constant(prefix, 'one', [], [1])])]);
      return E.right(g.node(prefix, 'Add', [positive, log]));
    },
    read: (_f, r) => {
      const next = r.peek();
      return E.isRight(next) && isOp(next.right, 'Softplus') ? E.map(() => noParams)(take(r, 'Softplus', 'Softplus')) : readSoftplusDouble(r);
    },
  },
};
