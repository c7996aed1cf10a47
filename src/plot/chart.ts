/**
 * Line charts as SVG text: a pure function from numbers to a string, with no DOM and no Node
 * dependency, so the same chart renders in a file (`out/*.svg`), in a browser page or in a test.
 *
 * @module
 */
import { formatTick, linearScale, logScale, type Scale } from './scale.js';

/**
 * One line of a chart: `values[i]` is drawn at x = `i + 1` (epochs count from 1). Non-finite
 * values (NaN, ±∞) leave a gap instead of breaking the chart.
 *
 * @since 0.1.0
 * @category plot
 * @inline
 */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** CSS colour; by default the series' position in the Okabe–Ito palette, so each line has its own. */
  readonly color?: string;
  /** Also draw it dashed (e.g. validation next to training), a second cue besides the colour. */
  readonly dashed?: boolean;
}

/**
 * Options of {@link lineChartSvg}. Sizes are in SVG user units (pixels).
 *
 * @since 0.1.0
 * @category plot
 * @inline
 */
export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Log-scale y axis (useful for losses), labelled "(log scale)"; falls back to linear when a value is ≤ 0. */
  readonly logY?: boolean;
}

/**
 * The default line colours: the Okabe–Ito palette, readable with the common colour-vision deficiencies.
 *
 * @since 0.1.0
 * @category plot
 */
export const palette: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

/**
 * Escapes text for use inside SVG/XML content and attribute values.
 *
 * @since 0.1.0
 * @category plot
 */
export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (v: number): string => String(Math.round(v * 100) / 100);

/**
 * A rectangle in SVG user units.
 *
 * @since 0.1.0
 * @category plot
 */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The polyline path of a series, split into pieces at non-finite values. */
const pathOf = (values: readonly number[], xs: Scale, ys: Scale): string => {
  const pieces: string[] = [];
  let cur: string[] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v) && (ys.kind === 'linear' || v > 0)) {
      cur.push(`${cur.length === 0 ? 'M' : 'L'}${num(xs.toPixel(i + 1))},${num(ys.toPixel(v))}`);
    } else if (cur.length > 0) {
      pieces.push(cur.join(''));
      cur = [];
    }
  });
  if (cur.length > 0) pieces.push(cur.join(''));
  return pieces.join('');
};

/** Approximate width of `text` at `fontSize` in a sans-serif font (≈ 0.6 em a character). */
const textWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.6;

/**
 * The legend's layout: one entry per series (a line sample and the name), flowing left to right
 * and wrapping at `width`; positions are offsets from the legend's top-left corner.
 */
const legendLayout = (series: readonly Series[], width: number): { readonly at: readonly (readonly [x: number, y: number])[]; readonly height: number } => {
  const rowH = 16;
  const at: [number, number][] = [];
  let x = 0;
  let y = 0;
  for (const s of series) {
    const w = 30 + textWidth(s.name, 11) + 14;
    if (x > 0 && x + w > width) {
      x = 0;
      y += rowH;
    }
    at.push([x, y]);
    x += w;
  }
  return { at, height: series.length === 0 ? 0 : y + rowH };
};

/**
 * One chart panel (axes, grid, lines, legend) inside `box`, as an SVG `<g>` fragment. Used by
 * {@link lineChartSvg} and by the history chart, which stacks two panels. The legend sits below
 * the plot area, outside it, so no line can cover an entry, and every series keeps its entry even
 * when its line lies exactly on another's. A log-scale y axis says so in its label.
 *
 * @since 0.1.0
 * @category plot
 */
