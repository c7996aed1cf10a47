/**
 * `toOnnx`: a foldnet model and its parameters as an ONNX model, for ONNX Runtime and every other
 * engine that reads the standard format.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { formOf } from '../layer/form.js';
import type { Layer, Part } from '../layer/layer.js';
import { persistenceError, type PersistenceError } from '../io/errors.js';
import { describe } from '../errors.js';
import { graphBuilder, type Dtype, type GraphBuilder, type Mismatch } from './graph.js';
import { MAPPINGS } from './mappings.js';
import { steps } from './shaped.js';
import { DATA_TYPE, encodeModel, type NodeRecord, type ValueInfoRecord } from './wire.js';
import { layerLabel, nodePrefix, notFixedWidth } from './names.js';

/**
 * One reason a model could not be exported: `path` names the place (`"layer 2 (double)"`,
 * `"options.opset"`), `message` is `"<path>: expected <expected>, got <got>"`.
 *
 * @since 0.2.0
 * @category model
 */
export type ExportError = PersistenceError;

/**
 * Options of {@link toOnnx}:
 * - `dtype`: the element type of the model's tensors, `'float32'` (the default: what serving
 *   engines run fastest, and what PyTorch exports) or `'float64'` (foldnet's own precision);
 * - `opset`: the ONNX operator set version, 13 to 17 (default 17); the file's IR version follows it;
 * - `inputName`, `outputName`: the graph's input and output names (default `'input'`, `'output'`).
 *
 * @since 0.2.0
 * @category model
 */
export interface OnnxExportOptions {
  readonly dtype?: Dtype;
  readonly opset?: number;
  readonly inputName?: string;
  readonly outputName?: string;
}

/** The IR version each supported opset was released with (what its checkers and runtimes expect). */
// 13 to 17: every operator foldnet writes has its current meaning there, and ONNX 1.12, the checker the
// tests run, knows them all
const IR_VERSION: Readonly<Record<number, number>> = { 13: 7, 14: 7, 15: 8, 16: 8, 17: 8 };

/**
 * The opsets {@link toOnnx} writes.
 *
 * @since 0.2.0
 * @category model
 */
export const ONNX_OPSETS: readonly number[] = Object.freeze(Object.keys(IR_VERSION).map(Number));

const MAPPED = 'a layer foldnet built (dense, an activation, dropout, standardize, a convolution, pooling, flatten, a recurrent layer, timeDistributed, or a sequential/compose of them)';

/** Appends the nodes of `layer` after the value `x`; returns the value it outputs. */
const emit = (layer: Part, params: unknown, position: readonly number[], x: string, g: GraphBuilder): E.Either<ExportError, string> => {
  const form = formOf(layer);
  const label = layerLabel(position, layer);
  if (form === undefined) return E.left(persistenceError(label, `${MAPPED}, which has an ONNX mapping`, `a layer defined outside foldnet (kind ${describe(layer?.kind)}), whose functions ONNX cannot know`));
  if (form.op === 'chain') {
    if (!Array.isArray(params) || params.length !== form.parts.length) return E.left(persistenceError(label, `parameters as a tuple of ${form.parts.length}`, describe(params)));
    return form.applied.reduce<E.Either<ExportError, string>>(
      (acc, i) => E.chain((h: string) => emit(form.parts[i]!, params[i], [...position, i + 1], h, g))(acc),
      E.right(x),
    );
  }
  if (form.op === 'timeDistributed') {
    const inner = form.layer as Part & { inputDim: number; outputDim: number };
    const prefix = nodePrefix(position);
    return E.map((y: string) => steps.exit(y, form.steps * inner.outputDim, prefix, g))(emit(inner, params, [...position, 1], steps.entry(x, inner.inputDim, prefix, g), g));
  }
  const mapping = MAPPINGS[form.op] as { emit: (f: typeof form, p: unknown, x: string, prefix: string, g: GraphBuilder) => E.Either<Mismatch, string> };
  return E.mapLeft((m: Mismatch) => persistenceError(label, m.expected, m.got))(mapping.emit(form, params, x, nodePrefix(position), g));
};

