/**
 * The two sides of a translation, as the per-layer mappings see them: a graph builder (export
 * appends nodes and constant tensors) and a chain reader (import walks the graph from its input,
 * one consumer at a time). Both are local to one `toOnnx`/`fromOnnx` call.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { DATA_TYPE, EXTERNAL, type AttributeRecord, type GraphRecord, type NodeRecord, type TensorRecord } from './wire.js';

/**
 * The element type of an exported model: every input, output and constant tensor has it.
 *
 * @since 0.2.0
 * @category model
 */
export type Dtype = 'float32' | 'float64';

/** Appends to the graph being exported; each method returns the name of the value it made. @internal */
export interface GraphBuilder {
  readonly dtype: Dtype;
  readonly opset: number;
  /** A constant tensor (an initializer) of the model's dtype, named `${prefix}.${suffix}`. */
  readonly constant: (prefix: string, suffix: string, dims: readonly number[], values: ArrayLike<number>) => string;
  /** An `int64` constant (a shape, an index table) of shape `dims` (default: a list), named `${prefix}.${suffix}`. */
  readonly ints: (prefix: string, suffix: string, values: ArrayLike<number>, dims?: readonly number[]) => string;
  /**
   * A node `op(inputs)` named after `prefix`, of which the output at `slot` (default 0) is used:
   * the ones before it are left unnamed (ONNX's way of skipping an optional output).
   */
  readonly node: (prefix: string, op: string, inputs: readonly string[], attributes?: readonly AttributeRecord[], slot?: number) => string;
}

/** `AttributeProto.AttributeType` values used here. @internal */
export const ATTRIBUTE = { float: 1, int: 2, tensor: 4, ints: 7 } as const;

/** A float attribute (stored as a 32-bit float by ONNX). @internal */
export const floatAttribute = (name: string, f: number): AttributeRecord => ({ name, type: ATTRIBUTE.float, f });
/** An integer attribute. @internal */
export const intAttribute = (name: string, i: number): AttributeRecord => ({ name, type: ATTRIBUTE.int, i });
/** An integer-list attribute. @internal */
export const intsAttribute = (name: string, ints: readonly number[]): AttributeRecord => ({ name, type: ATTRIBUTE.ints, ints: [...ints] });

const encodeValues = (dtype: Dtype, values: ArrayLike<number>): Uint8Array => {
  const width = dtype === 'float64' ? 8 : 4;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  // ONNX's raw_data is little-endian whatever the host's byte order
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'float64') view.setFloat64(i * 8, values[i]!, true);
    else view.setFloat32(i * 4, values[i]!, true);
  }
  return bytes;
};

/** A builder and the nodes and initializers it collected. @internal */
export const graphBuilder = (dtype: Dtype, opset: number): { readonly builder: GraphBuilder; readonly nodes: NodeRecord[]; readonly initializers: TensorRecord[] } => {
  const nodes: NodeRecord[] = [];
  const initializers: TensorRecord[] = [];
  const builder: GraphBuilder = {
    dtype,
    opset,
    constant: (prefix, suffix, dims, values) => {
      const name = `${prefix}.${suffix}`;
      initializers.push({ name, dims: [...dims], data_type: DATA_TYPE[dtype === 'float64' ? 'double' : 'float'], raw_data: encodeValues(dtype, values) });
      return name;
    },
    ints: (prefix, suffix, values, dims = [values.length]) => {
      const name = `${prefix}.${suffix}`;
      const raw = new Uint8Array(values.length * 8);
      const view = new DataView(raw.buffer);
      for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
      initializers.push({ name, dims: [...dims], data_type: DATA_TYPE.int64, raw_data: raw });
      return name;
    },
    node: (prefix, op, inputs, attributes = [], slot = 0) => {
      const output = `${prefix}/${op}`;
      nodes.push({ name: output, op_type: op, input: [...inputs], output: [...Array.from({ length: slot }, () => ''), output], attribute: [...attributes] });
      return output;
    },
  };
  return { builder, nodes, initializers };
};

