// A catalogue of bad ONNX input, as for `load`: every case is a Left that names the place and the
// problem, nothing throws, nothing is mutated, no prototype is polluted; and the export side's
// refusals name the layer and its position.
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromOnnx, toOnnx } from '../../src/onnx.js';
import { decodeModel, encodeModel, type ModelRecord, type NodeRecord, type TensorRecord } from '../../src/onnx/wire.js';
import { compose, sequential } from '../../src/layer/compose.js';
import { defineLayer } from '../../src/layer/define.js';
import { dense } from '../../src/layer/dense.js';
import { elementwise, relu, tanh } from '../../src/layer/activation.js';
import { key, uniform } from '../../src/random.js';
import * as P from '../../src/params.js';
import { fromRows, vec } from '../../src/tensor/mat.js';
import { scale } from '../../src/tensor/ops.js';

const net = sequential(dense(3, 8), relu, dense(8, 6), relu, dense(6, 2));
const params = net.init(key(7));
const good = E.getOrElse((): Uint8Array => { throw new Error('export failed'); })(toOnnx(net, params));
const goodRecord = E.getOrElse((): ModelRecord => { throw new Error('decode failed'); })(decodeModel(good));

/** The good model with one change applied to a deep copy of its record. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type EditableGraph = { node: Mutable<NodeRecord>[]; initializer: Mutable<TensorRecord>[]; input: unknown[]; output: unknown[] };
const edited = (f: (m: { graph: EditableGraph }) => void): Uint8Array => {
  const copy = structuredClone(goodRecord) as unknown as Parameters<typeof f>[0];
  f(copy);
  return encodeModel(copy as unknown as ModelRecord);
};

// Hand-made wire bytes for what protobufjs's encoder refuses to write (too deep): a varint, and a
// length-delimited field.
const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(Math.floor(n / 128))]);
const field = (no: number, body: readonly number[]): number[] => [...varint((no << 3) | 2), ...varint(body.length), ...body];
/** A graph nested `depth` times through Node.attribute.g (GraphProto 1 → NodeProto 5 → AttributeProto 6). */
const nestedGraph = (depth: number): number[] => (depth === 0 ? [] : field(1, field(5, field(6, nestedGraph(depth - 1)))));

interface Case {
  readonly name: string;
  readonly input: unknown;
  readonly expect: RegExp;
  readonly options?: { readonly maxBytes?: number };
}

