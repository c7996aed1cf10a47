/**
 * Heatmaps of matrices as SVG text, made for Jacobians: entry Jᵢⱼ = ∂yᵢ/∂xⱼ drawn at row i
 * (outputs) and column j (inputs) on a diverging scale centred at zero.
 *
 * @module
 */
import type { Mat } from '../tensor/mat.js';
import { escapeXml, svgDocument } from './chart.js';
import { formatTick, linearScale } from './scale.js';

/**
 * One matrix of a side-by-side heatmap, with its title.
 *
 * @since 0.2.0
 * @category plot
 * @inline
 */
export interface HeatmapPanel {
  readonly matrix: Mat<number, number>;
  readonly title?: string;
}

/**
 * Options of {@link jacobianSvg}. Sizes are in SVG user units (pixels).
 *
 * @since 0.2.0
 * @category plot
 * @inline
 */
export interface HeatmapOptions {
  readonly title?: string;
  /** Column axis name (default `'input j'`). */
  readonly xLabel?: string;
  /** Row axis name (default `'output i'`). */
  readonly yLabel?: string;
  /** The |value| at the ends of the colour scale (default: the largest finite |entry| of all panels). */
  readonly maxAbs?: number;
  /** Side of one cell (default: what fits about 420 × 320 pixels per panel, between 6 and 44). */
  readonly cellSize?: number;
  /** Print each entry in its cell (default: when cells are at least 34 pixels wide). */
  readonly showValues?: boolean;
  /** Name of the colour bar (default `'∂yᵢ/∂xⱼ'`). */
  readonly valueLabel?: string;
}

/**
 * ColorBrewer's RdBu, a diverging scheme readable with the common colour-vision deficiencies, from
 * the most negative (dark blue) through near-white at zero to the most positive (dark red).
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0x05, 0x30, 0x61], [0x21, 0x66, 0xac], [0x43, 0x93, 0xc3], [0x92, 0xc5, 0xde], [0xd1, 0xe5, 0xf0],
  [0xf7, 0xf7, 0xf7],
  [0xfd, 0xdb, 0xc7], [0xf4, 0xa5, 0x82], [0xd6, 0x60, 0x4d], [0xb2, 0x18, 0x2b], [0x67, 0x00, 0x1f],
];

const hex = (v: number): string => Math.round(v).toString(16).padStart(2, '0');

/**
 * The colour of `t` ∈ [−1, 1] on the diverging scale (blue below zero, near-white at zero, red
 * above), interpolated between ColorBrewer's RdBu stops; `t` outside [−1, 1] is clamped, NaN is grey.
 *
 * @example
 * divergingColor(0)  // '#f7f7f7'
 * divergingColor(-1) // '#053061'
 * @since 0.2.0
 * @category plot
 */
export const divergingColor = (t: number): string => {
  if (Number.isNaN(t)) return '#bbbbbb';
  const u = ((Math.max(-1, Math.min(1, t)) + 1) / 2) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - k;
  const [a, b] = [STOPS[k]!, STOPS[k + 1]!];
  return `#${hex(a[0] + (b[0] - a[0]) * f)}${hex(a[1] + (b[1] - a[1]) * f)}${hex(a[2] + (b[2] - a[2]) * f)}`;
};

const num = (v: number): string => String(Math.round(v * 10) / 10);

/** Which 1-based indices to label along an axis of `n` cells of `size` pixels (every one if they fit). */
const tickIndices = (n: number, size: number): number[] => {
  const every = Math.max(1, Math.ceil(16 / size));
  const step = every === 1 ? 1 : [2, 5, 10, 20, 50, 100, 200, 500].find((s) => s >= every) ?? every;
  return Array.from({ length: Math.ceil(n / step) }, (_, k) => 1 + k * step);
};

const shortValue = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(2) : v.toExponential(0)) : String(v));

