/// <reference types="node" />
/**
 * `csvBatches`: a CSV file read as a stream of batches, for `fitStream` on files larger than
 * memory. Rows are parsed by `csv-parse` (its streaming build) and decoded by the same checks as
 * `readCsv` (each bad cell named by data row, file line and column); only a chunk of the file,
 * the shuffle buffer and one batch are in memory at a time.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { Readable, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { csvColumns, decodeRow, lineCounter, type AnyOptions, type BadRows, type FeatureDim, type Rec, type RejectedRow } from './data/csv.js';
import { dataError, dataErrorList, type DataErrors } from './data/errors.js';
import { formatErrors } from './errors.js';
import { foldIn, uniformDraws, type Key } from './random.js';
import { unsafeMat } from './tensor/mat.js';
import type { Dataset } from './train/types.js';

/**
 * How `csvBatches` cuts and orders a file's rows: `batchSize` rows per batch (the last may be
 * shorter); with `shuffleBuffer: K` (and a `key`) rows pass through a buffer of K rows and leave
 * it in a random order (epoch `e` draws with `foldIn(key, e)`). A shuffle buffer is not a full
 * permutation: a row leaves at most about K rows away from where an unshuffled read would put it
 * in expectation, so a file sorted by its target needs K near the row count, or a pre-shuffled
 * file. `shuffleBuffer: 0` (the default) keeps file order.
 *
 * @since 0.2.0
 * @category model
 */
export interface CsvStreamOptions {
  readonly batchSize: number;
  readonly shuffleBuffer?: number;
  readonly key?: Key;
  /** Under `badRows: 'reject'`, called with every rejected row of every pass (`epoch` 1-based). */
  readonly onRejected?: (row: RejectedRow, epoch: number) => void;
}

/** Classification needs `classes` here: a stream cannot look ahead for the largest label. */
type StreamCsv<Fs extends ReadonlyArray<string> | 'all-but-target', C extends number> =
  | { readonly features: Fs; readonly target: string; readonly delimiter?: string; readonly task: 'classification'; readonly classes: C }
  | { readonly features: Fs; readonly target: string; readonly delimiter?: string; readonly task: 'regression' };

/** The target width of a streamed CSV: `classes` columns one-hot, or 1 for regression. */
type TargetDim<O> = O extends { readonly task: 'classification'; readonly classes: infer C extends number } ? C : 1;

/**
 * An error of a streamed CSV (a bad header, a bad row under `badRows: 'fail'`, an unreadable
 * file): its message lists the problems, `errors` holds them as data.
 *
 * @since 0.2.0
 * @category model
 */
export class CsvStreamError extends Error {
  constructor(readonly errors: DataErrors) {
    super(`csvBatches: ${formatErrors(errors)}`);
    this.name = 'CsvStreamError';
  }
}

/** The file's text with every line ending as LF (a CR at a chunk's end waits for the next chunk). */
async function* lfText(path: string): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    let text = pending + (chunk as string);
    pending = '';
    if (text.endsWith('\r')) {
      pending = '\r';
      text = text.slice(0, -1);
    }
    yield text.replace(/\r\n?/g, '\n');
  }
  if (pending !== '') yield '\n';
}

/**
 * Batches of a CSV file, as a `fitStream` source: `csvBatches(path, columns, stream)(e)` reads the
 * file once more for epoch `e` and yields `{ x: Mat<B, F>, y }` (y: the target, `Mat<B, 1>`, or
 * for classification one-hot `Mat<B, classes>`). Rows are decoded by `readCsv`'s checks; a bad row
 * ends the read with a {@link CsvStreamError} naming row, line and column (`badRows: 'fail'`,
 * the default) or is left out and handed to `onRejected` (`badRows: 'reject'`). Memory does not
 * grow with the file: a chunk, the shuffle buffer and a batch.
 *
 * @example
 * const source = csvBatches('big.csv', { features: ['a', 'b', 'c', 'd'], target: 'y', task: 'regression' }, { batchSize: 256, shuffleBuffer: 10_000, key: key(1) })
 * const { params } = await fitStream(net, p0, source, { loss: mse, optimizer: adam(1e-3), epochs: 3, key: key(2) })
 * @since 0.2.0
 * @category files
 */