/** What a mapping found where it expected its operator: `expected` and `got`, as short text. @internal */
export interface Mismatch {
  readonly expected: string;
  readonly got: string;
}

/** A `Left` mismatch. @internal */
export const mismatch = <A>(expected: string, got: string): E.Either<Mismatch, A> => E.left({ expected, got });

/** Walks a graph that is one chain from its input; the import side of a mapping. @internal */
export interface ChainReader {
  /** The next node on the chain (no-op nodes skipped), or why there is none. */
  readonly peek: () => E.Either<string, NodeRecord>;
  /** Moves past `node`: its output becomes the current value. */
  readonly advance: (node: NodeRecord) => void;
  /** The name of the current value. */
  readonly current: () => string;
  /** The constant tensor named `name` (an initializer or a `Constant` node's value). */
  readonly constant: (name: string) => TensorRecord | undefined;
  /** The node that outputs `name`, if any (for a weight computed by `Transpose`). */
  readonly producer: (name: string) => NodeRecord | undefined;
  /** The nodes that read the value `name` (for a layer whose nodes branch and join again). */
  readonly consumers: (name: string) => readonly NodeRecord[];
  /** Makes `name` the current value (the join of such a layer). */
  readonly moveTo: (name: string) => void;
}

/** ONNX's standard operator domain: `''` or `'ai.onnx'`. */
const isStandard = (n: NodeRecord): boolean => n.domain === undefined || n.domain === '' || n.domain === 'ai.onnx';

/** Nodes that compute nothing at inference: `Identity`, and `Dropout` (no mask consumer). */
const isNoOp = (n: NodeRecord): boolean => isStandard(n) && (n.op_type === 'Identity' || n.op_type === 'Dropout') && n.input.length >= 1;

/** A name from the file, cut to 40 characters for messages. @internal */
export const shorten = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
/** A name from the file, shortened and quoted. @internal */
export const quote = (s: string): string => JSON.stringify(shorten(s));

/** A short description of a node for messages: `Relu node "fc1/Relu"`. @internal */
export const describeNode = (n: NodeRecord): string =>
  `${isStandard(n) ? '' : `${shorten(n.domain ?? '')}.`}${shorten(n.op_type ?? '(no operator)')} node${n.name ? ` ${quote(n.name)}` : ''}`;

/** True when `node` is the standard operator `op`. @internal */
export const isOp = (node: NodeRecord, op: string): boolean => isStandard(node) && node.op_type === op;

/** The attribute `name` of a node, if present. @internal */
export const attributeOf = (node: NodeRecord, name: string): AttributeRecord | undefined => node.attribute.find((a) => a.name === name);

/** A reader over `graph`, starting at the value `input`. @internal */
export const chainReader = (graph: GraphRecord, input: string): ChainReader => {
  const consumers = new Map<string, NodeRecord[]>();
  const producers = new Map<string, NodeRecord>();
  const constants = new Map<string, TensorRecord>();
  graph.initializer.forEach((t) => {
    if (t.name !== undefined) constants.set(t.name, t);
  });
  graph.node.forEach((n) => {
    // each distinct input once (a set per node keeps this linear in the file, however hostile)
    new Set(n.input).forEach((i) => {
      if (i === '') return;
      const list = consumers.get(i);
      if (list === undefined) consumers.set(i, [n]);
      else list.push(n);
    });
    n.output.forEach((o) => producers.set(o, n));
    const value = attributeOf(n, 'value')?.t;
    if (isOp(n, 'Constant') && value !== undefined && n.output[0] !== undefined) constants.set(n.output[0], value);
  });
  let cur = input;
  const next = (): E.Either<string, NodeRecord | undefined> => {
    const cs = consumers.get(cur) ?? [];
    if (cs.length > 1) return E.left(`a chain of layers, but value ${quote(cur)} feeds ${cs.length} nodes (${cs.slice(0, 3).map(describeNode).join(', ')})`);
    return E.right(cs[0]);
  };
  const skipped = new Set<NodeRecord>();
  const skipNoOps = (): E.Either<string, NodeRecord | undefined> => {
    for (;;) {
      const n = next();
      if (E.isLeft(n) || n.right === undefined || !isNoOp(n.right) || n.right.input[0] !== cur || n.right.output[0] === undefined) return n;
      // a cycle of Identity nodes would come back here: each no-op is passed once
      if (skipped.has(n.right)) return E.left(`a chain of layers, but ${describeNode(n.right)} closes a cycle`);
      skipped.add(n.right);
      cur = n.right.output[0];
    }
  };
  return {
    peek: () => E.chain((n: NodeRecord | undefined) => (n === undefined ? E.left('the end of the graph') : E.right(n)))(skipNoOps()),
    advance: (node) => {
      cur = node.output[0] ?? '';
    },
    current: () => {
      skipNoOps();
      return cur;
    },
    constant: (name) => constants.get(name),
    producer: (name) => producers.get(name),
    consumers: (name) => consumers.get(name) ?? [],
    moveTo: (name) => {
      cur = name;
    },
  };
};

