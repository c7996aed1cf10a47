/**
 * `summary(net)`: the plain-text table of a network's layers, as Keras' `model.summary()`.
 *
 * @module
 */
import type { Part } from '../layer/layer.js';
import { describeNet, formatDims, layersOf, type DescribeOptions, type LayerInfo } from './describe.js';

/**
 * Options of {@link summary}: those of `describeNet` (the parameters to count, a mask of the trainable
 * leaves, the input dims of a polymorphic net).
 *
 * @since 0.2.0
 * @category plot
 * @inline
 */
export type SummaryOptions = DescribeOptions;

/** `1234567` → `1,234,567`. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A configuration value, short: long comma-separated lists (standardize's μ, σ) keep their first two entries. */
const configValue = (v: number | string | boolean): string => {
  if (typeof v !== 'string') return String(v);
  const items = v.split(',');
  const short = (item: string): string => (/^-?[\d.]+(e[+-]?\d+)?$/i.test(item) ? String(Number(Number(item).toPrecision(4))) : item);
  return items.length > 3 ? `${items.slice(0, 2).map(short).join(',')},… (${items.length} values)` : v;
};

const trainableCell = (l: LayerInfo): string =>
  l.params === 0 ? '–' : l.trainable === l.params ? 'yes' : l.trainable === 0 ? 'no' : `${grouped(l.trainable)} of ${grouped(l.params)}`;

/** Where the layer's parameters sit in the net's parameter tuple: `θ[6]`, `θ[1][0]`. */
const slot = (l: LayerInfo): string => (l.params === 0 ? '' : `θ${l.path.map((i) => `[${i}]`).join('')}`);

const pad = (s: string, n: number, right = false): string => (right ? s.padStart(n) : s.padEnd(n));

/**
 * A plain-text table of the layers of `net`, in the order they run: position (nested composites
 * numbered `2.1`, `2.2` and indented), kind, input → output dims (a shape-polymorphic layer at the
 * width it takes there; shapes as `28×28×1`), parameter count, whether they are trainable, where
 * they sit in the parameter tuple (`θ[k]`), and the layer's configuration; then the totals. The
 * counts are read from the parameter record itself (`net.init(key(0))` unless `params` is given).
 * Returns the text; printing it is the caller's business.
 *
 * @example
 * console.log(summary(sequential(dense(4, 8), relu, dense(8, 2))))
 * // sequential: 4 → 2, 3 layers
 * // ────────────────────────────────────────────────────────
 * //  #  layer  in → out  params  trainable  θ     config
 * // ────────────────────────────────────────────────────────
 * //  1  dense   4 → 8        40  yes        θ[0]  init=glorot
 * //  2  relu    8 → 8         0  –
 * //  3  dense   8 → 2        18  yes        θ[2]  init=glorot
 * // ────────────────────────────────────────────────────────
 * // total: 58 parameters, 58 trainable, 0 frozen
 * @since 0.2.0
 * @category plot
 */
export const summary = (net: Part, options: SummaryOptions = {}): string => {
  const { root } = describeNet(net, options);
  const layers = layersOf(root);
  const position = (l: LayerInfo): string => {
    // Run-order numbers at every level: 1, 2, 2.1, 2.2, 3, …
    const idx: number[] = [];
    let level: readonly LayerInfo[] = root.children;
    for (let d = 0; d <= l.depth; d++) {
      const i = level.findIndex((c) => c.path[d] === l.path[d]);
      idx.push(i + 1);
      level = level[i]?.children ?? [];
    }
    return idx.join('.');
  };
  const rows = layers.map((l) => [
    position(l),
    `${'  '.repeat(l.depth)}${l.kind}`,
    formatDims(l.input),
    formatDims(l.output),
    grouped(l.params),
    trainableCell(l),
    slot(l),
    Object.entries(l.config).map(([k, v]) => `${k}=${configValue(v)}`).join('  '),
  ]);
  const header = ['#', 'layer', 'in', 'out', 'params', 'trainable', 'θ', 'config'];
  const all = [header, ...rows];
  const width = (c: number): number => Math.max(...all.map((r) => r[c]!.length));
  const w = header.map((_, c) => width(c));
  const dims = (r: readonly string[]): string =>
    r === header ? pad('in → out', w[2]! + w[3]! + 3) : `${pad(r[2]!, w[2]!, true)} → ${pad(r[3]!, w[3]!)}`;
  const line = (r: readonly string[]): string =>
    [
      pad(r[0]!, w[0]!),
      pad(r[1]!, w[1]!),
      dims(r),
      pad(r[4]!, w[4]!, true),
      pad(r[5]!, w[5]!),
      pad(r[6]!, w[6]!),
      r[7]!,
    ].join('  ').trimEnd();
  const leaves = layers.filter((l) => l.children.length === 0).length;
  const nested = layers.length > leaves ? `, ${leaves} in all` : '';
  const title = `${root.kind}: ${formatDims(root.input)} → ${formatDims(root.output)}, ${root.children.length} layer${root.children.length === 1 ? '' : 's'}${nested}`;
  const rule = '─'.repeat(Math.max(title.length, ...all.map((r) => line(r).length)));
  const frozen = root.params - root.trainable;
  const total = `total: ${grouped(root.params)} parameters, ${grouped(root.trainable)} trainable, ${grouped(frozen)} frozen`;
  return [title, rule, ` ${line(header)}`, rule, ...rows.map((r) => ` ${line(r)}`), rule, total].join('\n');
};
