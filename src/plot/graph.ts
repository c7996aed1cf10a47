/**
 * The computational graph of a network as SVG text, drawn as the lecture draws it:
 * x₁ → f₁ → x₂ → f₂ → … → f_L → o, each fₗ a box with its map ℝⁿ → ℝᵐ and its parameters θₗ, and
 * optionally the backward pass uₗ = ∂L/∂xₗ flowing right to left (the VJP chain).
 *
 * @module
 */
import type { Part } from '../layer/layer.js';
import { escapeXml, palette, svgDocument } from './chart.js';
import { describeNet, formatDims, layersOf, type DescribeOptions, type Dims, type LayerInfo } from './describe.js';

/**
 * Options of {@link graphSvg}; also those of `describeNet` (parameters to count, trainable mask,
 * input dims of a polymorphic net).
 *
 * @since 0.2.0
 * @category plot
 * @inline
 */
export interface GraphOptions extends DescribeOptions {
  /** Draw the backward pass: uₗ = ∂L/∂xₗ from the loss back to x₁, and ∂L/∂θₗ at each box (default false). */
  readonly backward?: boolean;
  /** Draw each shape-polymorphic layer (activation, dropout) in the box of the layer before it, as the lecture's fₗ = σ ∘ affine (default true). */
  readonly mergeActivations?: boolean;
  readonly title?: string;
  /** Maximum width in pixels before the chain wraps onto a new row (default 1200). */
  readonly maxWidth?: number;
  /** Prefix of the ids inside the SVG (arrow markers), to keep them unique when several graphs share a page. */
  readonly idPrefix?: string;
}

const SUB = '₀₁₂₃₄₅₆₇₈₉';
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const sub = (n: number): string => String(n).replace(/\d/g, (d) => SUB[Number(d)]!);
const sup = (s: string): string => s.replace(/\d/g, (d) => SUP[Number(d)]!).replace(/×/g, 'ˣ');

/**
 * The space a layer maps from or to, in the lecture's notation: `8` → `ℝ⁸`, `[28, 28, 1]` → `ℝ²⁸ˣ²⁸ˣ¹`.
 *
 * @since 0.2.0
 * @category plot
 */
export const realSpace = (d: Dims | null): string => (d === null ? 'ℝⁿ' : `ℝ${sup(formatDims(d))}`);

const num = (v: number): string => String(Math.round(v * 10) / 10);
/** Rough text width in pixels for the sans-serif font at `size` (no DOM to measure with). */
const textWidth = (s: string, size: number): number => [...s].length * size * 0.6;

const FORWARD = palette[0]!; // Okabe–Ito blue
const BACKWARD = palette[1]!; // Okabe–Ito vermillion
const GROUP = '#777';

/** One box fₗ: a layer, with the shape-polymorphic layers after it when merged. */
interface Box {
  readonly index: number;
  readonly members: readonly LayerInfo[];
  readonly input: Dims | null;
  readonly output: Dims | null;
  readonly params: number;
  readonly trainable: number;
  /** The composites this box sits in, outermost first (their paths). */
  readonly groups: readonly LayerInfo[];
  readonly lines: readonly [string, string, string];
  readonly width: number;
}

const samePath = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** The boxes fₗ of a described net, in the order they run. */
const boxesOf = (root: LayerInfo, merge: boolean): Box[] => {
  const all = layersOf(root);
  const ancestors = (l: LayerInfo): LayerInfo[] => all.filter((c) => c.children.length > 0 && c.path.length < l.path.length && samePath(c.path, l.path.slice(0, c.path.length)));
  const parent = (l: LayerInfo): readonly number[] => l.path.slice(0, -1);
  const runs: LayerInfo[][] = [];
  for (const l of all.filter((c) => c.children.length === 0)) {
    const last = runs.at(-1);
    const joins = merge && l.polymorphic && l.params === 0 && last !== undefined && samePath(parent(last[0]!), parent(l));
    if (joins) last.push(l);
    else runs.push([l]);
  }
  return runs.map((members, i) => {
    const first = members[0]!;
    const index = i + 1;
    const params = members.reduce((s, m) => s + m.params, 0);
    const trainable = members.reduce((s, m) => s + m.trainable, 0);
    const output = members.at(-1)!.output;
    const lines: [string, string, string] = [
      `f${sub(index)}: ${members.map((m) => m.kind).join(' · ')}`,
      `${realSpace(first.input)} → ${realSpace(output)}`,
      params === 0 ? 'no parameters' : `θ${sub(index)}: ${params.toLocaleString('en-US')}${trainable < params ? ` (${trainable.toLocaleString('en-US')} trained)` : ''}`,
    ];
    const width = Math.max(96, ...lines.map((s) => textWidth(s, 12) + 18));
    return { index, members, input: first.input, output, params, trainable, groups: ancestors(first), lines, width };
  });
};

