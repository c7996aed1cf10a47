/**
 * A progress line for long training runs: `epoch  37/200 [####······] · loss 0.1234 · val 0.2345 · 1.2s · ETA 5.3s`.
 *
 * Pure formatting only. The caller owns the clock and the terminal: it walks the lazy training
 * iterator, measures the elapsed time and prints the line (with `\r` on a TTY, as plain lines
 * otherwise). Nothing here hooks into the training core.
 *
 * @module
 */

/**
 * What a progress line shows: the epoch just finished (1-based) out of `epochs`, the training
 * loss, optional validation loss and metrics, and the wall time since training started.
 *
 * @since 0.1.0
 * @category progress
 * @inline
 */
export interface ProgressState {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly valLoss?: number;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

/**
 * Options of {@link progressLine}.
 *
 * @since 0.1.0
 * @category progress
 * @inline
 */
export interface ProgressOptions {
  /** Width of the bar in characters; 0 hides it (default 20). */
  readonly barWidth?: number;
  /** Significant digits of the numbers (default 4). */
  readonly digits?: number;
  /** The name shown before the validation loss (default `val`; e.g. `test` when it is the test set). */
  readonly valLabel?: string;
}

/**
 * A duration in the largest sensible unit: `850ms`, `12.3s`, `4m05s`, `1h02m`.
 *
 * @since 0.1.0
 * @category progress
 */
export const formatDuration = (ms: number): string => {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
};

/**
 * Estimated time left, assuming the remaining epochs take as long as the finished ones on
 * average: `ETA = elapsed / done · (total − done)`. `NaN` before the first epoch.
 *
 * @example
 * etaMs(2000, 10, 100) // 18000
 * @since 0.1.0
 * @category progress
 */
export const etaMs = (elapsedMs: number, done: number, total: number): number =>
  done > 0 ? (elapsedMs / done) * Math.max(0, total - done) : Number.NaN;

const fmt = (v: number, digits: number): string =>
  !Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-4) ? v.toExponential(digits - 1) : v.toPrecision(digits);

/**
 * One line of training progress: epoch counter, bar, losses, metrics, elapsed time and ETA.
 * Pure (the caller passes the elapsed time), with no trailing newline or carriage return.
 *
 * @example
 * progressLine({ epoch: 50, epochs: 200, loss: 0.0812, valLoss: 0.1034, elapsedMs: 1500 })
 * // 'epoch  50/200 [#####···············] · loss 0.08120 · val 0.1034 · 1.5s · ETA 4.5s'
 * @since 0.1.0
 * @category progress
 */
export const progressLine = (state: ProgressState, opts: ProgressOptions = {}): string => {
  const digits = opts.digits ?? 4;
  const barWidth = opts.barWidth ?? 20;
  const total = Math.max(1, state.epochs);
  const done = Math.min(Math.max(0, state.epoch), total);
  const w = String(total).length;
  const filled = Math.round((done / total) * barWidth);
  const bar = barWidth > 0 ? ` [${'#'.repeat(filled)}${'·'.repeat(barWidth - filled)}]` : '';
  const parts = [`epoch ${String(state.epoch).padStart(w)}/${total}${bar}`, `loss ${fmt(state.loss, digits)}`];
  if (state.valLoss !== undefined) parts.push(`${opts.valLabel ?? 'val'} ${fmt(state.valLoss, digits)}`);
  for (const [k, v] of Object.entries(state.metrics ?? {})) parts.push(`${k} ${fmt(v, digits)}`);
  parts.push(formatDuration(state.elapsedMs));
  parts.push(done >= total ? 'done' : `ETA ${formatDuration(etaMs(state.elapsedMs, done, total))}`);
  return parts.join(' · ');
};
