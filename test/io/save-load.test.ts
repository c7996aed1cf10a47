import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { pipe } from 'fp-ts/lib/function.js';
import {
  adamw, applyUpdates, dense, flatten, fromRows, maxPool, key, mse, relu, sequential, tanh, uniform, unsafeMat, valueAndGrad, vec,
} from '../../src/index.js';
import { load, loadState, numberToJson, readSpec, save, saveState } from '../../src/index.js';
import { standardize, standardizeFromSpec } from '../../src/index.js';

const bits = (m: { data: Float64Array }): string => Array.from(new Uint32Array(m.data.buffer, m.data.byteOffset, m.data.length * 2)).join(',');
const right = <A>(e: E.Either<ReadonlyArray<{ message: string }>, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.map((x) => x.message).join('\n'));
  return e.right;
};

const x = unsafeMat(16, 3, uniform(key(3), 48, -2, 2));
const y = unsafeMat(16, 2, uniform(key(4), 32, -1, 1));

describe('save → load', () => {
  it('gives identical forward outputs, bit for bit', () => {
    const net = sequential(standardize(x), dense(3, 8), tanh, dense(8, 8), relu, dense(8, 2));
    const p = net.init(key(1));
    const loaded = right(load(net, right(save(net, p))));
    expect(bits(net.forward(loaded, x))).toBe(bits(net.forward(p, x)));
  });

  it('keeps every double exactly: -0, subnormals, extremes and shortest-repr edge cases', () => {
    const special = [-0, 0, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1, 1 / 3, 9007199254740993, 1e21, 1e-7, 123456789.12345679];
    expect(special).toHaveLength(14);
    const layer = dense(14, 1);
    const p = { w: unsafeMat(14, 1, Float64Array.from(special)), b: vec([-0]) };
    const q = right(load(layer, right(save(layer, p))));
    expect(bits(q.w)).toBe(bits(p.w));
    expect(Object.is(q.b.data[0], -0)).toBe(true);
    special.forEach((v) => expect(Object.is(JSON.parse(numberToJson(v)), v)).toBe(true));
  });

  it('round-trips random doubles across the whole exponent range', () => {
    const n = 2000;
    const words = new Uint32Array(uniform(key(9), 2 * n, 0, 4294967296).map(Math.floor));
    const vals = new Float64Array(words.buffer).map((v) => (Number.isFinite(v) ? v : 1));
    const layer = dense(n, 1);
    const p = { w: unsafeMat(n, 1, vals), b: vec([0]) };
    expect(bits(right(load(layer, right(save(layer, p)))).w)).toBe(bits(p.w));
  });

  it('round-trips any finite doubles (property, fast-check)', () => {
    const layer = dense(3, 2);
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 8, maxLength: 8 }), (xs) => {
      const p = { w: unsafeMat(3, 2, Float64Array.from(xs.slice(0, 6))), b: vec([xs[6]!, xs[7]!]) };
      const q = right(load(layer, right(save(layer, p))));
      return bits(q.w) === bits(p.w) && bits(q.b) === bits(p.b);
    }), { numRuns: 300 });
  });

  it('does not alias or mutate: the loaded params are frozen copies', () => {
    const net = sequential(dense(3, 4), relu, dense(4, 2));
    const p = net.init(key(2));
    const text = right(save(net, p));
    const q = right(load(net, text));
    expect(q[0].w.data).not.toBe(p[0].w.data);
    expect(Object.isFrozen(q) && Object.isFrozen(q[0]) && Object.isFrozen(q[0].w)).toBe(true);
    expect(right(save(net, q))).toBe(text);
  });

  it('loads into a model whose dense layers use another initializer (init is not part of the signature)', () => {
    const a = sequential(dense(3, 4, { init: 'he' }), relu, dense(4, 2));
    const b = sequential(dense(3, 4), relu, dense(4, 2));
    expect(E.isRight(load(b, right(save(a, a.init(key(0))))))).toBe(true);
  });

  it('refuses a model with different standardize statistics, naming the layer and field', () => {
    const a = sequential(standardize(x), dense(3, 2));
    const b = sequential(standardize(fromRows([[0, 0, 0], [1, 1, 1]])), dense(3, 2));
    const r = load(b, right(save(a, a.init(key(0)))));
    expect(E.isLeft(r) && r.left.map((e) => e.message).join('\n')).toMatch(/layer 1 \(standardize\) config\.mean: expected "0.5,0.5,0.5", got/);
  });

  it("keeps a pooling layer's padding: a 'same' file loads into the same net and is refused by a 'valid' one of the same shapes", () => {
    const same = sequential(maxPool([8, 8, 2], 2, { padding: 'same' }), flatten([4, 4, 2]), dense(32, 1));
    const valid = sequential(maxPool([8, 8, 2], 2), flatten([4, 4, 2]), dense(32, 1));
    const text = right(save(same, same.init(key(0))));
    expect(E.isRight(load(same, text))).toBe(true);
    const r = load(valid, text);
    expect(E.isLeft(r) && r.left.map((e) => e.message).join('\n')).toMatch(/layer 1 \(maxPool\) config\.padding: expected nothing, got "same"/);
  });

  it('readSpec + standardizeFromSpec rebuild the same model in a fresh context', () => {
    const s = standardize(x);
    const net = sequential(s, dense(3, 2));
    const p = net.init(key(5));
    const text = right(save(net, p));
    const rebuilt = pipe(
      readSpec(text),
      E.mapLeft((es) => es.map((e) => e.message).join('\n')),
      E.chain((spec) => standardizeFromSpec(3, spec.children?.[0])),
      E.map((scaler) => sequential(scaler, dense(3, 2))),
    );
    const net2 = E.getOrElseW((m: string) => { throw new Error(m); })(rebuilt);
    expect(bits(net2.forward(right(load(net2, text)), x))).toBe(bits(net.forward(p, x)));
  });
});

