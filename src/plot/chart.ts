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
 */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  /** CSS colour; by default taken from a colour-blind-safe palette in order. */
  readonly color?: string;
  /** Draw dashed (e.g. validation next to training). */
  readonly dashed?: boolean;
}

/**
 * Options of {@link lineChartSvg}. Sizes are in SVG user units (pixels).
 *
 * @since 0.1.0
 * @category plot
 */
export interface LineChartOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Log-scale y axis (useful for losses); falls back to linear when a value is ≤ 0. */
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

/**
 * One chart panel (axes, grid, lines, legend) inside `box`, as an SVG `<g>` fragment. Used by
 * {@link lineChartSvg} and by the history chart, which stacks two panels.
 *
 * @since 0.1.0
 * @category plot
 */
export const panelSvg = (series: readonly Series[], box: Box, opts: LineChartOptions = {}): string => {
  const m = { left: 56, right: 12, top: opts.title === undefined ? 12 : 28, bottom: opts.xLabel === undefined ? 28 : 42 };
  const plot = { x: box.x + m.left, y: box.y + m.top, width: box.width - m.left - m.right, height: box.height - m.top - m.bottom };
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const xs = linearScale(1, Math.max(2, n), plot.x, plot.x + plot.width, 6);
  const lo = finite.length === 0 ? 0 : Math.min(...finite);
  const hi = finite.length === 0 ? 1 : Math.max(...finite);
  const ys = opts.logY === true && lo > 0 ? logScale(lo, hi, plot.y + plot.height, plot.y) : linearScale(lo, hi, plot.y + plot.height, plot.y, 5);
  const xTicks = xs.ticks.filter((t) => Number.isInteger(t) && t >= 1);
  const parts: string[] = [];
  parts.push(`<g class="panel">`);
  if (opts.title !== undefined) {
    parts.push(`<text x="${num(plot.x)}" y="${num(box.y + 18)}" font-size="13" font-weight="bold">${escapeXml(opts.title)}</text>`);
  }
  parts.push(`<rect x="${num(plot.x)}" y="${num(plot.y)}" width="${num(plot.width)}" height="${num(plot.height)}" fill="#fff" stroke="#999"/>`);
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
    parts.push(`<text x="${num(plot.x + plot.width / 2)}" y="${num(box.y + box.height - 6)}" font-size="12" text-anchor="middle">${escapeXml(opts.xLabel)}</text>`);
  }
  if (opts.yLabel !== undefined) {
    const cx = num(box.x + 14);
    const cy = num(plot.y + plot.height / 2);
    parts.push(`<text x="${cx}" y="${cy}" font-size="12" text-anchor="middle" transform="rotate(-90 ${cx} ${cy})">${escapeXml(opts.yLabel)}</text>`);
  }
  // The legend goes in the corner the lines leave free: top right if they end low, else bottom right.
  const ends = series.flatMap((s) => s.values.slice(-Math.max(1, Math.ceil(s.values.length / 4))).filter((v) => Number.isFinite(v) && (ys.kind === 'linear' || v > 0)));
  const endsHigh = ends.length > 0 && ends.reduce((acc, v) => acc + ys.toPixel(v), 0) / ends.length < plot.y + plot.height / 2;
  const legendH = series.length * 16 + 6;
  const legendY = endsHigh ? plot.y + plot.height - legendH - 6 : plot.y + 6;
  const legendW = 36 + 7 * Math.max(0, ...series.map((s) => s.name.length));
  const lx = plot.x + plot.width - legendW - 6;
  if (series.length > 0) {
    parts.push(`<rect x="${num(lx)}" y="${num(legendY)}" width="${num(legendW)}" height="${num(legendH)}" fill="#fff" fill-opacity="0.85" stroke="#ddd"/>`);
  }
  series.forEach((s, i) => {
    const color = escapeXml(s.color ?? palette[i % palette.length]!);
    const d = pathOf(s.values, xs, ys);
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
    if (d !== '') parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}><title>${escapeXml(s.name)}</title></path>`);
  });
  series.forEach((s, i) => {
    const color = escapeXml(s.color ?? palette[i % palette.length]!);
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
    const ly = legendY + 11 + i * 16;
    parts.push(`<line x1="${num(lx + 6)}" x2="${num(lx + 28)}" y1="${num(ly)}" y2="${num(ly)}" stroke="${color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${num(lx + 34)}" y="${num(ly)}" font-size="11" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
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
