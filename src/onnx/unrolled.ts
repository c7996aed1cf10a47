/**
 * The float64 form of the recurrent layers. ONNX Runtime's CPU kernels for `RNN`, `LSTM` and `GRU`
 * are float only, so a float64 model writes the recurrence out step by step, in foldnet's own
 * parameter layout and order of operations: per step `Gather` of x_t, `Concat` with h_{t−1},
 * `MatMul`, `Add`, the gates as `Gather`s of the `[batch, G, H]` pre-activations, `Sigmoid`,
 * `Tanh`, `Mul`, `Add` (and `Sub` for the GRU), the initial state a constant `[1, H]` expanded to
 * the batch. T is fixed, so the graph has T copies of the cell.
 *
 * Reading it back compares the file with the graph this module writes for the same layer, node
 * by node from the layer's input (operators, attributes, integer constants, wiring; names are
 * never used), and takes the parameters from the constants that sit where foldnet's do.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Recurrence } from '../layer/form.js';
import { describeNode, graphBuilder, intAttribute, intValues, mismatch, tensorValues, type ChainReader, type GraphBuilder, type Mismatch } from './graph.js';
import { DATA_TYPE, type AttributeRecord, type NodeRecord, type TensorRecord } from './wire.js';

/** The parameter tensors of one cell, by name, each with its shape and values. */
export type CellTensors = Readonly<Record<string, { readonly dims: readonly number[]; readonly values: ArrayLike<number> }>>;

/** One step of a cell: from x_t and the state values to the new state (the output is its first entry). */
type Step = (g: GraphBuilder, prefix: string, x: string, state: readonly string[], c: Readonly<Record<string, string>>) => readonly string[];

/** The `k`-th of `G` gate blocks of the pre-activations `a` (`[batch, G·H]`). */
const gates = (g: GraphBuilder, prefix: string, a: string, G: number, H: number, c: Readonly<Record<string, string>>): readonly string[] => {
  const blocks = g.node(`${prefix}/gates`, 'Reshape', [a, c['gateShape']!]);
  return Array.from({ length: G }, (_, k) => g.node(`${prefix}/gate${k}`, 'Gather', [blocks, c[`index${k}`]!], [intAttribute('axis', 1)]));
};

/** `[x_t, h]·W + b`, the one product of the Elman and LSTM cells. */
const affineOfBoth = (g: GraphBuilder, prefix: string, x: string, h: string, c: Readonly<Record<string, string>>): string =>
  g.node(prefix, 'Add', [g.node(prefix, 'MatMul', [g.node(prefix, 'Concat', [x, h], [intAttribute('axis', 1)]), c['w']!]), c['b']!]);

/** The cells, each as the steps foldnet's cell computes. */
export const STEPS: { readonly [K in 'rnn' | 'lstm' | 'gru']: { readonly states: number; readonly gates: number; readonly step: (H: number) => Step } } = {
  rnn: { states: 1, gates: 1, step: () => (g, p, x, [h], c) => [g.node(p, 'Tanh', [affineOfBoth(g, p, x, h!, c)])] },
  lstm: {
    states: 2,
    gates: 4,
    step: (H) => (g, p, x, [h, cell], c) => {
      const [ai, af, ag, ao] = gates(g, p, affineOfBoth(g, p, x, h!, c), 4, H, c);
      const i = g.node(`${p}/i`, 'Sigmoid', [ai!]);
      const f = g.node(`${p}/f`, 'Sigmoid', [af!]);
      const gg = g.node(`${p}/g`, 'Tanh', [ag!]);
      const o = g.node(`${p}/o`, 'Sigmoid', [ao!]);
      const next = g.node(`${p}/c`, 'Add', [g.node(`${p}/keep`, 'Mul', [f, cell!]), g.node(`${p}/write`, 'Mul', [i, gg])]);
      return [g.node(`${p}/h`, 'Mul', [o, g.node(`${p}/c`, 'Tanh', [next])]), next];
    },
  },
  gru: {
    states: 1,
    gates: 3,
    step: (H) => (g, p, x, [h], c) => {
      const [xr, xz, xn] = gates(g, `${p}/x`, g.node(`${p}/x`, 'Add', [g.node(`${p}/x`, 'MatMul', [x, c['wx']!]), c['bx']!]), 3, H, c);
      const [hr, hz, hn] = gates(g, `${p}/h`, g.node(`${p}/h`, 'Add', [g.node(`${p}/h`, 'MatMul', [h!, c['wh']!]), c['bh']!]), 3, H, c);
      const r = g.node(`${p}/r`, 'Sigmoid', [g.node(`${p}/r`, 'Add', [xr!, hr!])]);
      const z = g.node(`${p}/z`, 'Sigmoid', [g.node(`${p}/z`, 'Add', [xz!, hz!])]);
      const n = g.node(`${p}/n`, 'Tanh', [g.node(`${p}/n`, 'Add', [xn!, g.node(`${p}/n`, 'Mul', [r, hn!])])]);
      // h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
      const keep = g.node(`${p}/new`, 'Mul', [g.node(`${p}/new`, 'Sub', [c['one']!, z]), n]);
      return [g.node(`${p}/out`, 'Add', [keep, g.node(`${p}/old`, 'Mul', [z, h!])])];
    },
  },
};

