import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { readCsv, matrix, labels, readSplits, formatErrors } from '../../src/index.js';
import type { ClassificationCsvOptions, RegressionCsvOptions } from '../../src/data/csv.js';
import { save, load, loadState, saveState } from '../../src/index.js';
import { dense, relu, sequential, key, fromRows, vec } from '../../src/index.js';

/** A deep copy that keeps -0, NaN and undefined distinguishable, to prove inputs were not mutated. */
const snapshot = (u: unknown): string =>
  JSON.stringify(u, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `#${v}` : Object.is(v, -0) ? '#-0' : v === undefined ? '#undef' : v));

const deepFreeze = <T>(u: T): T => {
  if (typeof u === 'object' && u !== null) {
    Object.values(u).forEach(deepFreeze);
    Object.freeze(u);
  }
  return u;
};

const net = sequential(dense(3, 8), relu, dense(8, 6), relu, dense(6, 2));
const params = net.init(key(7));
const good = E.getOrElse((): string => { throw new Error('save failed'); })(save(net, params));
/** The saved file with one change applied to its parsed form. */
const edited = (f: (root: Record<string, unknown> & { params: [{ w: { rows: number; cols: number; data: number[] }; b: { size: number; data: number[] } }, object, object, object, object] }) => void): string => {
  const root = JSON.parse(good);
  f(root);
  return JSON.stringify(root);
};

const iris = 'a,b,label\n5.1,3.5,0\n4.9,3,1\n';
type Features = ReadonlyArray<string> | 'all-but-target';
type AnyCsvOptions = ClassificationCsvOptions<Features, number> | RegressionCsvOptions<Features>;
const runCsv = (text: string, o: AnyCsvOptions) => (o.task === 'regression' ? readCsv(text, o) : readCsv(text, o));
const csvOpts: AnyCsvOptions = { features: ['a', 'b'], target: 'label', task: 'classification', classes: 3 };

interface Case {
  readonly name: string;
  readonly run: () => E.Either<ReadonlyArray<{ message: string }>, unknown>;
  readonly input: unknown;
  /** Every regex must match some message (the place and the problem). */
  readonly expect: ReadonlyArray<RegExp>;
  /** Exact number of problems, when the case is about listing every one. */
  readonly count?: number;
}

const csv = (name: string, text: string, expect: RegExp[], count?: number, opts: AnyCsvOptions = csvOpts): Case => ({
  name: `CSV: ${name}`, input: text, run: () => runCsv(text, opts), expect, ...(count === undefined ? {} : { count }),
});
const rows = (name: string, input: unknown, expect: RegExp[], count?: number, columns?: string[]): Case => ({
  name: `JSON rows: ${name}`, input: deepFreeze(input), run: () => matrix(3, columns === undefined ? {} : { columns }).decode(input), expect, ...(count === undefined ? {} : { count }),
});
const model = (name: string, text: unknown, expect: RegExp[]): Case => ({ name: `saved model: ${name}`, input: text, run: () => load(net, text), expect });

