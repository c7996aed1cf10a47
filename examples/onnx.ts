/**
 * Serving elsewhere: a model trained with foldnet, run by ONNX Runtime, and read back.
 *
 * 1. train the quick-start iris net (standardize → dense(4, 16) → relu → dense(16, 3)) on split 0;
 * 2. append `softmax` (so the served model returns probabilities) and export it with `toOnnx` to
 *    `out/iris.onnx` (float32, opset 17, input `[batch, 4]`, output `[batch, 3]`);
 * 3. run that file in ONNX Runtime (onnxruntime-node, what a Python, C++, Java or C# service would
 *    use) on the test flowers and print its probabilities next to foldnet's;
 * 4. import the file back into the typed net with `fromOnnx` and check it predicts the same.
 *
 * Run: `npm run example:onnx`
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as ort from 'onnxruntime-node';
import { argmaxRows, predict, sequential, softmax, toRows } from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { fromOnnx, toOnnx } from '../src/onnx.js';
import { irisQuickStart } from './_iris-quick-start.js';
import { dataPath, orExit, readSplitFile, repoRoot, table, trainWithProgress } from './_shared.js';

const species = ['setosa', 'versicolor', 'virginica'] as const;
const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
const iris = orExit('iris.csv', readCsvFile(dataPath('iris.csv'), { features, target: 'label', task: 'classification', classes: 3 }));
const split = readSplitFile('iris', iris.x.rows).splits[0]!;

/** The right side, or the message of the Left and exit code 1. */
const orFail = <A>(what: string, r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isRight(r)) return r.right;
  console.error(`${what}: ${r.left.message}`);
  process.exit(1);
};

// 1. Train.
const epochs = 100;
const { xTest, labelsTest, net, states } = irisQuickStart(iris, split, epochs);
const trained = trainWithProgress(states, epochs, { metricName: 'test acc', valLabel: 'test loss', lines: 2 }).params;

// 2. The served model: the trained net, then softmax. Its type is Layer<4, 3, [params, {}]>.
const served = sequential(net, softmax);
const params = [trained, {}] as const;
const bytes = orFail('toOnnx', toOnnx(served, params, { dtype: 'float32', opset: 17 }));
const file = join(repoRoot, 'out', 'iris.onnx');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, bytes);
console.log(`\nexported ${relative(process.cwd(), file)} (${bytes.length} bytes, float32, opset 17)`);

// 3. Run the file in ONNX Runtime.
const session = await ort.InferenceSession.create(readFileSync(file));
const input = new ort.Tensor('float32', Float32Array.from(xTest.data), [xTest.rows, 4]);
const ortProbs = (await session.run({ [session.inputNames[0]!]: input }))[session.outputNames[0]!]!.data as Float32Array;
const foldnetProbs = predict(served, params, xTest);

const rows = toRows(foldnetProbs);
const shown = [0, 1, 10, 11, 20, 21].filter((i) => i < xTest.rows);
console.log('\nthe test flowers: foldnet (float64) and ONNX Runtime (float32) side by side');
console.log(
  table(
    ['flower', 'true', 'foldnet p(setosa, versicolor, virginica)', 'ONNX Runtime p(…)'],
    shown.map((i) => [
      String(i + 1),
      species[labelsTest[i]!]!,
      rows[i]!.map((p) => p.toFixed(4)).join('  '),
      Array.from(ortProbs.subarray(i * 3, i * 3 + 3), (p) => p.toFixed(4)).join('  '),
    ]),
  ),
);
const maxDiff = foldnetProbs.data.reduce((m, p, k) => Math.max(m, Math.abs(p - ortProbs[k]!)), 0);
const ortClasses = Array.from({ length: xTest.rows }, (_, i) => {
  const r = Array.from(ortProbs.subarray(i * 3, i * 3 + 3));
  return r.indexOf(Math.max(...r));
});
const sameClass = argmaxRows(foldnetProbs).filter((c, i) => c === ortClasses[i]).length;
console.log(`\nall ${xTest.rows} test flowers: largest probability difference ${maxDiff.toExponential(2)}; same class for ${sameClass}/${xTest.rows}`);

// 4. Import the file back into the typed net.
const back = orFail('fromOnnx', fromOnnx(served, new Uint8Array(readFileSync(file))));
const backProbs = predict(served, back, xTest);
const backDiff = backProbs.data.reduce((m, p, k) => Math.max(m, Math.abs(p - foldnetProbs.data[k]!)), 0);
console.log(`imported back with fromOnnx: weights rounded to float32, probabilities within ${backDiff.toExponential(2)} of the trained net's`);
