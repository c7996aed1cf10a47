/**
 * The data boundary: io-ts decoders from untrusted rows (JSON, CSV) to typed matrices with every
 * bad cell named, preprocessing, splits and metrics. Browser-safe (no Node imports); reading files
 * is in the `foldnet/node` entry point.
 *
 * @module
 */
export {
  type DataError, type DataErrors, type Decoded, type ErrorList, dataError, formatErrors, fromIoTsErrors, errorList, moreDataErrors, MAX_ERRORS,
} from './errors.js';
export { type Decoder, type MatrixOptions, makeDecoder, fromType, matrix } from './matrix.js';
export { type Labels, labels } from './labels.js';
export {
  readCsv, type CsvOptions, type ClassificationCsvOptions, type RegressionCsvOptions, type CsvTable, type BadRows, type RejectedRow, type CsvWithRejected,
  type ClassificationTable, type RegressionTable, type FeatureDim,
} from './csv.js';
export { oneHot } from './one-hot.js';
export { standardizeTargets, type TargetStandardizer } from './target-scaler.js';
export { trainTestSplit, readSplits, type Split, type SplitOptions, type SplitFile, type ReadSplitsOptions } from './split.js';
export {
  accuracy, confusionMatrix, classificationReport, logLoss, rmse, meanAbsoluteError, r2,
  type Predictions, type Values, type ClassScores, type ClassificationReport,
} from './metrics.js';
export { standardize, standardizeWith, standardizeFromSpec, columnStats, type Standardize } from '../layer/standardize.js';
export { columnStatsStream, standardizeStream, runningStats, addRows, statsOf, type RunningStats } from './stream-stats.js';
export {
  slidingWindows, timeSplit, splitWindows, persistence, seasonalNaive, linearAutoregression,
  type WindowOptions, type Windows, type TimeSplitOptions, type TimeSplit, type LinearAutoregression,
} from './timeseries.js';
