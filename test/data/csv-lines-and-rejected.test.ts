import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { oneHot, readCsv } from '../../src/index.js';

const opts = { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3 } as const;
const lineOf = (r: E.Either<ReadonlyArray<{ line?: number }>, unknown>): ReadonlyArray<number | undefined> => (E.isLeft(r) ? r.left.map((e) => e.line) : []);

describe('CSV line numbers are exact for any mix of line endings and multi-line quoted records', () => {
  // Each case: the bad cell "x" is on the given line of the file.
  it.each([
    ['LF header, CRLF rows', 'a,b,label\n1,2,0\r\n3,4,1\r\nx,5,2\r\n', 4],
    ['CRLF header, LF rows', 'a,b,label\r\n1,2,0\n3,4,1\nx,5,2\n', 4],
    ['CR only', 'a,b,label\r1,2,0\r3,4,1\rx,5,2\r', 4],
    ['every ending once', 'a,b,label\r\n1,2,0\r3,4,1\nx,5,2', 4],
    ['a quoted line break, then a blank line', 'a,b,label\n"1\n",2,0\n\nx,5,2\n', 5],
    ['two quoted line breaks with mixed endings in one record', 'a,b,label\n"1\r\n\r",2,0\n"x",5,2\n', 5],
    ['a bad record that itself spans lines', 'a,b,label\r\n1,2,0\r\n"x\r\n",5,2\r\n3,4,1\r\n', 3],
  ] as const)('%s: the bad row is reported on the line it starts on', (_name, text, line) => {
    expect(lineOf(readCsv(text, opts))).toEqual([line]);
  });

  it('the table records the line each data row starts on', () => {
    const r = readCsv('a,b,label\r\n1,"2\r\n\r\n",0\n\r\n3,4,1\r5,6,2\n', opts);
    expect(E.isRight(r) && r.right.lines).toEqual([2, 6, 7]);
  });
});

describe("badRows: 'reject' keeps the good rows and returns the bad ones as data", () => {
  const text = 'a,b,label\n1,2,0\n"x\ny",3,1\n4,5,2\n6,,1\n7,8\n9,10,9\n11,12,1\n';

  it('good rows form the table (with their lines); each bad row comes back with its line, fields and problems', () => {
    const r = readCsv(text, { ...opts, badRows: 'reject' });
    if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('\n'));
    const { table, rejected } = r.right;
    expect([Array.from(table.x.data), table.labels, table.lines]).toEqual([[1, 2, 4, 5, 11, 12], [0, 2, 1], [2, 5, 9]]);
    expect(rejected.map((b) => [b.row, b.line, b.fields, b.errors.map((e) => e.column)])).toEqual([
      [2, 3, ['x\ny', '3', '1'], ['a']],
      [4, 6, ['6', '', '1'], ['b']],
      [5, 7, ['7', '8'], [null]],
      [6, 8, ['9', '10', '9'], ['label']],
    ]);
    expect(rejected[3]!.errors[0]!.message).toBe('row 6 (line 8), column "label": expected an integer label in 0..2, got 9 (out of range)');
  });

  it("without the option the same file is a Left listing every bad cell (the default, 'fail')", () => {
    expect(lineOf(readCsv(text, opts))).toEqual([3, 6, 7, 8]);
    expect(lineOf(readCsv(text, { ...opts, badRows: 'fail' }))).toEqual([3, 6, 7, 8]);
  });

  it('a file with no good row is a Left even when rejecting', () => {
    expect(lineOf(readCsv('a,b,label\nx,1,0\n2,y,0\n', { ...opts, badRows: 'reject' }))).toEqual([2, 3]);
  });

  it('problems with the file itself are a Left even when rejecting', () => {
    expect(E.isLeft(readCsv('a,c,label\n1,2,0\n', { ...opts, badRows: 'reject' }))).toBe(true);
  });
});

describe('with classes omitted, absurd labels are bad cells, not absurd class counts', () => {
  it.each([['1e9'], ['1e300'], ['3']])('a label of %s in a 3-row file is a Left (at most one class per data row)', (label) => {
    const r = readCsv(`a,label\n1,0\n2,1\n3,${label}\n`, { features: ['a'], target: 'label', task: 'classification' });
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual([
      `row 3 (line 4), column "label": expected an integer label in 0..2 (options.classes omitted: at most one class per data row), got ${Number(label)} (out of range)`,
    ]);
  });

  it('inferred classes stay usable by oneHot', () => {
    const r = readCsv('a,label\n1,0\n2,2\n3,1\n', { features: ['a'], target: 'label', task: 'classification' });
    if (E.isLeft(r)) throw new Error('unexpected Left');
    expect(r.right.classes).toBe(3);
    expect(oneHot(r.right.labels, r.right.classes).data).toHaveLength(9);
  });
});
