/**
 * Iris (150 flowers × 4 measurements, 3 species) under the accuracy reference's protocol
 * (written out in `examples/README.md`): the 5 fixed stratified 80/20 splits in `data/iris.splits.json`,
 * standardization fitted on each split's training rows, a 4 → 64 → 64 → 3 ReLU net, softmax
 * cross-entropy, Adam(1e-3), batch 32, 200 epochs, L2 α = 1e-4 on the weights. Prints the test
 * accuracy per split and mean ± std next to scikit-learn's and PyTorch's numbers, and writes split
 * 1's loss and accuracy curves to `out/iris-history.svg`.
 *
 * Run: `npm run example:iris`
 */
import { dense, relu, sequential, standardize } from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { classificationProtocol, dataPath, orExit, reportClassification } from './_shared.js';

const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
const iris = orExit('iris.csv', readCsvFile(dataPath('iris.csv'), { features, target: 'label', task: 'classification', classes: 3 }));

console.log('iris: 5 fixed splits, 4 → 64 → 64 → 3 ReLU, softmax cross-entropy, Adam(1e-3), batch 32, 200 epochs');
const result = classificationProtocol('iris', iris, (xTrain) =>
  // The architecture, checked by the compiler: standardize is Layer<4, 4>, the net Layer<4, 3, …>.
  sequential(standardize(xTrain), dense(4, 64), relu, dense(64, 64), relu, dense(64, 3)),
);

reportClassification(result, [
  { name: 'MLP, PyTorch 200 epochs (reference)', value: '0.9667 ± 0.0577' },
  { name: 'MLP, scikit-learn (reference)', value: '0.9667 ± 0.0577' },
  { name: 'logistic regression (reference)', value: '0.9533 ± 0.0506' },
  { name: 'majority class (reference)', value: '0.3333' },
], { title: 'iris, split 1: 4 → 64 → 64 → 3, Adam(1e-3)', file: 'iris-history.svg' });
