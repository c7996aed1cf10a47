/**
 * Breast Cancer Wisconsin (569 tumours × 30 features, malignant/benign) under the accuracy
 * reference's protocol (`examples/README.md`, PyTorch anchor): the 5 fixed stratified
 * splits in `data/breast_cancer.splits.json`, train-split standardization, 30 → 64 → 64 → 2 ReLU
 * with softmax over the 2 classes, Adam(1e-3), batch 32, 200 epochs, L2 α = 1e-4 on the weights.
 * Prints mean ± std of the test accuracy next to the reference numbers and writes split 1's curves
 * to `out/breast-cancer-history.svg`.
 *
 * The 30 feature names are not written out: `features: 'all-but-target'` decodes every column but
 * the label, so the width is known only at run time (`DynDim`). The net accepts it and checks the
 * width when it is built, instead of at compile time (see `dyn` in the README).
 *
 * Run: `npm run example:breast-cancer`
 */
import { dense, relu, sequential, standardize } from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { classificationProtocol, dataPath, orExit, reportClassification } from './_shared.js';

const cancer = orExit(
  'breast_cancer.csv',
  readCsvFile(dataPath('breast_cancer.csv'), { features: 'all-but-target', target: 'label', task: 'classification', classes: 2 }),
);
console.log(`breast_cancer: ${cancer.x.rows} rows × ${cancer.features.length} features; 5 fixed splits, ${cancer.features.length} → 64 → 64 → 2 ReLU, Adam(1e-3), batch 32, 200 epochs`);

const result = classificationProtocol('breast_cancer', cancer, (xTrain) =>
  sequential(standardize(xTrain), dense(cancer.x.cols, 64), relu, dense(64, 64), relu, dense(64, 2)),
);

reportClassification(result, [
  { name: 'MLP, PyTorch 200 epochs (reference)', value: '0.9737 ± 0.0107' },
  { name: 'MLP, scikit-learn (reference)', value: '0.9737 ± 0.0152' },
  { name: 'logistic regression (reference)', value: '0.9807 ± 0.0073' },
  { name: 'majority class (reference)', value: '0.6316' },
], { title: 'breast_cancer, split 1: 30 → 64 → 64 → 2, Adam(1e-3)', file: 'breast-cancer-history.svg' });
