/**
 * From a CSV file on disk to a saved model that a fresh process loads and uses:
 *
 * 1. read `examples/data/flowers-with-bad-rows.csv` (a small synthetic 3-class table (made up for
 *    this example; no license concerns) with five deliberately bad rows) with `badRows: 'reject'`:
 *    the good rows decode to a typed `Mat<n, 4>` and labels `0..2`, and the bad ones come back as
 *    data, each with its row, file line, fields and problems;
 * 2. print the rejected rows (the reader keeps its exact line numbers, quoted line breaks and any
 *    line endings included, so there is no need to split the file on '\n' by hand);
 * 3. split 75/25 (stratified, keyed), build `standardize(train) → dense(4, 16) → relu → dense(16, 3)`
 *    (the scaling is a layer, so the model carries it), train with `fitEither` (Adam, softmax cross-entropy);
 * 4. save the parameters (versioned JSON) and the test inputs to `out/`;
 * 5. spawn a fresh Node process that rebuilds the architecture from code plus the file's saved
 *    standardize statistics, loads the parameters, predicts, and prints its outputs; then compare
 *    them with this process's predictions, bit for bit.
 *
 * Run: `npm run example:csv` (or `npx tsx examples/csv-train-save-load.ts`).
 * Published code imports the same names from 'foldnet' and 'foldnet/node'.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  accuracy, adam, classificationReport, dense, fitEither, formatErrors, key, load, matrix, numberToJson, oneHot, readSpec, relu, save,
  sequential, softmaxCrossEntropy, softmaxRows, standardizeFromSpec, standardize, takeRows, toRows, trainTestSplit,
  type Mat, type Standardize,
} from '../src/index.js';
import { readCsvFile, readTextFile, writeTextFile } from '../src/node.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const CSV = here('./data/flowers-with-bad-rows.csv');
const OUT = here('../out/');
const features = ['petal_len', 'petal_wid', 'stem_len', 'leaf_area'] as const;
const options = { features, target: 'label', task: 'classification', classes: 3 } as const;

/** The architecture, written once and used by both processes: the first layer is the fitted scaling. */
const architecture = (scaling: Standardize<4>) => sequential(scaling, dense(4, 16), relu, dense(16, 3));

const die = (what: string, message: string): never => {
  console.error(`${what}:\n${message}`);
  process.exit(1);
};
const messages = (errs: ReadonlyArray<{ message: string }>): string => formatErrors(errs);
/** Predictions as text: each double in shortest round-trip form, so equal text means equal bits. */
const asText = (m: Mat<number, number>): string => toRows(m).map((r) => r.map(numberToJson).join(' ')).join('\n');

/** The child process: architecture from code, statistics and weights from the file. */
const child = (modelPath: string, inputsPath: string): void => {
  const text = pipe(readTextFile(modelPath), E.getOrElseW((e) => die('reading the model', messages(e))));
  const net = pipe(
    readSpec(text),
    E.mapLeft(messages),
    E.chain((spec) => standardizeFromSpec(4, spec.children?.[0])),
    E.map(architecture),
    E.getOrElseW((m) => die('rebuilding the architecture', m)),
  );
  const out = pipe(
    load(net, text),
    E.mapLeft(messages),
    E.chain((params) =>
      pipe(
        readTextFile(inputsPath),
        E.chain((s) => matrix(4).decode(JSON.parse(s))),
        E.mapLeft((e) => (typeof e === 'string' ? e : messages(e))),
        E.map((x) => softmaxRows(net.forward(params, x))),
      )),
    E.getOrElseW((m) => die('loading and predicting', m)),
  );
  process.stdout.write(asText(out));
};

const main = (): void => {
  // 1. Read the file once: keep the good rows, get the bad ones back as data (a Left only if the file itself is unusable).
  const { table: data, rejected } = pipe(
    readCsvFile(CSV, { ...options, badRows: 'reject' }),
    E.getOrElseW((e) => die('the file itself is unusable', messages(e))),
  );
  // 2. Report every rejected row by its line in the file.
  console.log(`${CSV}: ${rejected.length} bad rows left out:`);
  rejected.forEach((r) => console.log(`  line ${r.line} [${r.fields.join(', ')}]: ${r.errors.map((e) => `${e.column ?? 'the row'}: expected ${e.expected}, got ${e.got}`).join('; ')}`));
  console.log(`decoded ${data.x.rows} good rows × ${data.x.cols} features (${data.features.join(', ')}); classes 0..${data.classes - 1}`);

  // 3. Split, scale (fitted on the training rows only), train.
  const split = trainTestSplit(data.labels, { testFraction: 0.25, stratify: true, key: key(0) });
  const xTrain = takeRows(data.x, split.train);
  const xTest = takeRows(data.x, split.test);
  const yTrain = split.train.map((i) => data.labels[i]!);
  const yTest = split.test.map((i) => data.labels[i]!);
  const net = architecture(standardize(xTrain));
  const result = pipe(
    fitEither(net, net.init(key(1)), { x: xTrain, y: oneHot(yTrain, 3) }, {
      loss: softmaxCrossEntropy, optimizer: adam(0.01), epochs: 60, batchSize: 16, key: key(2),
    }),
    E.getOrElseW((e) => die('training', e.message)),
  );
  const probabilities = softmaxRows(net.forward(result.params, xTest));
  const report = classificationReport(probabilities, yTest, 3);
  console.log(`trained ${result.history.trainLoss.length} epochs; final train loss ${result.history.trainLoss.at(-1)!.toFixed(4)}`);
  console.log(`test accuracy ${accuracy(probabilities, yTest).toFixed(3)} on ${yTest.length} rows; macro F1 ${report.macro.f1.toFixed(3)}`);

  // 4. Save the model and the test inputs.
  const modelPath = `${OUT}csv-model.json`;
  const inputsPath = `${OUT}csv-test-inputs.json`;
  pipe(
    save(net, result.params),
    E.mapLeft(messages),
    E.chain((json) => pipe(writeTextFile(modelPath, json), E.mapLeft(messages))),
    E.chain(() => pipe(writeTextFile(inputsPath, JSON.stringify(toRows(xTest))), E.mapLeft(messages))),
    E.getOrElseW((m) => die('saving', m)),
  );
  console.log(`saved ${modelPath}`);

  // 5. A fresh process loads the model and predicts.
  const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--predict', modelPath, inputsPath], { encoding: 'utf8' });
  if (run.status !== 0) die('the fresh process failed', run.stderr);
  const same = run.stdout === asText(probabilities);
  console.log(`fresh process (pid ${run.pid}) predicted ${run.stdout.split('\n').length} rows: ${same ? 'identical to this process, bit for bit' : 'DIFFERENT'}`);
  if (!same) process.exit(1);
};

const args = process.argv.slice(2);
if (args[0] === '--predict') child(args[1]!, args[2]!);
else main();
