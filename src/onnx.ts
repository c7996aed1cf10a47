/**
 * The ONNX entry point, `foldnet/onnx`: export a model to the standard format ONNX Runtime and
 * other engines serve, and import parameters from one (foldnet's own files, and PyTorch's MLPs
 * and LSTM/GRU layers).
 * Browser-safe like the core; a separate entry so that the protobuf library it needs stays out of
 * bundles that do not use it.
 *
 * @module
 */
export { toOnnx, ONNX_OPSETS, type ExportError, type OnnxExportOptions } from './onnx/export.js';
export { fromOnnx, type OnnxImportOptions } from './onnx/import.js';
export type { Dtype } from './onnx/graph.js';
