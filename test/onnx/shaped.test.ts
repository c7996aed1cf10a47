// The shaped layers' mappings beyond the round trips of cases.ts: a file of another shaped
// architecture is a Left naming the layer and what differs, the exported graphs use the operators
// ONNX's documentation names (not a lowering) where ONNX Runtime runs them, and the weight
// layouts are ONNX's (checked on hand-computed entries, independently of the importer).
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../../src/onnx.js';
import { decodeModel, encodeModel, type ModelRecord, type TensorRecord } from '../../src/onnx/wire.js';
import { tensorValues } from '../../src/onnx/graph.js';
import { conv2d } from '../../src/layer/conv.js';
import { avgPool, maxPool } from '../../src/layer/pool.js';
import { gru, lstm, rnn } from '../../src/layer/recurrent.js';
import { key } from '../../src/random.js';
import { randomLike, type AnyLayer } from '../support/layers.js';

const unwrap = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message);
  return e.right;
};

/** The net exported with random parameters (a learned initial state too, which starts at 0). */
const exported = (net: AnyLayer, dtype: 'float32' | 'float64' = 'float32'): Uint8Array => unwrap(toOnnx(net, randomLike(key(4), net.init(key(3))), { dtype }));
const record = (bytes: Uint8Array): ModelRecord => unwrap(E.mapLeft((m: string) => ({ message: m }))(decodeModel(bytes)));
const ops = (bytes: Uint8Array): string[] => record(bytes).graph!.node.map((n) => n.op_type!);
const initializer = (bytes: Uint8Array, suffix: string): TensorRecord => record(bytes).graph!.initializer.find((t) => t.name!.endsWith(suffix))!;
const values = (t: TensorRecord): Float64Array => unwrap(E.mapLeft((m: { expected: string; got: string }) => ({ message: m.got }))(tensorValues(t, t.dims)));

describe('the exported graphs', () => {
  it('conv2d in float32 is Reshape, Transpose, Conv, Transpose, Reshape', () => {
    expect(ops(exported(conv2d([5, 4, 2], { filters: 3, kernel: 2 })))).toEqual(['Reshape', 'Transpose', 'Conv', 'Transpose', 'Reshape']);
  });

  it('conv2d in float64 gathers its windows (with a Pad for the border of padding "same") and multiplies', () => {
    expect(ops(exported(conv2d([5, 4, 2], { filters: 3, kernel: 2 }), 'float64'))).toEqual(['Gather', 'MatMul', 'Add', 'Reshape']);
    expect(ops(exported(conv2d([5, 4, 2], { filters: 3, kernel: 3, padding: 'same' }), 'float64'))).toEqual(['Pad', 'Gather', 'MatMul', 'Add', 'Reshape']);
  });

  it("the Conv kernel is ONNX's W[f][c][p][q] of foldnet's w[(p·kw + q)·C + c][f]", () => {
    const net = conv2d([4, 4, 2], { filters: 3, kernel: [2, 3] });
    const p = net.init(key(5));
    const W = values(initializer(unwrap(toOnnx(net, p, { dtype: 'float32' })), '.w'));
    expect(initializer(unwrap(toOnnx(net, p, { dtype: 'float32' })), '.w').dims).toEqual([3, 2, 2, 3]);
    // f = 2, c = 1, p = 1, q = 2: ONNX index ((2·2 + 1)·2 + 1)·3 + 2 = 35; foldnet row (1·3 + 2)·2 + 1 = 11
    expect(W[35]).toBe(Math.fround(p.w.data[11 * 3 + 2]!));
  });

  it("an LSTM's gates are ONNX's i, o, f, c and its bias sits in Wb with Rb zero", () => {
    const net = lstm([3, 2], 2);
    const p = net.init(key(6)) as unknown as { cell: { w: { data: Float64Array }; b: { data: Float64Array } } };
    const bytes = unwrap(toOnnx(net, p as never, { dtype: 'float32' }));
    expect(ops(bytes)).toEqual(['Reshape', 'Transpose', 'LSTM', 'Reshape']);
    const W = values(initializer(bytes, '.W'));
    const B = values(initializer(bytes, '.B'));
    // ONNX row k·H + j of W is gate k, unit j; W[row][i] is foldnet's w[i][order[k]·H + j] (order: i, o, f, c ← 0, 3, 1, 2)
    const H = 2;
    const F = 2;
    const order = [0, 3, 1, 2];
    for (let k = 0; k < 4; k++) {
      for (let j = 0; j < H; j++) {
        for (let i = 0; i < F; i++) expect(W[(k * H + j) * F + i]).toBe(Math.fround(p.cell.w.data[i * 4 * H + order[k]! * H + j]!));
        expect(B[k * H + j]).toBe(Math.fround(p.cell.b.data[order[k]! * H + j]!));
        expect(B[4 * H + k * H + j]).toBe(0);
      }
    }
  });

  it('a GRU says linear_before_reset = 1 (the reset gate after the hidden product)', () => {
    const n = record(exported(gru([3, 2], 2))).graph!.node.find((m) => m.op_type === 'GRU')!;
    expect(n.attribute.find((a) => a.name === 'linear_before_reset')?.i).toBe(1);
  });
});

