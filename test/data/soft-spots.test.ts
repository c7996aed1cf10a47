/**
 * Regression tests for soft spots an adversarial pass found at the data and file boundary: each
 * test is named after the property that now holds.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  dense, fromRows, identity, key, labels, leakyRelu, load, loadState, matrix, readSpec, readSplits, relu, save, saveState,
  sequential, standardize, formatErrors, type Layer,
} from '../../src/index.js';
import { MAX_ERRORS } from '../../src/errors.js';
import { defaultMaxChars, UNSIZED_NUMBERS } from '../../src/io/save.js';

const net = sequential(dense(2, 3), relu, dense(3, 1));
const params = net.init(key(1));
const saved = E.getOrElse((): string => { throw new Error('save failed'); })(save(net, params));
const messages = (r: E.Either<ReadonlyArray<{ message: string }>, unknown>): string[] => (E.isLeft(r) ? r.left.map((e) => e.message) : ['no Left']);

describe('every reader has the same kind of size bound', () => {
  it("readSpec refuses, before parsing, a file over its default bound (1 MB + 32 characters per number, for UNSIZED_NUMBERS numbers)", () => {
    const bound = defaultMaxChars(UNSIZED_NUMBERS);
    const big = saved.replace('"params":', `"pad":"${' '.repeat(bound)}","params":`);
    expect(messages(readSpec(big))).toEqual([`file: expected at most ${bound} characters (options.maxChars), got ${big.length} characters`]);
    expect(bound).toBeLessThan(20_000_000);
  });

  it('readSplits bounds its text like load does', () => {
    const text = `{"n_rows":2,"splits":[{"train":[0],"test":[1]}]}${' '.repeat(100)}`;
    expect(messages(readSplits(text, { maxChars: 50 }))).toEqual([`expected at most 50 characters (options.maxChars), got ${text.length} characters`]);
    expect(E.isRight(readSplits(text, 2))).toBe(true);
  });

  it.each([Number.NaN, 0, -1])('maxChars %s is refused instead of disabling the bound', (maxChars) => {
    expect(messages(load(net, saved, { maxChars }))).toEqual([`options.maxChars: expected a positive number of characters (Infinity for no bound), got ${maxChars}`]);
    expect(E.isLeft(loadState(params, saved, { maxChars }))).toBe(true);
    expect(E.isLeft(readSpec(saved, { maxChars }))).toBe(true);
  });
});

describe('readSplits without rows allocates nothing for a forged n_rows', () => {
  it.each([1e10, 1e9])('n_rows: %s with two indices is a quick Left, not a throw or a minute-long allocation', (n) => {
    const r = readSplits({ n_rows: n, splits: [{ train: [0], test: [1] }] });
    expect(messages(r)).toEqual([`column "splits[0]": expected train and test covering all ${n} rows, got ${n - 2} rows in neither`]);
    // A hang guard, not a speed test: it took 71 s and 1.6 GB when a flag was allocated per row of n_rows.
  }, 5000);
});

describe('error lists are capped and always formattable', () => {
  it('130k unexpected fields give a capped Left, not "Maximum call stack size exceeded"', () => {
    const root = JSON.parse(saved) as { params: [Record<string, unknown>] };
    for (let i = 0; i < 130_000; i++) root.params[0][`f${i}`] = 0;
    const r = load(net, JSON.stringify(root), { maxChars: Infinity });
    expect(E.isLeft(r) && r.left.length).toBe(MAX_ERRORS + 1);
    expect(E.isLeft(r) && r.left[MAX_ERRORS]).toMatchObject({ more: 130_000 - MAX_ERRORS, message: `… and ${130_000 - MAX_ERRORS} more problems` });
    expect(formatErrors(E.isLeft(r) ? r.left : []).split('\n')[0]).toBe('130000 problems:');
  });

  it('100k deep errors format without "Invalid string length"', () => {
    const deep = Array.from({ length: 100_000 }, (_, i) => ({ message: `${'[0]'.repeat(10_000)} ${i}` }));
    const text = formatErrors(deep);
    expect(text.split('\n')).toHaveLength(MAX_ERRORS + 2);
    expect(text.length).toBeLessThan(110_000); // at most MAX_ERRORS lines of at most ~1000 characters
    expect(formatErrors(deep, 3).split('\n').at(-1)).toBe('  … and 99997 more');
  });

  it('a decoder with a million bad cells lists MAX_ERRORS of them and counts the rest', () => {
    const r = matrix(1).decode(Array.from({ length: 1_000_000 }, () => ['x']));
    expect(E.isLeft(r) && [r.left.length, r.left.at(-1)!.more]).toEqual([MAX_ERRORS + 1, 1_000_000 - MAX_ERRORS]);
  });
});

describe('decoders reject sparse arrays', () => {
  it('matrix(2) names a hole in a row instead of reading it as 0', () => {
    const row: number[] = [1];
    row.length = 2;
    expect(messages(matrix(2).decode([[3, 4], row]))).toEqual(['row 2, column "#2": expected a list of 2 numbers without holes, got a sparse list (nothing at index 1)']);
  });

  it('matrix(2) names a missing row', () => {
    const rows: number[][] = [[1, 2]];
    rows[2] = [3, 4];
    expect(messages(matrix(2).decode(rows))).toEqual(['row 2: expected a list of rows without holes, got a sparse list (nothing at index 1)']);
  });

  it('labels(3) refuses new Array(5) instead of a Right full of holes', () => {
    expect(messages(labels(3).decode(new Array(5)))).toEqual(['row 1: expected a list of labels without holes, got a sparse list (nothing at index 0)']);
    expect(labels(3).type.is(new Array(5))).toBe(false);
  });

  it('readSplits names a hole in an index list', () => {
    const train: number[] = [0];
    train.length = 2;
    expect(messages(readSplits({ n_rows: 3, splits: [{ train, test: [2] }] }))).toEqual([
      'column "splits[0].train[1]": expected a list of row indices without holes, got a sparse list (nothing at index 1)',
    ]);
  });
});

describe('standardize', () => {
  it('a near-constant column (0.1s, σ ≈ 1e-17 from rounding) is only centred: σ = 1, a relative tolerance', () => {
    const s = standardize(fromRows([[0.1, 1], [0.1, 2], [0.1, 3]]));
    expect(s.std.data[0]).toBe(1);
    expect(Math.abs(s.forward({}, fromRows([[0.2, 2]])).data[0]! - 0.1)).toBeLessThan(1e-15);
  });

  it('variance does not overflow on finite data ([[1e160], [0]] and entries near the largest double)', () => {
    const s = standardize(fromRows([[1e160], [0]]));
    expect([s.mean.data[0], s.std.data[0]]).toEqual([5e159, 5e159]);
    const t = standardize(fromRows([[Number.MAX_VALUE], [-Number.MAX_VALUE]]));
    expect([t.mean.data[0], t.std.data[0]]).toEqual([0, Number.MAX_VALUE]);
  });

  it('a tiny but real spread is kept (the tolerance is relative, not absolute)', () => {
    const s = standardize(fromRows([[1e-200], [3e-200]]));
    expect(s.std.data[0]).toBe(1e-200);
  });
});

describe('load reads what a careful writer may write, and nothing it would ignore', () => {
  it('a UTF-8 byte order mark is accepted by load, as readCsv accepts it', () => {
    expect(E.isRight(load(net, `\uFEFF${saved}`))).toBe(true);
    expect(E.isRight(readSpec(`\uFEFF${saved}`))).toBe(true);
  });

  it('unknown fields are refused, at the top level and in a layer spec', () => {
    const root = JSON.parse(saved) as Record<string, unknown> & { spec: { children: Record<string, unknown>[] } };
    root['comment'] = 'hi';
    root.spec.children[0]!['activation'] = 'relu';
    const text = JSON.stringify(root);
    expect(messages(load(net, text))).toEqual(['comment: expected no field "comment" (fields: format, version, kind, spec, params), got an unexpected field']);
    delete root['comment'];
    expect(messages(load(net, JSON.stringify(root)))).toEqual([
      'layer 1 (dense).activation: expected no field "activation" (fields: kind, inputDim, outputDim, inputShape, outputShape, config, children), got an unexpected field',
    ]);
    expect(E.isLeft(readSpec(JSON.stringify(root)))).toBe(true);
    expect(E.isLeft(loadState(params, saveStateText(params).replace('"state":', '"extra":1,"state":')))).toBe(true);
  });
});

const saveStateText = (s: unknown): string => E.getOrElse((): string => { throw new Error('saveState failed'); })(saveState(s));

describe('save refuses what load would refuse', () => {
  it('31 nested composites (deeper than load reads) are refused at save', () => {
    let deep = sequential(dense(2, 2)) as unknown as Layer<2, 2, unknown>;
    for (let i = 0; i < 31; i++) deep = sequential(deep) as unknown as Layer<2, 2, unknown>;
    const p = deep.init(key(0));
    const r = save(deep, p);
    expect(E.isLeft(r) && r.left[0]!.expected).toBe('nesting at most 64 deep');
  });

  it('leakyRelu(NaN) is refused at save instead of being written as null', () => {
    const bad = sequential(dense(2, 2), leakyRelu(Number.NaN), dense(2, 1));
    expect(messages(save(bad, bad.init(key(0))))).toEqual(['model spec children.1.config.alpha: expected a finite number to save, got NaN']);
  });

  it('a constructor or prototype key in a state, or a state deeper than 64, is refused at saveState', () => {
    expect(messages(saveState({ constructor: 1, prototype: 2 }))).toEqual([
      'state.constructor: expected no key named __proto__, constructor or prototype, got "constructor"',
      'state.prototype: expected no key named __proto__, constructor or prototype, got "prototype"',
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    expect(E.isLeft(saveState(deep))).toBe(true);
  });

  it('parameters of another model are refused at save', () => {
    const other = sequential(dense(2, 4), relu, dense(4, 1)).init(key(0)) as unknown as typeof params;
    expect(messages(save(net, other))[0]).toBe('layer 1 (dense) w: expected 2×3, got 2×4');
  });

  it('everything save writes, load reads', () => {
    const withStats = sequential(standardize(fromRows([[1, 2], [3, 5]])), dense(2, 3), identity, dense(3, 1));
    const p = withStats.init(key(2));
    expect(E.isRight(E.chain((t: string) => load(withStats, t))(save(withStats, p)))).toBe(true);
  });
});

describe('plain-JS callers get errors that name the real cause', () => {
  const a = sequential(dense(4, 8), relu, dense(8, 3));
  const b = sequential(dense(4, 6), relu, dense(6, 3));
  const x = fromRows([[1, 2, 3, 4]]);
  const thrown = (f: () => unknown): string => {
    try {
      f();
      return 'no error';
    } catch (e) {
      return String(e);
    }
  };

  it("another net's parameters are named as such, not blamed on the input width", () => {
    expect(thrown(() => b.forward(a.init(key(0)) as never, x))).toBe('TypeError: dense 4→6: expected w 4×6, got 4×8 (parameters of another model?)');
    expect(thrown(() => b.vjp(a.init(key(0)) as never, x))).toBe('TypeError: dense 4→6: expected w 4×6, got 4×8 (parameters of another model?)');
  });

  it('forward({}, x) says what parameters were expected instead of a raw TypeError', () => {
    expect(thrown(() => b.forward({} as never, x))).toBe('TypeError: sequential 4→3: expected parameters a list of 3 (one per layer), got an object (parameters of another model?)');
    expect(thrown(() => dense(4, 8).forward({} as never, x))).toBe('TypeError: dense 4→8: expected w 4×8, got nothing (parameters of another model?)');
  });

  it('dense("6", 8) shows the string as a string', () => {
    expect(thrown(() => dense('6' as never, 8))).toBe('RangeError: dense: input dim must be a positive integer, got "6" (a string, not a number)');
  });
});
