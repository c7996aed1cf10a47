/**
 * The quick-start demo (`npm run demo`): a small network learns the iris flowers.
 *
 * 1. decode `data/iris.csv` (150 flowers, 4 measurements, 3 species) into a typed `Mat<n, 4>`;
 * 2. take split 0 of `data/iris.splits.json` (120 train / 30 test rows, stratified), and hold out a
 *    stratified 20 % of the training rows as a validation set (96 rows fitted, 24 validation);
 * 3. build `standardize → dense(4, 16) → relu → dense(16, 3)` (the compiler checks the dims) with
 *    the standardization fitted on the fitted rows only;
 * 4. train with softmax cross-entropy and Adam, walking the lazy training iterator with a
 *    progress line that shows the validation loss and accuracy (the test rows stay unseen);
 * 5. print the test accuracy, the confusion matrix and a few predictions, and write the loss and
 *    validation-accuracy curves to `out/demo-iris.svg`.
 */
import { accuracy, confusionMatrix, historySvg, predict, softmaxRows, toRows } from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { irisQuickStart } from './_iris-quick-start.js';
import { dataPath, orExit, readSplitFile, table, trainWithProgress, writeOut } from './_shared.js';

const species = ['setosa', 'versicolor', 'virginica'] as const;
const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;

// 1. Untrusted text → typed data: Either<DataErrors, ClassificationTable<4, 3>>.
const iris = orExit('iris.csv', readCsvFile(dataPath('iris.csv'), { features, target: 'label', task: 'classification', classes: 3 }));

// 2. The fixed split 0 (the same rows the accuracy reference uses).
const split = readSplitFile('iris', iris.x.rows).splits[0]!;
// 3. The architecture is a value; its type is Layer<4, 3, …>: standardize → dense(4, 16) → relu →
//    dense(16, 3) (see _iris-quick-start.ts, shared with the browser page).
// 4. Training is a fold; fitEpochs is its lazy form, one state per epoch.
const epochs = 100;
const { xTrain, xVal, xTest, labelsTest, net, states } = irisQuickStart(iris, split, epochs);
console.log(`iris: ${xTrain.rows} rows to fit and ${xVal.rows} validation rows (both from split 0's training rows), ${xTest.rows} test rows; net 4 → 16 → 3, softmax cross-entropy, Adam(0.01), batch 16`);
const final = trainWithProgress(states, epochs, { metricName: 'val acc', valLabel: 'val loss' });

// 5. What it learned.
const scores = predict(net, final.params, xTest);
const probs = toRows(softmaxRows(scores));
const acc = accuracy(scores, labelsTest);
console.log(`\ntest accuracy: ${(acc * 100).toFixed(1)}% (${Math.round(acc * xTest.rows)}/${xTest.rows})`);

const cm = confusionMatrix(scores, labelsTest, 3);
console.log('\nconfusion matrix (rows: true species, columns: predicted)');
console.log(table(['', ...species], cm.map((r, i) => [species[i]!, ...r.map(String)])));

console.log('\na few test flowers');
const shown = [0, 1, 10, 11, 20, 21].filter((i) => i < xTest.rows);
console.log(
  table(
    ['measurements (cm)', 'true', 'predicted', 'p(setosa)', 'p(versicolor)', 'p(virginica)'],
    shown.map((i) => [
      toRows(xTest)[i]!.join(', '),
      species[labelsTest[i]!]!,
      species[probs[i]!.indexOf(Math.max(...probs[i]!))]!,
      ...probs[i]!.map((p) => p.toFixed(3)),
    ]),
  ),
);

const svg = historySvg(final.history, {
  title: 'iris: 4 → 16 → 3, Adam(0.01)',
  metricLabel: 'accuracy', labels: { trainLoss: 'train loss', valLoss: 'validation loss', valMetric: 'validation accuracy' },
});
console.log(`\nloss curve: ${writeOut('demo-iris.svg', svg)}`);
