import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compose, defineLayer, dense, dropout, dyn, fromRows, key, leakyRelu, onlyLayers, params as Params, relu, sequential, standardize, takeRows, tanh,
  trainTestSplit,
  type AnyLayer, type Layer, type Mat, type NoParams, type Part,
} from '../../src/index.js';
import { readCsvFile } from '../../src/node.js';
import { describeNet, graphSvg, jacobianSvg, summary } from '../../src/index.js';
import { divergingColor } from '../../src/plot/heatmap.js';
import { formatDims, layersOf } from '../../src/plot/describe.js';

/** The lecture's 4 → 8 → 6 → 4 → 2 net, written right to left as the lecture writes it. */
const lecture = compose(dense(4, 2), relu, dense(6, 4), relu, dense(8, 6), relu, dense(4, 8));

/** The tags of an XML text balance (a cheap well-formedness check; the browser test parses for real). */
const balanced = (svg: string): boolean => {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
};
const attrs = (svg: string, cls: string, attr: string): string[] =>
  [...svg.matchAll(new RegExp(`class="${cls}"[^>]*?${attr}="([^"]*)"`, 'g'))].map((m) => m[1]!);
const count = (svg: string, re: RegExp): number => [...svg.matchAll(re)].length;

/** A random chain of dense layers with activations between, and its widths. */
const chainOf = (widths: readonly number[]): AnyLayer => {
  const parts: Part[] = widths.slice(1).flatMap((w, i) => [dense(dyn(widths[i]!), dyn(w)), ...(i < widths.length - 2 ? [tanh] : [])]);
  // A run-time list of layers: the compile-time check is for literal chains, so go around it.
  return (sequential as unknown as (...ls: readonly Part[]) => AnyLayer)(...parts);
};

/** The identity at width n under a user-chosen kind: a user-defined layer. */
const custom = <N extends number>(kind: string, n: N): Layer<N, N, NoParams> =>
  defineLayer<N, N, NoParams>({
    kind, inputDim: n, outputDim: n, init: () => ({}),
    forward: (_p, x) => x, vjp: (_p, x) => [x, (dy) => [{}, dy]], jvp: (_p, x, _dp, dx) => [x, dx],
  });

