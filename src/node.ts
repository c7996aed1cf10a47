/// <reference types="node" />
/**
 * The Node-only entry point, `foldnet/node`: reading and writing files, with failures as `Either`
 * values like every other boundary. The core `foldnet` entry imports nothing from Node, so it runs
 * in browsers; this one adds `node:fs`.
 *
 * @module
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { dataError, type DataErrors } from './data/errors.js';
import { readCsv } from './data/csv.js';

/**
 * Reads a UTF-8 text file; a missing or unreadable file is a `Left` naming the path and the cause.
 *
 * @since 0.1.0
 * @category files
 */
export const readTextFile = (path: string): E.Either<DataErrors, string> => {
  try {
    return E.right(readFileSync(path, 'utf8'));
  } catch (e) {
    return E.left([dataError({ row: null, column: null, expected: `a readable file at ${path}`, got: (e as NodeJS.ErrnoException).code ?? String(e) })]);
  }
};

/**
 * Writes a UTF-8 text file (creating its directory); failure is a `Left`.
 *
 * @since 0.1.0
 * @category files
 */
export const writeTextFile = (path: string, text: string): E.Either<DataErrors, string> => {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, 'utf8');
    return E.right(path);
  } catch (e) {
    return E.left([dataError({ row: null, column: null, expected: `a writable path ${path}`, got: (e as NodeJS.ErrnoException).code ?? String(e) })]);
  }
};

/**
 * `readCsv` on a file: reads it, then decodes it with the same options and errors (see `readCsv`).
 *
 * @example
 * const data = readCsvFile('iris.csv', { features: 'all-but-target', target: 'label', task: 'classification', classes: 3 })
 * @since 0.1.0
 * @category files
 */
export const readCsvFile: typeof readCsv = ((path: string, options: Parameters<typeof readCsv>[1]) =>
  E.chain((text: string) => readCsv(text, options))(readTextFile(path))) as typeof readCsv;

export { csvBatches, CsvStreamError, type CsvStreamOptions } from './csv-stream.js';
export { fitParallel, fitParallelEither, fitParallelEpochs, liveWorkers, type ParallelOptions } from './node/fit-parallel.js';