export const csvBatches = <const Fs extends ReadonlyArray<string> | 'all-but-target', C extends number, const O extends StreamCsv<Fs, C>>(
  path: string,
  columns: O & { readonly features: Fs } & Partial<BadRows<'fail' | 'reject'>>,
  stream: CsvStreamOptions,
): ((epoch: number) => AsyncIterable<Dataset<FeatureDim<Fs>, TargetDim<O>>>) => {
  const { batchSize, shuffleBuffer = 0, key } = stream;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`csvBatches: batchSize must be an integer ≥ 1, got ${batchSize}`);
  if (!(Number.isInteger(shuffleBuffer) && shuffleBuffer >= 0)) throw new RangeError(`csvBatches: shuffleBuffer must be an integer ≥ 0, got ${shuffleBuffer}`);
  if (shuffleBuffer > 0 && key === undefined) throw new RangeError('csvBatches: a shuffleBuffer needs a key (key(seed)) to draw the order with');
  const options = columns as AnyOptions;
  const classes = options.task === 'classification' ? options.classes : Infinity;
  if (options.task === 'classification' && !(Number.isInteger(classes) && classes! >= 1)) {
    throw new RangeError(`csvBatches: classification needs options.classes, a positive integer (a stream cannot infer it), got ${classes}`);
  }
  const yw = options.task === 'classification' ? classes! : 1;
  return (epoch) => ({
    [Symbol.asyncIterator]: async function* () {
      const parser = parse({ relax_column_count: true, raw: true, skip_empty_lines: true, bom: true, record_delimiter: '\n', delimiter: options.delimiter ?? ',' });
      // pipeline, not pipe: a read error (a missing file) destroys the parser with it, and the loop below throws
      pipeline(Readable.from(lfText(path)), parser, () => undefined);
      const lineOf = lineCounter();
      let f = 0;
      let cols: ReturnType<typeof csvColumns> | undefined;
      // the shuffle buffer (K rows) and the batch being filled, as flat arrays
      const K = shuffleBuffer;
      let bufX = new Float64Array(0);
      const bufY = new Float64Array(K);
      let filled = 0;
      const draw = K > 0 ? uniformDraws(foldIn(key!, epoch)) : () => 0;
      let draws = 0;
      let batchX = new Float64Array(0);
      let batchY = new Float64Array(batchSize * yw);
      let inBatch = 0;
      let row = new Float64Array(0);
      const one = new Float64Array(1);
      let dataRow = 0;
      const take = (xs: Float64Array, xAt: number, label: number): Dataset<FeatureDim<Fs>, TargetDim<O>> | undefined => {
        batchX.set(xs.subarray(xAt, xAt + f), inBatch * f);
        if (options.task === 'regression') batchY[inBatch] = label;
        else batchY[inBatch * yw + label] = 1;
        inBatch++;
        return inBatch === batchSize ? flush() : undefined;
      };
      const flush = (): Dataset<FeatureDim<Fs>, TargetDim<O>> => {
        const out = { x: unsafeMat(inBatch, f as FeatureDim<Fs>, batchX.slice(0, inBatch * f)), y: unsafeMat(inBatch, yw as TargetDim<O>, batchY.slice(0, inBatch * yw)) };
        batchY = new Float64Array(batchSize * yw);
        inBatch = 0;
        return out;
      };
      try {
        for await (const rec of parser as AsyncIterable<Rec>) {
          const line = lineOf(rec);
          if (cols === undefined) {
            const errors = dataErrorList();
            cols = csvColumns(rec.record, options, errors);
            if (errors.size() > 0) throw new CsvStreamError(errors.list());
            f = cols.featureNames.length;
            if (f === 0) throw new CsvStreamError([dataError({ row: null, line: 1, column: null, expected: 'at least one feature column', got: 'none' })]);
            bufX = new Float64Array(K * f);
            batchX = new Float64Array(batchSize * f);
            row = new Float64Array(f);
            continue;
          }
          dataRow++;
          const place = { row: dataRow, line };
          const errs = decodeRow(rec.record, place, cols, options, classes!, row, 0, one, 0);
          if (errs.size() > 0) {
            if (options.badRows !== 'reject') throw new CsvStreamError(errs.list());
            stream.onRejected?.(Object.freeze({ ...place, fields: Object.freeze(rec.record), errors: errs.list() }), epoch);
            continue;
          }
          if (K === 0) {
            const b = take(row, 0, one[0]!);
            if (b !== undefined) yield b;
          } else if (filled < K) {
            bufX.set(row, filled * f);
            bufY[filled++] = one[0]!;
          } else {
            // a random row of the buffer leaves, the new one takes its place
            const j = Math.floor(draw(draws++) * K);
            const b = take(bufX, j * f, bufY[j]!);
            bufX.set(row, j * f);
            bufY[j] = one[0]!;
            if (b !== undefined) yield b;
          }
        }
        if (cols === undefined) throw new CsvStreamError([dataError({ row: null, line: 1, column: null, expected: 'a header line and data rows', got: 'an empty file' })]);
        // the rows left in the buffer, in a random order (Fisher–Yates over the buffer)
        for (let i = filled - 1; i >= 0; i--) {
          const j = Math.floor(draw(draws++) * (i + 1));
          const b = take(bufX, j * f, bufY[j]!);
          bufX.copyWithin(j * f, i * f, (i + 1) * f);
          bufY[j] = bufY[i]!;
          if (b !== undefined) yield b;
        }
        if (inBatch > 0) yield flush();
      } catch (e) {
        if (e instanceof CsvStreamError) throw e;
        const code = (e as NodeJS.ErrnoException).code;
        throw new CsvStreamError([dataError({ row: null, column: null, expected: `a readable CSV file at ${path}`, got: code ?? String((e as Error).message ?? e) })]);
      } finally {
        parser.destroy();
      }
    },
  });
};
