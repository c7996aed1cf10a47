/**
 * Next-day maximum temperature in Seattle from the previous 14 days of weather (precipitation,
 * maximum and minimum temperature, wind; NOAA daily records 2012–2015 as packaged in
 * `vega-datasets`, bundled in `data/seattle-weather.csv`).
 *
 * The series is cut into windows `[14, 4]` → next day's `temp_max` (`slidingWindows`), split in time
 * order into 70 % training, 15 % validation and 15 % test windows (`splitWindows`, no shuffling), and
 * scaled per feature with statistics of the training windows only (`standardizeFeatures`; the
 * nets learn standardized targets, `standardizeTargets`). Every
 * model is judged against the baselines on the test span:
 *
 * - persistence: tomorrow's maximum is today's;
 * - linear autoregression: least squares on all 56 lagged values (`linearAutoregression`);
 * - an MLP on the flattened window, and RNN, LSTM and GRU layers with 16 units, each followed by
 *   `dense(16, 1)`, trained with Adam and gradient clipping, early stopping on the validation span.
 *
 * Prints the test RMSE (°C) table and writes `out/forecast.svg` (forecasts vs actual on the test span).
 *
 * Run: `npm run example:forecast`
 */
import {
  adam, chain, clipByGlobalNorm, dense, fit, flatten, gru, key, lineChartSvg, linearAutoregression, lstm, mse, persistence,
  ops, relu, rmse, rnn, sequential, splitWindows, slidingWindows, standardizeFeatures, standardizeTargets, unsafeMat, type Layer, type Shaped,
} from '../src/index.js';
import { readCsvFile } from '../src/node.js';
import { dataPath, orExit, table, writeOut } from './_shared.js';

const LOOKBACK = 14;
const weather = orExit('seattle-weather.csv', readCsvFile(dataPath('seattle-weather.csv'), {
  features: ['precipitation', 'temp_min', 'wind'] as const, target: 'temp_max', task: 'regression',
}));
// the series: one row per day, columns [temp_max, precipitation, temp_min, wind]
const series = unsafeMat(weather.x.rows, 4, ops.concatCols([weather.y, weather.x]).data);
const windows = slidingWindows(series, { lookback: LOOKBACK, targets: [0] });
const { train, validation, test } = splitWindows(windows, { train: 0.7, validation: 0.15 });
console.log(`${series.rows} days → ${windows.x.rows} windows of [${LOOKBACK}, 4]: ${train.x.rows} train, ${validation.x.rows} validation, ${test.x.rows} test (time order)\n`);

const scale = standardizeFeatures(train.x, [LOOKBACK, 4]);
// the nets learn standardized targets (training statistics); forecasts are mapped back to °C
const target = standardizeTargets(train.y);
type Model = Layer<Shaped<[14, 4]>, 1, unknown>;
const models: readonly (readonly [string, Model])[] = [
  ['MLP on the flat window (56 → 32 → 1)', sequential(scale, flatten([14, 4]), dense(56, 32), relu, dense(32, 1)) as Model],
  ['RNN (16 units)', sequential(scale, rnn([14, 4], 16), dense(16, 1)) as Model],
  ['LSTM (16 units)', sequential(scale, lstm([14, 4], 16), dense(16, 1)) as Model],
  ['GRU (16 units)', sequential(scale, gru([14, 4], 16), dense(16, 1)) as Model],
];

const score = (predicted: { readonly data: Float64Array }): number => rmse(Array.from(predicted.data), Array.from(test.y.data));
const rows: string[][] = [
  ['persistence (tomorrow = today)', score(persistence(test)).toFixed(3)],
  ['linear autoregression (least squares)', score(linearAutoregression(train, { ridge: 1e-6 }).predict(test)).toFixed(3)],
];
const forecasts: { name: string; values: number[] }[] = [];
models.forEach(([name, model], i) => {
  const t0 = performance.now();
  const r = fit(model, model.init(key(i)), { x: train.x, y: target.transform(train.y) }, {
    loss: mse,
    optimizer: chain(clipByGlobalNorm(1), adam(1e-3)),
    epochs: 200,
    batchSize: 32,
    key: key(100 + i),
    validation: { x: validation.x, y: target.transform(validation.y) },
    earlyStopping: { patience: 15, restoreBest: true },
  });
  const yhat = target.inverse(model.forward(r.params, test.x));
  rows.push([name, score(yhat).toFixed(3)]);
  forecasts.push({ name, values: Array.from(yhat.data) });
  console.log(`${name}: ${r.history.trainLoss.length} epochs (${r.stopReason._tag}), ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});

console.log(`\nnext-day temp_max, test RMSE (°C) over the last ${test.x.rows} days:\n`);
console.log(table(['model', 'RMSE'], rows));

const days = 120;
const svg = lineChartSvg(
  [
    { name: 'actual', values: Array.from(test.y.data.subarray(0, days)), color: '#000000' },
    { name: 'persistence', values: Array.from(persistence(test).data.subarray(0, days)), dashed: true },
    ...forecasts.filter((f) => f.name.startsWith('LSTM') || f.name.startsWith('GRU')).map((f) => ({ name: f.name, values: f.values.slice(0, days) })),
  ],
  { title: `Seattle next-day maximum temperature, first ${days} test days`, xLabel: 'day of the test span', yLabel: '°C' },
);
console.log(`\nforecast vs actual: ${writeOut('forecast.svg', svg)}`);
