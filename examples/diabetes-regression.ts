/**
 * Regression on the diabetes data (442 patients × 10 baseline measurements → disease progression
 * one year later, 25..346) with three losses, following the accuracy reference's protocol
 * (`examples/README.md`, PyTorch anchor): the 5 fixed 80/20 splits, features standardized
 * on each split's training rows, targets NOT scaled (the net predicts raw `target`, so RMSE is in
 * target units), a 10 → 64 → 64 → 1 ReLU net, Adam(1e-3), batch 32, 200 epochs, L2 α = 1e-4.
 *
 * - `mse`: L = (1/B) Σ ½(ŷ − y)², the reference's loss; its minimiser is the conditional mean.
 * - `mae`: L = (1/B) Σ |ŷ − y|, robust to outliers; its minimiser is the conditional median.
 * - `huberWith(20)`: squared for residuals within δ = 20 (about a quarter of the target's std), linear
 *   beyond, so it behaves like `mse` near the fit and like `mae` on outliers.
 *
 * Prints test RMSE, MAE and R² (mean ± std over the splits) for each loss next to the reference
 * rows, and writes each loss's training curves (split 1) to `out/diabetes-<loss>.svg`.
 *
 * Run: `npm run example:diabetes-regression`
 */
import {
  dense, fitEpochs, historySvg, huber, huberWith, key, mae, meanAbsoluteError, mse, predict, r2,
  relu, rmse, sequential, standardize, summary, takeRows, type Loss, type Metric,
} from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { dataPath, orExit, pm, readSplitFile, referenceTraining, table, trainWithProgress, writeOut } from './_shared.js';

const features = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'] as const;
const diabetes = orExit('diabetes.csv', readCsvFile(dataPath('diabetes.csv'), { features, target: 'target', task: 'regression' }));
const splits = readSplitFile('diabetes', diabetes.x.rows).splits;

const rmseMetric: Metric<1> = { name: 'rmse', mode: 'min', compute: (yhat, y) => rmse(yhat, y) };
const losses: readonly (readonly [string, Loss<number>])[] = [
  ['mse', mse],
  ['mae', mae],
  ['huber', huberWith(20)],
];

const epochs = 200;
console.log(`diabetes: ${diabetes.x.rows} rows × 10 features, raw targets; 10 → 64 → 64 → 1 ReLU, Adam(1e-3), batch 32, ${epochs} epochs, 5 splits`);
const rows: string[][] = [];
for (const [name, loss] of losses) {
  const scores = { rmse: [] as number[], mae: [] as number[], r2: [] as number[] };
  const t0 = performance.now();
  splits.forEach((split, k) => {
    const xTrain = takeRows(diabetes.x, split.train);
    const yTrain = takeRows(diabetes.y, split.train);
    const xTest = takeRows(diabetes.x, split.test);
    const yTest = takeRows(diabetes.y, split.test);
    const net = sequential(standardize(xTrain), dense(10, 64), relu, dense(64, 64), relu, dense(64, 1));
    if (k === 0 && name === losses[0]![0]) console.log(`${summary(net)}\n`);
    const states = fitEpochs(net, net.init(key(k)), { x: xTrain, y: yTrain }, {
      loss,
      epochs,
      ...referenceTraining(k),
      validation: { x: xTest, y: yTest },
      metric: rmseMetric,
    });
    const last = trainWithProgress(states, epochs, { label: `${name.padEnd(5)} split ${k + 1}/5`, lines: 1, metricName: 'test rmse', valLabel: 'test loss' });
    const yhat = predict(net, last.params, xTest);
    scores.rmse.push(rmse(yhat, yTest));
    scores.mae.push(meanAbsoluteError(yhat, yTest));
    scores.r2.push(r2(yhat, yTest));
    if (k === 0) {
      const svg = historySvg(last.history, { title: `diabetes, split 1, loss ${loss.kind}`, metricLabel: 'RMSE', labels: { valLoss: 'test loss', valMetric: 'test RMSE' } });
      writeOut(`diabetes-${name}.svg`, svg);
    }
  });
  rows.push([`foldnet, ${loss.kind} (${((performance.now() - t0) / 1000).toFixed(1)} s)`, pm(scores.rmse, 3), pm(scores.mae, 3), pm(scores.r2)]);
}

console.log(
  '\n' +
    table(
      ['test scores (5 splits)', 'RMSE', 'MAE', 'R²'],
      [
        ...rows,
        ['MLP, PyTorch 200 epochs (reference)', '56.876 ± 1.835', '', '0.3963 ± 0.0513'],
        ['MLP, scikit-learn (reference)', '57.921 ± 2.017', '', '0.3740 ± 0.0515'],
        ['ridge regression (reference)', '55.834 ± 1.716', '', '0.4180 ± 0.0513'],
        ['train-mean (reference)', '73.507 ± 1.169', '', ''],
      ],
    ),
);
console.log('\ncurves (split 1): out/diabetes-mse.svg, out/diabetes-mae.svg, out/diabetes-huber.svg');
