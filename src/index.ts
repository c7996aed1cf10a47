/**
 * foldnet: typed, functional neural networks for tabular data, sequences and images.
 *
 * The public surface, by name and grouped as the guides are. Everything else in `src/` is an
 * internal of the module that defines it. `api/foldnet.api.txt` lists these names with their kinds
 * (`npm run api:report` regenerates it; a test fails when it is out of date, or when it reaches 300
 * names). A type is listed when a user writes it down or a public function returns it (so that a
 * library's declarations can name it); option bags passed as literals and the parts of results read
 * field by field stay in their modules.
 *
 * @packageDocumentation
 */

// Tensors: matrices and vectors typed by their dims, their constructors, the matrix products the
// layers use; the element-wise and remaining operations are in the `ops` namespace.
export {
  type Mat, type Vec, type Tensor, zeros, zerosVec, eye, fromRows, fromArray, vec, unsafeMat, toRows, row, takeRows, shapeOf,
} from './tensor/mat.js';
export { matmul, matmulTransA, matmulTransB, transpose, addRowVector, sumRows, softmaxRows, argmaxRows } from './tensor/ops.js';
/**
 * All tensor operations (`ops.add`, `ops.sub`, `ops.scale`, the element-wise products `ops.mul`
 * and `ops.mulRowVector`, `map`/`zipWith` for an element-wise function of your own, …), e.g. for
 * writing custom layers.
 *
 * @since 0.1.0
 * @category namespaces
 */
export * as ops from './tensor/ops.js';

// Randomness: splittable seeded keys; the same key gives the same numbers.
export { key, split, foldIn, uniform, normal, permutation, type Key } from './random.js';

/**
 * Parameter trees as vectors: `flatten`/`unflatten` (θ ∈ ℝⁿ in depth-first leaf order), `add`,
 * `scale`, `axpy` (`α·x + y`), `dot`, `norm`, `zerosLike`, … over any architecture's parameters.
 *
 * @since 0.1.0
 * @category namespaces
 */
export * as params from './params.js';
export type { ParamTree } from './params.js';

// Layers and shapes: the layer type, the built-in layers, composition checked by the compiler,
// run-time dims, and defining a layer of your own.
export {
  type Layer, type PolyLayer, type AnyLayer, type Part, type NoParams,
  type InputDim, type OutputDim, type ParamsOf, type ShapedLayer,
} from './layer/layer.js';
export { sequential, compose } from './layer/compose.js';
export { dense, denseParams, type DenseParams, type Initializer } from './layer/dense.js';
export { relu, leakyRelu, tanh, sigmoid, softplus, identity, softmax, elementwise } from './layer/activation.js';
export { dropout } from './layer/dropout.js';
export { standardize, standardizeWith, standardizeFromSpec, type Standardize } from './layer/standardize.js';
export { standardizeFeatures } from './layer/standardize-features.js';
export { conv1d, conv2d, type ConvParams } from './layer/conv.js';
export { maxPool, avgPool, globalAvgPool } from './layer/pool.js';
export { flatten } from './layer/flatten.js';
export { timeDistributed } from './layer/time-distributed.js';
export { scan, type ScanParams } from './layer/scan.js';
export { rnn, lstm, gru, rnnCell, lstmCell, gruCell, type LstmParams, type GruParams } from './layer/recurrent.js';
export { withShape, type Shaped, type ShapeOf } from './shape/shaped.js';
export { dyn, type Dim, type DynDim, type ShapeError } from './shape/dim.js';
export { defineLayer, definePolyLayer, type LayerDefinition, type PolyLayerDefinition } from './layer/define.js';

// Differentiation: gradients by backprop, Jacobians by JVPs or VJPs, and checks against finite
// differences.
export { valueAndGrad, grad, type LossFits } from './diff/grad.js';
export { jacobian, paramJacobian, autoMode, type JacobianMode } from './diff/jacobian.js';
export { numericalJacobian } from './diff/finite-difference.js';
export { gradCheck, type GradCheckResult } from './diff/grad-check.js';

// Losses: values with their gradients; `…With(…)` builds one with another constant.
export { type Loss } from './loss/loss.js';
export { defineLoss, withWidth, type SummedLoss, type ClassificationLoss } from './loss/define.js';
export { mse } from './loss/mse.js';
export { mae } from './loss/mae.js';
export { huber, huberWith } from './loss/huber.js';
export { softmaxCrossEntropy } from './loss/softmax-cross-entropy.js';
export { binaryCrossEntropy } from './loss/binary-cross-entropy.js';
export { categoricalCrossEntropy, categoricalCrossEntropyWith } from './loss/categorical-cross-entropy.js';