/**
 * A heatmap of a Jacobian (or any matrix) as a standalone SVG string: entry (i, j) is the cell at
 * row i (the outputs yᵢ, top to bottom) and column j (the inputs xⱼ, left to right), both counted
 * from 1 as in Jᵢⱼ = ∂yᵢ/∂xⱼ, coloured on a diverging, colour-blind-safe scale symmetric around 0
 * (blue negative, red positive), with a colour bar. Given a list of panels, draws them side by side
 * on one shared scale, e.g. the forward-mode and reverse-mode Jacobians of the same function.
 * Non-finite entries are grey. Each cell carries its exact value as a tooltip.
 *
 * @example
 * const J = jacobian(net, params, x0)                 // Mat<O, I>
 * writeTextFile('out/jacobian.svg', jacobianSvg(J, { title: 'J = ∂f/∂x at x₀' }))
 * jacobianSvg([
 *   { matrix: jacobian(net, params, x0, { mode: 'forward' }), title: 'forward mode' },
 *   { matrix: jacobian(net, params, x0, { mode: 'reverse' }), title: 'reverse mode' },
 * ])
 * @since 0.2.0
 * @category plot
 */
export const jacobianSvg = (J: Mat<number, number> | readonly HeatmapPanel[], options: HeatmapOptions = {}): string => {
  const panels: readonly HeatmapPanel[] = Array.isArray(J) ? J : [{ matrix: J as Mat<number, number> }];
  if (panels.length === 0) throw new RangeError('jacobianSvg: needs at least one matrix');
  const finite = panels.flatMap((p) => Array.from(p.matrix.data).filter(Number.isFinite).map(Math.abs));
  const observed = finite.length === 0 ? 0 : Math.max(...finite);
  const maxAbs = options.maxAbs ?? (observed > 0 ? observed : 1);
  if (!(maxAbs > 0 && Number.isFinite(maxAbs))) throw new RangeError(`jacobianSvg: maxAbs must be a positive number, got ${maxAbs}`);
  const rows = Math.max(...panels.map((p) => p.matrix.rows));
  const cols = Math.max(...panels.map((p) => p.matrix.cols));
  const cell = options.cellSize ?? Math.max(6, Math.min(44, Math.floor(Math.min(420 / Math.max(1, cols), 320 / Math.max(1, rows)))));
  const showValues = options.showValues ?? cell >= 34;
  const xLabel = options.xLabel ?? 'input j';
  const yLabel = options.yLabel ?? 'output i';

  const titleH = options.title === undefined ? 0 : 26;
  const panelTitleH = panels.some((p) => p.title !== undefined) ? 22 : 0;
  const left = 58; // row axis name and tick labels
  const top = titleH + panelTitleH + 26; // column tick labels and the axis name above the matrix
  const gap = 72; // between panels: room for the next panel's row axis
  // A panel is as wide as its matrix or its title (rough text width: no DOM to measure with).
  const panelW = (p: HeatmapPanel): number => Math.max(p.matrix.cols * cell, 60, [...(p.title ?? '')].length * 13 * 0.62);
  const barX = left + panels.reduce((s, p) => s + panelW(p), 0) + gap * (panels.length - 1) + 36;
  const barH = Math.max(120, Math.min(260, rows * cell));
  const width = barX + 90;
  const height = top + Math.max(rows * cell, barH) + 18;

  const out: string[] = [];
  if (options.title !== undefined) {
    out.push(`<text x="${num(width / 2)}" y="18" font-size="14" font-weight="bold" text-anchor="middle">${escapeXml(options.title)}</text>`);
  }
  let x0 = left;
  panels.forEach((p, k) => {
    const { matrix: m } = p;
    const w = m.cols * cell;
    const pw = panelW(p);
    out.push(`<g class="heatmap" data-panel="${k}" data-rows="${m.rows}" data-cols="${m.cols}">`);
    if (p.title !== undefined) {
      out.push(`<text x="${num(x0 + pw / 2)}" y="${num(titleH + 15)}" font-size="13" font-weight="bold" text-anchor="middle">${escapeXml(p.title)}</text>`);
    }
    x0 += (pw - w) / 2; // the matrix centred under its title
    out.push(`<text x="${num(x0 + w / 2)}" y="${num(top - 16)}" font-size="11" text-anchor="middle" fill="#444">${escapeXml(xLabel)}</text>`);
    const cy = top + (m.rows * cell) / 2;
    out.push(`<text x="${num(x0 - 40)}" y="${num(cy)}" font-size="11" text-anchor="middle" fill="#444" transform="rotate(-90 ${num(x0 - 40)} ${num(cy)})">${escapeXml(yLabel)}</text>`);
    for (const j of tickIndices(m.cols, cell)) {
      out.push(`<text class="col-tick" x="${num(x0 + (j - 0.5) * cell)}" y="${num(top - 4)}" font-size="10" text-anchor="middle">${j}</text>`);
    }
    for (const i of tickIndices(m.rows, cell)) {
      out.push(`<text class="row-tick" x="${num(x0 - 5)}" y="${num(top + (i - 0.5) * cell)}" font-size="10" text-anchor="end" dominant-baseline="central">${i}</text>`);
    }
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j]!;
        const t = Number.isFinite(v) ? v / maxAbs : Number.NaN;
        const fill = divergingColor(t);
        const cx = x0 + j * cell;
        const cyy = top + i * cell;
        out.push(
          `<rect class="cell" data-i="${i + 1}" data-j="${j + 1}" x="${num(cx)}" y="${num(cyy)}" width="${cell}" height="${cell}" fill="${fill}"><title>J[${i + 1},${j + 1}] = ${v}</title></rect>`,
        );
        if (showValues) {
          const ink = Math.abs(t) > 0.6 ? '#fff' : '#222';
          out.push(`<text x="${num(cx + cell / 2)}" y="${num(cyy + cell / 2)}" font-size="${cell >= 40 ? 10 : 9}" text-anchor="middle" dominant-baseline="central" fill="${ink}">${shortValue(v)}</text>`);
        }
      }
    }
    out.push(`<rect x="${num(x0)}" y="${num(top)}" width="${w}" height="${m.rows * cell}" fill="none" stroke="#666"/>`);
    out.push(`</g>`);
    x0 += w + (pw - w) / 2 + gap;
  });

  // The colour bar: −maxAbs at the bottom, +maxAbs at the top, ticks at nice values inside.
  const steps = 48;
  const by = top;
  const toY = (v: number): number => by + barH * (1 - (v + maxAbs) / (2 * maxAbs));
  out.push(`<g class="colorbar" data-max-abs="${maxAbs}">`);
  for (let s = 0; s < steps; s++) {
    const v = maxAbs * (1 - (2 * (s + 0.5)) / steps);
    out.push(`<rect x="${num(barX)}" y="${num(by + (s * barH) / steps)}" width="14" height="${num(barH / steps + 0.5)}" fill="${divergingColor(v / maxAbs)}"/>`);
  }
  out.push(`<rect x="${num(barX)}" y="${num(by)}" width="14" height="${num(barH)}" fill="none" stroke="#666"/>`);
  const ticks = linearScale(-maxAbs, maxAbs, 0, 1, 4).ticks.filter((t) => Math.abs(t) <= maxAbs * (1 + 1e-9));
  for (const t of ticks) {
    out.push(`<line x1="${num(barX + 14)}" x2="${num(barX + 18)}" y1="${num(toY(t))}" y2="${num(toY(t))}" stroke="#666"/>`);
    out.push(`<text x="${num(barX + 21)}" y="${num(toY(t))}" font-size="10" dominant-baseline="central">${formatTick(t)}</text>`);
  }
  out.push(`<text x="${num(barX)}" y="${num(by - 8)}" font-size="11" fill="#444">${escapeXml(options.valueLabel ?? '∂yᵢ/∂xⱼ')}</text>`);
  out.push(`</g>`);
  return svgDocument(Math.ceil(width), Math.ceil(height), out.join('\n'));
};
