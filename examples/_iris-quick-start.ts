/**
 * The quick-start iris run, shared by `npm run demo` (examples/demo.ts) and the browser page
 * (browser/main.ts) so both train the same net the same way: split 0's rows, standardization
 * fitted on the training rows, 4 → 16 → 3 with ReLU, softmax cross-entropy, Adam(0.01), batch 16,
 * the test rows as validation data with accuracy as the metric. Not part of the library; it
 * imports nothing from Node, so the browser bundle can use it.
 */
import {
  accuracy, adam, argmaxRows, dense, fitIterator, key, oneHot, relu, sequential, softmaxCrossEntropy, standardize, takeRows,
  type Mat, type Metric, type Split,
} from '../src/index.js';

/** Classification accuracy on one-hot targets, as a `fit` metric: argmax of the scores vs argmax of y. */
export const accuracyMetric: Metric<number> = {
  name: 'accuracy',
  better: 'higher',
  compute: (yhat, y) => accuracy(yhat, argmaxRows(y)),
};

/**
 * The rows of `split`, the net, and the lazy training fold (one state per epoch) over `epochs`
 * epochs; nothing runs until the caller walks `states`.
 */
export const irisQuickStart = (iris: { readonly x: Mat<number, 4>; readonly labels: readonly number[] }, split: Split, epochs: number) => {
  const xTrain = takeRows(iris.x, split.train);
  const xTest = takeRows(iris.x, split.test);
  const labelsTrain = split.train.map((i) => iris.labels[i]!);
  const labelsTest = split.test.map((i) => iris.labels[i]!);
  const net = sequential(standardize(xTrain), dense(4, 16), relu, dense(16, 3));
  const states = fitIterator(net, net.init(key(0)), { x: xTrain, y: oneHot(labelsTrain, 3) }, {
    loss: softmaxCrossEntropy,
    optimizer: adam(0.01),
    epochs,
    batchSize: 16,
    key: key(1),
    validation: { x: xTest, y: oneHot(labelsTest, 3) },
    metric: accuracyMetric,
  });
  return { xTrain, xTest, labelsTest, net, states } as const;
};