/**
 * Emits the unrolled recurrence after `x` (rows `[batch, T·F]`): the parameter tensors `params`
 * (by the names the step uses) and `initial` (`states·H` values, zeros for a state starting at 0).
 */
export const emitUnrolled = (cell: 'rnn' | 'lstm' | 'gru', s: Recurrence, params: CellTensors, initial: ArrayLike<number>, x: string, prefix: string, g: GraphBuilder): string => {
  const { steps: T, features: F, hidden: H } = s;
  const { states, gates: G, step } = STEPS[cell];
  const c: Record<string, string> = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, g.constant(prefix, k, t.dims, t.values)]));
  c['gateShape'] = g.ints(prefix, 'gateShape', [-1, G, H]);
  Array.from({ length: G }, (_, k) => (c[`index${k}`] = g.ints(prefix, `index${k}`, [k], [])));
  if (cell === 'gru') c['one'] = g.constant(prefix, 'one', [], [1]);
  const xs = g.node(`${prefix}/in`, 'Reshape', [x, g.ints(prefix, 'inShape', [-1, T, F])]);
  const batch = g.node(`${prefix}/batch`, 'Gather', [g.node(`${prefix}/batch`, 'Shape', [xs]), g.ints(prefix, 'batchAxis', [0])], [intAttribute('axis', 0)]);
  const shape = g.node(`${prefix}/stateShape`, 'Concat', [batch, g.ints(prefix, 'hidden', [H])], [intAttribute('axis', 0)]);
  const start = Array.from({ length: states }, (_, k) =>
    g.node(`${prefix}/state${k}`, 'Expand', [g.constant(prefix, `state${k}`, [1, H], Array.from({ length: H }, (_, j) => initial[k * H + j]!)), shape]));
  const outputs: string[] = [];
  Array.from({ length: T }).reduce<readonly string[]>((state, _, t) => {
    const xt = g.node(`${prefix}/t${t}/x`, 'Gather', [xs, g.ints(prefix, `t${t}`, [t], [])], [intAttribute('axis', 1)]);
    const next = step(H)(g, `${prefix}/t${t}`, xt, state, c);
    outputs.push(next[0]!);
    return next;
  }, start);
  return s.returnSequences ? g.node(`${prefix}/out`, 'Concat', outputs, [intAttribute('axis', 1)]) : outputs[T - 1]!;
};

const sameAttributes = (a: readonly AttributeRecord[], b: readonly AttributeRecord[]): boolean =>
  a.length === b.length && a.every((x) => {
    const y = b.find((z) => z.name === x.name);
    return y !== undefined && y.i === x.i && y.f === x.f && JSON.stringify(y.ints ?? []) === JSON.stringify(x.ints ?? []);
  });

/**
 * Reads the unrolled recurrence from the current value: the file must have, node for node, what
 * {@link emitUnrolled} writes; the constants named in `params` may hold any finite values (they
 * are returned), every other constant must be equal. Moves the reader to the layer's output.
 */