const cases: Case[] = [
  csv('empty file', '', [/expected a header line and data rows, got an empty file/]),
  csv('whitespace-only file', ' \n\n', [/empty file/]),
  csv('header-only file', 'a,b,label\n', [/line 2: expected at least one data row, got a header-only file/]),
  csv('missing feature column', 'a,c,label\n1,2,0\n', [/column "b": expected a column of that name, got no such column \(header: a, c, label\)/]),
  csv('missing target column', 'a,b,y\n1,2,0\n', [/column "label": expected a column of that name/]),
  csv('duplicate column names', 'a,b,a,label\n1,2,3,0\n', [/column "a": expected unique column names, got a duplicate of column #1 \(at #3\)/]),
  csv('ragged rows (short and long), each listed', 'a,b,label\n1,2\n1,2,0,9\n1,2,0\n', [/row 1 \(line 2\): expected 3 fields, got 2 fields/, /row 2 \(line 3\): expected 3 fields, got 4 fields/], 2),
  csv('empty cell', 'a,b,label\n1,,0\n', [/row 1 \(line 2\), column "b": expected a finite number, got an empty cell/], 1),
  csv('non-numeric string', 'a,b,label\nabc,2,0\n', [/row 1 \(line 2\), column "a": expected a finite number, got "abc"/]),
  csv('hex is not decimal', 'a,b,label\n0x1F,2,0\n', [/column "a": expected a finite number, got "0x1F"/]),
  csv('NaN cell', 'a,b,label\nNaN,2,0\n', [/column "a": expected a finite number, got NaN/]),
  csv('+Infinity and -Infinity', 'a,b,label\nInfinity,-Infinity,0\n', [/column "a": .* got Infinity/, /column "b": .* got -Infinity/], 2),
  csv('overflow to Infinity', 'a,b,label\n1e999,2,0\n', [/column "a": expected a finite number, got "1e999" \(overflows to Infinity\)/]),
  csv('label out of range', 'a,b,label\n1,2,3\n1,2,-1\n', [/row 1 \(line 2\), column "label": expected an integer label in 0..2, got 3 \(out of range\)/, /row 2 .* got -1 \(out of range\)/], 2),
  csv('non-integer label', 'a,b,label\n1,2,0.5\n', [/column "label": expected an integer label in 0..2, got 0.5 \(not an integer\)/]),
  csv('every bad cell of a bad file, in order', 'a,b,label\n1,x,0\n,2,7\n1,2\n', [/row 1 .*"b"/, /row 2 .*"a".*empty/, /row 2 .*"label".*7/, /row 3 .*2 fields/], 4),
  csv('unclosed quote', 'a,b,label\n"1,2,0\n', [/line 2: expected well-formed CSV, got Quote Not Closed/]),
  csv('regression target not numeric', 'x,target\n1,abc\n', [/column "target": expected a finite number, got "abc"/], 1, { features: ['x'], target: 'target', task: 'regression' }),
  csv('target listed as a feature', iris, [/column "label": expected a feature column, got the target column/], 1, { features: ['a', 'label'], target: 'label', task: 'classification' }),
  rows('not a list', { a: 1 }, [/expected a list of rows, got an object/]),
  rows('empty list', [], [/expected at least one row, got an empty list/]),
  rows('ragged row', [[1, 2, 3], [1, 2]], [/row 2: expected 3 values, got 2 values/], 1),
  rows('string, null, NaN and ±Infinity cells, each listed', [[1, '2', 3], [null, NaN, Infinity], [-Infinity, 0, 0]], [/row 1, column "#2": expected a finite number, got "2"/, /row 2, column "#1": .* got null/, /row 2, column "#2": .* got NaN/, /row 2, column "#3": .* got Infinity/, /row 3, column "#1": .* got -Infinity/], 5),
  rows('record missing a field', [{ a: 1, b: 2 }], [/row 1, column "c": expected a finite number, got no such field/], 1, ['a', 'b', 'c']),
  rows('record field not a number', [{ a: 1, b: true, c: 3 }], [/row 1, column "b": expected a finite number, got boolean true/], 1, ['a', 'b', 'c']),
  rows('record when no column names are known', [{ a: 1, b: 2, c: 3 }], [/row 1: expected a list of 3 numbers, got an object/]),
  { name: 'JSON labels: out of range, fractional, strings', input: deepFreeze([0, 3, 1.5, '1']), run: () => labels(3).decode([0, 3, 1.5, '1']), expect: [/row 2: .*0..2, got 3 \(out of range\)/, /row 3: .*1.5 \(not an integer\)/, /row 4: expected a finite number, got "1"/], count: 3 },
  { name: 'splits: index out of range and rows not covered', input: '{"n_rows":4,"splits":[{"train":[0,9],"test":[1]}]}', run: () => readSplits('{"n_rows":4,"splits":[{"train":[0,9],"test":[1]}]}'), expect: [/column "splits\[0\].train\[1\]": expected a row index in 0..3, got 9/, /splits\[0\]": expected train and test covering all 4 rows, got 2 rows in neither/] },
  { name: 'splits: a row in both train and test', input: '{"n_rows":2,"splits":[{"train":[0,1],"test":[1]}]}', run: () => readSplits('{"n_rows":2,"splits":[{"train":[0,1],"test":[1]}]}'), expect: [/splits\[0\].test\[0\]": expected each row once, got row 1 again/] },
  model('malformed JSON', good.slice(0, 100), [/^file: expected well-formed JSON, got malformed JSON/]),
  model('not a string', 42, [/expected JSON text, got 42/]),
  model('unknown version', good.replace('"version":1', '"version":2'), [/^version: expected 1 \(the versions this build reads\), got 2/]),
  model('another format', good.replace('"format":"foldnet"', '"format":"keras"'), [/^format: expected "foldnet", got "keras"/]),
  model('optimizer state passed as a model', E.getOrElse(() => '')(saveState({ count: 1 })), [/^kind: expected "params", got "state"/]),
  model('a weight matrix of the wrong shape', edited((r) => { r.params[2] = { w: { rows: 8, cols: 5, data: new Array(40).fill(0) }, b: { size: 5, data: [0, 0, 0, 0, 0] } }; }), [/layer 3 \(dense\) w: expected 8×6, got 8×5/, /layer 3 \(dense\) b: expected size 6, got size 5/]),
  model('an architecture with other dims', E.getOrElse(() => '')(save(sequential(dense(3, 8), relu, dense(8, 5), relu, dense(5, 2)), sequential(dense(3, 8), relu, dense(8, 5), relu, dense(5, 2)).init(key(0)))), [/^layer 3 \(dense\): expected dense 8→6, got dense 8→5/, /layer 5 \(dense\): expected dense 6→2, got dense 5→2/]),
  model('another layer kind', good.replace('"kind":"relu"', '"kind":"tanh"'), [/layer 2 \(relu\): expected relu \(any width\), got tanh \(any width\)/]),
  model('a data list shorter than declared dims', edited((r) => { r.params[0].b.data = [1]; }), [/layer 1 \(dense\) b: expected 8 numbers in data, got 1/]),
  model('absurd declared size, refused before allocating', edited((r) => { r.params[0].w = { rows: 1e9, cols: 1e9, data: [] }; }), [/layer 1 \(dense\) w: expected 3×8, got 1000000000×1000000000/]),
  model('absurd text length, refused before parsing', `${good}${' '.repeat(3_000_000)}`, [/^file: expected at most \d+ characters \(options.maxChars\), got \d+ characters/]),
  model('a number overflowing to Infinity', good.replace(/"data":\[[^,\]]+/, '"data":[1e999'), [/params\[0\]\.w\.data\[0\]: expected a finite number, got Infinity/]),
  model('a string where a number belongs', edited((r) => { (r.params[0].b.data as unknown[])[2] = '0.1'; }), [/layer 1 \(dense\) b\[2\]: expected a finite number, got "0.1"/]),
  model('__proto__ key', good.replace('"params":[{', '"params":[{"__proto__":{"polluted":1},'), [/params\[0\]\.__proto__: expected no key named __proto__, constructor or prototype/]),
  model('constructor key', good.replace('"spec":{', '"spec":{"constructor":1,'), [/spec\.constructor: expected no key named __proto__/]),
  model('prototype key', good.replace('"params":[{', '"params":[{"prototype":1,'), [/params\[0\]\.prototype: expected no key/]),
  model('missing and unexpected parameter fields', edited((r) => { const p0 = r.params[0] as Record<string, unknown>; p0['bias'] = p0['b']; delete p0['b']; }), [/layer 1 \(dense\) b: expected a field, got nothing \(missing\)/, /layer 1 \(dense\) bias: expected no such field, got an unexpected field/]),
  model('too few layers of parameters', edited((r) => { r.params.pop(); }), [/^params: expected a list of 5, got a list of 4/]),
  { name: 'optimizer state: moment of the wrong shape', input: null, run: () => loadState({ count: 0, mu: [vec([0, 0])] }, E.getOrElse(() => '')(saveState({ count: 3, mu: [vec([1, 2, 3])] }))), expect: [/^state\.mu\[0\]: expected size 2, got size 3/] },
  { name: 'save: non-finite parameters are refused', input: null, run: () => save(dense(2, 1), { w: fromRows([[1], [NaN]]), b: vec([Infinity]) }), expect: [/^params w\[1\]: expected a finite number to save, got NaN/, /params b\[0\]: expected a finite number to save, got Infinity/] },
];

describe('every bad input gives a Left that names the place and the problem, and mutates nothing', () => {
  it('the catalogue has at least 25 cases across CSV, JSON rows and saved models', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.name.startsWith('CSV')).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => c.name.startsWith('JSON')).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((c) => c.name.startsWith('saved model')).length).toBeGreaterThanOrEqual(8);
  });
  it.each(cases)('$name', (c) => {
    const before = snapshot(c.input);
    const specBefore = snapshot(net.spec);
    const paramsBefore = snapshot(params);
    let result: ReturnType<Case['run']> | undefined;
    expect(() => { result = c.run(); }).not.toThrow();
    expect(E.isLeft(result!)).toBe(true);
    const messages = E.isLeft(result!) ? result.left.map((e) => e.message) : [];
    for (const re of c.expect) expect(messages.some((m) => re.test(m)), `no message matches ${re}:\n${messages.join('\n')}`).toBe(true);
    if (c.count !== undefined) expect(messages).toHaveLength(c.count);
    expect(formatErrors(E.isLeft(result!) ? result.left : [])).toContain(messages[0]);
    expect(snapshot(c.input)).toBe(before);
    expect(snapshot(net.spec)).toBe(specBefore);
    expect(snapshot(params)).toBe(paramsBefore);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
