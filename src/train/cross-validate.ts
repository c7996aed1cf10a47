/**
 * K-fold cross-validation: train on k − 1 folds, score on the held-out fold, k times; report
 * every fold's score and their mean ± standard deviation. Not tied to `fit`: the caller says how
 * to train and how to score.
 *
 * @module
 */
import { foldIn, type Key } from '../random.js';
import { takeRows } from '../tensor/mat.js';
import { kFold, stratifiedKFold, type Fold } from './kfold.js';
import type { Dataset } from './types.js';

/**
 * Scores over folds: `mean = (1/k)Σ s_f` and the sample standard deviation
 * `std = √(Σ (s_f − mean)² / (k − 1))` (0 for a single score), as accuracy references over splits report it.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface ScoreSummary {
  readonly scores: readonly number[];
  readonly mean: number;
  readonly std: number;
}

/**
 * One fold's outcome: its rows, the trained model and its validation score.
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface FoldResult<M> {
  readonly fold: Fold;
  readonly model: M;
  readonly score: number;
}

/**
 * The result of {@link crossValidate}: the per-fold outcomes and the summary of their scores.
 *
 * @since 0.1.0
 * @category model
 */
export interface CrossValidation<M> extends ScoreSummary {
  readonly folds: readonly FoldResult<M>[];
}

/**
 * What {@link crossValidate} needs. `folds` is either explicit (from {@link kFold} /
 * {@link stratifiedKFold}) or a count k, in which case the folds are drawn from `key` (stratified
 * by `stratify[i]`, row i's class, when given). `train(trainSet, key, fold)` gets fold f's
 * training rows and the key `foldIn(key, f)`; `score(model, validationSet)` scores the model on the
 * held-out rows (any direction: the caller knows whether higher is better).
 *
 * @since 0.1.0
 * @category model
 * @inline
 */
export interface CrossValidateOptions<I extends number, O extends number, M> {
  readonly data: Dataset<I, O>;
  readonly folds: readonly Fold[] | number;
  readonly key: Key;
  readonly stratify?: ArrayLike<number>;
  readonly train: (trainSet: Dataset<I, O>, key: Key, fold: number) => M;
  readonly score: (model: M, validationSet: Dataset<I, O>) => number;
}

/**
 * The mean and sample standard deviation of a list of scores (see `ScoreSummary`).
 *
 * @since 0.1.0
 * @category destructors
 */
export const summarizeScores = (scores: readonly number[]): ScoreSummary => {
  const k = scores.length;
  const mean = k === 0 ? NaN : scores.reduce((s, x) => s + x, 0) / k;
  const std = k < 2 ? 0 : Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1));
  return Object.freeze({ scores: Object.freeze([...scores]), mean, std });
};

/**
 * The rows `indices` of a data set (inputs and targets), as a new data set.
 *
 * @since 0.1.0
 * @category combinators
 */
export const subsetRows = <I extends number, O extends number>(data: Dataset<I, O>, indices: ArrayLike<number>): Dataset<I, O> =>
  Object.freeze({ x: takeRows(data.x, indices), y: takeRows(data.y, indices) });

/**
 * k-fold cross-validation: for each fold f, `model_f = train(rows ∉ f)` and
 * `s_f = score(model_f, rows ∈ f)`; returns every fold's result and `mean ± std` of the `s_f`.
 * Deterministic for a given key (the folds and each fold's training key derive from it), so two
 * settings compared with the same key see the same folds and the same random draws.
 *
 * @throws RangeError when x and y differ in rows, `stratify` has the wrong length, no folds are
 *   given, or the folds are invalid for the data.
 * @example
 * const cv = crossValidate({
 *   data: { x, y }, folds: 5, key: key(0),
 *   train: (d, k) => fit(net, net.init(k), d, { loss: mse, optimizer: adam(1e-3), epochs: 100, batchSize: 32, key: k }).params,
 *   score: (params, d) => r2(net.forward(params, d.x), d.y),
 * })
 * cv.mean, cv.std, cv.scores
 * @since 0.1.0
 * @category combinators
 */
export const crossValidate = <I extends number, O extends number, M>(options: CrossValidateOptions<I, O, M>): CrossValidation<M> => {
  const { data, key } = options;
  const n = data.x.rows;
  if (data.y.rows !== n) throw new RangeError(`crossValidate: x has ${n} rows but y has ${data.y.rows}`);
  // Checked before the folds are made, so a short label list is named here, not inside stratifiedKFold.
  if (options.stratify !== undefined && options.stratify.length !== n) {
    throw new RangeError(`crossValidate: stratify has ${options.stratify.length} labels for ${n} rows`);
  }
  const folds =
    typeof options.folds === 'number'
      ? options.stratify === undefined
        ? kFold(n, options.folds, key)
        : stratifiedKFold(options.stratify, options.folds, key)
      : options.folds;
  if (folds.length === 0) throw new RangeError('crossValidate: no folds given (the mean score would be NaN)');
  folds.forEach((f, i) => {
    const bad = [...f.train, ...f.validation].find((r) => !(Number.isInteger(r) && r >= 0 && r < n));
    if (bad !== undefined) throw new RangeError(`crossValidate: fold ${i} names row ${bad}, outside 0..${n - 1}`);
    if (f.train.length === 0 || f.validation.length === 0) throw new RangeError(`crossValidate: fold ${i} has an empty train or validation part`);
  });
  const results: readonly FoldResult<M>[] = folds.map((fold, f) => {
    const model = options.train(subsetRows(data, fold.train), foldIn(key, f), f);
    return Object.freeze({ fold, model, score: options.score(model, subsetRows(data, fold.validation)) });
  });
  return Object.freeze({ ...summarizeScores(results.map((r) => r.score)), folds: Object.freeze(results) });
};