describe('saveState → loadState', () => {
  it('resumes training exactly: interrupted and uninterrupted Adam runs agree bit for bit', () => {
    const net = sequential(dense(3, 8), tanh, dense(8, 2));
    const opt = adamw(1e-2);
    const vg = valueAndGrad(net, mse);
    type P = ReturnType<typeof net.init>;
    type S = ReturnType<typeof opt.init<P>>;
    const step = ([p, s]: readonly [P, S]): readonly [P, S] => {
      const [, g] = vg(p, x, y);
      const [u, s2] = opt.update(g, s, p);
      return [applyUpdates(p, u), s2];
    };
    const run = (start: readonly [P, S], n: number): readonly [P, S] => Array.from({ length: n }).reduce<readonly [P, S]>((acc) => step(acc), start);
    const p0 = net.init(key(0));
    const s0 = opt.init(p0);
    const straight = run([p0, s0], 20);
    const [pMid, sMid] = run([p0, s0], 7);
    const pText = right(save(net, pMid));
    const sText = right(saveState(sMid));
    // a "fresh process": only the texts and the code survive
    const pLoaded = right(load(net, pText));
    const sLoaded = right(loadState(opt.init(net.init(key(99))), sText));
    const resumed = run([pLoaded, sLoaded], 13);
    expect(bits(net.forward(resumed[0], x))).toBe(bits(net.forward(straight[0], x)));
    expect(right(saveState(resumed[1]))).toBe(right(saveState(straight[1])));
  });

  it('encodes trees of tensors, numbers, strings, booleans, null, arrays and records', () => {
    const state = { count: 3, name: 'adam', on: true, none: null, mu: [vec([1, -0]), { m: fromRows([[1, 2]]) }] } as const;
    const back = right(loadState(state, right(saveState(state))));
    expect(right(saveState(back))).toBe(right(saveState(state)));
    expect(Object.is(back.mu[0].data[1], -0)).toBe(true);
  });

  it('refuses to save non-finite state, naming each entry', () => {
    const r = saveState({ count: NaN, mu: [vec([1, Infinity])] });
    expect(E.isLeft(r) && r.left.map((e) => e.message)).toEqual([
      'state.count: expected a finite number to save, got NaN',
      'state.mu[0][1]: expected a finite number to save, got Infinity',
    ]);
  });
});