const cases: readonly Case[] = [
  { name: 'not bytes: a string', input: 'model.onnx', expect: /^file: expected ONNX bytes \(a Uint8Array\), got "model.onnx"/ },
  { name: 'not bytes: null', input: null, expect: /^file: expected ONNX bytes \(a Uint8Array\), got null/ },
  { name: 'empty bytes (an empty ModelProto)', input: new Uint8Array(0), expect: /^graph: expected an ONNX model with a graph, got none/ },
  { name: 'random bytes', input: Uint8Array.from(uniform(key(1), 500, 0, 256), Math.floor), expect: /^(file: expected an ONNX model \(protobuf ModelProto\), got undecodable bytes|graph: )/ },
  { name: 'truncated file', input: good.slice(0, Math.floor(good.length / 2)), expect: /^file: expected an ONNX model \(protobuf ModelProto\), got undecodable bytes: index out of range/ },
  { name: 'larger than maxBytes, refused before decoding', input: good, options: { maxBytes: 100 }, expect: /^file: expected at most 100 bytes \(options.maxBytes\), got \d+ bytes/ },
  { name: 'a length beyond the end of the bytes', input: Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]), expect: /undecodable bytes: .*(index out of range|invalid)/ },
  { name: '100 000 nested groups of an unknown field (bounded depth, no stack overflow)', input: Uint8Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? 0x9b : 0x06)), expect: /undecodable bytes: max depth exceeded/ },
  { name: 'subgraphs nested 300 deep through attributes', input: Uint8Array.from(field(7, nestedGraph(300))), expect: /undecodable bytes: max depth exceeded/ },
  { name: 'another operator where a layer is', input: edited((m) => { m.graph.node[1]!.op_type = 'Tanh'; }), expect: /^layer 2 \(relu\): expected Relu, got Tanh node "layer2\/Relu"/ },
  { name: 'a graph that ends before the last layer', input: edited((m) => { m.graph.node.splice(4, 1); m.graph.node[3]!.output = ['output']; }), expect: /^layer 5 \(dense\): expected Gemm \(or MatMul \+ Add\) with a 6×2 weight, got the end of the graph/ },
  { name: 'nodes after the last layer', input: edited((m) => { m.graph.node[4]!.output = ['more']; m.graph.node.push({ name: 'extra', op_type: 'Relu', input: ['more'], output: ['output'], attribute: [] }); }), expect: /^model: expected the graph to end after the last layer \(at output "output"\), got Relu node "extra"/ },
  { name: 'absurd declared dims, refused before reading', input: edited((m) => { m.graph.initializer[0]!.dims = [1e6, 1e6]; }), expect: /^layer 1 \(dense\): expected the weight of a dense 3→8 layer to be a constant 3×8 tensor, got a 1000000×1000000 tensor/ },
  { name: 'raw data shorter than the dims', input: edited((m) => { m.graph.initializer[1]!.raw_data = new Uint8Array(12); }), expect: /^layer 1 \(dense\): expected the bias of a dense 3→8 layer to be a constant 8 tensor \(32 bytes\), got 12 bytes/ },
  { name: 'a NaN weight', input: edited((m) => { new DataView(m.graph.initializer[0]!.raw_data!.buffer, m.graph.initializer[0]!.raw_data!.byteOffset).setFloat32(8, NaN, true); }), expect: /^layer 1 \(dense\): expected the weight .* of finite values, got NaN at index 2/ },
  { name: 'weights in an external file', input: edited((m) => { m.graph.initializer[2]!.data_location = 1; }), expect: /^layer 3 \(dense\): expected the weight .* stored in the file, got external data/ },
  { name: 'integer weights', input: edited((m) => { m.graph.initializer[0]!.data_type = 7; }), expect: /^layer 1 \(dense\): expected the weight .* of float or double, got data type 7/ },
  { name: 'a weight name with no constant', input: edited((m) => { m.graph.node[0]!.input = ['input', 'nowhere', 'layer1.b']; }), expect: /^layer 1 \(dense\): expected the weight .* tensor, got no constant of that name \(input "nowhere" of Gemm node/ },
  { name: 'a branch: one value feeds two nodes', input: edited((m) => { m.graph.node.push({ name: 'side', op_type: 'Relu', input: ['layer1/Gemm'], output: ['side'], attribute: [] }); }), expect: /^layer 2 \(relu\): expected Relu, got a chain of layers, but value "layer1\/Gemm" feeds 2 nodes/ },
  {
    name: 'a cycle of Identity nodes (each no-op is passed once)',
    input: edited((m) => {
      m.graph.node[0]!.input = ['elsewhere', 'layer1.w', 'layer1.b'];
      m.graph.node.unshift(
        { name: 'there', op_type: 'Identity', input: ['input'], output: ['loop'], attribute: [] },
        { name: 'back', op_type: 'Identity', input: ['loop'], output: ['loop2'], attribute: [] },
        { name: 'again', op_type: 'Identity', input: ['loop2'], output: ['loop'], attribute: [] },
      );
    }),
    expect: /^layer 1 \(dense\): expected Gemm .*, got a chain of layers, but Identity node "back" closes a cycle/,
  },
  {
    name: 'a value read by 50 000 nodes (linear work, not quadratic)',
    input: edited((m) => { for (let i = 0; i < 50_000; i++) m.graph.node.push({ op_type: 'Relu', input: ['layer1/Gemm'], output: [`o${i}`], attribute: [] }); }),
    options: { maxBytes: 10_000_000 },
    expect: /^layer 2 \(relu\): expected Relu, got a chain of layers, but value "layer1\/Gemm" feeds 50001 nodes/,
  },
  { name: 'an operator of another domain', input: edited((m) => { (m.graph.node[1] as { domain?: string }).domain = 'com.example'; }), expect: /^layer 2 \(relu\): expected Relu, got com\.example\.Relu node/ },
  { name: 'Gemm with alpha = 2', input: edited((m) => { m.graph.node[2]!.attribute = [{ name: 'alpha', type: 1, f: 2 }]; }), expect: /^layer 3 \(dense\): expected Gemm with transA = 0, alpha = 1, beta = 1, got Gemm node "layer3\/Gemm" with transA = 0, alpha = 2, beta = 1/ },
  { name: 'two graph inputs', input: edited((m) => { m.graph.input.push({ name: 'second' }); }), expect: /^graph\.input: expected one input \(besides initializers\), got 2/ },
  { name: 'an input of another width', input: edited((m) => { m.graph.input[0] = { name: 'input', type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: 'batch' }, { dim_value: 5 }] } } } }; }), expect: /^graph\.input: expected shape \[batch, 3\], got \[batch, 5\]/ },
  { name: 'an integer input', input: edited((m) => { m.graph.input[0] = { name: 'input', type: { tensor_type: { elem_type: 7 } } }; }), expect: /^graph\.input: expected a float or double tensor, got element type 7/ },
  { name: 'a 100 000-character operator name, shortened in the message', input: edited((m) => { m.graph.node[1]!.op_type = 'X'.repeat(100_000); }), expect: /^layer 2 \(relu\): expected Relu, got X{40}… node/ },
];

