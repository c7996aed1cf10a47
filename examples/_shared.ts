/**
 * Helpers shared by the examples (not part of the library): finding the repo's `data/` files,
 * turning a decoding `Left` into a readable exit, walking the lazy training iterator with a
 * progress line, writing SVG charts to `out/`, and mean ± std over splits.
 */
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { accuracyMetric } from './_iris-quick-start.js';
import {
  accuracy, adam, excludeBiases, fitEpochs, foldIn, formatErrors, historySvg, key, l2Penalty, oneHot, predict, progressLine,
  readSplits, softmaxCrossEntropy, summary, takeRows,
  type DataErrors, type History, type Layer, type Mat, type SplitFile, type TrainState,
} from '../src/index.js';
import { readTextFile, writeTextFile } from '../src/node.js';

/** The repository root (examples/ is one level below it). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The path of a file in the repo's `data/` folder, e.g. `dataPath('iris.csv')`. */
export const dataPath = (file: string): string => join(repoRoot, 'data', file);

/** The right side of a decoding result, or a readable list of what was wrong and exit code 1. */
export const orExit = <A>(what: string, result: E.Either<DataErrors, A>): A => {
  if (E.isRight(result)) return result.right;
  console.error(`${what}: the data did not decode:\n${formatErrors(result.left, 20)}`);
  process.exit(1);
};

/** The 5 fixed train/test splits of `data/<name>.splits.json`, checked against the row count. */
export const readSplitFile = (name: string, rows: number): SplitFile =>
  orExit(`${name}.splits.json`, E.chain((text: string) => readSplits(text, rows))(readTextFile(dataPath(`${name}.splits.json`))));

export { accuracyMetric } from './_iris-quick-start.js';

/**
 * Walks `fitEpochs`'s states (the lazy training fold) and shows progress: on a TTY one line
 * rewritten in place (at most ~10 times a second), otherwise `lines` plain lines over the run.
 * Returns the last state. The library only formats the line; the clock and the terminal are here.
 */
export const trainWithProgress = <P, S>(
  states: Iterable<TrainState<P, S>>,
  epochs: number,
  options: { readonly label?: string; readonly lines?: number; readonly metricName?: string; readonly valLabel?: string; readonly quiet?: boolean } = {},
): TrainState<P, S> => {
  const tty = process.stdout.isTTY === true;
  const every = Math.max(1, Math.round(epochs / (options.lines ?? 5)));
  const prefix = options.label === undefined ? '' : `${options.label} `;
  const t0 = performance.now();
  let lastDraw = -Infinity;
  let last: TrainState<P, S> | undefined;
  for (const s of states) {
    last = s;
    if (options.quiet === true) continue;
    const now = performance.now();
    const done = s.stopReason !== undefined || s.epoch === epochs;
    const h = s.history;
    const line = () =>
      prefix +
      progressLine({
        epoch: s.epoch,
        epochs,
        loss: h.trainLoss[s.epoch - 1]!,
        ...(h.valLoss.length > 0 ? { valLoss: h.valLoss[s.epoch - 1]! } : {}),
        ...(h.valMetric.length > 0 ? { metrics: { [options.metricName ?? 'metric']: h.valMetric[s.epoch - 1]! } } : {}),
        elapsedMs: now - t0,
      }, options.valLabel === undefined ? {} : { valLabel: options.valLabel });
    if (tty) {
      if (done || now - lastDraw > 100) {
        process.stdout.write(`\r\x1b[2K${line()}${done ? '\n' : ''}`);
        lastDraw = now;
      }
    } else if (done || s.epoch % every === 0) {
      console.log(line());
    }
  }
  if (last === undefined) throw new Error('training produced no epochs');
  return last;
};

/** Writes an SVG string to `out/<file>` (creating `out/`) and returns the path relative to the cwd. */
export const writeOut = (file: string, content: string): string => {
  const path = orExit(`out/${file}`, writeTextFile(join(repoRoot, 'out', file), content));
  return relative(process.cwd(), path) || path;
};

/** Mean and sample standard deviation (ddof = 1, as the reference tables report). */
export const meanStd = (xs: readonly number[]): { readonly mean: number; readonly std: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, std };
};

