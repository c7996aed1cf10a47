/**
 * Training on a file larger than memory: a CSV is read as a stream of batches, never whole.
 *
 * 1. write a CSV of 200 000 rows to the OS temp directory (y = a/2 − b + c·d + noise; about 10 MB,
 *    so the example is quick: the same code runs unchanged on a file of any size, its memory is one
 *    chunk of the file, the shuffle buffer and a batch);
 * 2. fit the standardization statistics in one streaming pass (`standardizeStream`, Welford's
 *    update: the same μ and σ as `standardize` on all rows, to about 1e-12);
 * 3. train `standardize → dense(4, 16) → relu → dense(16, 1)` with `fitStream` over
 *    `csvBatches` (batches of 256 rows, shuffled within a 10 000-row buffer, reseeded every epoch),
 *    validating on 2 000 rows held in memory, with early stopping; print each epoch as it ends
 *    (`fitStreamEpochs`) and the resident memory;
 * 4. delete the file.
 *
 * Run: `npm run example:stream` (or `npx tsx examples/stream.ts`).
 * Published code imports the same names from 'foldnet' and 'foldnet/node'.
 *
 * @module
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adam, dense, fitStreamEpochs, fromArray, key, mse, normal, relu, sequential, standardizeStream, uniform, type Mat } from '../src/index.js';
import { csvBatches } from '../src/node.js';

const ROWS = 200_000;
const dir = mkdtempSync(join(tmpdir(), 'foldnet-example-stream-'));
const path = join(dir, 'train.csv');
const target = (a: number, b: number, c: number, d: number): number => 0.5 * a - b + c * d;

// 1. the file, written in blocks (a real one would come from elsewhere)
const fd = openSync(path, 'w');
writeSync(fd, 'a,b,c,d,y\n');
for (let start = 0; start < ROWS; start += 10_000) {
  const u = uniform(key(start), 40_000, -3, 3);
  const e = normal(key(start + 1), 10_000, 0.1);
  let block = '';
  for (let i = 0; i < 10_000; i++) {
    const [a, b, c, d] = [u[4 * i]! + 10, u[4 * i + 1]!, u[4 * i + 2]!, u[4 * i + 3]! * 100];
    block += `${a},${b},${c},${d},${target(a - 10, b, c, d / 100) + e[i]!}\n`;
  }
  writeSync(fd, block);
}
closeSync(fd);

const columns = { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' } as const;
const source = csvBatches(path, columns, { batchSize: 256, shuffleBuffer: 10_000, key: key(1) });

// 2. the scaling, in one pass over the file
const scale = await standardizeStream(source(0));
console.log('μ =', Array.from(scale.mean.data, (v) => v.toFixed(3)).join(', '), ' σ =', Array.from(scale.std.data, (v) => v.toFixed(3)).join(', '));

// 3. validation rows in memory, then the streamed fit
const vu = uniform(key(99), 2_000 * 4, -3, 3);
const vx = fromArray(2_000, 4, Array.from(vu, (v, k) => (k % 4 === 0 ? v + 10 : k % 4 === 3 ? v * 100 : v))) as Mat<number, 4>;
const vy = fromArray(2_000, 1, Array.from({ length: 2_000 }, (_, i) => target(vu[4 * i]!, vu[4 * i + 1]!, vu[4 * i + 2]!, vu[4 * i + 3]!))) as Mat<number, 1>;
const net = sequential(scale, dense(4, 16), relu, dense(16, 1));
const states = fitStreamEpochs(net, net.init(key(2)), source, {
  loss: mse, optimizer: adam(3e-3), epochs: 8, key: key(3), validation: { x: vx, y: vy }, earlyStopping: { patience: 2 },
});
const t0 = Date.now();
for await (const s of states) {
  const e = s.epoch - 1;
  console.log(
    `epoch ${s.epoch}: train mse ${s.history.trainLoss[e]!.toFixed(4)}, validation mse ${s.history.valLoss[e]!.toFixed(4)}, ` +
      `${s.history.updates[e]} updates, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s` +
      (s.stopReason !== undefined ? ` (${s.stopReason._tag})` : ''),
  );
}

// 4. clean up
rmSync(dir, { recursive: true, force: true });
