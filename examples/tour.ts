/**
 * The README's 30-line tour, runnable (`npm run example:tour`): decode a CSV into typed data,
 * split it, build a typed architecture, fit it, evaluate it, and save the parameters and the loss
 * curve. The README shows the same lines importing from 'foldnet' and 'foldnet/node'.
 */
import * as E from 'fp-ts/lib/Either.js';
import { accuracy, adam, dense, fit, formatErrors, historySvg, key, oneHot, predict, relu, save, sequential, softmaxCrossEntropy, standardize, summary, takeRows, trainTestSplit } from '../src/index.js';
import { readCsvFile, writeTextFile } from '../src/node.js';

// 1. Decode untrusted text into typed data: Either<DataErrors, ClassificationTable<4, 3>>
const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
const decoded = readCsvFile('data/iris.csv', { features, target: 'label', task: 'classification', classes: 3 });
if (E.isLeft(decoded)) throw new Error(formatErrors(decoded.left)); // every bad cell, by row and column
const iris = decoded.right; // iris.x: Mat<number, 4>, iris.labels: Labels<3>

// 2. A stratified, seeded 80/20 split
const { train, test } = trainTestSplit(iris.labels, { testFraction: 0.2, stratify: true, key: key(0) });
const x = takeRows(iris.x, train);
const y = oneHot(train.map((i) => iris.labels[i]!), 3);

// 3. A typed architecture: Layer<4, 3, …>, standardization fitted on the training rows only
const net = sequential(standardize(x), dense(4, 16), relu, dense(16, 3));
// sequential(standardize(x), dense(4, 16), relu, dense(8, 3))
//                                                ~~~~~~~~~~~ ShapeError<"sequential: layer #4 expects input dim 8, but layer #2 outputs 16">
console.log(summary(net)); // layers in the order they run, widths, parameter counts (printed below)

// 4. Train: a fold over epochs that returns new parameters and the loss history
const opts = { loss: softmaxCrossEntropy, optimizer: adam(0.01), epochs: 100, batchSize: 16, key: key(1) } as const;
const { params, history } = fit(net, net.init(key(2)), { x, y }, opts);

// 5. Evaluate on the held-out rows, then save the loss curve and the parameters
const acc = accuracy(predict(net, params, takeRows(iris.x, test)), test.map((i) => iris.labels[i]!));
console.log(`test accuracy ${acc.toFixed(3)}, final train loss ${history.trainLoss.at(-1)!.toFixed(4)}`);
writeTextFile('out/tour-loss.svg', historySvg(history));
E.map((json: string) => writeTextFile('out/tour-model.json', json))(save(net, params));
