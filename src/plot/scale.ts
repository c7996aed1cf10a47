/**
 * Axis scales for the SVG charts: the data range → pixel mapping and "nice" tick values
 * (1, 2 or 5 times a power of ten), linear or base-10 logarithmic.
 *
 * @module
 */

/**
 * A one-dimensional scale: `toPixel(v)` maps a data value into `[pixelStart, pixelEnd]`, and
 * `ticks` are the values worth labelling, inside the domain.
 *
 * @since 0.1.0
 * @category plot
 */
export interface Scale {
  readonly kind: 'linear' | 'log';
  readonly domain: readonly [lo: number, hi: number];
  readonly ticks: readonly number[];
  readonly toPixel: (v: number) => number;
}

/** The nice step (1, 2 or 5 × 10^k) closest to `span / count`. */
const niceStep = (span: number, count: number): number => {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3 ? 2 : m < 7 ? 5 : 10) * p;
};

/** Rounds away binary noise such as 0.30000000000000004 so labels print cleanly. */
const clean = (v: number): number => Number.parseFloat(v.toPrecision(12));

/**
 * A linear scale over `[lo, hi]` widened outwards to nice tick boundaries, with about `count` ticks.
 * A degenerate range (`lo = hi`) is widened by ±1 (or ±10% of the value).
 *
 * @example
 * linearScale(0.13, 1.9, 0, 300).ticks // [0, 0.5, 1, 1.5, 2]
 * @since 0.1.0
 * @category plot
 */
export const linearScale = (lo: number, hi: number, pixelStart: number, pixelEnd: number, count = 5): Scale => {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return linearScale(lo - pad, lo + pad, pixelStart, pixelEnd, count);
  }
  const step = niceStep(hi - lo, count);
  // Rounding in lo/step can land a hair inside the range: step outwards once more if so.
  const s0 = Math.floor(lo / step) * step;
  const e0 = Math.ceil(hi / step) * step;
  const start = s0 > lo ? s0 - step : s0;
  const end = e0 < hi ? e0 + step : e0;
  const n = Math.round((end - start) / step);
  const ticks = Array.from({ length: n + 1 }, (_, i) => clean(start + i * step));
  const k = (pixelEnd - pixelStart) / (end - start);
  return { kind: 'linear', domain: [start, end], ticks, toPixel: (v) => pixelStart + (v - start) * k };
};

/** The largest of 1, 2, 5 × 10^k at or below `v` (`up`: the smallest at or above). */
const niceLog = (v: number, up: boolean): number => {
  const d = Math.floor(Math.log10(v));
  const cands = [-1, 0, 1].flatMap((o) => [1, 2, 5].map((m) => clean(m * 10 ** (d + o))));
  return up ? Math.min(...cands.filter((c) => c >= v)) : Math.max(...cands.filter((c) => c <= v));
};

/**
 * A base-10 log scale over `[lo, hi]` (both > 0) widened to the nearest 1, 2 or 5 × 10^k; ticks at
 * the decades inside it (and at 2 and 5 times them when the range spans at most two decades).
 *
 * @since 0.1.0
 * @category plot
 */
export const logScale = (lo: number, hi: number, pixelStart: number, pixelEnd: number): Scale => {
  if (!(lo > 0) || !(hi > 0)) throw new RangeError(`logScale: the range must be positive, got [${lo}, ${hi}]`);
  const a = niceLog(lo, false);
  const b = Math.max(niceLog(hi, true), niceLog(a * 1.5, true));
  const la = Math.log10(a);
  const lb = Math.log10(b);
  const mults = lb - la <= 2 ? [1, 2, 5] : [1];
  const decades = Array.from({ length: Math.floor(lb) - Math.floor(la) + 1 }, (_, i) => Math.floor(la) + i);
  const ticks = decades.flatMap((d) => mults.map((m) => clean(m * 10 ** d))).filter((t) => t >= a * (1 - 1e-9) && t <= b * (1 + 1e-9));
  const k = (pixelEnd - pixelStart) / (lb - la);
  return { kind: 'log', domain: [a, b], ticks, toPixel: (v) => pixelStart + (Math.log10(v) - la) * k };
};

/**
 * A short label for a tick value: integers as they are, others with up to 3 significant digits,
 * and exponent form for very large or small magnitudes.
 *
 * @since 0.1.0
 * @category plot
 */
export const formatTick = (v: number): string => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(clean(Number.parseFloat(v.toPrecision(3))));
};
