import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { key, readCsv, type RejectedRow } from '../src/index.js';
import { csvBatches, CsvStreamError } from '../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'foldnet-csv-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const all = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
};
const rows = 103;
const csv = 'a,b,label\r\n' + Array.from({ length: rows }, (_, i) => `${i},${i * 0.5},${i % 3}`).join('\n') + '\n';
const columns = { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3 } as const;

describe('csvBatches: a CSV file as a stream of batches', () => {
  it('without a shuffle buffer, the batches are readCsv\'s rows in file order (one-hot targets)', async () => {
    const p = file('plain.csv', csv);
    const batches = await all(csvBatches(p, columns, { batchSize: 10 })(1));
    expect(batches.map((b) => b.x.rows)).toEqual([...Array(10).fill(10), 3]);
    const whole = readCsv(csv, columns);
    if (E.isLeft(whole)) throw new Error('fixture');
    expect(batches.flatMap((b) => Array.from(b.x.data))).toEqual(Array.from(whole.right.x.data));
    expect(batches[0]!.y.cols).toBe(3);
    expect(Array.from(batches[0]!.y.data.subarray(3, 6))).toEqual([0, 1, 0]); // row 2 has label 1
  });

  it('a shuffle buffer reorders rows (every row once), differently per epoch, the same for the same key', async () => {
    const p = file('shuffle.csv', csv);
    const source = csvBatches(p, { features: ['a', 'b'], target: 'label', task: 'regression' }, { batchSize: 16, shuffleBuffer: 20, key: key(4) });
    const firstCol = async (e: number) => (await all(source(e))).flatMap((b) => Array.from({ length: b.x.rows }, (_, i) => b.x.data[2 * i]!));
    const e1 = await firstCol(1);
    expect([...e1].sort((u, v) => u - v)).toEqual(Array.from({ length: rows }, (_, i) => i));
    expect(e1).not.toEqual(Array.from({ length: rows }, (_, i) => i));
    expect(await firstCol(1)).toEqual(e1);
    expect(await firstCol(2)).not.toEqual(e1);
    // bounded: the first batch comes from the first rows read (buffer 20 + 16 taken)
    expect(Math.max(...e1.slice(0, 16))).toBeLessThan(20 + 16);
  });

  it('a bad row ends the read with its data row, line and column; under badRows: reject it is handed over and skipped', async () => {
    const bad = 'a,b,label\n1,2,0\n\n3,x,1\n5,6,7\n7,8,2\n';
    const p = file('bad.csv', bad);
    const err = await all(csvBatches(p, columns, { batchSize: 2 })(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvStreamError);
    expect((err as CsvStreamError).errors[0]).toMatchObject({ row: 2, line: 4, column: 'b' });
    expect((err as Error).message).toMatch(/line 4/);
    const rejected: RejectedRow[] = [];
    const got = await all(csvBatches(p, { ...columns, badRows: 'reject' }, { batchSize: 2, onRejected: (r) => rejected.push(r) })(1));
    expect(got.flatMap((b) => Array.from(b.x.data))).toEqual([1, 2, 7, 8]);
    expect(rejected.map((r) => [r.row, r.line, r.errors[0]!.column])).toEqual([[2, 4, 'b'], [3, 5, 'label']]);
    // the same rows readCsv rejects
    const whole = readCsv(bad, { ...columns, badRows: 'reject' });
    expect(E.isRight(whole) && whole.right.rejected.map((r) => [r.row, r.line])).toEqual(rejected.map((r) => [r.row, r.line]));
  });

  it('a missing column or file is a CsvStreamError naming it', async () => {
    const p = file('cols.csv', csv);
    await expect(all(csvBatches(p, { ...columns, target: 'nope' }, { batchSize: 2 })(1))).rejects.toThrow(/nope/);
    await expect(all(csvBatches(join(dir, 'missing.csv'), columns, { batchSize: 2 })(1))).rejects.toThrow(/ENOENT/);
    expect(() => csvBatches(p, columns, { batchSize: 2, shuffleBuffer: 5 })).toThrow(/needs a key/);
  });
});