/**
 * The values of a constant `int64` tensor of shape `dims` (an index table), or `undefined` if
 * `t` is not one.
 *
 * @internal
 */
export const intTable = (t: TensorRecord | undefined, dims: readonly number[]): readonly number[] | undefined =>
  t !== undefined && t.dims.length === dims.length && t.dims.every((d, i) => d === dims[i]) ? intValues(t, product(dims)) : undefined;

/**
 * The values of a constant `int64` tensor (a shape, a permutation), or `undefined` if `t` is
 * not one or has more than `max` values (checked before anything is read).
 *
 * @internal
 */
export const intValues = (t: TensorRecord | undefined, max: number): readonly number[] | undefined => {
  if (t === undefined || t.data_type !== DATA_TYPE.int64 || t.data_location === EXTERNAL) return undefined;
  const n = product(t.dims);
  if (!(n >= 0 && n <= max)) return undefined;
  if (t.raw_data !== undefined && t.raw_data.length > 0) {
    if (t.raw_data.length !== n * 8) return undefined;
    const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
    return Array.from({ length: n }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return t.int64_data !== undefined && t.int64_data.length === n ? t.int64_data : undefined;
};

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * The values of a constant tensor of shape `dims` (float or double, in `raw_data` or the typed
 * field), or what is wrong with it. Sizes are checked before anything is read or allocated.
 *
 * @internal
 */
export const tensorValues = (t: TensorRecord | undefined, dims: readonly number[]): E.Either<Mismatch, Float64Array> => {
  const shape = `a constant ${dims.join('×')} tensor`;
  if (t === undefined) return mismatch(shape, 'no constant of that name');
  const sameShape = (t.dims.length === dims.length && t.dims.every((d, i) => d === dims[i])) ||
    // a row vector [1, n] serves as a bias [n]
    (dims.length === 1 && t.dims.length === 2 && t.dims[0] === 1 && t.dims[1] === dims[0]);
  if (!sameShape) return mismatch(shape, t.dims.length === 0 ? 'a scalar' : `a ${t.dims.join('×')} tensor`);
  if (t.data_location === EXTERNAL) return mismatch(`${shape} stored in the file`, 'external data');
  const n = product(dims);
  const width = t.data_type === DATA_TYPE.double ? 8 : t.data_type === DATA_TYPE.float ? 4 : 0;
  if (width === 0) return mismatch(`${shape} of float or double`, `data type ${String(t.data_type)}`);
  let values: Float64Array;
  if (t.raw_data !== undefined && t.raw_data.length > 0) {
    if (t.raw_data.length !== n * width) return mismatch(`${shape} (${n * width} bytes)`, `${t.raw_data.length} bytes`);
    const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
    values = Float64Array.from({ length: n }, (_, i) => (width === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true)));
  } else {
    const typed = width === 8 ? t.double_data : t.float_data;
    if (typed === undefined || typed.length !== n) return mismatch(`${shape} (${n} values)`, `${typed?.length ?? 0} values`);
    values = Float64Array.from(typed);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  return bad >= 0 ? mismatch(`${shape} of finite values`, `${values[bad]} at index ${bad}`) : E.right(values);
};