describe('summary', () => {
  it('lists the layers in the order they run, with the lecture’s widths and the parameter counts of the parameter record', () => {
    const text = summary(lecture);
    const rows = text.split('\n').filter((l) => /^ \d/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 6))).toEqual([
      ['1', 'dense', '4', '→', '8', '40'],
      ['2', 'relu', '8', '→', '8', '0'],
      ['3', 'dense', '8', '→', '6', '54'],
      ['4', 'relu', '6', '→', '6', '0'],
      ['5', 'dense', '6', '→', '4', '28'],
      ['6', 'relu', '4', '→', '4', '0'],
      ['7', 'dense', '4', '→', '2', '10'],
    ]);
    // compose's first argument runs last: its parameters sit at θ[0].
    expect(rows[0]).toContain('θ[6]');
    expect(rows[6]).toContain('θ[0]');
    expect(text).toContain(`total: ${Params.size(lecture.init(key(1)))} parameters, 132 trainable, 0 frozen`);
    expect(text.startsWith('compose: 4 → 2, 7 layers')).toBe(true);
  });

  it('numbers and indents nested composites, and a composite counts its children’s parameters', () => {
    const x = fromRows([[1, 2, 3, 4], [2, 3, 5, 8], [0, 1, 1, 2]]);
    const net = sequential(standardize(x), sequential(dense(4, 16), leakyRelu(0.1)), dropout(0.2), dense(16, 3));
    const text = summary(net);
    expect(text).toMatch(/^ 2 {4}sequential +4 → 16 +80 +yes +θ\[1\]$/m);
    expect(text).toMatch(/^ 2\.1 {4}dense +4 → 16 +80 +yes +θ\[1\]\[0\] +init=glorot$/m);
    expect(text).toMatch(/^ 2\.2 {4}leakyRelu +16 → 16 +0 +– +alpha=0\.1$/m);
    // A polymorphic layer at the width it takes there; long statistics lists are shortened.
    expect(text).toMatch(/^ 3 +dropout +16 → 16 +0 +– +p=0\.2$/m);
    expect(text).toMatch(/mean=1,2,… \(4 values\) +std=0\.8165,0\.8165,… \(4 values\)/);
    expect(text).toContain('sequential: 4 → 3, 4 layers, 5 in all');
    expect(text).toContain('total: 131 parameters, 131 trainable, 0 frozen');
  });

  it('the layers guide shows what summary prints for the README tour’s net', () => {
    const readme = readFileSync(new URL('../../docs/layers-and-shapes.md', import.meta.url), 'utf8');
    const shown = /```text\n(sequential: 4 → 3[^`]*)```/.exec(readme)![1]!.trimEnd();
    // The tour's steps 1 to 3.
    const features = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
    const decoded = readCsvFile(new URL('../../data/iris.csv', import.meta.url).pathname, { features, target: 'label', task: 'classification', classes: 3 });
    if (E.isLeft(decoded)) throw new Error('iris.csv did not decode');
    const iris = decoded.right;
    const { train } = trainTestSplit(iris.labels, { testFraction: 0.2, stratify: true, key: key(0) });
    expect(summary(sequential(standardize(takeRows(iris.x, train)), dense(4, 16), relu, dense(16, 3)))).toBe(shown);
  });

  it('its documentation example shows what it prints', () => {
    const source = readFileSync(new URL('../../src/plot/summary.ts', import.meta.url), 'utf8');
    const example = source.slice(source.indexOf(' * @example'), source.indexOf(' * @since', source.indexOf(' * @example')));
    const shown = example.split('\n').filter((l) => l.startsWith(' * // ')).map((l) => l.slice(6)).join('\n');
    expect(example).toContain('console.log(summary(sequential(dense(4, 8), relu, dense(8, 2))))');
    expect(summary(sequential(dense(4, 8), relu, dense(8, 2)))).toBe(shown);
  });

  it('counts frozen parameters by the trainable mask', () => {
    const net = sequential(dense(4, 8), relu, dense(8, 2));
    const text = summary(net, { trainable: onlyLayers(2) });
    expect(text).toMatch(/^ 1 +dense +4 → 8 +40 +no /m);
    expect(text).toMatch(/^ 3 +dense +8 → 2 +18 +yes /m);
    expect(text).toContain('total: 58 parameters, 18 trainable, 40 frozen');
  });

  it('shows a plain layer as a net of one layer', () => {
    const text = summary(dense(4, 2));
    expect(text).toMatch(/^ 1 +dense +4 → 2 +10 +yes +θ +init=glorot$/m);
    expect(text).toContain('dense: 4 → 2, 1 layer\n');
    expect(attrs(graphSvg(dense(4, 2)), 'layer', 'data-params')).toEqual(['10']);
  });

  it('prints shape tuples as d₁×d₂×d₃', () => {
    expect(formatDims([28, 28, 1])).toBe('28×28×1');
    expect(summary(sequential(relu, tanh), { input: [28, 28, 1] })).toMatch(/^ 1 +relu +28×28×1 → 28×28×1 +0/m);
    expect(summary(sequential(relu, tanh))).toMatch(/^ 1 +relu +\? → \? +0/m);
  });

  it('reads the counts from the parameter record: any chain’s layer counts add up to params.size, and dims chain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 7 }), (widths) => {
        const net = chainOf(widths);
        const { root } = describeNet(net);
        const leaves = layersOf(root).filter((l) => l.children.length === 0);
        expect(leaves.reduce((s, l) => s + l.params, 0)).toBe(Params.size(net.init(key(0))));
        expect(root.params).toBe(Params.size(net.init(key(0))));
        leaves.slice(1).forEach((l, i) => expect(l.input).toBe(leaves[i]!.output));
        expect([leaves[0]!.input, leaves.at(-1)!.output]).toEqual([widths[0], widths.at(-1)]);
      }),
      { numRuns: 40 },
    );
  });

  it('works for a user-defined layer and does not touch the parameters it is given', () => {
    const net = sequential(dense(2, 3), custom('twice<x>', 3));
    const p = net.init(key(5));
    const before = Array.from(Params.flatten(p));
    expect(summary(net, { params: p })).toMatch(/^ 2 +twice<x> +3 → 3 +0/m);
    expect(Array.from(Params.flatten(p))).toEqual(before);
  });
});

describe('graphSvg', () => {
  it('draws the lecture’s net as x₁ → f₁ → x₂ → … → f₄ → o with each box’s map and θ count', () => {
    const svg = graphSvg(lecture);
    expect(balanced(svg)).toBe(true);
    expect(attrs(svg, 'layer', 'data-layer')).toEqual(['1', '2', '3', '4']);
    expect(attrs(svg, 'layer', 'data-kinds')).toEqual(['dense relu', 'dense relu', 'dense relu', 'dense']);
    expect(attrs(svg, 'layer', 'data-params')).toEqual(['40', '54', '28', '10']);
    expect(attrs(svg, 'layer', 'data-in')).toEqual(['4', '8', '6', '4']);
    expect(attrs(svg, 'layer', 'data-out')).toEqual(['8', '6', '4', '2']);
    expect(attrs(svg, 'node', 'data-dims')).toEqual(['4', '8', '6', '4', '2']);
    for (const s of ['x₁', 'x₂', 'x₃', 'x₄', '>o<', 'f₁: dense · relu', 'ℝ⁸ → ℝ⁶', 'θ₂: 54', 'f₄: dense']) expect(svg).toContain(s);
    expect(count(svg, /class="edge forward/g)).toBe(8);
    expect(count(svg, /class="edge backward/g)).toBe(0);
  });

  it('draws the backward pass right to left: one pullback per box plus the seed ∂L/∂o', () => {
    const svg = graphSvg(lecture, { backward: true });
    expect(balanced(svg)).toBe(true);
    expect(count(svg, /class="edge backward/g)).toBe(5);
    expect(count(svg, /class="edge forward/g)).toBe(9); // and into the loss
    for (const s of ['u₁ = ∂L/∂x₁', 'u₂', 'u₄', '∂L/∂o', '∂L/∂θ₁', '∂L/∂θ₄']) expect(svg).toContain(s);
    // Every backward path runs right to left.
    for (const m of svg.matchAll(/class="edge backward[^"]*" d="M([\d.]+),[\d.]+L[\d.]+,[\d.]+L([\d.]+),/g)) {
      expect(Number(m[2])).toBeLessThan(Number(m[1]));
    }
  });

  it('draws one box per layer when activations are not merged', () => {
    const svg = graphSvg(lecture, { mergeActivations: false });
    expect(attrs(svg, 'layer', 'data-kinds')).toEqual(['dense', 'relu', 'dense', 'relu', 'dense', 'relu', 'dense']);
    // (seven boxes wrap onto a second row at the default width: drop the repeated node)
    const dims = [...svg.matchAll(/class="node" data-node="(\d+)" data-dims="(\d+)"/g)].map((m) => [Number(m[1]), m[2]] as const);
    expect([...new Map(dims).values()]).toEqual(['4', '8', '8', '6', '6', '4', '4', '2']);
  });

  it('wraps 30 layers into rows no wider than maxWidth, repeating the node that ends a row', () => {
    const net = chainOf(Array.from({ length: 31 }, (_, i) => 10 + (i % 7)));
    const svg = graphSvg(net, { backward: true, maxWidth: 1000 });
    expect(balanced(svg)).toBe(true);
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(1000);
    expect(attrs(svg, 'layer', 'data-layer')).toHaveLength(30);
    const nodes = attrs(svg, 'node', 'data-node').map(Number);
    const repeated = count(svg, /data-repeated="true"/g);
    expect(repeated).toBeGreaterThan(0);
    expect(nodes).toHaveLength(31 + repeated);
    expect([...new Set(nodes)]).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
  });

  it('draws nested composites as labelled groups around their boxes', () => {
    const net = sequential(sequential(dense(4, 8), tanh), dense(8, 6), sequential(sequential(dense(6, 4), tanh), dense(4, 2)));
    const svg = graphSvg(net);
    expect(attrs(svg, 'group', 'data-path').sort()).toEqual(['0', '2', '2.0']);
    expect(svg).toContain('sequential θ[2][0]');
    expect(attrs(svg, 'layer', 'data-kinds')).toEqual(['dense tanh', 'dense', 'dense tanh', 'dense']);
  });

  it('escapes text from the layers', () => {
    const svg = graphSvg(sequential(custom('a<b&"c"', 2), dense(2, 1)), { title: '<script>' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('a&lt;b&amp;&quot;c&quot;');
    expect(balanced(svg)).toBe(true);
  });
});

describe('jacobianSvg', () => {
  const J = fromRows([[1, -2, 0], [0.5, 4, -4]]) as Mat<number, number>;
  const fills = (svg: string): string[] => [...svg.matchAll(/class="cell"[^>]*fill="([^"]*)"/g)].map((m) => m[1]!);

  it('draws one cell per entry, row i = output, column j = input, coloured by sign on a scale symmetric in ±max|J|', () => {
    const svg = jacobianSvg(J, { title: 'J' });
    expect(balanced(svg)).toBe(true);
    expect(count(svg, /class="cell"/g)).toBe(6);
    expect(attrs(svg, 'cell', 'data-i')).toEqual(['1', '1', '1', '2', '2', '2']);
    expect(attrs(svg, 'cell', 'data-j')).toEqual(['1', '2', '3', '1', '2', '3']);
    const f = fills(svg);
    expect(f[2]).toBe(divergingColor(0));
    expect(f[4]).toBe(divergingColor(1)); // 4 = max|J|
    expect(f[5]).toBe(divergingColor(-1));
    expect(f[0]).toBe(divergingColor(0.25));
    for (const s of ['output i', 'input j', '∂yᵢ/∂xⱼ', 'J[2,3] = -4']) expect(svg).toContain(s);
    expect(/data-max-abs="4"/.test(svg)).toBe(true);
  });

  it('puts several matrices side by side on one shared scale', () => {
    const svg = jacobianSvg([{ matrix: J, title: 'forward mode' }, { matrix: fromRows([[2, 0, 0], [0, 0, 0]]), title: 'reverse mode' }]);
    expect(count(svg, /class="heatmap"/g)).toBe(2);
    const f = fills(svg);
    expect(f[6]).toBe(divergingColor(0.5)); // 2 / 4 on the shared scale
    expect(svg).toContain('reverse mode');
    expect(() => jacobianSvg([])).toThrow(RangeError);
    expect(() => jacobianSvg(J, { maxAbs: 0 })).toThrow(/maxAbs/);
  });

  it('the diverging scale is neutral at 0, blue below, red above, and darker with |t|', () => {
    const rgb = (c: string): number[] => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
    const light = (c: string): number => rgb(c).reduce((a, b) => a + b, 0);
    expect(divergingColor(0)).toBe('#f7f7f7');
    expect(divergingColor(-1)).toBe('#053061');
    expect(divergingColor(Number.NaN)).toBe('#bbbbbb');
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1, noNaN: true }), (t) => {
        const [r, , b] = rgb(divergingColor(t));
        const [r2, , b2] = rgb(divergingColor(-t));
        expect(r).toBeGreaterThan(b);
        expect(b2).toBeGreaterThan(r2);
        expect(light(divergingColor(t))).toBeLessThan(light(divergingColor(t / 2)) + 1);
        expect(light(divergingColor(-t))).toBeLessThan(light(divergingColor(-t / 2)) + 1);
      }),
    );
  });

  it('shows a non-finite entry in grey instead of breaking the scale', () => {
    const svg = jacobianSvg(fromRows([[Number.NaN, 1], [-1, Number.POSITIVE_INFINITY]]));
    expect(fills(svg)).toEqual(['#bbbbbb', divergingColor(1), divergingColor(-1), '#bbbbbb']);
  });
});