/** `0.9667 ± 0.0577` */
export const pm = (xs: readonly number[], digits = 4): string => {
  const { mean, std } = meanStd(xs);
  return `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
};

/** A small fixed-width table for terminal output. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const fmt = (r: readonly string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
};

/** A row of the accuracy reference's tables (examples/README.md): who measured it, and the score. */
export interface Reference {
  readonly name: string;
  readonly value: string;
}

/**
 * The accuracy reference's optimizer settings (examples/README.md, PyTorch anchor) for the run seeded
 * `seed`: Adam(1e-3), batch 32, batch-order key `foldIn(key(seed), 1)` and the L2 term
 * ½·α·Σw²/32 with α = 1e-4 on the weights only. Shared by the classification and regression
 * examples so they cannot drift apart.
 */
export const referenceTraining = (seed: number) =>
  ({
    optimizer: adam(1e-3),
    batchSize: 32,
    key: foldIn(key(seed), 1),
    penalty: l2Penalty((0.5 * 1e-4) / 32, excludeBiases),
  }) as const;

/**
 * The accuracy reference's protocol for one classification dataset (examples/README.md, PyTorch anchor):
 * for each of the 5 fixed splits, standardize on the train rows only, build the net, train with
 * softmax cross-entropy, Adam(1e-3), batch 32, 200 epochs, the L2 term ½·α·Σw²/32 (α = 1e-4,
 * weights only), and score the test rows. Prints one line per split and returns the per-split
 * accuracies and the first split's history (for the chart); prints the net's summary first.
 */
export const classificationProtocol = <F extends number, C extends number, P>(
  name: string,
  data: { readonly x: Mat<number, F>; readonly labels: readonly number[]; readonly classes: C },
  makeNet: (xTrain: Mat<number, F>) => Layer<F, C, P>,
  options: { readonly epochs?: number; readonly seed?: number } = {},
): { readonly accuracies: readonly number[]; readonly history: History; readonly seconds: number } => {
  const epochs = options.epochs ?? 200;
  const splits = readSplitFile(name, data.x.rows).splits;
  const t0 = performance.now();
  const accuracies: number[] = [];
  let firstHistory: History | undefined;
  splits.forEach((split, k) => {
    const xTrain = takeRows(data.x, split.train);
    const xTest = takeRows(data.x, split.test);
    const yTrain = oneHot(split.train.map((i) => data.labels[i]!), data.classes);
    const labelsTest = split.test.map((i) => data.labels[i]!);
    const net = makeNet(xTrain);
    if (k === 0) console.log(`${summary(net)}\n`);
    const seed = (options.seed ?? 0) + k;
    const states = fitEpochs(net, net.init(key(seed)), { x: xTrain, y: yTrain }, {
      loss: softmaxCrossEntropy,
      epochs,
      ...referenceTraining(seed),
      validation: { x: xTest, y: oneHot(labelsTest, data.classes) },
      metric: accuracyMetric,
    });
    const last = trainWithProgress(states, epochs, { label: `split ${k + 1}/${splits.length}`, lines: 2, metricName: 'test acc', valLabel: 'test loss' });
    const acc = accuracy(predict(net, last.params, xTest), labelsTest);
    accuracies.push(acc);
    firstHistory ??= last.history;
  });
  return { accuracies, history: firstHistory!, seconds: (performance.now() - t0) / 1000 };
};

/**
 * Prints what {@link classificationProtocol} measured next to the reference rows (per-split
 * accuracies, then a mean ± std table) and writes split 1's loss and accuracy curves to
 * `out/<file>`.
 */
export const reportClassification = (
  result: { readonly accuracies: readonly number[]; readonly history: History; readonly seconds: number },
  references: readonly Reference[],
  chart: { readonly title: string; readonly file: string },
): void => {
  const { accuracies, history, seconds } = result;
  console.log(`\nper split: ${accuracies.map((a) => a.toFixed(4)).join('  ')}   (${seconds.toFixed(1)} s in total)\n`);
  console.log(
    table(
      ['test accuracy (5 splits)', 'mean ± std'],
      [['foldnet (this run, 200 epochs)', pm(accuracies)], ...references.map((r) => [r.name, r.value])],
    ),
  );
  const svg = historySvg(history, { title: chart.title, metricLabel: 'accuracy', labels: { valLoss: 'test loss', valMetric: 'test accuracy' } });
  console.log(`\nloss and accuracy curves (split 1): ${writeOut(chart.file, svg)}`);
};