export const panelSvg = (series: readonly Series[], box: Box, opts: LineChartOptions = {}): string => {
  const m0 = { left: 56, right: 12 };
  const legend = legendLayout(series, box.width - m0.left - m0.right);
  const axisH = opts.xLabel === undefined ? 24 : 40;
  const m = { ...m0, top: opts.title === undefined ? 12 : 28, bottom: axisH + (legend.height === 0 ? 4 : legend.height + 14) };
  const plot = { x: box.x + m.left, y: box.y + m.top, width: box.width - m.left - m.right, height: box.height - m.top - m.bottom };
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const xs = linearScale(1, Math.max(2, n), plot.x, plot.x + plot.width, 6);
  const lo = finite.length === 0 ? 0 : Math.min(...finite);
  const hi = finite.length === 0 ? 1 : Math.max(...finite);
  const ys = opts.logY === true && lo > 0 ? logScale(lo, hi, plot.y + plot.height, plot.y) : linearScale(lo, hi, plot.y + plot.height, plot.y, 5);
  const yLabel = ys.kind === 'log' ? (opts.yLabel === undefined ? 'log scale' : `${opts.yLabel} (log scale)`) : opts.yLabel;
  const xTicks = xs.ticks.filter((t) => Number.isInteger(t) && t >= 1);
  const colorOf = (s: Series, i: number): string => escapeXml(s.color ?? palette[i % palette.length]!);
  const dashOf = (s: Series): string => (s.dashed === true ? ' stroke-dasharray="6 4"' : '');
  const parts: string[] = [];
  parts.push(`<g class="panel">`);
  if (opts.title !== undefined) {
    parts.push(`<text x="${num(plot.x)}" y="${num(box.y + 18)}" font-size="13" font-weight="bold">${escapeXml(opts.title)}</text>`);
  }
  parts.push(`<rect class="plot-area" x="${num(plot.x)}" y="${num(plot.y)}" width="${num(plot.width)}" height="${num(plot.height)}" fill="#fff" stroke="#999"/>`);
  for (const t of ys.ticks) {
    const y = num(ys.toPixel(t));
    parts.push(`<line x1="${num(plot.x)}" x2="${num(plot.x + plot.width)}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${num(plot.x - 6)}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle">${formatTick(t)}</text>`);
  }
  for (const t of xTicks) {
    const x = num(xs.toPixel(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${num(plot.y + plot.height)}" y2="${num(plot.y + plot.height + 4)}" stroke="#999"/>`);
    parts.push(`<text x="${x}" y="${num(plot.y + plot.height + 16)}" font-size="11" text-anchor="middle">${formatTick(t)}</text>`);
  }
  if (opts.xLabel !== undefined) {
    parts.push(`<text class="x-label" x="${num(plot.x + plot.width / 2)}" y="${num(plot.y + plot.height + 33)}" font-size="12" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  }
  if (yLabel !== undefined) {
    const cx = num(box.x + 14);
    const cy = num(plot.y + plot.height / 2);
    parts.push(`<text class="y-label" x="${cx}" y="${cy}" font-size="12" text-anchor="middle" transform="rotate(-90 ${cx} ${cy})">${escapeXml(yLabel)}</text>`);
  }
  series.forEach((s, i) => {
    const d = pathOf(s.values, xs, ys);
    if (d !== '') parts.push(`<path d="${d}" fill="none" stroke="${colorOf(s, i)}" stroke-width="2"${dashOf(s)}><title>${escapeXml(s.name)}</title></path>`);
  });
  if (series.length > 0) {
    const top = plot.y + plot.height + axisH + 8;
    parts.push(`<g class="legend">`);
    series.forEach((s, i) => {
      const [dx, dy] = legend.at[i]!;
      const x = plot.x + dx;
      const y = top + dy + 8;
      parts.push(`<line x1="${num(x)}" x2="${num(x + 24)}" y1="${num(y)}" y2="${num(y)}" stroke="${colorOf(s, i)}" stroke-width="2.5"${dashOf(s)}/>`);
      parts.push(`<text x="${num(x + 30)}" y="${num(y)}" font-size="11" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
    });
    parts.push('</g>');
  }
  parts.push('</g>');
  return parts.join('\n');
};

/**
 * Wraps SVG fragments into a standalone SVG document of the given size (a light background included).
 *
 * @since 0.1.0
 * @category plot
 */
export const svgDocument = (width: number, height: number, body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">\n` +
  `<rect width="${width}" height="${height}" fill="#fafafa"/>\n${body}\n</svg>\n`;

/**
 * A line chart of one or more series against x = 1, 2, … (epochs), as a standalone SVG string.
 *
 * @example
 * const svg = lineChartSvg([{ name: 'train loss', values: [1.1, 0.6, 0.4] }], { title: 'loss', logY: true })
 * @since 0.1.0
 * @category plot
 */
export const lineChartSvg = (series: readonly Series[], opts: LineChartOptions = {}): string => {
  const width = opts.width ?? 640;
  const height = opts.height ?? 320;
  return svgDocument(width, height, panelSvg(series, { x: 0, y: 0, width, height }, opts));
};
