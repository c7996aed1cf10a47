/**
 * `fromOnnx`: the parameters of a typed foldnet model read from an ONNX model whose graph computes
 * the same architecture (foldnet's own exports, and PyTorch's `torch.onnx.export` of MLPs).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { formOf } from '../layer/form.js';
import type { Layer, Part } from '../layer/layer.js';
import { key } from '../random.js';
import { persistenceError, type PersistenceError } from '../io/errors.js';
import { countNumbers } from '../io/tree.js';
import { describe } from '../errors.js';
import { chainReader, describeNode, quote, shorten, type ChainReader, type Mismatch } from './graph.js';
import { MAPPINGS } from './mappings.js';
import { steps } from './shaped.js';
import { DATA_TYPE, decodeModel, type GraphRecord, type ValueInfoRecord } from './wire.js';
import { layerLabel, notFixedWidth } from './names.js';

/**
 * Options of {@link fromOnnx}: `maxBytes`, the largest file accepted, checked before decoding
 * (default: 16 bytes per parameter of the model plus 1 MB; a double takes 8).
 *
 * @since 0.2.0
 * @category model
 */
export interface OnnxImportOptions {
  readonly maxBytes?: number;
}

/** Reads the parameters of `layer` from the chain, in the order the layer applies its parts. */
const read = (layer: Part, position: readonly number[], r: ChainReader): E.Either<PersistenceError, unknown> => {
  const form = formOf(layer);
  const label = layerLabel(position, layer);
  if (form === undefined) return E.left(persistenceError(label, 'a layer foldnet built, which has an ONNX mapping', `a layer defined outside foldnet (kind ${describe(layer?.kind)})`));
  if (form.op === 'chain') {
    const out: unknown[] = new Array(form.parts.length);
    const done = form.applied.reduce<E.Either<PersistenceError, void>>(
      (acc, i) => E.chain(() => E.map((p: unknown) => void (out[i] = p))(read(form.parts[i]!, [...position, i + 1], r)))(acc),
      E.right(undefined),
    );
    return E.map(() => Object.freeze(out))(done);
  }
  if (form.op === 'timeDistributed') {
    const inner = form.layer as Part & { inputDim: number; outputDim: number };
    const inOut = (e: E.Either<Mismatch, void>) => E.mapLeft((m: Mismatch) => persistenceError(label, m.expected, m.got))(e);
    return pipe(
      inOut(steps.readEntry(r, inner.inputDim)),
      E.chain(() => read(inner, [...position, 1], r)),
      E.chainFirst(() => inOut(steps.readExit(r, form.steps * inner.outputDim))),
    );
  }
  const mapping = MAPPINGS[form.op] as { read: (f: typeof form, r: ChainReader) => E.Either<Mismatch, unknown> };
  return E.mapLeft((m: Mismatch) => persistenceError(label, m.expected, m.got))(mapping.read(form, r));
};

const tensorInfo = (v: ValueInfoRecord, width: number, where: string): E.Either<PersistenceError, void> => {
  const t = v.type?.tensor_type;
  if (t === undefined) return E.right(undefined);
  if (t.elem_type !== DATA_TYPE.float && t.elem_type !== DATA_TYPE.double) {
    return E.left(persistenceError(where, 'a float or double tensor', `element type ${String(t.elem_type)}`));
  }
  const dims = t.shape?.dim;
  if (dims === undefined) return E.right(undefined);
  const last = dims[1]?.dim_value;
  return dims.length === 2 && (last === undefined || last === width)
    ? E.right(undefined)
    : E.left(persistenceError(where, `shape [batch, ${width}]`, `[${dims.map((d) => d.dim_value ?? (d.dim_param === undefined ? undefined : shorten(d.dim_param)) ?? '?').join(', ')}]`));
};

