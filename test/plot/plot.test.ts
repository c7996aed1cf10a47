import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { historySvg, lineChartSvg } from '../../src/index.js';
import { historySeries } from '../../src/plot/history.js';
import { linearScale, logScale, formatTick } from '../../src/plot/scale.js';
import { escapeXml } from '../../src/plot/chart.js';

const paths = (svg: string): string[] => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1]!);

describe('scales', () => {
  it('linear ticks are evenly spaced nice numbers that cover the data range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }).map((i) => i / 1000), fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (lo, span) => {
        const s = linearScale(lo, lo + span, 0, 100);
        expect(s.domain[0]).toBeLessThanOrEqual(lo);
        expect(s.domain[1]).toBeGreaterThanOrEqual(lo + span * (1 - 1e-12));
        const step = s.ticks[1]! - s.ticks[0]!;
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-3)).toBe(true);
        expect(s.toPixel(s.domain[0])).toBeCloseTo(0, 9);
        expect(s.toPixel(s.domain[1])).toBeCloseTo(100, 9);
      }),
    );
  });

  it('a degenerate range still gives a usable scale', () => {
    const s = linearScale(3, 3, 0, 100);
    expect(s.domain[0]).toBeLessThan(3);
    expect(s.domain[1]).toBeGreaterThan(3);
    expect(Number.isFinite(s.toPixel(3))).toBe(true);
  });

  it('log scale maps decades to equal pixel steps and rejects non-positive ranges', () => {
    const s = logScale(0.05, 3, 300, 0);
    expect(s.domain).toEqual([0.05, 5]);
    expect(s.ticks).toEqual([0.05, 0.1, 0.2, 0.5, 1, 2, 5]);
    expect(s.toPixel(0.05) - s.toPixel(0.5)).toBeCloseTo(s.toPixel(0.1) - s.toPixel(1), 9);
    expect(() => logScale(0, 1, 0, 1)).toThrow(RangeError);
  });

  it('tick labels are short', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(1500)).toBe('1500');
    expect(formatTick(1e-5)).toBe('1e-5');
  });
});

