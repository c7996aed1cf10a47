/**
 * Evaluation metrics, as pure functions of predictions and truth.
 *
 * Classification metrics take predicted labels as a label array or as a score matrix
 * `Mat<n, C>` (the row's argmax is the prediction); truth is a label array. Regression metrics take
 * `Mat<n, K>` or number arrays of equal size (all entries pooled). Mismatched lengths throw a
 * `RangeError` (a programming error: decode data first).
 *
 * @module
 */
import { argmaxRows } from '../tensor/ops.js';
import type { Mat } from '../tensor/mat.js';

/** Predicted classes: labels, or scores/probabilities whose row argmax is the label. @since 0.1.0 @category model */
export type Predictions = ReadonlyArray<number> | Mat<number, number>;

/** Regression values: a matrix (all entries) or a list of numbers. @since 0.1.0 @category model */
export type Values = ReadonlyArray<number> | Mat<number, number>;

const asLabels = (p: Predictions): ReadonlyArray<number> => ('data' in p ? argmaxRows(p) : p);
const asValues = (v: Values): ArrayLike<number> => ('data' in v ? v.data : v);

const sameLength = (what: string, a: number, b: number): void => {
  if (a !== b) throw new RangeError(`${what}: ${a} predictions for ${b} targets`);
  if (a === 0) throw new RangeError(`${what}: no examples`);
};

/**
 * `accuracy = (1/n) Σ [ŷ_i = y_i]`.
 *
 * @example
 * accuracy([0, 1, 1], [0, 1, 0]) // 2/3
 * @since 0.1.0
 * @category metrics
 */
export const accuracy = (predicted: Predictions, truth: ReadonlyArray<number>): number => {
  const p = asLabels(predicted);
  sameLength('accuracy', p.length, truth.length);
  return p.reduce((s, v, i) => s + (v === truth[i] ? 1 : 0), 0) / p.length;
};

/**
 * The `C × C` confusion matrix: entry `[t][p]` counts examples of true class `t` predicted as `p`
 * (rows are truth, as in scikit-learn).
 *
 * @since 0.1.0
 * @category metrics
 */
export const confusionMatrix = (predicted: Predictions, truth: ReadonlyArray<number>, classes: number): ReadonlyArray<ReadonlyArray<number>> => {
  const p = asLabels(predicted);
  sameLength('confusionMatrix', p.length, truth.length);
  const check = (v: number): number => {
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new RangeError(`confusionMatrix: label ${v} outside 0..${classes - 1}`);
    return v;
  };
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  p.forEach((v, i) => counts[check(truth[i]!)]![check(v)]! += 1);
  return Object.freeze(counts.map((r) => Object.freeze(r)));
};

/** Precision, recall, F1 and support of one class. @since 0.1.0 @category model @inline */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Per-class scores and their unweighted (macro) means. @since 0.1.0 @category model */
export interface ClassificationReport {
  readonly perClass: ReadonlyArray<ClassScores>;
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly accuracy: number;
}

/**
 * Per class c: precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2PR/(P+R); a ratio with a zero
 * denominator is 0 (scikit-learn's `zero_division=0`). Macro = the plain mean over classes.
 *
 * @since 0.1.0
 * @category metrics
 */
export const classificationReport = (predicted: Predictions, truth: ReadonlyArray<number>, classes: number): ClassificationReport => {
  const cm = confusionMatrix(predicted, truth, classes);
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
  const perClass = cm.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((s, v) => s + v, 0);
    const predictedC = cm.reduce((s, r) => s + r[c]!, 0);
    const precision = ratio(tp, predictedC);
    const recall = ratio(tp, support);
    return Object.freeze({ precision, recall, f1: ratio(2 * precision * recall, precision + recall), support });
  });
  const mean = (f: (s: ClassScores) => number): number => perClass.reduce((s, c) => s + f(c), 0) / classes;
  const n = truth.length;
  const correct = cm.reduce((s, r, c) => s + r[c]!, 0);
  return Object.freeze({
    perClass: Object.freeze(perClass),
    macro: Object.freeze({ precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) }),
    accuracy: correct / n,
  });
};

/**
 * Mean negative log-likelihood `−(1/n) Σ_i log p_{i, y_i}` of probabilities `p: Mat<n, C>` (rows
 * summing to 1, e.g. softmax outputs); p is clipped to [ε, 1] with ε = 1e−15 as in scikit-learn.
 *
 * @since 0.1.0
 * @category metrics
 */
export const logLoss = (probabilities: Mat<number, number>, truth: ReadonlyArray<number>, eps = 1e-15): number => {
  sameLength('logLoss', probabilities.rows, truth.length);
  const c = probabilities.cols;
  return -truth.reduce((s, y, i) => {
    if (!(Number.isInteger(y) && y >= 0 && y < c)) throw new RangeError(`logLoss: label ${y} outside 0..${c - 1}`);
    return s + Math.log(Math.min(1, Math.max(eps, probabilities.data[i * c + y]!)));
  }, 0) / truth.length;
};

const pairs = (what: string, predicted: Values, truth: Values): [ArrayLike<number>, ArrayLike<number>] => {
  const p = asValues(predicted);
  const t = asValues(truth);
  sameLength(what, p.length, t.length);
  return [p, t];
};

const sumOver = (n: number, f: (i: number) => number): number => {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
};

/** `RMSE = √((1/n) Σ (ŷ_i − y_i)²)`. @since 0.1.0 @category metrics */
export const rmse = (predicted: Values, truth: Values): number => {
  const [p, t] = pairs('rmse', predicted, truth);
  return Math.sqrt(sumOver(p.length, (i) => (p[i]! - t[i]!) ** 2) / p.length);
};

/** `meanAbsoluteError = MAE = (1/n) Σ |ŷ_i − y_i|`. @since 0.1.0 @category metrics */
export const meanAbsoluteError = (predicted: Values, truth: Values): number => {
  const [p, t] = pairs('meanAbsoluteError', predicted, truth);
  return sumOver(p.length, (i) => Math.abs(p[i]! - t[i]!)) / p.length;
};

/**
 * Coefficient of determination `R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²` (1 is perfect, 0 is as good as
 * predicting the mean; constant truth gives 1 if predicted exactly, else 0, as in scikit-learn).
 *
 * @since 0.1.0
 * @category metrics
 */
export const r2 = (predicted: Values, truth: Values): number => {
  const [p, t] = pairs('r2', predicted, truth);
  const n = p.length;
  const mean = sumOver(n, (i) => t[i]!) / n;
  const ssRes = sumOver(n, (i) => (t[i]! - p[i]!) ** 2);
  const ssTot = sumOver(n, (i) => (t[i]! - mean) ** 2);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
};