describe('a file of another shaped architecture is a Left naming the layer', () => {
  // float64 recurrences are written out step by step, and read by comparing the file with that
  const unrolled = (op: string, node: string): string => `^model \\(scan\\): expected \\(float64\\) the ${op} recurrence written out .*, got a graph without foldnet's ${node} node of step`;
  const cases: readonly (readonly [string, AnyLayer, AnyLayer, RegExp])[] = [
    ['an LSTM file read as a GRU', lstm([4, 3], 2), gru([4, 3], 2), new RegExp(`^model \\(scan\\): expected .*GRU with hidden_size = 2.*, got LSTM node|${unrolled('GRU', 'MatMul')} 0`)],
    ['another stride', conv2d([6, 6, 1], { filters: 2, kernel: 3 }), conv2d([6, 6, 1], { filters: 2, kernel: 3, stride: 2 }), /^model \(conv2d\): expected .*(Conv with .*strides = \[2, 2\].*, got Conv node .* with strides = \[1, 1\]|Gather on axis 1 .*, got Gather node .* of other windows)$/],
    ['max pooling read as average pooling', maxPool([4, 4, 2], 2), avgPool([4, 4, 2], 2), /^model \(avgPool\): expected .*AveragePool.*, got MaxPool node/],
    ['a learned initial state read into a layer starting at 0', rnn([3, 2], 2, { learnInitialState: true }), rnn([3, 2], 2), new RegExp(`^model \\(scan\\): expected .*RNN.* \\(an initial state of 0\\), got RNN node .* with an initial state$|${unrolled('RNN', 'Expand')} before the first`)],
    // in float64 the last state is computed on the way to every step's: the file goes on after it
    ['every step read as the last state', gru([3, 2], 2, { returnSequences: true }), gru([3, 2], 2), /^model \(scan\): expected .*Y_h.*, got GRU node .* whose Y_h is not the one output used$|^model: expected the graph to end after the last layer .*, got Concat node/],
    ['another hidden size', gru([3, 2], 3), gru([3, 2], 2), new RegExp(`hidden_size = 3|${unrolled('GRU', 'Concat')} before the first`)],
  ];
  /** The file without its output's declared shape (else the output width would be the first difference). */
  const undeclared = (bytes: Uint8Array): Uint8Array => {
    const m = record(bytes);
    return encodeModel({ ...m, graph: { ...m.graph!, output: m.graph!.output.map((o) => ({ name: o.name! })) } });
  };
  for (const [name, from, into, message] of cases) {
    it(name, () => {
      for (const dtype of ['float32', 'float64'] as const) {
        const r = fromOnnx(into, undeclared(exported(from, dtype)));
        expect(E.isLeft(r) && r.left.message).toMatch(message);
      }
    });
  }
});

describe('a float64 recurrence is read node by node', () => {
  const net = lstm([4, 3], 2, { learnInitialState: true });
  const params = randomLike(key(8), net.init(key(2)));
  const bytes = unwrap(toOnnx(net, params, { dtype: 'float64' }));

  it('reads back the same bits, the learned initial state included', () => {
    const back = unwrap(fromOnnx(net, bytes));
    expect(back).toEqual(params);
  });

  it('one operator changed at step 2 is a Left naming that step', () => {
    const m = record(bytes);
    const at = m.graph!.node.findIndex((n) => n.name === 'model/t2/f/Sigmoid');
    expect(at).toBeGreaterThan(0);
    const node = m.graph!.node.map((n, i) => (i === at ? { ...n, op_type: 'Tanh' } : n));
    const r = fromOnnx(net, encodeModel({ ...m, graph: { ...m.graph!, node } }));
    expect(E.isLeft(r) && r.left.message).toMatch(/^model \(scan\): expected \(float64\) the LSTM recurrence .*, got a graph without foldnet's Sigmoid node of step 2 \(t2\/f\/Sigmoid\)$/);
  });

  it('a weight that differs between steps is a Left (each constant is one tensor at every step)', () => {
    const m = record(bytes);
    const w = m.graph!.initializer.find((t) => t.name === 'model.w')!;
    const copy = { ...w, name: 'model.w.other' };
    const node = m.graph!.node.map((n) => (n.name === 'model/t3/MatMul' ? { ...n, input: [n.input[0]!, 'model.w.other'] } : n));
    const r = fromOnnx(net, encodeModel({ ...m, graph: { ...m.graph!, node, initializer: [...m.graph!.initializer, copy] } }));
    expect(E.isLeft(r) && r.left.message).toMatch(/got a graph without foldnet's MatMul node of step 3/);
  });
});