const readGraph = (net: Part & { inputDim: number; outputDim: number }, g: GraphRecord): E.Either<PersistenceError, unknown> => {
  const constants = new Set(g.initializer.map((t) => t.name));
  const inputs = g.input.filter((v) => !constants.has(v.name));
  if (inputs.length !== 1 || inputs[0]!.name === undefined) return E.left(persistenceError('graph.input', 'one input (besides initializers)', `${inputs.length}`));
  if (g.output.length !== 1 || g.output[0]!.name === undefined) return E.left(persistenceError('graph.output', 'one output', `${g.output.length}`));
  const input = inputs[0]!;
  const output = g.output[0]!;
  return E.chain(() => {
    const r = chainReader(g, input.name!);
    return E.chain((params: unknown) => {
      const end = r.current();
      if (end === output.name) return E.right(params);
      const next = r.peek();
      return E.left(persistenceError('model', `the graph to end after the last layer (at output ${quote(output.name ?? '')})`, E.isRight(next) ? describeNode(next.right) : next.left));
    })(read(net, [], r));
  })(E.chain(() => tensorInfo(output, net.outputDim, 'graph.output'))(tensorInfo(input, net.inputDim, 'graph.input')));
};

/**
 * Reads the parameters of `net` from ONNX bytes whose graph computes `net`'s architecture: one
 * input, then each layer's operators in order (see `toOnnx`; a dense layer may also be PyTorch's
 * `Gemm` with `transB = 1`, i.e. W stored O×I, or `MatMul` + `Add`, with the weight possibly a
 * `Transpose` of a constant; `Identity` and `Dropout` nodes are skipped), then the output.
 * Shaped layers are read in the operators `toOnnx` writes for them (`Conv`, `MaxPool`, `AveragePool`
 * between their layout changes, or their float64 `Gather` forms; `ReduceMean`; `RNN`, `LSTM`, `GRU`,
 * gates reordered back to foldnet's, an LSTM's two biases summed, or the float64 recurrence written
 * out, compared node by node with what `toOnnx` writes). PyTorch's `nn.LSTM`/`nn.GRU` exports read
 * too: a `Shape` beside the layout change, zero initial states from `ConstantOfShape`, and the last
 * state taken by `Gather` (`h[-1]`) or `Squeeze`.
 * Constants may be float or double; a `standardize` layer's μ and σ must be the file's (exactly,
 * or rounded to float). `Left` names the first layer whose operator or shape differs
 * (`"layer 3 (dense): expected Gemm (or MatMul + Add) with a 8×3 weight, got Relu node …"`), and
 * every problem with the bytes: not a `Uint8Array`, larger than `maxBytes` (checked before
 * decoding), not a protobuf `ModelProto`, nested deeper than 100 levels, tensor data of the wrong
 * size or non-finite. Names in the file are only compared, never used as object keys. Never throws.
 *
 * @example
 * pipe(fromOnnx(net, readFileSync('model.onnx')), E.map((p) => net.forward(p, x)))
 * @since 0.2.0
 * @category persistence
 */
export const fromOnnx = <I extends number, O extends number, P>(net: Layer<I, O, P>, bytes: unknown, options: OnnxImportOptions = {}): E.Either<PersistenceError, P> => {
  try {
    const notFixed = notFixedWidth(net);
    if (notFixed !== undefined) return E.left(persistenceError('model', notFixed, describe(net)));
    if (!(bytes instanceof Uint8Array)) return E.left(persistenceError('file', 'ONNX bytes (a Uint8Array)', describe(bytes)));
    const maxBytes = options.maxBytes ?? 16 * countNumbers(net.init(key(0))) + 1_000_000;
    if (bytes.length > maxBytes) return E.left(persistenceError('file', `at most ${maxBytes} bytes (options.maxBytes)`, `${bytes.length} bytes`));
    return E.chain((m: { graph?: GraphRecord }) =>
      m.graph === undefined ? E.left(persistenceError('graph', 'an ONNX model with a graph', 'none')) : (readGraph(net, m.graph) as E.Either<PersistenceError, P>),
    )(E.mapLeft((why: string) => persistenceError('file', 'an ONNX model (protobuf ModelProto)', `undecodable bytes: ${why}`))(decodeModel(bytes)));
  } catch (e) {
    return E.left(persistenceError('file', 'a readable ONNX model', `an internal error (${String(e)})`));
  }
};
