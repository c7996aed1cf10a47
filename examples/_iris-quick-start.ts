/**
 * The quick-start iris run, shared by `npm run demo` (examples/demo.ts) and the browser page
 * (browser/main.ts) so both train the same net the same way: split 0's training rows, of which a
 * stratified 20 % is held out as a validation set (monitored every epoch, with accuracy as the
 * metric); standardization fitted on the remaining rows; 4 → 16 → 3 with ReLU, softmax
 * cross-entropy, Adam(0.01), batch 16. The test rows are not touched during training: they are
 * scored once, at the end. Not part of the library; it imports nothing from Node, so the browser
 * bundle can use it.
 */
import {
  accuracy, adam, argmaxRows, dense, fitEpochs, key, oneHot, relu, sequential, softmaxCrossEntropy, standardize, takeRows, trainTestSplit,
  type Mat, type Metric, type Split,
} from '../src/index.js';

/** Classification accuracy on one-hot targets, as a `fit` metric: argmax of the scores vs argmax of y. */
export const accuracyMetric: Metric<number> = {
  name: 'accuracy',
  mode: 'max',
  compute: (yhat, y) => accuracy(yhat, argmaxRows(y)),
};

/**
 * The rows of `split` (its training rows divided into the rows fitted and a validation set carved
 * from them), the net, and the lazy training fold (one state per epoch) over `epochs` epochs;
 * nothing runs until the caller walks `states`.
 */
export const irisQuickStart = (iris: { readonly x: Mat<number, 4>; readonly labels: readonly number[] }, split: Split, epochs: number) => {
  // The validation rows come out of the training rows (stratified by species), never from the test rows.
  const labelsOf = (rows: readonly number[]): number[] => rows.map((i) => iris.labels[i]!);
  const held = trainTestSplit(labelsOf(split.train), { testFraction: 0.2, stratify: true, key: key(2) });
  const fitRows = held.train.map((k) => split.train[k]!);
  const valRows = held.test.map((k) => split.train[k]!);
  const xTrain = takeRows(iris.x, fitRows);
  const xVal = takeRows(iris.x, valRows);
  const xTest = takeRows(iris.x, split.test);
  const labelsTest = labelsOf(split.test);
  const net = sequential(standardize(xTrain), dense(4, 16), relu, dense(16, 3));
  const states = fitEpochs(net, net.init(key(0)), { x: xTrain, y: oneHot(labelsOf(fitRows), 3) }, {
    loss: softmaxCrossEntropy,
    optimizer: adam(0.01),
    epochs,
    batchSize: 16,
    key: key(1),
    validation: { x: xVal, y: oneHot(labelsOf(valRows), 3) },
    metric: accuracyMetric,
  });
  return { rows: { fit: fitRows, validation: valRows, test: split.test }, xTrain, xVal, xTest, labelsTest, net, states } as const;
};