/**
 * The computational graph of `net` as a standalone SVG string, in the lecture's notation: nodes
 * xₗ (with the space ℝ^{dₗ} they live in), boxes fₗ (kinds, the map ℝ^{dₗ} → ℝ^{dₗ₊₁}, and the
 * parameter count of θₗ), forward edges left to right and, with `backward: true`, the backward
 * pass right to left: the seed u = ∂L/∂o at the loss, uₗᵀ = uₗ₊₁ᵀ ∂fₗ/∂xₗ at each node and
 * ∂L/∂θₗ = uₗ₊₁ᵀ ∂fₗ/∂θₗ at each box with parameters. Nested composites are drawn as dashed groups
 * labelled with their kind and parameter slot; long chains wrap onto new rows (the node that ends a
 * row starts the next, drawn dashed). Dims and counts are read from the net's values (`spec`,
 * `init`), as `summary` does. Pure: no DOM, no file system.
 *
 * @example
 * const svg = graphSvg(compose(dense(4, 2), relu, dense(6, 4), relu, dense(8, 6), relu, dense(4, 8)), { backward: true })
 * writeTextFile('out/lecture-network.svg', svg)
 * @since 0.2.0
 * @category plot
 */
export const graphSvg = (net: Part, options: GraphOptions = {}): string => {
  const { root } = describeNet(net, options);
  const backward = options.backward === true;
  const boxes = boxesOf(root, options.mergeActivations !== false);
  const id = options.idPrefix ?? 'foldnet-graph';
  const maxWidth = Math.max(400, options.maxWidth ?? 1200);
  const R = 17; // node radius
  const EDGE = 34; // length of an edge between a node and a box
  const BOX_H = 62;
  const margin = 24;
  const depth = Math.max(0, ...boxes.map((b) => b.groups.length));
  const bandAbove = 12 + depth * 18; // room for group labels
  const bandBelow = 26 + (backward ? 46 : 0); // node dims label, backward arrows and labels
  const rowH = bandAbove + BOX_H + bandBelow + 10;
  const titleH = options.title === undefined ? 0 : 28;
  const legendH = backward ? 44 : 24;

  // Greedy rows: each row is node, (edge, box, edge, node)…; the last node of a row starts the next.
  const cell = (b: Box): number => 2 * EDGE + b.width + 2 * R;
  const rows: Box[][] = [];
  const endExtra = backward ? 2 * EDGE + 2 * R : 0; // the loss node after o
  let width = 0;
  for (const b of boxes) {
    const cur = rows.at(-1);
    const used = cur === undefined ? 0 : cur.reduce((s, c) => s + cell(c), 2 * R);
    if (cur !== undefined && used + cell(b) + 2 * margin <= maxWidth) cur.push(b);
    else rows.push([b]);
  }
  const rowWidth = (r: readonly Box[], last: boolean): number => r.reduce((s, c) => s + cell(c), 2 * R) + (last ? endExtra : 0);
  width = Math.max(...rows.map((r, i) => rowWidth(r, i === rows.length - 1)), 0) + 2 * margin;
  const height = titleH + rows.length * rowH + legendH + 8;

  const out: string[] = [];
  out.push(
    `<defs>` +
      `<marker id="${id}-fwd" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${FORWARD}"/></marker>` +
      `<marker id="${id}-bwd" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${BACKWARD}"/></marker>` +
      `</defs>`,
  );
  if (options.title !== undefined) {
    out.push(`<text x="${num(width / 2)}" y="20" font-size="15" font-weight="bold" text-anchor="middle">${escapeXml(options.title)}</text>`);
  }
  const nodeName = (l: number): string => (l > boxes.length ? 'o' : `x${sub(l)}`);
  const node = (cx: number, cy: number, l: number, dims: Dims | null, repeated: boolean): void => {
    const dash = repeated ? ' stroke-dasharray="3 3"' : '';
    out.push(
      `<g class="node" data-node="${l}" data-dims="${escapeXml(formatDims(dims))}"${repeated ? ' data-repeated="true"' : ''}>` +
        `<title>${escapeXml(`${nodeName(l)} ∈ ${realSpace(dims)}`)}</title>` +
        `<circle cx="${num(cx)}" cy="${num(cy)}" r="${R}" fill="#fff" stroke="#333" stroke-width="1.5"${dash}/>` +
        `<text x="${num(cx)}" y="${num(cy)}" font-size="14" text-anchor="middle" dominant-baseline="central" font-style="italic">${nodeName(l)}</text>` +
        `<text x="${num(cx)}" y="${num(cy + R + 14)}" font-size="11" text-anchor="middle" fill="#444">${escapeXml(realSpace(dims))}</text>` +
        `</g>`,
    );
  };
  const edge = (x1: number, x2: number, y: number, cls: string): void => {
    out.push(`<line class="edge forward ${cls}" x1="${num(x1)}" y1="${num(y)}" x2="${num(x2)}" y2="${num(y)}" stroke="${FORWARD}" stroke-width="1.8" marker-end="url(#${id}-fwd)"/>`);
  };
  /** A backward arrow from below node (xFrom) to below node (xTo), right to left, with a label under it. */
  const back = (xFrom: number, xTo: number, cy: number, label: string, cls: string, mid?: string): void => {
    const y0 = cy + R + 20;
    const y = y0 + 12;
    out.push(
      `<path class="edge backward ${cls}" d="M${num(xFrom - 5)},${num(y0)}L${num(xFrom - 5)},${num(y)}L${num(xTo + 5)},${num(y)}L${num(xTo + 5)},${num(y0)}" fill="none" stroke="${BACKWARD}" stroke-width="1.6" marker-end="url(#${id}-bwd)"/>`,
      `<text class="u-label" x="${num(xTo + 5)}" y="${num(y + 15)}" font-size="12" text-anchor="middle" fill="${BACKWARD}">${escapeXml(label)}</text>`,
    );
    if (mid !== undefined) {
      out.push(`<text class="grad-label" x="${num((xFrom + xTo) / 2)}" y="${num(y + 15)}" font-size="11" text-anchor="middle" fill="${BACKWARD}">${escapeXml(mid)}</text>`);
    }
  };

  const boxX = new Map<number, { x: number; y: number; row: number }>();
  rows.forEach((row, r) => {
    const top = titleH + r * rowH;
    const cy = top + bandAbove + BOX_H / 2 + 4;
    let x = margin + R;
    const first = row[0]!;
    node(x, cy, first.index, first.input, r > 0);
    row.forEach((b) => {
      const bx = x + R + EDGE;
      edge(x + R, bx, cy, `into-f${b.index}`);
      boxX.set(b.index, { x: bx, y: cy - BOX_H / 2, row: r });
      const fill = b.params > 0 ? '#EAF3FA' : '#fff';
      const detail = b.members.map((m) => `${m.kind} θ${m.path.map((i) => `[${i}]`).join('')}: ${formatDims(m.input)} → ${formatDims(m.output)}, ${m.params} parameters`).join('\n');
      out.push(
        `<g class="layer" data-layer="${b.index}" data-kinds="${escapeXml(b.members.map((m) => m.kind).join(' '))}" data-params="${b.params}" data-in="${escapeXml(formatDims(b.input))}" data-out="${escapeXml(formatDims(b.output))}">` +
          `<title>${escapeXml(detail)}</title>` +
          `<rect x="${num(bx)}" y="${num(cy - BOX_H / 2)}" width="${num(b.width)}" height="${BOX_H}" rx="6" fill="${fill}" stroke="#333" stroke-width="1.5"/>` +
          `<text x="${num(bx + b.width / 2)}" y="${num(cy - 14)}" font-size="12" text-anchor="middle" font-weight="bold">${escapeXml(b.lines[0])}</text>` +
          `<text x="${num(bx + b.width / 2)}" y="${num(cy + 4)}" font-size="12" text-anchor="middle">${escapeXml(b.lines[1])}</text>` +
          `<text x="${num(bx + b.width / 2)}" y="${num(cy + 21)}" font-size="11" text-anchor="middle" fill="${b.params > 0 ? '#222' : '#777'}">${escapeXml(b.lines[2])}</text>` +
          `</g>`,
      );
      const nx = bx + b.width + EDGE + R;
      edge(bx + b.width, nx - R, cy, `out-of-f${b.index}`);
      node(nx, cy, b.index + 1, b.output, false);
      if (backward) {
        const u = b.index === 1 ? `u${sub(1)} = ∂L/∂x${sub(1)}` : `u${sub(b.index)}`;
        back(nx, x, cy, u, `through-f${b.index}`, b.params > 0 ? `∂L/∂θ${sub(b.index)}` : undefined);
      }
      x = nx;
    });
    if (backward && r === rows.length - 1) {
      const lx = x + R + EDGE + R;
      edge(x + R, lx - R, cy, 'into-loss');
      out.push(
        `<g class="loss"><rect x="${num(lx - R)}" y="${num(cy - R)}" width="${2 * R}" height="${2 * R}" rx="4" fill="#FDF0E8" stroke="${BACKWARD}" stroke-width="1.5"/>` +
          `<text x="${num(lx)}" y="${num(cy)}" font-size="14" text-anchor="middle" dominant-baseline="central" font-style="italic">L</text></g>`,
      );
      back(lx, x, cy, `∂L/∂o`, 'seed');
    }
  });

  // Groups: the boxes of each composite, one dashed frame per row it spans, outer frames larger.
  const composites = layersOf(root).filter((l) => l.children.length > 0);
  for (const g of composites) {
    const inside = boxes.filter((b) => b.groups.includes(g));
    if (inside.length === 0) continue;
    const level = g.depth; // 0 = outermost
    const padX = 10 + (depth - 1 - level) * 8;
    const padTop = 16 + (depth - 1 - level) * 18;
    const padBottom = (backward ? 44 : 14) - level * 5; // below the boxes: the dims labels and the backward arrows
    const label = `${g.kind} θ${g.path.map((i) => `[${i}]`).join('')}`;
    const byRow = new Map<number, Box[]>();
    for (const b of inside) byRow.set(boxX.get(b.index)!.row, [...(byRow.get(boxX.get(b.index)!.row) ?? []), b]);
    for (const [row, bs] of byRow) {
      const a = boxX.get(bs[0]!.index)!;
      const z = bs.at(-1)!;
      const zx = boxX.get(z.index)!.x + z.width;
      const x0 = a.x - padX;
      const y0 = a.y - padTop;
      out.push(
        `<g class="group" data-path="${g.path.join('.')}" data-row="${row}"><rect x="${num(x0)}" y="${num(y0)}" width="${num(zx - x0 + padX)}" height="${num(BOX_H + padTop + padBottom)}" rx="10" fill="none" stroke="${GROUP}" stroke-dasharray="5 4"/>` +
          `<text x="${num(x0 + 6)}" y="${num(y0 + 12)}" font-size="10.5" fill="${GROUP}">${escapeXml(label)}</text></g>`,
      );
    }
  }

  // Legend: what the arrows mean, in the lecture's equations.
  const ly = titleH + rows.length * rowH + 10;
  out.push(`<g class="legend" font-size="12">`);
  out.push(`<line x1="${margin}" x2="${margin + 28}" y1="${ly}" y2="${ly}" stroke="${FORWARD}" stroke-width="1.8" marker-end="url(#${id}-fwd)"/>`);
  out.push(`<text x="${margin + 36}" y="${ly}" dominant-baseline="middle">forward: xₗ₊₁ = fₗ(xₗ; θₗ)</text>`);
  if (backward) {
    out.push(`<line x1="${margin + 28}" x2="${margin}" y1="${ly + 20}" y2="${ly + 20}" stroke="${BACKWARD}" stroke-width="1.6" marker-end="url(#${id}-bwd)"/>`);
    out.push(`<text x="${margin + 36}" y="${ly + 20}" dominant-baseline="middle">backward (VJP): uₗ = ∂L/∂xₗ, uₗᵀ = uₗ₊₁ᵀ ∂fₗ/∂xₗ, ∂L/∂θₗ = uₗ₊₁ᵀ ∂fₗ/∂θₗ</text>`);
  }
  out.push(`</g>`);
  return svgDocument(Math.ceil(Math.max(width, backward ? 560 : 260)), Math.ceil(height), out.join('\n'));
};
