/**
 * The browser demo: trains a small net on iris inside the page and draws the loss curve live.
 *
 * The data is embedded at build time (esbuild's text loader), decoded with the same io-ts
 * boundary as in Node, split with split 0 of `data/iris.splits.json` (a validation set is carved
 * from its training rows; the test rows are scored once, at the end), and trained with the lazy
 * training iterator: the page takes one epoch per animation frame and redraws the SVG chart from
 * `historySvg`, so the UI stays responsive. Next to the chart, `graphSvg` draws the net itself. When training ends, `#accuracy` holds the test
 * accuracy and `#status` gets `data-state="done"` (the end-to-end test waits for it).
 */
import * as E from 'fp-ts/lib/Either.js';
import { accuracy, confusionMatrix, formatErrors, graphSvg, historySvg, predict, readCsv, readSplits } from '../src/index.js';
import { irisQuickStart } from '../examples/_iris-quick-start.js';
import irisCsv from '../data/iris.csv';
import irisSplits from '../data/iris.splits.json' with { type: 'json' };

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing element #${id}`);
  return el;
};

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()));

const fail = (message: string): void => {
  $('status').textContent = message;
  $('status').dataset['state'] = 'error';
};

const species = ['setosa', 'versicolor', 'virginica'];

const run = async (): Promise<void> => {
  const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
  const decoded = readCsv(irisCsv, { features, target: 'label', task: 'classification', classes: 3 });
  if (E.isLeft(decoded)) return fail(`iris.csv did not decode:\n${formatErrors(decoded.left)}`);
  const iris = decoded.right;
  const splits = readSplits(irisSplits, iris.x.rows);
  if (E.isLeft(splits)) return fail(`iris.splits.json did not decode:\n${formatErrors(splits.left)}`);
  const split = splits.right.splits[0]!;

  const epochs = Number(new URLSearchParams(location.search).get('epochs') ?? 100);
  const { xTest, labelsTest, net, states } = irisQuickStart(iris, split, epochs);
  // The net being trained, as the lecture draws it (forward and backward pass), next to its loss curve.
  $('graph').innerHTML = graphSvg(net, { backward: true, maxWidth: 600, title: 'the net: f = f₃ ∘ f₂ ∘ f₁', idPrefix: 'iris-graph' });

  $('status').textContent = 'training…';
  $('status').dataset['state'] = 'training';
  let last;
  const t0 = performance.now();
  for (const s of states) {
    last = s;
    const h = s.history;
    $('chart').innerHTML = historySvg(h, {
      title: `iris: 4 → 16 → 3, Adam(0.01), epoch ${s.epoch}/${epochs}`,
      metricLabel: 'accuracy', labels: { valLoss: 'validation loss', valMetric: 'validation accuracy' },
    });
    $('epoch').textContent = `${s.epoch}/${epochs} · train loss ${h.trainLoss[s.epoch - 1]!.toFixed(4)} · validation accuracy ${h.valMetric[s.epoch - 1]!.toFixed(4)}`;
    await nextFrame();
  }
  if (last === undefined) return fail('no epochs were run');
  const scores = predict(net, last.params, xTest);
  const acc = accuracy(scores, labelsTest);
  $('accuracy').textContent = acc.toFixed(4);
  const cm = confusionMatrix(scores, labelsTest, 3);
  $('confusion').innerHTML =
    `<tr><th></th>${species.map((s) => `<th>${s}</th>`).join('')}</tr>` +
    cm.map((r, i) => `<tr><th>${species[i]}</th>${r.map((v) => `<td>${v}</td>`).join('')}</tr>`).join('');
  $('status').textContent = `done in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  $('status').dataset['state'] = 'done';
};

run().catch((e: unknown) => fail(`error: ${String(e)}`));