describe('bad ONNX bytes give a Left that names the place and the problem, and mutate nothing', () => {
  it('the catalogue has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));
  it.each(cases)('$name', (c) => {
    const before = c.input instanceof Uint8Array ? Uint8Array.from(c.input) : c.input;
    const paramsBefore = P.flatten(params);
    let result: ReturnType<typeof fromOnnx> | undefined;
    expect(() => { result = fromOnnx(net, c.input, c.options); }).not.toThrow();
    expect(E.isLeft(result!)).toBe(true);
    const message = E.isLeft(result!) ? result.left.message : '';
    expect(message).toMatch(c.expect);
    expect(message.length).toBeLessThan(600);
    if (c.input instanceof Uint8Array) expect(Buffer.compare(c.input, before as Uint8Array)).toBe(0);
    else expect(c.input).toEqual(before);
    expect(P.flatten(params)).toEqual(paramsBefore);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('import refuses a polymorphic layer not fixed to a width (untyped code)', () => {
    const r = fromOnnx(relu as never, good);
    expect(E.isLeft(r) && r.left.message).toMatch(/^model: expected a layer of fixed widths/);
  });

  it('the good file imports (so each case fails for its own reason)', () => {
    expect(E.isRight(fromOnnx(net, good))).toBe(true);
  });

  it('names in the file are data, never keys: initializers called __proto__ and constructor import', () => {
    const bytes = edited((m) => {
      m.graph.initializer[0]!.name = '__proto__';
      m.graph.initializer[1]!.name = 'constructor';
      m.graph.node[0]!.input = ['input', '__proto__', 'constructor'];
    });
    const r = fromOnnx(net, bytes);
    expect(E.isRight(r) && P.flatten(r.right)).toEqual(P.flatten(params).map(Math.fround));
    expect(({} as Record<string, unknown>)['dims']).toBeUndefined();
  });

  it('never throws on any bytes, nor on any single-byte change of a good file (fast-check)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => E.isLeft(fromOnnx(net, bytes)) || E.isRight(fromOnnx(net, bytes))), { numRuns: 300 });
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const bytes = Uint8Array.from(good);
        bytes[at] = v;
        const r = fromOnnx(net, bytes);
        return E.isLeft(r) ? r.left.message.length > 0 : P.size(r.right) === P.size(params);
      }),
      { numRuns: 500 },
    );
  });
});

describe('export refuses what ONNX cannot express, naming the layer and its position', () => {
  const double = defineLayer<3, 3, Record<string, never>>({
    kind: 'double', inputDim: 3, outputDim: 3, init: () => ({}),
    forward: (_p, x) => scale(x, 2), vjp: (_p, x) => [scale(x, 2), (dy) => [{}, scale(dy, 2)]], jvp: (_p, x, _dp, dx) => [scale(x, 2), scale(dx, 2)],
  });
  const myRelu = elementwise('relu', (x) => Math.max(0, x), (x) => (x > 0 ? 1 : 0));
  const refusals: readonly { readonly name: string; readonly run: () => E.Either<{ message: string }, Uint8Array>; readonly expect: RegExp }[] = [
    { name: "a user's defineLayer, at its position", run: () => { const n = sequential(dense(4, 3), double, relu); return toOnnx(n, n.init(key(0))); }, expect: /^layer 2 \(double\): expected a layer foldnet built .*, got a layer defined outside foldnet \(kind "double"\)/ },
    { name: 'a layer named relu that is not foldnet\'s (elementwise)', run: () => { const n = sequential(dense(4, 3), myRelu); return toOnnx(n, n.init(key(0))); }, expect: /^layer 2 \(relu\): expected a layer foldnet built/ },
    { name: 'a copy of dense with other functions', run: () => { const d = { ...dense(4, 3) }; return toOnnx(d, d.init(key(0))); }, expect: /^model \(dense\): expected a layer foldnet built/ },
    { name: 'a nested position: argument 2 of compose, inside it layer 3', run: () => { const n = compose(dense(3, 2), sequential(relu, tanh, double), dense(4, 3)); return toOnnx(n, n.init(key(0))); }, expect: /^layer 2\.3 \(double\): expected a layer foldnet built/ },
    { name: 'non-finite parameters', run: () => toOnnx(dense(2, 1), { w: fromRows([[1], [NaN]]), b: vec([0]) }), expect: /^model \(dense\): expected finite weights, got w\[1\]\[0\] = NaN/ },
    { name: 'parameters of another shape (untyped code)', run: () => toOnnx(dense(2, 1), { w: fromRows([[1, 2]]), b: vec([0]) } as never), expect: /^model \(dense\): expected parameters \{ w: 2×1, b: 1 \}/ },
    { name: 'an opset foldnet does not write', run: () => toOnnx(dense(2, 1), dense(2, 1).init(key(0)), { opset: 12 }), expect: /^options\.opset: expected one of 13, 14, 15, 16, 17, got 12/ },
    { name: 'a polymorphic layer not fixed to a width (untyped code)', run: () => toOnnx(relu as never, {} as never), expect: /^model: expected a layer of fixed widths \(fix a polymorphic one with at\(n\)\)/ },
    { name: 'an unknown dtype', run: () => toOnnx(dense(2, 1), dense(2, 1).init(key(0)), { dtype: 'float16' as never }), expect: /^options\.dtype: expected 'float32' or 'float64', got "float16"/ },
  ];
  it.each(refusals)('$name', (c) => {
    let r: ReturnType<typeof c.run> | undefined;
    expect(() => { r = c.run(); }).not.toThrow();
    expect(E.isLeft(r!) && r.left.message).toMatch(c.expect);
  });
});
