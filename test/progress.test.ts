import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { etaMs, formatDuration, progressLine } from '../src/progress.js';

describe('progress line', () => {
  it('ETA is the mean epoch time times the epochs left', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e7, noNaN: true }), (done, left, elapsed) => {
        expect(etaMs(elapsed, done, done + left)).toBeCloseTo((elapsed / done) * left, 6);
      }),
    );
    expect(Number.isNaN(etaMs(100, 0, 10))).toBe(true);
  });

  it('durations pick a readable unit', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_345)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });

  it('shows epoch, bar, losses, metrics, elapsed and ETA', () => {
    expect(progressLine({ epoch: 50, epochs: 200, loss: 0.0812, valLoss: 0.1034, elapsedMs: 1500 })).toBe(
      'epoch  50/200 [#####···············] · loss 0.08120 · val 0.1034 · 1.5s · ETA 4.5s',
    );
    const last = progressLine({ epoch: 10, epochs: 10, loss: 2e-6, metrics: { accuracy: 0.9667 }, elapsedMs: 61_000 }, { barWidth: 0 });
    expect(last).toBe('epoch 10/10 · loss 2.000e-6 · accuracy 0.9667 · 1m01s · done');
    expect(progressLine({ epoch: 1, epochs: 2, loss: 1, valLoss: 2, elapsedMs: 5 }, { barWidth: 0, valLabel: 'test loss' })).toBe(
      'epoch 1/2 · loss 1.000 · test loss 2.000 · 5ms · ETA 5ms',
    );
  });

  it('has a fixed width prefix so lines overwrite cleanly on a TTY', () => {
    const a = progressLine({ epoch: 1, epochs: 100, loss: 1, elapsedMs: 10 });
    const b = progressLine({ epoch: 100, epochs: 100, loss: 1, elapsedMs: 10 });
    expect(a.indexOf(']')).toBe(b.indexOf(']'));
  });
});
