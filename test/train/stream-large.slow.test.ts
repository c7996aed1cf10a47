/**
 * Slow (about 40 s): trains from a generated CSV file more than ten times the heap limit of the
 * child process that reads it, and checks that its resident memory stays flat while the file
 * goes by. The file is written to the OS temp directory and deleted afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { key, uniform } from '../../src/index.js';

const HEAP_MB = 48;
const FILE_MB = 512;
const dir = mkdtempSync(join(tmpdir(), 'foldnet-stream-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** y = a/2 − b + c·d on uniform a..d; each row also carries a 1000-character column nobody reads. */
const writeCsv = (path: string, mb: number): void => {
  const u = uniform(key(9), 4 * 1024, -1, 1);
  const pad = 'x'.repeat(1000);
  const block = Array.from({ length: 1024 }, (_, i) => {
    const [a, b, c, d] = [u[4 * i]!, u[4 * i + 1]!, u[4 * i + 2]!, u[4 * i + 3]!];
    return `${a.toFixed(6)},${b.toFixed(6)},${pad},${c.toFixed(6)},${d.toFixed(6)},${(0.5 * a - b + c * d).toFixed(6)}\n`;
  }).join('');
  const fd = openSync(path, 'w');
  writeSync(fd, 'a,b,note,c,d,y\n');
  for (let written = 0; written < mb * 2 ** 20; written += block.length) writeSync(fd, block);
  closeSync(fd);
};

describe('fitStream on a file larger than memory', () => {
  it(`trains from a ${FILE_MB} MB CSV in a process with a ${HEAP_MB} MB heap, its RSS flat`, () => {
    const path = join(dir, 'large.csv');
    writeCsv(path, FILE_MB);
    const size = statSync(path).size;
    const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'test/fixtures/stream-large-child.ts', path], { encoding: 'utf8', maxBuffer: 1 << 24 });
    rmSync(path);
    const report = JSON.parse(out.trim().split('\n').pop()!) as { rows: number; rss: number[]; loss: number; heapLimit: number };
    const rowBytes = size / report.rows;
    expect(report.rows).toBeGreaterThan(500_000);
    expect(Math.abs(rowBytes - 1050)).toBeLessThan(10); // every row was read
    expect(size).toBeGreaterThan(10 * HEAP_MB * 2 ** 20);
    expect(Number.isFinite(report.loss)).toBe(true);
    // flat: after the first tenth of the file, the RSS grows by less than 32 MB to the end, and
    // stays far below the file's size
    const rss = report.rss;
    const warm = Math.max(...rss.slice(0, Math.ceil(rss.length / 10)));
    const peak = Math.max(...rss);
    expect(peak - warm).toBeLessThan(32 * 2 ** 20);
    expect(peak).toBeLessThan(size / 2);
  }, 180_000);
});
