/**
 * The ONNX wire format through protobufjs and ONNX's published schema (src/onnx/onnx.proto,
 * compiled to a descriptor by protobufjs's own tool): encoding a model record to bytes, and
 * decoding untrusted bytes to a record without ever throwing. The record types below are the part
 * of the schema foldnet reads and writes, with protobufjs's field names (ONNX's snake_case).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import protobuf from 'protobufjs/light.js';
import { onnxSchema } from './schema.js';

/** `TensorProto.DataType` values foldnet reads and writes. @internal */
export const DATA_TYPE = { float: 1, int64: 7, double: 11 } as const;

/** `TensorProto.DataLocation.EXTERNAL`: the data lives in another file. @internal */
export const EXTERNAL = 1;

/** A `TensorProto` (a constant tensor: an initializer, or a `Constant` node's value). @internal */
export interface TensorRecord {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly data_type?: number;
  readonly float_data?: readonly number[];
  readonly double_data?: readonly number[];
  readonly int64_data?: readonly number[];
  readonly raw_data?: Uint8Array;
  readonly data_location?: number;
}

/** An `AttributeProto` (only the fields foldnet's operators use). @internal */
export interface AttributeRecord {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly ints?: readonly number[];
  readonly t?: TensorRecord;
}

/** A `NodeProto`. @internal */
export interface NodeRecord {
  readonly name?: string;
  readonly op_type?: string;
  readonly domain?: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly AttributeRecord[];
}

/** One dimension of a shape: a fixed size or a named, free one (the batch). @internal */
export interface DimRecord {
  readonly dim_value?: number;
  readonly dim_param?: string;
}

/** A `ValueInfoProto` of a tensor (a graph input or output). @internal */
export interface ValueInfoRecord {
  readonly name?: string;
  readonly type?: { readonly tensor_type?: { readonly elem_type?: number; readonly shape?: { readonly dim: readonly DimRecord[] } } };
}

/** A `GraphProto`. @internal */
export interface GraphRecord {
  readonly name?: string;
  readonly node: readonly NodeRecord[];
  readonly initializer: readonly TensorRecord[];
  readonly input: readonly ValueInfoRecord[];
  readonly output: readonly ValueInfoRecord[];
}

/** A `ModelProto`. @internal */
export interface ModelRecord {
  readonly ir_version?: number;
  readonly producer_name?: string;
  readonly opset_import: readonly { readonly domain?: string; readonly version?: number }[];
  readonly graph?: GraphRecord;
}

// Built once, lazily: resolving the schema generates protobufjs's encoder and decoder.
let modelType: protobuf.Type | undefined;
const ModelProto = (): protobuf.Type => (modelType ??= protobuf.Root.fromJSON(onnxSchema).lookupType('onnx.ModelProto'));

/**
 * Encodes a model record as ONNX bytes (protobufjs checks every field against the schema).
 *
 * @internal
 */
export const encodeModel = (model: ModelRecord): Uint8Array => {
  const t = ModelProto();
  // a fresh Uint8Array of its own (under Node, protobufjs's writer may hand out a pooled Buffer)
  return Uint8Array.from(t.encode(t.fromObject(model)).finish());
};

/**
 * Decodes untrusted bytes as a `ModelProto`, or says why not; never throws. protobufjs bounds
 * nesting (100 levels, as protoc does) and checks every length against the bytes left, so the
 * work is linear in the input; `int64` values come back as numbers (a value beyond 2⁵³ is only
 * ever compared with small expected sizes, so rounding cannot let it pass). The schema has no
 * `map` fields, so no name in the file ever becomes an object key.
 *
 * @internal
 */
export const decodeModel = (bytes: Uint8Array): E.Either<string, ModelRecord> => {
  try {
    const t = ModelProto();
    const record = t.toObject(t.decode(bytes), { longs: Number, arrays: true, defaults: false });
    return E.right(record as ModelRecord);
  } catch (e) {
    return E.left(e instanceof Error ? e.message : String(e));
  }
};
