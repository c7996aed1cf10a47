import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  adam, dense, fitEither, fitEpochs, fromArray, key, mse, normal, relu, sequential, sgd, unsafeMat, type Mat, type TrainState,
} from '../../src/index.js';

const N = 12;
const xs = normal(key(7), N * 2);
const x = fromArray(N, 2, xs);
const y = fromArray(N, 1, Array.from({ length: N }, (_, i) => 0.5 * xs[2 * i]! - 0.3 * xs[2 * i + 1]!));
const net = sequential(dense(2, 4), relu, dense(4, 1));
const p0 = net.init(key(1));
const base = { loss: mse, optimizer: sgd(0.05), epochs: 3, batchSize: 4, key: key(3) } as const;

const withEntry = <C extends number>(m: Mat<number, C>, i: number, v: number): Mat<number, C> => {
  const d = m.data.slice();
  d[i] = v;
  return unsafeMat(m.rows, m.cols, d);
};
const message = (r: E.Either<{ readonly message: string }, unknown>): string => (E.isLeft(r) ? r.left.message : 'no Left');

describe("fit's inputs are checked once per run, with the set, row and column named", () => {
  it('a matrix whose data length is not rows·cols is refused, not padded with zeros', () => {
    const short = { rows: N, cols: 2, data: x.data.slice(0, 2 * N - 3) } as Mat<number, 2>;
    expect(message(fitEither(net, p0, { x: short, y }, base))).toBe(`fit: data.x.data: expected rows·cols = ${N}·2 = ${2 * N} entries, got ${2 * N - 3}`);
    const long = { rows: N, cols: 1, data: new Float64Array(N + 1) } as Mat<number, 1>;
    expect(message(fitEither(net, p0, { x, y: long }, base))).toBe(`fit: data.y.data: expected rows·cols = ${N}·1 = ${N} entries, got ${N + 1}`);
  });

  it.each([
    ['x', Number.NaN], ['x', Number.POSITIVE_INFINITY], ['y', Number.NEGATIVE_INFINITY], ['y', Number.NaN],
  ] as const)('a non-finite entry in data.%s (%s) is a Left naming its row and column', (which, v) => {
    const data = which === 'x' ? { x: withEntry(x, 7, v), y } : { x, y: withEntry(y, 5, v) };
    const place = which === 'x' ? 'data.x row 4, column 2' : 'data.y row 6, column 1';
    expect(message(fitEither(net, p0, data, base))).toBe(`fit: ${place}: expected a finite number, got ${v}`);
  });

  it('NaN in validation.y is a Left, not an "EpochsDone" run with NaN validation losses', () => {
    const r = fitEither(net, p0, { x, y }, { ...base, validation: { x, y: withEntry(y, 0, Number.NaN) }, earlyStopping: { patience: 2 } });
    expect(E.isLeft(r) && [r.left.option, r.left.message]).toEqual(['validation', 'fit: validation.y row 1, column 1: expected a finite number, got NaN']);
  });

  it('NaN in validation.x is a Left even where relu(NaN) = 0 would give a finite loss', () => {
    const r = fitEither(net, p0, { x, y }, { ...base, validation: { x: withEntry(x, 3, Number.NaN), y } });
    expect(message(r)).toBe('fit: validation.x row 2, column 2: expected a finite number, got NaN');
  });

  it('several non-finite entries: the first is named and the others counted', () => {
    const bad = withEntry(withEntry(withEntry(x, 9, Number.NaN), 4, Number.NaN), 20, Number.POSITIVE_INFINITY);
    expect(message(fitEither(net, p0, { x: bad, y }, base))).toBe('fit: data.x row 3, column 1: expected a finite number, got NaN (2 more non-finite entries in data.x)');
  });

  it.each([
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12], 'fit: order(1, 12)[11]: expected a row index in 0..11, got 12'],
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Number.NaN], 'fit: order(1, 12)[11]: expected a row index in 0..11, got NaN'],
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -1], 'fit: order(1, 12)[11]: expected a row index in 0..11, got -1'],
    [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10], 'fit: order(1, 12)[11]: expected each row once (a permutation), got row 10 again'],
    [[0, 1, 2], 'fit: order(1, 12): expected 12 row indices (a permutation of 0..11), got 3 indices'],
  ])('an order that is not a permutation is a Left before training (%j)', (idx, expected) => {
    const r = fitEither(net, p0, { x, y }, { ...base, order: () => idx });
    expect(message(r)).toBe(expected);
  });

  it('a bad order in a later epoch is found before the first epoch runs', () => {
    let calls = 0;
    const order = (e: number, n: number) => {
      calls++;
      return e === 3 ? [n, ...Array.from({ length: n - 1 }, (_, i) => i)] : Array.from({ length: n }, (_, i) => i);
    };
    expect(message(fitEither(net, p0, { x, y }, { ...base, order }))).toBe('fit: order(3, 12)[0]: expected a row index in 0..11, got 12');
    expect(calls).toBe(3);
  });

  describe('resume', () => {
    const states = [...fitEpochs(net, p0, { x, y }, { ...base, optimizer: adam(0.01) })];
    const s1 = states[0]!;
    const opts = { ...base, optimizer: adam(0.01) };

    it('a negative or fractional resume.epoch is refused', () => {
      expect(message(fitEither(net, p0, { x, y }, { ...opts, resume: { ...s1, epoch: -3 } }))).toBe('fit: resume.epoch: expected an integer in 0..3 (epochs), got -3');
      expect(message(fitEither(net, p0, { x, y }, { ...opts, resume: { ...s1, epoch: 1.5 } }))).toBe('fit: resume.epoch: expected an integer in 0..3 (epochs), got 1.5');
    });

    it('a wrong-shaped resume.optState is a Left naming the place, not a throw', () => {
      const other = [...fitEpochs(sequential(dense(2, 5), relu, dense(5, 1)), sequential(dense(2, 5), relu, dense(5, 1)).init(key(1)), { x, y }, opts)][0]!;
      const r = fitEither(net, p0, { x, y }, { ...opts, resume: { ...s1, optState: other.optState as unknown as TrainState<typeof p0, typeof s1.optState>['optState'] } });
      expect(message(r)).toMatch(/^fit: resume\.optState\[0\]\.\w+\[0\]\.w: expected a 2×4 matrix, got a 2×5 matrix$/);
    });

    it('NaN in the resumed parameters is refused instead of training on to NaN parameters', () => {
      const [d0, ...rest] = s1.params;
      const nan = [{ ...d0, b: { ...d0.b, data: Float64Array.from(d0.b.data, (v, i) => (i === 2 ? Number.NaN : v)) } }, ...rest] as unknown as typeof p0;
      expect(message(fitEither(net, p0, { x, y }, { ...opts, resume: { ...s1, params: nan } }))).toBe('fit: resume.params[0].b[2]: expected a finite number, got NaN');
    });

    it('a valid state still resumes', () => {
      expect(E.isRight(fitEither(net, p0, { x, y }, { ...opts, resume: s1 }))).toBe(true);
    });
  });

  it('parameters of another net are named as such', () => {
    const other = sequential(dense(2, 6), relu, dense(6, 1)).init(key(0)) as unknown as typeof p0;
    expect(message(fitEither(net, other, { x, y }, base))).toBe('fit: params[0].w: expected a 2×4 matrix, got a 2×6 matrix');
  });
});
