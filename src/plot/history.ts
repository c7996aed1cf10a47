/**
 * The training-history chart: loss per epoch on top (log scale), metrics per epoch below, each
 * line in its own colour (validation also dashed) and named in a legend below its panel.
 *
 * @module
 */
import { escapeXml, palette, panelSvg, svgDocument, type Series } from './chart.js';

/**
 * A training history in either of the two usual layouts:
 * - per epoch, a list of records: `[{ epoch: 1, trainLoss: 0.9, valLoss: 1.0 }, …]`;
 * - per quantity, a record of lists: `{ trainLoss: [0.9, …], valLoss: [1.0, …] }`.
 * Every numeric field (other than `epoch`, `step`, `updates`, `bestEpoch` and timings) becomes one
 * line; foldnet's `History` (from `fit`) is of the second kind.
 *
 * @since 0.1.0
 * @category plot
 * @inline
 */
export type HistoryLike = readonly object[] | object;

/**
 * Options of {@link historySvg}.
 *
 * @since 0.1.0
 * @category plot
 * @inline
 */
export interface HistoryChartOptions {
  readonly width?: number;
  /** Height of each panel (losses; metrics when present). */
  readonly panelHeight?: number;
  readonly title?: string;
  /** Log-scale loss axis (default true; linear when a loss is ≤ 0). */
  readonly logLoss?: boolean;
  /** Which fields to draw, in order (default: every numeric field). */
  readonly fields?: readonly string[];
  /** Legend names by field, e.g. `{ valMetric: 'val accuracy' }` (default: the field name in words). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The y-axis name of the metrics panel, e.g. `'accuracy'` or `'RMSE'` (default `'metric'`). */
  readonly metricLabel?: string;
}

const skipped = /^(epoch|epochs|step|steps|updates|iteration|bestEpoch|time.*|elapsed.*|.*Ms)$/i;

/** `trainLoss` → `train loss`, `val_accuracy` → `val accuracy`. */
const label = (field: string): string =>
  field.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

const isNumberArray = (u: unknown): u is readonly number[] => Array.isArray(u) && u.every((v) => typeof v === 'number');

/**
 * The lines of a history: one `Series` per numeric field, in first-seen order, validation
 * and test fields dashed. Missing epochs of a field become gaps (NaN); empty fields and exact
 * copies of an earlier field are left out.
 *
 * @example
 * historySeries([{ epoch: 1, trainLoss: 0.9 }, { epoch: 2, trainLoss: 0.5 }])
 * // [{ name: 'train loss', values: [0.9, 0.5], dashed: false }]
 * @since 0.1.0
 * @category plot
 */
export const historySeries = (
  history: HistoryLike,
  fields?: readonly string[],
  labels: Readonly<Record<string, string>> = {},
): readonly Series[] => {
  const columns: [string, readonly number[]][] = Array.isArray(history)
    ? (() => {
        const rows = history as readonly Record<string, unknown>[];
        const keys = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => typeof r[k] === 'number')))];
        return keys.map((k): [string, readonly number[]] => [k, rows.map((r) => (typeof r[k] === 'number' ? (r[k] as number) : Number.NaN))]);
      })()
    : Object.entries(history as Record<string, unknown>).filter((e): e is [string, readonly number[]] => isNumberArray(e[1]));
  const chosen = fields === undefined ? columns.filter(([k]) => !skipped.test(k)) : fields.flatMap((f) => columns.filter(([k]) => k === f));
  // Empty fields (no validation data) and exact copies (trainCost without a penalty) add nothing.
  const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  const kept = chosen.filter(([, v], i) => v.length > 0 && !chosen.slice(0, i).some(([, w]) => same(v, w)));
  return kept.map(([k, values]) => ({ name: labels[k] ?? label(k), values, dashed: /val|test/i.test(k) }));
};

/**
 * Renders a training history (train/validation loss and metrics per epoch) as a standalone SVG
 * string: losses and costs (fields whose name contains "loss" or "cost", e.g. `trainCost` = loss +
 * penalty) in the top panel, on a log axis labelled "loss (log scale)" unless `logLoss: false`,
 * everything else (accuracy, RMSE, …) in a second panel below. Each line gets its own colour from
 * the colour-blind-safe Okabe–Ito palette (validation and test lines are dashed as well),
 * and each panel's legend sits below its plot, so every entry stays visible. Pure: no DOM, no file system.
 *
 * @example
 * const svg = historySvg(result.history, { title: 'iris, 4-16-3, Adam' })
 * writeFileSync('out/iris-loss.svg', svg)
 * @since 0.1.0
 * @category plot
 */
export const historySvg = (history: HistoryLike, opts: HistoryChartOptions = {}): string => {
  const width = opts.width ?? 640;
  const ph = opts.panelHeight ?? 280;
  // One colour per line across both panels (the Okabe–Ito palette in order): no two lines share one.
  const series = historySeries(history, opts.fields, opts.labels).map((s, i) => ({ ...s, color: s.color ?? palette[i % palette.length]! }));
  const isLoss = (s: Series): boolean => /loss|cost/i.test(s.name);
  const losses = series.filter(isLoss);
  const metrics = series.filter((s) => !isLoss(s));
  const panels: string[] = [];
  const titleH = opts.title === undefined ? 0 : 24;
  const lossPanel = losses.length > 0 ? [losses] : [];
  const metricPanel = metrics.length > 0 ? [metrics] : [];
  [...lossPanel, ...metricPanel].forEach((ss, i) => {
    const isLossPanel = i === 0 && lossPanel.length > 0;
    panels.push(
      panelSvg(ss, { x: 0, y: titleH + i * ph, width, height: ph }, {
        yLabel: isLossPanel ? 'loss' : (opts.metricLabel ?? 'metric'),
        xLabel: 'epoch',
        logY: isLossPanel && opts.logLoss !== false,
      }),
    );
  });
  if (panels.length === 0) panels.push(panelSvg([], { x: 0, y: titleH, width, height: ph }, { xLabel: 'epoch' }));
  const title = opts.title === undefined ? '' : `<text x="${width / 2}" y="18" font-size="14" font-weight="bold" text-anchor="middle">${escapeXml(opts.title)}</text>\n`;
  return svgDocument(width, titleH + Math.max(1, panels.length) * ph, title + panels.join('\n'));
};