describe('history chart', () => {
  const history = {
    trainLoss: [1.2, 0.8, 0.5, 0.3],
    trainCost: [1.2, 0.8, 0.5, 0.3],
    valLoss: [1.3, 0.9, 0.7, 0.6],
    valMetric: [0.5, 0.7, 0.9, 0.93],
    updates: [4, 4, 4, 4],
    bestEpoch: 4,
  };

  it('draws one line per distinct non-empty field, leaving out counters and copies', () => {
    const names = historySeries(history, undefined, { valMetric: 'val accuracy' }).map((s) => s.name);
    expect(names).toEqual(['train loss', 'val loss', 'val accuracy']);
    expect(paths(historySvg(history))).toHaveLength(3);
    expect(historySeries({ trainLoss: [1, 2], valLoss: [] }).map((s) => s.name)).toEqual(['train loss']);
  });

  it('reads per-epoch records the same as per-field lists', () => {
    const rows = history.trainLoss.map((l, i) => ({ epoch: i + 1, trainLoss: l, valLoss: history.valLoss[i]! }));
    expect(historySeries(rows)).toEqual(historySeries({ trainLoss: history.trainLoss, valLoss: history.valLoss }));
  });

  it('puts losses and metrics in separate panels, validation dashed', () => {
    const svg = historySvg(history);
    expect(svg.match(/<g class="panel">/g)).toHaveLength(2);
    expect(svg).toMatch(/stroke-dasharray/);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('keeps a penalised cost next to the losses, not among the metrics', () => {
    const svg = historySvg({ trainLoss: [1, 0.5], trainCost: [1.2, 0.6], valMetric: [0.5, 0.9] });
    const [lossPanel, metricPanel] = svg.split('<g class="panel">').slice(1);
    expect(lossPanel).toContain('train cost');
    expect(metricPanel).not.toContain('train cost');
  });

  it('names the metric axis as asked', () => {
    expect(historySvg(history, { metricLabel: 'accuracy' })).toMatch(/rotate\(-90[^>]*>accuracy</);
    expect(historySvg(history)).toMatch(/rotate\(-90[^>]*>metric</);
  });

  it('escapes text so any title gives well-formed SVG', () => {
    const svg = historySvg(history, { title: 'a < b & "c"' });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(escapeXml("<'>")).toBe('&lt;&#39;&gt;');
  });

  it('leaves gaps at non-finite values instead of emitting NaN coordinates', () => {
    const svg = lineChartSvg([{ name: 'loss', values: [1, 0.5, Number.NaN, 0.2, 0.1] }]);
    const [d] = paths(svg);
    expect(d!.match(/M/g)).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('is pure: same input, same string, input untouched', () => {
    const copy = JSON.parse(JSON.stringify(history)) as typeof history;
    expect(historySvg(history, { title: 't' })).toBe(historySvg(copy, { title: 't' }));
    expect(history).toEqual(copy);
  });

  it('gives every line its own colour, train and validation of one quantity included', () => {
    const strokes = [...historySvg(history).matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"/g)].map((m) => m[1]!);
    expect(strokes).toHaveLength(3);
    expect(new Set(strokes).size).toBe(3);
    const many = lineChartSvg(Array.from({ length: 7 }, (_, i) => ({ name: `s${i}`, values: [i + 1, i + 2] })));
    expect(new Set([...many.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"/g)].map((m) => m[1])).size).toBe(7);
  });

  it('labels a log-scale axis as such, and only when the scale is logarithmic', () => {
    const yLabels = (svg: string): string[] => [...svg.matchAll(/class="y-label"[^>]*>([^<]*)</g)].map((m) => m[1]!);
    expect(yLabels(historySvg(history, { metricLabel: 'accuracy' }))).toEqual(['loss (log scale)', 'accuracy']);
    expect(yLabels(historySvg(history, { logLoss: false }))).toEqual(['loss', 'metric']);
    expect(yLabels(lineChartSvg([{ name: 'a', values: [1, 10] }], { logY: true, yLabel: 'cost' }))).toEqual(['cost (log scale)']);
    // a value ≤ 0 falls back to a linear axis, which must not claim to be logarithmic
    expect(yLabels(lineChartSvg([{ name: 'a', values: [0, 10] }], { logY: true, yLabel: 'cost' }))).toEqual(['cost']);
  });

  it('keeps every legend entry outside the plot area, also when lines coincide', () => {
    const same = [1, 0.5, 0.25];
    const svg = lineChartSvg([
      { name: 'train loss', values: same },
      { name: 'validation loss', values: [...same], dashed: true },
      { name: 'a much longer third name that forces the legend to wrap', values: [0.3, 0.3, 0.3] },
    ], { xLabel: 'epoch', width: 360 });
    const area = /class="plot-area" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    const bottom = area[1]! + area[3]!;
    const legend = svg.slice(svg.indexOf('<g class="legend">'));
    const entries = [...legend.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</g)];
    expect(entries.map((m) => m[3])).toEqual(['train loss', 'validation loss', 'a much longer third name that forces the legend to wrap']);
    for (const m of entries) expect(Number(m[2])).toBeGreaterThan(bottom + 20); // below the x tick labels too
    expect(new Set(entries.map((m) => m[2])).size).toBe(2); // the long name wrapped onto a second row
    const svgH = Number(/height="(\d+)"/.exec(svg)![1]);
    for (const m of entries) expect(Number(m[2])).toBeLessThan(svgH);
    // each legend sample has its line's colour and dash
    const samples = [...legend.matchAll(/<line [^>]*stroke="([^"]+)"[^>]*?( stroke-dasharray="[^"]*")?\/>/g)].map((m) => [m[1], m[2] !== undefined]);
    const lines = [...svg.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"[^>]*?( stroke-dasharray="[^"]*")?>/g)].map((m) => [m[1], m[2] !== undefined]);
    expect(samples).toEqual(lines);
  });

  it('renders an empty history without throwing', () => {
    expect(historySvg({ trainLoss: [] })).toContain('<svg');
  });
});
