/**
 * foldnet: typed, functional neural networks for tabular data.
 *
 * @packageDocumentation
 */
export * from './tensor/mat.js';
export { matmul, matmulTransA, matmulTransB, transpose, add, sub, scale, addRowVector, sumRows, softmaxRows, argmaxRows } from './tensor/ops.js';
/**
 * All tensor operations (element-wise `map`/`zipWith` too), e.g. for writing custom layers.
 *
 * @since 0.1.0
 * @category namespaces
 */
export * as ops from './tensor/ops.js';
export { key, split, foldIn, uniform, normal, permutation, bernoulli, type Key } from './random.js';
/**
 * Parameter trees as vectors: `flatten`/`unflatten` (θ ∈ ℝⁿ in depth-first leaf order), `add`,
 * `scale`, `axpy` (`α·x + y`), `dot`, `norm`, `zerosLike`, … over any architecture's parameters.
 *
 * @since 0.1.0
 * @category namespaces
 */
export * as params from './params.js';
export type { ParamTree } from './params.js';
export * from './layer/layer.js';
export { type ShapeError, type DynDim, type Dim, dyn } from './layer/shape.js';
export { defineLayer, definePolyLayer, type LayerDefinition, type PolyLayerDefinition } from './layer/define.js';
export { dense, denseParams, type DenseParams, type DenseOptions, type Initializer } from './layer/dense.js';
export { relu, leakyRelu, tanh, sigmoid, softplus, identity, softmax, elementwise } from './layer/activation.js';
export { dropout } from './layer/dropout.js';
export { type Shaped, type ShapedLayer, type ShapeOf, type ShapeArg, type ShapeCheck, type ShapesMatch, type DescribeDim, type Flat, type Mutable, withShape } from './layer/shaped.js';
export { type Add, type Subtract, type Multiply, type Divide, type Product } from './layer/decimal.js';
export { conv1d, conv2d, type ConvParams, type ConvOptions, type Padding, type Window2d, type ConvLength, type WindowFits } from './layer/conv.js';
export { maxPool, avgPool, globalAvgPool, type PoolOptions, type PoolShape } from './layer/pool.js';
export { flatten } from './layer/flatten.js';
export { standardizeFeatures } from './layer/standardize-features.js';
export { timeDistributed } from './layer/time-distributed.js';
export { scan, type ScanOptions, type ScanParams, type ScanOutput } from './layer/scan.js';
export { rnn, lstm, gru, rnnCell, lstmCell, gruCell, type RecurrentOptions, type LstmParams, type GruParams } from './layer/recurrent.js';
export { sequential, compose, appliedOrder, type SequentialArgs, type ComposeArgs, type Sequential, type Composed, type ParamsTuple } from './layer/compose.js';
export * from './loss/index.js';
export * from './diff/index.js';
export * from './optim/index.js';
export * from './train/index.js';
export * from './data/index.js';
export { withCols, withColsE, type WidthError } from './data/width.js';
export * from './io/index.js';
export { historySvg, historySeries, lineChartSvg, type HistoryLike, type HistoryChartOptions, type Series, type LineChartOptions } from './plot/index.js';
export {
  summary, graphSvg, jacobianSvg, describeNet, layersOf, formatDims, realSpace, divergingColor,
  type SummaryOptions, type GraphOptions, type HeatmapOptions, type HeatmapPanel, type DescribeOptions, type Dims, type LayerInfo, type NetInfo,
} from './plot/index.js';
export { progressLine, formatDuration, etaMs, type ProgressState, type ProgressOptions } from './progress.js';
export {
  withLowering, loweringOf, nestStages, withInPlaceUpdate, inPlaceUpdateOf, immutableUpdate, withLossKernel, lossKernelOf,
  withPenaltyKernel, penaltyKernelOf, layoutOf, leafDot,
  type Stage, type LayerLowering, type InPlaceUpdate, type UpdateKernel, type SummedLossKernel, type PenaltyKernel, type PenaltyLowering, type ParamLayout,
} from './lowering.js';
export { penaltyFromKernel } from './optim/regularize/penalty.js';