export const readUnrolled = (
  cell: 'rnn' | 'lstm' | 'gru', s: Recurrence, params: CellTensors, learned: boolean, r: ChainReader, expected: string,
): E.Either<Mismatch, { readonly params: Readonly<Record<string, Float64Array>>; readonly initial: Float64Array }> => {
  const { builder, nodes, initializers } = graphBuilder('float64', 17);
  const prefix = 'expected';
  const out = emitUnrolled(cell, s, params, new Float64Array(STEPS[cell].states * s.hidden), 'x', prefix, builder);
  const wanted = new Map(initializers.map((t) => [t.name!, t]));
  const free = new Set([...Object.keys(params), ...(learned ? Array.from({ length: STEPS[cell].states }, (_, k) => `state${k}`) : [])].map((k) => `${prefix}.${k}`));
  const values = new Map<string, string>([['x', r.current()]]);
  const found = new Map<string, Float64Array>();
  const matches = (want: NodeRecord, got: NodeRecord): boolean =>
    got.op_type === want.op_type && (got.domain ?? '') === '' && got.input.length === want.input.length && sameAttributes(want.attribute, got.attribute) &&
    want.input.every((w, i) => {
      const v = got.input[i]!;
      const mapped = values.get(w);
      if (mapped !== undefined) return mapped === v;
      const t = wanted.get(w);
      return t !== undefined && sameConstant(t, r.constant(v), free.has(w));
    });
  // each file node stands for one node of foldnet's (the two zero initial states are alike)
  const used = new Set<NodeRecord>();
  for (const want of nodes) {
    const anchor = want.input.find((i) => values.has(i) && !wanted.has(i))!;
    const got = r.consumers(values.get(anchor)!).find((n) => !used.has(n) && matches(want, n));
    if (got === undefined) return mismatch(expected, `a graph without foldnet's ${want.op_type} node of step ${stepOf(want.name!)} (${want.name!.slice(prefix.length + 1)})`);
    used.add(got);
    want.output.forEach((o, i) => values.set(o, got.output[i]!));
    for (const [i, w] of want.input.entries()) {
      if (!wanted.has(w) || values.has(w)) continue;
      // a constant is the same file tensor at every step
      values.set(w, got.input[i]!);
      if (!free.has(w)) continue;
      const v = tensorValues(r.constant(got.input[i]!), wanted.get(w)!.dims);
      if (E.isLeft(v)) return mismatch(`${expected}, with finite constants`, `${v.left.got} in ${describeNode(got)}`);
      found.set(w.slice(prefix.length + 1), v.right);
    }
  }
  r.moveTo(values.get(out)!);
  const initial = new Float64Array(STEPS[cell].states * s.hidden);
  if (learned) Array.from({ length: STEPS[cell].states }, (_, k) => initial.set(found.get(`state${k}`)!, k * s.hidden));
  return E.right({ params: Object.fromEntries(Object.keys(params).map((k) => [k, found.get(k)!])), initial });
};

/** The step a node of the expected graph belongs to, for messages. */
const stepOf = (name: string): string => /\/t(\d+)\//.exec(name)?.[1] ?? 'before the first';

/** True when the file's constant `got` can stand where `want` is: same shape, and equal values unless free. */
const sameConstant = (want: TensorRecord, got: TensorRecord | undefined, free: boolean): boolean => {
  if (got === undefined || got.dims.length !== want.dims.length || !got.dims.every((d, i) => d === want.dims[i])) return false;
  if (free) return true;
  if (want.data_type !== got.data_type && (want.data_type === DATA_TYPE.int64 || got.data_type === DATA_TYPE.int64)) return false;
  if (want.data_type === DATA_TYPE.int64) {
    const a = intValues(want, 1 << 20);
    const b = intValues(got, 1 << 20);
    return a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  const a = tensorValues(want, want.dims);
  const b = tensorValues(got, want.dims);
  return E.isRight(a) && E.isRight(b) && a.right.every((v, i) => v === b.right[i]);
};