// Optimizers and schedules: gradient transformations (recipes and the primitives they chain),
// learning-rate schedules, and the full-batch optimizers with their line search.
export { type GradientTransformation, applyUpdates } from './optim/transform.js';
export { chain, type StateOf } from './optim/chain.js';
export { sgd, momentum, adam, adamw, rmsprop, adagrad } from './optim/recipes.js';
export {
  scaleByLearningRate, scaleByAdam, scaleByRms, scaleByAdagrad, scaleUpdates, trace, clipByGlobalNorm,
  type AdamState, type TraceState, type SquaresState, type CountState,
} from './optim/primitives.js';
export { constant, inverseTime, stepDecay, exponentialDecay, cosineDecay, linearWarmup, type Schedule, type LearningRate } from './optim/schedule.js';
export { type Objective, type FullBatchResult } from './optim/full-batch.js';
export { conjugateGradient } from './optim/conjugate-gradient.js';
export { lbfgs } from './optim/lbfgs.js';
export { strongWolfe, type LineSearchResult } from './optim/line-search.js';

// Regularization: penalties added to the loss, decoupled weight decay, the proximal L1 step,
// masks choosing which parameters they touch, and a sparsity report. Dropout is a layer (above).
export { type Penalty } from './optim/regularize/penalty.js';
export { l1Penalty, proximalL1 } from './optim/regularize/l1.js';
export { l2Penalty, weightDecay, addDecayedWeights } from './optim/regularize/l2.js';
export {
  allParams, excludeBiases, onlyWeights, onlyLayers, maskAnd, maskOr, maskNot, pathMask, type ParamMask, type LeafPath,
} from './optim/regularize/mask.js';
export { sparsity, type SparsityReport } from './optim/regularize/sparsity.js';

// Training: fit (`…Either` returns an Either instead of throwing; `…Epochs` is lazy, one state per
// epoch), streaming from batches, predicting and evaluating, the full-batch objective,
// cross-validation and grid search. Every trainer stops with one `StopReason`.
export { fit, fitEither, fitEpochs, fitEpochsEither } from './train/fit.js';
export { fitStream, fitStreamEither, fitStreamEpochs, type BatchSource } from './train/fit-stream.js';
export {
  type Dataset, type BatchSize, type Metric, type EarlyStopping, type FitOptions, type History, type TrainState,
  type FitResult, type FitError, type Evaluation,
} from './train/types.js';
export { type StopReason } from './stop-reason.js';
export { predict, evaluate } from './train/predict.js';
export { objective } from './train/objective.js';
export { kFold, stratifiedKFold, type Fold } from './train/kfold.js';
export { crossValidate, type CrossValidation } from './train/cross-validate.js';
export { gridSearch, type GridSearchResult } from './train/grid-search.js';
export { progressLine } from './progress.js';

// Data: decoding untrusted rows (JSON, CSV) with every bad cell named, fixing a run-time width,
// preprocessing, splits, time series and metrics.
export { type DataError, type DataErrors, type Decoded } from './data/errors.js';
export { formatErrors } from './errors.js';
export { matrix, makeDecoder, fromType, type Decoder } from './data/matrix.js';
export { labels, type Labels } from './data/labels.js';
export {
  readCsv, type RejectedRow,
  type CsvWithRejected, type ClassificationTable, type RegressionTable,
} from './data/csv.js';
export { withCols, withColsEither, type WidthError } from './data/width.js';
export { oneHot } from './data/one-hot.js';
export { standardizeTargets, type TargetStandardizer } from './data/target-scaler.js';
export { columnStatsStream, standardizeStream } from './data/stream-stats.js';
export { trainTestSplit, readSplits, type Split, type SplitFile } from './data/split.js';
export {
  slidingWindows, timeSplit, splitWindows, persistence, seasonalNaive, linearAutoregression, type Windows, type TimeSplit, type LinearAutoregression,
} from './data/timeseries.js';
export {
  accuracy, confusionMatrix, classificationReport, logLoss, rmse, meanAbsoluteError, r2,
  type Predictions, type Values, type ClassificationReport,
} from './data/metrics.js';

// Persistence: versioned JSON for parameters and optimizer state, decoded against the
// architecture (files are read and written by `foldnet/node`).
export { type PersistenceError, type PersistenceErrors } from './io/errors.js';
export { save, load, readSpec } from './io/save.js';
export { saveState, loadState } from './io/state.js';
export { numberToJson } from './io/json.js';

// Plots: SVG text from pure functions (training history, line charts, the network's summary,
// graph and Jacobian heatmaps); no DOM, no Node.
export { historySvg } from './plot/history.js';
export { lineChartSvg } from './plot/chart.js';
export { summary } from './plot/summary.js';
export { describeNet, type NetInfo } from './plot/describe.js';
export { graphSvg } from './plot/graph.js';
export { jacobianSvg } from './plot/heatmap.js';

// The lowering protocol, for extension authors: how a layer, an optimizer, a loss or a penalty of
// your own runs inside fit's compiled program (kernel stages, in-place updates, summed losses and
// penalty kernels over the flat parameter layout) instead of as an opaque stage.
export {
  withLowering, loweringOf, nestStages, withInPlaceUpdate, inPlaceUpdateOf, immutableUpdate, withLossKernel, lossKernelOf,
  withPenaltyKernel, penaltyKernelOf, layoutOf, leafDot,
  type Stage, type LayerLowering, type InPlaceUpdate, type UpdateKernel, type SummedLossKernel, type PenaltyKernel, type PenaltyLowering,
  type ParamLayout,
} from './lowering.js';
export { penaltyFromKernel } from './optim/regularize/penalty.js';