const valueInfo = (name: string, dtype: Dtype, width: number): ValueInfoRecord => ({
  name,
  type: { tensor_type: { elem_type: DATA_TYPE[dtype === 'float64' ? 'double' : 'float'], shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
});

const checkOptions = (o: OnnxExportOptions): E.Either<ExportError, Required<OnnxExportOptions>> => {
  const dtype = o.dtype ?? 'float32';
  const opset = o.opset ?? 17;
  const inputName = o.inputName ?? 'input';
  const outputName = o.outputName ?? 'output';
  if (dtype !== 'float32' && dtype !== 'float64') return E.left(persistenceError('options.dtype', "'float32' or 'float64'", describe(dtype)));
  if (!ONNX_OPSETS.includes(opset)) return E.left(persistenceError('options.opset', `one of ${ONNX_OPSETS.join(', ')}`, describe(opset)));
  const names = [inputName, outputName];
  if (!names.every((n) => typeof n === 'string' && n !== '') || inputName === outputName) {
    return E.left(persistenceError('options.inputName/outputName', 'two different non-empty names', `${describe(inputName)} and ${describe(outputName)}`));
  }
  return E.right({ dtype, opset, inputName, outputName });
};

/**
 * Exports `net` with `params` as an ONNX model (protobuf bytes): a graph with one input
 * `[batch, I]` and one output `[batch, O]`, the batch dimension left free, and the parameters as
 * constant tensors of `dtype`. Each built-in layer becomes standard operators:
 * `dense` → `Gemm` (y = x·W + b, W stored I×O); `relu`, `tanh`, `sigmoid`, `softplus`,
 * `leakyRelu(α)`, `softmax` → `Relu`, `Tanh`, `Sigmoid`, `Softplus`, `LeakyRelu(alpha = α)`,
 * `Softmax(axis = −1)`; `standardize` → `Sub` μ then `Div` σ; `identity` and `dropout` (the
 * identity at inference) → nothing; `sequential`/`compose` → their layers in application order.
 * Shaped layers, whose rows are channels-last examples flattened: `conv1d`/`conv2d`, `maxPool`,
 * `avgPool` → `Reshape` to the example shape, `Transpose` to channels first, `Conv` (W as
 * `[F, C, kh, kw]`, pads as in foldnet), `MaxPool`, `AveragePool`, and back (a float64 `conv` or
 * `avgPool` gathers its windows and applies `MatMul` + `Add` or `ReduceMean`, which ONNX Runtime
 * runs in double); `globalAvgPool` → `ReduceMean`; `flatten` → nothing; `rnn`, `lstm`, `gru` →
 * `RNN`, `LSTM` (gates reordered i, f, g, o → i, o, f, c), `GRU` (r, z, n → z, r, h,
 * `linear_before_reset = 1`) on the time-major sequence, the last state `Y_h` or every step `Y`
 * reshaped to rows, a learned initial state expanded to the batch (in float64, which ONNX Runtime
 * has no recurrent kernels for, the recurrence written out over the T steps in foldnet's own
 * operations: `Gather`, `Concat`, `MatMul`, `Add`, `Sigmoid`, `Tanh`, `Mul`); `timeDistributed(f, T)` →
 * `f`'s operators on `[batch·T, I]`.
 * A layer foldnet did not build (`defineLayer`, `elementwise`, a copy with other functions) is a
 * `Left` naming it and its position, as are non-finite parameters and unknown options.
 * Browser-safe; never throws.
 *
 * @example
 * pipe(toOnnx(net, params, { dtype: 'float32' }), E.map((bytes) => writeFileSync('model.onnx', bytes)))
 * @since 0.2.0
 * @category persistence
 */
export const toOnnx = <I extends number, O extends number, P>(net: Layer<I, O, P>, params: P, options: OnnxExportOptions = {}): E.Either<ExportError, Uint8Array> => {
  try {
    const notFixed = notFixedWidth(net);
    if (notFixed !== undefined) return E.left(persistenceError('model', notFixed, describe(net)));
    return E.chain((o: Required<OnnxExportOptions>) => {
      const { builder, nodes, initializers } = graphBuilder(o.dtype, o.opset);
      return E.map((out: string): Uint8Array => {
        // the last node writes the graph's output (a net that computes nothing gets one Identity)
        const last = nodes[nodes.length - 1];
        const body: NodeRecord[] = out === o.inputName || last === undefined
          ? [...nodes, { name: 'output/Identity', op_type: 'Identity', input: [out], output: [o.outputName], attribute: [] }]
          : [...nodes.slice(0, -1), { ...last, output: last.output.map((v) => (v === out ? o.outputName : v)) }];
        return encodeModel({
          ir_version: IR_VERSION[o.opset]!,
          producer_name: 'foldnet',
          opset_import: [{ domain: '', version: o.opset }],
          graph: {
            name: 'foldnet',
            node: body,
            initializer: initializers,
            input: [valueInfo(o.inputName, o.dtype, net.inputDim)],
            output: [valueInfo(o.outputName, o.dtype, net.outputDim)],
          },
        });
      })(emit(net, params, [], o.inputName, builder));
    })(checkOptions(options));
  } catch (e) {
    return E.left(persistenceError('model', 'an exportable model', `an internal error (${String(e)})`));
  }
};
