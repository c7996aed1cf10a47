import { describe, expect, it } from 'vitest';
import { columnStatsStream, fromArray, key, normal, standardize, standardizeStream, takeRows, uniform, type Mat } from '../../src/index.js';
import { columnStats } from '../../src/layer/standardize.js';
import { expectClose } from '../support/closeness.js';

const batchesOf = (x: Mat<number, number>, b: number): Mat<number, number>[] =>
  Array.from({ length: Math.ceil(x.rows / b) }, (_, i) => takeRows(x, Array.from({ length: Math.min(b, x.rows - i * b) }, (_, k) => i * b + k)));

describe('columnStatsStream: Welford in one pass', () => {
  const n = 5000;
  const z = normal(key(1), n * 4);
  const u = uniform(key(2), n, 0, 1);
  // an offset column, a tiny-scale one, one near the top of the double range, one growing in scale row by row
  const x = fromArray(n, 4, Array.from({ length: n * 4 }, (_, k) => {
    const i = Math.floor(k / 4);
    const j = k % 4;
    return j === 0 ? 1e6 + z[k]! : j === 1 ? 1e-200 * z[k]! : j === 2 ? 1e307 * z[k]! : (u[i]! - 0.5) * 2 ** (i % 60);
  }));

  it.each([1, 7, 512, n])("matches columnStats on in-memory data to 1e-12 relative (batches of %i rows)", async (b) => {
    const want = columnStats(x);
    const got = await columnStatsStream(batchesOf(x, b));
    expect(got.rows).toBe(n);
    expectClose(got.mean, want.mean, 1e-12);
    expectClose(got.std, want.std, 1e-12);
    expect([...got.std].every(Number.isFinite)).toBe(true);
  });

  it('a constant column gets σ = 1, as standardize gives it; the layer equals standardize\'s', async () => {
    const c = fromArray(300, 2, Array.from({ length: 600 }, (_, k) => (k % 2 === 0 ? 0.1 : z[k]!)));
    const layer = await standardizeStream(batchesOf(c, 64).map((m) => ({ x: m })));
    expect(layer.std.data[0]).toBe(1);
    expect(layer.mean.data[0]).toBeCloseTo(0.1, 15);
    expectClose(layer.std.data, standardize(c).std.data, 1e-12);
  });

  it('no rows is an error, and so is a batch of another width', async () => {
    await expect(columnStatsStream([])).rejects.toThrow(/at least one row/);
    await expect(columnStatsStream([fromArray(1, 2, [1, 2]), fromArray(1, 3, [1, 2, 3])])).rejects.toThrow(/3 columns, the first had 2/);
  });
});
